package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// massOrder is 20 lines for the default catalogue, bad ones mixed in: the
// valid ones are service 1 (Followers, 0.90 per 1000, 50..10000), 1000
// each to a link of their own.
func massOrder() (text string, valid int, bad []int) {
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		switch i {
		case 3:
			fmt.Fprintf(&b, "1|https://instagram.com/m%d|10\n", i) // below min
		case 7:
			fmt.Fprintf(&b, "999 | https://instagram.com/m%d | 100\n", i) // no such service
		case 11:
			b.WriteString("this is not a line\n")
		case 15:
			fmt.Fprintf(&b, "2|https://instagram.com/m%d|20\n", i) // Custom Comments: not in mass order
		case 19:
			fmt.Fprintf(&b, "1|https://instagram.com/m%d\n", i) // no quantity
		default:
			fmt.Fprintf(&b, "1 | https://instagram.com/m%d | 1000\n", i)
			valid++
			continue
		}
		bad = append(bad, i)
	}
	return b.String(), valid, bad
}

// placedIDs are the ids of the panel's orders for the key.
func (h *harness) placedIDs() []int64 {
	var ids []int64
	for _, o := range h.panel.Orders(panelKey) {
		ids = append(ids, o.ID)
	}
	return ids
}

// confirmMass taps Confirm on the mass order's summary and waits for the
// result.
func (h *harness) confirmMass() telegramtest.Message {
	h.t.Helper()
	h.press("Confirm")
	return h.waitText("Mass order done")
}

func TestMassOrderWithBadLines(t *testing.T) {
	h := newHarness(t)
	m := h.say("/mass")
	expect(t, m, "service_id|link|quantity", "500")
	text, valid, bad := massOrder()
	m = h.say(text)
	expect(t, m, "Valid lines: 15 of 20", "13.50 USD", "100.00")
	for _, n := range bad {
		expect(t, m, "Line "+strconv.Itoa(n)+":")
	}
	if !hasButton(m, "Confirm") || !hasButton(m, "Cancel") {
		t.Fatalf("summary lacks Confirm/Cancel:\n%s", h.transcript())
	}
	checkKeyboard(t, m)
	if got := h.panel.Count("add"); got != 0 {
		t.Fatalf("add called %d times before Confirm", got)
	}
	m = h.confirmMass()
	if got := h.panel.Count("add"); got != valid {
		t.Errorf("add called %d times, want %d", got, valid)
	}
	ids := h.placedIDs()
	if len(ids) != valid {
		t.Fatalf("panel has %d orders, want %d", len(ids), valid)
	}
	for _, id := range ids {
		if h.botMessagesWith(strconv.FormatInt(id, 10)) == 0 {
			t.Errorf("the result does not list order %d:\n%s", id, h.transcript())
		}
	}
	expect(t, m, "placed 15", "refused 0")
	n, err := h.db.CountOrders(context.Background(), h.user.ID)
	if err != nil || n != valid {
		t.Errorf("history has %d orders (%v), want %d", n, err, valid)
	}
	tracked, err := h.db.Tracking(context.Background())
	orders := 0
	for _, tr := range tracked {
		orders += len(tr.Orders)
	}
	if err != nil || orders != valid {
		t.Errorf("%d orders tracked (%v), want %d", orders, err, valid)
	}
	h.noRejections()
}

func TestMassOrderFromSeveralMessages(t *testing.T) {
	h := newHarness(t)
	h.say("/mass")
	m := h.say("1|https://instagram.com/a|100\n1|https://instagram.com/b|200")
	expect(t, m, "2 of 2", "0.27")
	m = h.say("1 | https://instagram.com/c | 300\nnonsense")
	expect(t, m, "3 of 4", "0.54", "Line 4:")
	// Text that is not a mass line is no command: /cancel still works, and
	// the order conversation is untouched.
	h.confirmMass()
	if got := h.panel.Count("add"); got != 3 {
		t.Errorf("add called %d times, want 3", got)
	}
	m = h.say("1|https://instagram.com/d|100")
	expect(t, m, "/order") // the mass order is over: text is no longer taken
	if got := h.panel.Count("add"); got != 3 {
		t.Errorf("add called %d times after the mass order, want 3", got)
	}
}

func TestMassOrderFromADocument(t *testing.T) {
	h := newHarness(t)
	h.say("/mass")
	mk := h.mark()
	h.tg.SendDocument(h.user, telegramtest.Document{Name: "orders.txt", MIME: "text/plain",
		Data: []byte("1|https://instagram.com/a|100\r\n1|https://instagram.com/b|100\r\n7|https://t.me/poll|100\r\n")})
	m := h.settled(mk)
	expect(t, m, "2 of 3", "Line 3:")
	h.confirmMass()
	if got := h.panel.Count("add"); got != 2 {
		t.Errorf("add called %d times, want 2", got)
	}
	// A spreadsheet's CSV, with semicolons.
	h.say("/mass")
	mk = h.mark()
	h.tg.SendDocument(h.user, telegramtest.Document{Name: "orders.csv", MIME: "text/csv",
		Data: []byte("1;https://instagram.com/c;100\n1;https://instagram.com/d;100\n")})
	m = h.settled(mk)
	expect(t, m, "Valid lines: 2 of 2")
	h.confirmMass()
	if got := h.panel.Count("add"); got != 4 {
		t.Errorf("add called %d times, want 4", got)
	}
	// A file that is not text is refused and adds nothing.
	h.say("/mass")
	mk = h.mark()
	h.tg.SendDocument(h.user, telegramtest.Document{Name: "photo.jpg", MIME: "image/jpeg", Data: []byte{0xff, 0xd8, 0xff}})
	m = h.settled(mk)
	expect(t, m, ".txt")
}

func TestMassOrderDoubleTappedConfirm(t *testing.T) {
	h := newHarness(t)
	h.say("/mass")
	text, valid, _ := massOrder()
	m := h.say(text)
	data := buttonData(m, "Confirm")
	h.tg.PressData(h.user, m.ID, data)
	h.tg.PressData(h.user, m.ID, data)
	h.waitText("Mass order done")
	h.barrier()
	if got := h.panel.Count("add"); got != valid {
		t.Errorf("add called %d times after a double tap, want %d", got, valid)
	}
	if got := h.botMessagesWith("Mass order done"); got != 1 {
		t.Errorf("%d results, want 1:\n%s", got, h.transcript())
	}
	// A tap on the old summary after the end places nothing either.
	a := h.pressData(m.ID, data)
	if !strings.Contains(a.Text, "expired") || h.panel.Count("add") != valid {
		t.Errorf("late tap: answer %q, %d adds", a.Text, h.panel.Count("add"))
	}
}

func TestMassOrderPanelRefusesALine(t *testing.T) {
	h := newHarness(t)
	h.say("/mass")
	h.say("1|https://instagram.com/a|100\n1|https://instagram.com/b|100\n1|https://instagram.com/c|100")
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultError, Action: "add", Message: "Not enough funds on balance"})
	m := h.confirmMass()
	expect(t, m, "placed 2", "refused 1", "Line 1:", "refused", "funds")
	if got := h.panel.Count("add"); got != 3 {
		t.Errorf("add called %d times, want 3 (none retried)", got)
	}
	n, err := h.db.CountOrders(context.Background(), h.user.ID)
	if err != nil || n != 2 {
		t.Errorf("history has %d orders (%v), want 2", n, err)
	}
}

func TestMassOrderCancelAndLimits(t *testing.T) {
	h := newHarness(t)
	h.say("/mass")
	m := h.say("1|https://instagram.com/a|100")
	m = h.press("Cancel")
	expect(t, m, "cancelled")
	m = h.say("1|https://instagram.com/a|100")
	expect(t, m, "/order") // no longer taken as lines
	h.say("/mass")
	m = h.say("1|https://instagram.com/a|100")
	m = h.say("/cancel")
	expect(t, m, "cancelled")
	h.say("/mass")
	m = h.say(strings.Repeat("1|https://instagram.com/a|100\n", 300))
	expect(t, m, "300 of 300")
	m = h.say(strings.Repeat("1|https://instagram.com/a|100\n", 201))
	expect(t, m, "at most 500", "Nothing was added", "300 of 300")
	// /order starts a conversation of its own: the mass order lets go.
	h.say("/order")
	m = h.say("1|https://instagram.com/a|100")
	if strings.Contains(m.Text, "Valid lines") {
		t.Errorf("the order conversation's text went to the mass order:\n%s", h.transcript())
	}
	if got := h.panel.Count("add"); got != 0 {
		t.Errorf("add called %d times", got)
	}
	h.noRejections()
}

// slowAdds makes each add take a while, so that placing takes seconds.
func (h *harness) slowAdds(n int, each time.Duration) {
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "add", Count: n, Delay: each})
}

// twentyLines are 20 valid lines, each to a link of its own.
func twentyLines() string {
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "1|https://instagram.com/p%d|100\n", i)
	}
	return b.String()
}

func TestMassOrderProgressIsEditedInPlace(t *testing.T) {
	h := newHarness(t)
	rec := h.record()
	h.say("/mass")
	summary := h.say(twentyLines())
	h.slowAdds(20, 100*time.Millisecond)
	h.press("Confirm")
	result := h.waitText("Mass order done")
	rec.caughtUp(h)
	if result.ID != summary.ID {
		t.Errorf("the result is message %d, want the summary %d edited", result.ID, summary.ID)
	}
	progress := 0
	for _, m := range rec.messages() {
		if m.ID == summary.ID && strings.Contains(m.Text, "Placing the mass order") {
			progress++
			if len(m.Buttons) != 0 {
				t.Errorf("the progress message still has buttons: %+v", m.Buttons)
			}
		}
	}
	if progress == 0 || progress > 20 {
		t.Errorf("the summary showed progress %d times, want 1..20:\n%s", progress, h.transcript())
	}
	if got := h.panel.Count("add"); got != 20 {
		t.Errorf("add called %d times, want 20", got)
	}
	h.noRejections()
}

func TestMassOrderStopInTheMiddle(t *testing.T) {
	h := newHarness(t, func(h *harness) { h.cfg.DrainGrace = 50 * time.Millisecond })
	h.say("/mass")
	h.say(twentyLines())
	h.slowAdds(20, 100*time.Millisecond)
	h.press("Confirm")
	h.eventually("a few adds", func() bool { return h.panel.Count("add") >= 3 })
	h.restart() // a stop as SIGTERM makes it, while placing
	m := h.waitText("Mass order done", "not sent")
	sent := h.panel.Count("add")
	h.barrier() // the Confirm handled again after the restart finds the order done
	if got := h.panel.Count("add"); got != sent || sent >= 20 {
		t.Errorf("add called %d times, then %d after the restart", sent, got)
	}
	var placed, unknown int
	if _, err := fmt.Sscanf(m.Text[strings.Index(m.Text, "placed "):], "placed %d, refused 0, unknown %d", &placed, &unknown); err != nil {
		t.Fatalf("result %q: %v", m.Text, err)
	}
	if onPanel := len(h.panel.Orders(panelKey)); onPanel < placed || onPanel > placed+unknown || unknown > 1 {
		t.Errorf("the result says %d placed and %d unknown; the panel has %d orders", placed, unknown, onPanel)
	}
	n, err := h.db.CountOrders(context.Background(), h.user.ID)
	if err != nil || n != placed {
		t.Errorf("history has %d orders (%v), want %d", n, err, placed)
	}
}

func TestMassLinesInTheCommand(t *testing.T) {
	h := newHarness(t)
	m := h.say("/mass\n1|https://instagram.com/a|100\n1 | https://instagram.com/b | 200")
	expect(t, m, "Valid lines: 2 of 2", "0.27")
	m = h.say("/mass 1|https://instagram.com/c|100")
	expect(t, m, "Valid lines: 1 of 1")
}
