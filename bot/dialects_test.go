package bot_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// The whole bot against the panel emulator in each dialect of
// panel/API.md: order, status change, notification, refill, cancel. Only
// the harness's helpers are used.

func TestDialectsEndToEnd(t *testing.T) {
	for _, name := range smmtest.DialectNames() {
		d := smmtest.Dialects()[name]
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.panel.SetDialect(d)

			id := h.dialectOrder(t)
			sid := strconv.FormatInt(id, 10)
			h.clock.Advance(2 * time.Minute) // the emulator's Step is a minute: finished
			h.poll()
			h.wait("the status notification", func() bool { return len(h.notifications(h.user.ID)) > 0 })
			final := d.FinalStatus
			if final == "" {
				final = "Completed"
			}
			n := h.notifications(h.user.ID)[0]
			if !strings.Contains(n.Text, sid) || !strings.Contains(strings.ToLower(n.Text), strings.ToLower(final)) {
				t.Fatalf("notification %q: want order %s and %q", n.Text, sid, final)
			}

			h.say("/orders")
			m := h.press(sid) // the poll stored the status: the card shows it
			failed := !strings.EqualFold(final, "Completed")
			if hasButton(m, "Cancel order") {
				t.Errorf("the card of a %s order offers Cancel:\n%s", final, h.transcript())
			}
			switch {
			case failed:
				if hasButton(m, "Refill") {
					t.Errorf("the card of a %s order offers Refill:\n%s", final, h.transcript())
				}
			case d.NoRefill:
				if hasButton(m, "Refill") {
					m = h.press("Refill")
					if hasButton(m, "Yes") {
						m = h.press("Yes")
					}
					notUnknownOutcome(t, h, m)
					t.Logf("a panel without refill: the bot says %q", m.Text)
				}
				h.say("/orders")
				if m := h.press(sid); hasButton(m, "Refill") {
					t.Errorf("a panel found without refill still gets a Refill button:\n%s", h.transcript())
				}
			default:
				h.press("Refill")
				m = h.press("Yes")
				refills := h.panel.Refills(panelKey)
				if len(refills) != 1 {
					t.Fatalf("%d refills on the panel, want 1:\n%s", len(refills), h.transcript())
				}
				rid := strconv.FormatInt(refills[0].ID, 10)
				expect(t, m, rid)
				h.panel.SetRefillStatus(refills[0].ID, "Completed")
				h.poll()
				h.wait("the refill's notification", func() bool { return len(h.notifications(h.user.ID)) > 1 })
				expect(t, h.notifications(h.user.ID)[1], rid, "Completed")
				h.wait("the card on screen redrawn with the refill", func() bool {
					c, ok := h.botMessage(m.ID)
					return ok && strings.Contains(c.Text, "Refill "+rid+": Completed")
				})
			}

			id2 := h.dialectOrder(t)
			h.say("/orders")
			h.press(strconv.FormatInt(id2, 10))
			h.press("Cancel order")
			m = h.press("Yes")
			o, _ := h.panel.Order(panelKey, id2)
			if d.NoCancel {
				notUnknownOutcome(t, h, m)
				t.Logf("a panel without cancel: the bot says %q", m.Text)
				if strings.Contains(m.Text, "Cancel requested") {
					t.Errorf("a panel without cancel: the bot says %q", m.Text)
				}
				id3 := h.dialectOrder(t)
				h.say("/orders")
				if m := h.press(strconv.FormatInt(id3, 10)); hasButton(m, "Cancel order") {
					t.Errorf("a panel found without cancel still gets a Cancel button:\n%s", h.transcript())
				}
			} else if !strings.EqualFold(o.Status, "Canceled") || !strings.Contains(m.Text, "Cancel requested") {
				t.Errorf("cancel: panel status %q, bot says %q", o.Status, m.Text)
			}
			h.noRejections()
		})
	}
}

// dialectOrder places an order of service 5 (refill and cancel allowed)
// through the conversation and returns its id.
func (h *harness) dialectOrder(t *testing.T) int64 {
	t.Helper()
	before := len(h.panel.Orders(panelKey))
	h.say("/order")
	h.say("5")
	h.say("https://instagram.com/dana")
	h.say("100")
	m := h.press("Confirm")
	orders := h.panel.Orders(panelKey)
	if len(orders) != before+1 {
		t.Fatalf("no order placed:\n%s", h.transcript())
	}
	id := orders[len(orders)-1].ID
	expect(t, m, strconv.FormatInt(id, 10))
	return id
}

// notUnknownOutcome fails if the bot told the user the outcome is
// unknown: a panel without the action said so plainly.
func notUnknownOutcome(tb testing.TB, h *harness, m telegramtest.Message) {
	tb.Helper()
	if strings.Contains(m.Text, "No clear answer") || strings.Contains(m.Text, "could not tell") {
		tb.Errorf("the bot says the outcome is unknown: %q\n%s", m.Text, h.transcript())
	}
}
