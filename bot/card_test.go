package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// placeVia places an order of service 5 (refill and cancel allowed)
// through the conversation and returns its id.
func (h *harness) placeVia(t *testing.T) int64 {
	t.Helper()
	h.say("/order")
	h.say("5")
	h.say("https://instagram.com/dana")
	h.say("100")
	m := h.press("Confirm")
	id := h.panel.Orders(panelKey)
	if len(id) == 0 {
		t.Fatalf("no order placed:\n%s", h.transcript())
	}
	expect(t, m, strconv.FormatInt(id[len(id)-1].ID, 10))
	return id[len(id)-1].ID
}

func TestOrdersListAndCard(t *testing.T) {
	h := newHarness(t)
	id := h.placeVia(t)
	sid := strconv.FormatInt(id, 10)
	m := h.say("/orders")
	expect(t, m, sid, "Followers [Refill 30D] &amp; Cancel"[:10])
	if !hasButton(m, sid) {
		t.Fatalf("/orders has no button with %s:\n%s", sid, h.transcript())
	}
	m = h.press(sid)
	expect(t, m, "Order "+sid, "https://instagram.com/dana", "Quantity: 100")
	if !hasButton(m, "Cancel") || hasButton(m, "Refill") {
		t.Fatalf("card of an unfinished cancellable order: want Cancel and no Refill:\n%s", h.transcript())
	}
	// Refresh reads the panel and says so in a toast; once completed,
	// Refill appears and Cancel goes.
	h.press("Refresh") // the first answer of the panel: start count and remains
	answers := len(h.tg.CallbackAnswers())
	h.press("Refresh")
	if a := h.tg.CallbackAnswers()[answers]; !strings.Contains(a.Text, "No change") {
		t.Errorf("Refresh with nothing new answered %q, want a toast saying no change", a.Text)
	}
	h.panel.SetStatus(id, "Completed", 0)
	answers = len(h.tg.CallbackAnswers())
	m = h.press("Refresh")
	if a := h.tg.CallbackAnswers()[answers]; !strings.Contains(a.Text, "Updated") {
		t.Errorf("Refresh after a change answered %q, want a toast saying updated", a.Text)
	}
	expect(t, m, "Completed")
	if !hasButton(m, "Refill") || hasButton(m, "Cancel order") {
		t.Fatalf("card of a completed refillable order: want Refill and no Cancel:\n%s", h.transcript())
	}
	h.noRejections()
}

func TestRefillFlow(t *testing.T) {
	h := newHarness(t)
	id := h.placeVia(t)
	h.panel.SetStatus(id, "Completed", 0)
	h.say("/orders")
	h.press(strconv.FormatInt(id, 10))
	h.press("Refresh")
	m := h.press("Refill")
	if !hasButton(m, "Yes") {
		t.Fatalf("refill asks no confirmation:\n%s", h.transcript())
	}
	if h.panel.Count("refill") != 0 {
		t.Fatalf("refill requested before confirmation")
	}
	m = h.press("Yes")
	refills := h.panel.Refills(panelKey)
	if len(refills) != 1 || h.panel.Count("refill") != 1 {
		t.Fatalf("panel refills = %d, requests %d, want 1", len(refills), h.panel.Count("refill"))
	}
	rid := strconv.FormatInt(refills[0].ID, 10)
	expect(t, m, rid)
	// The refill is tracked: its completion is notified.
	h.panel.SetRefillStatus(refills[0].ID, "Completed")
	h.poll()
	h.wait("refill notification", func() bool { return len(h.notifications(h.user.ID)) == 1 })
	expect(t, h.notifications(h.user.ID)[0], rid, strconv.FormatInt(id, 10), "Completed")
}

func TestRefillRefusedByPanel(t *testing.T) {
	h := newHarness(t)
	id := h.placeVia(t)
	h.panel.SetStatus(id, "Completed", 0)
	h.say("/orders")
	h.press(strconv.FormatInt(id, 10))
	h.press("Refresh")
	h.press("Refill")
	h.panel.Forget(id) // the panel no longer knows it: a per-item error
	m := h.press("Yes")
	expect(t, m, "does not know this order")
	if len(h.panel.Refills(panelKey)) != 0 {
		t.Fatalf("a refill was created")
	}
}

func TestCancelFlow(t *testing.T) {
	h := newHarness(t)
	id := h.placeVia(t)
	h.say("/orders")
	h.press(strconv.FormatInt(id, 10))
	m := h.press("Cancel order")
	if !hasButton(m, "Yes") {
		t.Fatalf("cancel asks no confirmation:\n%s", h.transcript())
	}
	m = h.press("Yes")
	expect(t, m, "Cancel requested")
	if o, _ := h.panel.Order(panelKey, id); !strings.EqualFold(o.Status, "Canceled") {
		t.Fatalf("panel order status = %q, want Canceled", o.Status)
	}
	// The poller sees it cancelled: notified, and no longer tracked.
	h.poll()
	h.wait("cancel notification", func() bool { return len(h.notifications(h.user.ID)) == 1 })
	expect(t, h.notifications(h.user.ID)[0], "Canceled")
}

func TestCancelRefusedPerItem(t *testing.T) {
	h := newHarness(t)
	id := h.placeVia(t)
	h.say("/orders")
	h.press(strconv.FormatInt(id, 10))
	h.press("Cancel order")
	h.panel.SetStatus(id, "Completed", 0) // finished meanwhile: the panel refuses
	m := h.press("Yes")
	if !strings.Contains(m.Text, "not allow") && !strings.Contains(m.Text, "panel said") {
		t.Fatalf("refused cancel shows %q", m.Text)
	}
}

// TestForgedOrderButtons presses every order button with ids that are not
// the chat's: none reaches the panel.
func TestForgedOrderButtons(t *testing.T) {
	h := newHarness(t, func(h *harness) { h.cfg.Allowed = append(h.cfg.Allowed, 5151) })
	h.say("/start")
	foreign := h.seedOrders(5151, panelKey, 5, 1)[0]
	ref, _ := h.db.PutKey(context.Background(), panelKey)
	h.panel.ResetCounters()
	before := h.panelRequests()
	msgs := h.tg.BotMessages(h.user.ID)
	msgID := msgs[len(msgs)-1].ID
	for _, verb := range []string{"v", "vo", "r", "rf", "ry", "cx", "cy", "rp"} {
		for _, arg := range []string{
			strconv.FormatInt(foreign, 10) + ":" + ref,
			strconv.FormatInt(foreign, 10),
			"99999999:" + ref,
			"-1",
			"abc",
			"1:zzzz",
		} {
			mk := h.mark()
			answers := len(h.tg.CallbackAnswers())
			h.tg.PressData(h.user, msgID, verb+":"+arg)
			h.wait("answer to "+verb+":"+arg, func() bool { return len(h.tg.CallbackAnswers()) > answers })
			got := h.tg.CallbackAnswers()[answers]
			if !strings.Contains(got.Text, "not in your history") {
				t.Errorf("%s:%s answered %q", verb, arg, got.Text)
			}
			if now := h.mark(); now != mk {
				t.Errorf("%s:%s changed the chat", verb, arg)
			}
		}
	}
	if after := h.panelRequests(); after != before {
		t.Errorf("forged buttons made %d panel calls", after-before)
	}
	if o, err := h.db.Order(context.Background(), ref, foreign); err != nil || o.ChatID != 5151 {
		t.Errorf("foreign order changed: %+v, %v", o, err)
	}
}
