package bot_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// setStatuses makes orders ids have status both on the panel and in the
// store (as a poll would have, without its notifications).
func (h *harness) setStatuses(status string, ids ...int64) {
	h.t.Helper()
	ctx := context.Background()
	ref, err := h.db.PutKey(ctx, panelKey)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, id := range ids {
		h.panel.SetStatus(id, status, 0)
		err := h.db.UpdateOrder(ctx, ref, id, func(o *store.Order) ([]byte, error) {
			o.Status, o.Remains, o.StartCount, o.Final = status, 0, 10, smm.IsFinished(status)
			return nil, nil
		})
		if err != nil {
			h.t.Fatalf("set status of %d: %v", id, err)
		}
	}
}

// batchRecorder is the panel client with every bulk request's ids
// recorded.
type batchRecorder struct {
	bot.Panel
	mu    sync.Mutex
	sizes map[string][]int
}

func (r *batchRecorder) note(action string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sizes == nil {
		r.sizes = map[string][]int{}
	}
	r.sizes[action] = append(r.sizes[action], n)
}

func (r *batchRecorder) Refills(ctx context.Context, key string, ids []int64) (map[int64]smm.RefillResult, error) {
	r.note("refill", len(ids))
	return r.Panel.(*smm.Client).Refills(ctx, key, ids)
}

func (r *batchRecorder) Cancel(ctx context.Context, key string, ids []int64) (map[int64]error, error) {
	r.note("cancel", len(ids))
	return r.Panel.Cancel(ctx, key, ids)
}

func (r *batchRecorder) calls(action string) []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.sizes[action])
}

func recording(rec *batchRecorder) option {
	return func(h *harness) {
		h.wrap = func(p bot.Panel) bot.Panel { rec.Panel = p; return rec }
	}
}

func TestHistoryFiltersWithCounts(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 5, 12)
	h.setStatuses("Completed", ids[:4]...)
	h.setStatuses("Partial", ids[4:6]...)
	h.setStatuses("Canceled", ids[6])
	m := h.say("/orders")
	for _, want := range []string{"Active (5)", "Completed (4)", "Partial (2)", "Canceled (1)", "All (12)"} {
		if !hasButton(m, want) {
			t.Errorf("/orders lacks the filter %q:\n%s", want, h.transcript())
		}
	}
	checkKeyboard(t, m)
	m = h.press("Completed (4)")
	expect(t, m, "completed", "page 1 of 1")
	for i, id := range ids {
		if got, want := hasButton(m, strconv.FormatInt(id, 10)), i < 4; got != want {
			t.Errorf("order %d (#%d) listed under Completed: %v, want %v", id, i, got, want)
		}
	}
	if !hasButton(m, "Refill all") || hasButton(m, "Cancel all") {
		t.Errorf("Completed: want Refill all only:\n%s", h.transcript())
	}
	m = h.press("Active (5)")
	if !hasButton(m, "Cancel all") || hasButton(m, "Refill all") {
		t.Errorf("Active: want Cancel all only:\n%s", h.transcript())
	}
	m = h.press("Canceled (1)")
	expect(t, m, strconv.FormatInt(ids[6], 10))
	h.noRejections()
}

func TestHistorySearchE2E(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 5, 12) // links https://t.me/c0 ... c11
	m := h.say("/orders t.me/C1")
	for i, id := range ids {
		want := i == 1 || i == 10 || i == 11
		if got := hasButton(m, strconv.FormatInt(id, 10)); got != want {
			t.Errorf("/orders t.me/C1 lists %d (c%d): %v, want %v", id, i, got, want)
		}
	}
	// Text typed while the list is open searches too: by id.
	m = h.say(strconv.FormatInt(ids[3], 10))
	if !hasButton(m, strconv.FormatInt(ids[3], 10)) || hasButton(m, strconv.FormatInt(ids[4], 10)) {
		t.Errorf("typed id did not find its order:\n%s", h.transcript())
	}
	m = h.say("nothing-like-this")
	expect(t, m, "No order")
	// An order under way takes typed text as its own.
	h.say("/order")
	h.say("5")
	m = h.say("https://instagram.com/dana")
	expect(t, m, "quantity")
	h.noRejections()
}

func TestHistoryPagingBackToPage(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 5, 20)
	m := h.say("/orders")
	expect(t, m, "page 1 of 3")
	m = h.press("Next")
	expect(t, m, "page 2 of 3")
	onPage := strconv.FormatInt(ids[len(ids)-1-8], 10) // newest first: the 9th newest
	if !hasButton(m, onPage) {
		t.Fatalf("page 2 lacks %s:\n%s", onPage, h.transcript())
	}
	m = h.press(onPage)
	expect(t, m, "Order "+onPage)
	m = h.press("Orders")
	expect(t, m, "page 2 of 3")
	if !hasButton(m, onPage) {
		t.Errorf("back from the card is not the page it came from:\n%s", h.transcript())
	}
	m = h.press("Next")
	expect(t, m, "page 3 of 3")
	m = h.press("Prev")
	expect(t, m, "page 2 of 3")
	checkKeyboard(t, m)
	h.noRejections()
}

func TestBulkRefillE2E(t *testing.T) {
	rec := &batchRecorder{}
	h := newHarness(t, recording(rec))
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 5, 150)
	h.setStatuses("Completed", ids...)
	h.panel.Forget(ids[42]) // the panel refuses this one: "Incorrect order ID"
	h.panel.ResetCounters()
	h.say("/orders")
	h.press("Completed (150)")
	m := h.press("Refill all")
	expect(t, m, "150")
	if !hasButton(m, "Confirm") || h.panel.Count("refill") != 0 {
		t.Fatalf("Refill all asks no confirmation:\n%s", h.transcript())
	}
	m = h.press("Confirm")
	expect(t, m, "accepted 149 of 150", strconv.FormatInt(ids[42], 10), "does not know this order")
	if n := h.panel.Count("refill"); n != 2 {
		t.Errorf("%d refill requests, want 2", n)
	}
	for _, n := range rec.calls("refill") {
		if n > 100 {
			t.Errorf("a refill request carries %d ids", n)
		}
	}
	refills := h.panel.Refills(panelKey)
	if len(refills) != 149 {
		t.Fatalf("panel has %d refills, want 149", len(refills))
	}
	// Every refill is followed: one completing is notified.
	h.panel.SetRefillStatus(refills[7].ID, "Completed")
	h.poll()
	h.wait("refill notification", func() bool { return len(h.notifications(h.user.ID)) == 1 })
	expect(t, h.notifications(h.user.ID)[0], strconv.FormatInt(refills[7].ID, 10), "Completed")
}

func TestBulkCancelE2E(t *testing.T) {
	rec := &batchRecorder{}
	h := newHarness(t, recording(rec))
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 5, 120)
	h.panel.SetStatus(ids[3], "Completed", 0) // finished on the panel: it refuses the cancel
	h.panel.ResetCounters()
	h.say("/orders")
	m := h.press("Active (120)")
	m = h.press("Cancel all")
	expect(t, m, "120")
	confirm := buttonData(m, "Confirm")
	m = h.press("Confirm")
	expect(t, m, "accepted 119 of 120", strconv.FormatInt(ids[3], 10))
	if n := h.panel.Count("cancel"); n != 2 {
		t.Errorf("%d cancel requests, want 2", n)
	}
	// A second tap on Confirm (a double tap) does not act again.
	if a := h.pressData(m.ID, confirm); !strings.Contains(a.Text, "expired") {
		t.Errorf("a second Confirm answered %q", a.Text)
	}
	if n := h.panel.Count("cancel"); n != 2 {
		t.Errorf("a second Confirm made %d cancel requests in all, want 2", n)
	}
	for _, n := range rec.calls("cancel") {
		if n > 100 {
			t.Errorf("a cancel request carries %d ids", n)
		}
	}
	if o, _ := h.panel.Order(panelKey, ids[0]); !strings.EqualFold(o.Status, "Canceled") {
		t.Errorf("order %d is %q on the panel, want Canceled", ids[0], o.Status)
	}
	h.noRejections()
}

func TestShareAndDeepLinks(t *testing.T) {
	h := newHarness(t, func(h *harness) { h.cfg.Allowed = append(h.cfg.Allowed, 5151) })
	id := h.placeVia(t)
	sid := strconv.FormatInt(id, 10)
	h.say("/orders")
	m := h.press(sid)
	share := ""
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, "Share") {
				share = b.URL
			}
		}
	}
	if want := "https://t.me/" + h.bot.Username() + "?start=o_" + sid; share != want {
		t.Errorf("Share button URL = %q, want %q", share, want)
	}
	m = h.say("/start o_" + sid)
	expect(t, m, "Order "+sid)
	foreign := h.seedOrders(5151, panelKey, 5, 1)[0]
	before := h.panelRequests()
	m = h.say("/start o_" + strconv.FormatInt(foreign, 10))
	expect(t, m, "not in your history")
	if h.panelRequests() != before {
		t.Errorf("someone else's order reached the panel")
	}
	h.noRejections()
}

func TestRepeatOpensSummary(t *testing.T) {
	h := newHarness(t)
	id := h.placeVia(t)
	h.say("/orders")
	h.press(strconv.FormatInt(id, 10))
	m := h.press("Repeat")
	expect(t, m, "https://instagram.com/dana", "Quantity: 100")
	if !hasButton(m, "Confirm") {
		t.Fatalf("Repeat does not open the summary:\n%s", h.transcript())
	}
	// Changing one field keeps the others.
	m = h.press("Back")
	m = h.say("200")
	expect(t, m, "https://instagram.com/dana", "Quantity: 200")
	m = h.press("Confirm")
	if orders := h.panel.Orders(panelKey); len(orders) != 2 || orders[1].Quantity != 200 || orders[1].Link != "https://instagram.com/dana" {
		t.Errorf("repeated order: %+v", orders)
	}
	h.noRejections()
}

func TestStatusesTranslated(t *testing.T) {
	for _, tt := range []struct{ lang, word string }{{"ru", "Выполнен"}, {"ar", "مكتمل"}} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t, speaking(tt.lang))
			h.say("/start")
			ids := h.seedOrders(h.user.ID, panelKey, 5, 1)
			h.panel.SetStatus(ids[0], "Completed", 0)
			h.poll()
			h.wait("status notification", func() bool { return len(h.notifications(h.user.ID)) == 1 })
			n := h.notifications(h.user.ID)[0]
			expect(t, n, strconv.FormatInt(ids[0], 10), tt.word)
			if strings.Contains(n.Text, "Completed") {
				t.Errorf("notification keeps the English word: %q", n.Text)
			}
			m := h.say("/orders")
			expect(t, m, tt.word)
			m = h.press(strconv.FormatInt(ids[0], 10))
			expect(t, m, tt.word)
		})
	}
}

func TestFavourites(t *testing.T) {
	h := newHarness(t)
	h.say("/order")
	m := h.say("5")
	expect(t, m, "Followers [Refill 30D]", "link")
	m = h.press("Add to favourites")
	if answers := h.tg.CallbackAnswers(); !strings.Contains(answers[len(answers)-1].Text, "Added to favourites") {
		t.Errorf("the star answered %q", answers[len(answers)-1].Text)
	}
	if !hasButton(m, "In favourites") {
		t.Errorf("the star does not show the service is a favourite:\n%s", h.transcript())
	}
	m = h.say("/order")
	if len(m.Buttons) == 0 || !strings.Contains(m.Buttons[0][0].Text, "⭐ Followers [Refill 30D]") {
		t.Fatalf("/order does not show the favourite first:\n%s", h.transcript())
	}
	checkKeyboard(t, m)
	m = h.press("⭐ Followers")
	expect(t, m, "Followers [Refill 30D]", "link")
	m = h.press("In favourites")
	if !hasButton(m, "Add to favourites") {
		t.Errorf("the star did not come off:\n%s", h.transcript())
	}
	m = h.say("/order")
	if hasButton(m, "⭐") {
		t.Errorf("a removed favourite is still in /order:\n%s", h.transcript())
	}
	h.noRejections()
}

// TestForgedHistoryButtons taps history, bulk and favourite buttons with
// data no menu of the bot carries: each is answered, none reaches the
// panel, and a bulk Confirm never asked about does nothing.
func TestForgedHistoryButtons(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	h.seedOrders(h.user.ID, panelKey, 5, 3)
	h.panel.ResetCounters()
	before := h.panelRequests()
	for _, data := range []string{"hf:z", "hf:", "hp:c:garbage", "hp:z:", "hp:q:1.2.3.4.5", "hb:z:a", "hb:r:z",
		"hB:c:a", "hB:r:c", "hB:", "fa:abc", "fa:-1", "fa:", "fs:0", "fs:x"} {
		mk := h.mark()
		a := h.pressData(0, data)
		if !strings.Contains(a.Text, "expired") {
			t.Errorf("%s answered %q", data, a.Text)
		}
		if now := h.mark(); now != mk {
			t.Errorf("%s changed the chat:\n%s", data, h.transcript())
		}
	}
	if after := h.panelRequests(); after != before {
		t.Errorf("forged buttons made %d panel calls", after-before)
	}
	if o := h.panel.Orders(panelKey); len(o) != 3 || strings.EqualFold(o[0].Status, "Canceled") {
		t.Errorf("panel orders changed: %+v", o)
	}
}
