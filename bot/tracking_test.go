package bot_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
	"github.com/smmbot/smmbot/store"
)

// seedOrders places n orders of service svc on the panel with key and
// records them in the store for chatID, as the conversation would.
func (h *harness) seedOrders(chatID int64, key string, svc int64, n int) []int64 {
	h.t.Helper()
	ctx := context.Background()
	ref, err := h.db.PutKey(ctx, key)
	if err != nil {
		h.t.Fatalf("put key: %v", err)
	}
	ids := make([]int64, 0, n)
	for i := range n {
		id, err := h.client.Add(ctx, key, smm.AddRequest{Service: svc, Link: "https://t.me/c" + strconv.Itoa(i), Quantity: 100})
		if err != nil {
			h.t.Fatalf("add: %v", err)
		}
		o := store.Order{ChatID: chatID, KeyRef: ref, PanelID: id, Link: "https://t.me/c" + strconv.Itoa(i), Quantity: 100,
			Service: store.ServiceSnapshot{ID: svc, Name: "Service " + strconv.FormatInt(svc, 10), Refill: true, Cancel: true},
			Status:  "Pending", Created: h.clock.Now().Add(time.Duration(i) * time.Second)}
		if err := h.db.PutOrder(ctx, o); err != nil {
			h.t.Fatalf("put order: %v", err)
		}
		ids = append(ids, id)
	}
	return ids
}

func (h *harness) poll() bot.PollStats {
	h.t.Helper()
	st, err := h.bot.PollOnce(context.Background())
	if err != nil {
		h.t.Fatalf("poll: %v", err)
	}
	return st
}

// notifications are the bot's messages in chatID that are notifications.
func (h *harness) notifications(chatID int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range h.tg.BotMessages(chatID) {
		if strings.HasPrefix(m.Text, "🔔") {
			out = append(out, m)
		}
	}
	return out
}

func TestPollBatchesAndNotifiesOnce(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 1, 250)
	h.panel.ResetCounters()

	st := h.poll()
	if got := h.panel.Count("status"); got != 3 {
		t.Errorf("status requests for 250 orders = %d, want 3", got)
	}
	for i, call := range h.panel.StatusCalls() {
		if len(call) > 100 {
			t.Errorf("status call %d carries %d ids", i, len(call))
		}
	}
	if st.Orders != 250 || st.Errors != 0 {
		t.Errorf("first cycle = %+v, want 250 orders and no error", st)
	}
	if l, _ := h.db.OutboxLen(context.Background()); l != 0 {
		t.Errorf("outbox after a cycle without status changes = %d entries, want 0", l)
	}

	// One order moves on: exactly one notification, once.
	h.panel.SetStatus(ids[7], "In progress", 60)
	h.poll()
	h.wait("one notification", func() bool { return len(h.notifications(h.user.ID)) == 1 })
	n := h.notifications(h.user.ID)[0]
	expect(t, n, strconv.FormatInt(ids[7], 10), "In progress", "Pending")
	if n.Edits != 0 {
		t.Errorf("notification was edited %d times, want a new message", n.Edits)
	}
	h.poll()
	h.poll()
	h.eventually("outbox drained", func() bool { l, _ := h.db.OutboxLen(context.Background()); return l == 0 })
	if got := len(h.notifications(h.user.ID)); got != 1 {
		t.Errorf("notifications after unchanged polls = %d, want 1", got)
	}

	// Finished orders leave the tracking set.
	h.panel.SetStatus(ids[7], "Completed", 0)
	h.poll()
	tr, err := h.db.Tracking(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, group := range tr {
		if slices.Contains(group.Orders, ids[7]) || len(group.Orders) != 249 {
			t.Errorf("tracked after completion: %d orders, want 249 without %d", len(group.Orders), ids[7])
		}
	}
	h.wait("the completion notified", func() bool { return len(h.notifications(h.user.ID)) == 2 })
	h.noRejections()
}

func TestPollMarksOrdersThePanelForgot(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 1, 2)
	h.panel.Forget(ids[0])
	h.poll()
	h.wait("gone notification", func() bool { return len(h.notifications(h.user.ID)) == 1 })
	expect(t, h.notifications(h.user.ID)[0], strconv.FormatInt(ids[0], 10), "no longer knows")
	h.panel.ResetCounters()
	h.poll()
	for _, call := range h.panel.StatusCalls() {
		for _, id := range call {
			if id == ids[0] {
				t.Errorf("forgotten order %d polled again", id)
			}
		}
	}
}

func TestPollPanelFaultsBackOffPerKey(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	other := "SECONDKEY0123456789abcdef"
	h.panel.AddKey(other, decimalOf(50))
	a := h.seedOrders(h.user.ID, panelKey, 1, 3)
	b := h.seedOrders(h.user.ID, other, 1, 3)
	h.panel.SetStatus(a[0], "In progress", 10)
	h.panel.SetStatus(b[0], "In progress", 10)
	// Both keys' first tries fail; of the two retries one fails again.
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultHTML503, Action: "status", Count: 3})
	st := h.poll()
	if st.Keys != 2 || st.Errors != 1 || st.Changes != 3 {
		t.Fatalf("cycle with one failing key = %+v, want 2 keys, 1 error, the other key's 3 orders changed", st)
	}
	// The failing key waits out its backoff; the next cycle skips it.
	st = h.poll()
	if st.Keys != 1 {
		t.Errorf("keys polled while one backs off = %d, want 1", st.Keys)
	}
	h.wait("the healthy key's notification", func() bool { return len(h.notifications(h.user.ID)) == 1 })
}

func TestBlockedChatDoesNotStopOthers(t *testing.T) {
	h := newHarness(t, func(h *harness) { h.cfg.Allowed = append(h.cfg.Allowed, 5151) })
	other := telegramtest.User{ID: 5151, FirstName: "Omar", LanguageCode: "ar"}
	h.say("/start")
	mk := h.mark()
	h.tg.SendText(other, "/start")
	h.wait("other's welcome", func() bool { return len(h.tg.BotMessages(other.ID)) > 0 })
	_ = mk
	mine := h.seedOrders(h.user.ID, panelKey, 1, 2)
	theirs := h.seedOrders(other.ID, panelKey, 1, 2)
	h.tg.Block(other.ID)
	for _, id := range append(mine, theirs...) {
		h.panel.SetStatus(id, "In progress", 5)
	}
	h.poll()
	h.wait("my two notifications", func() bool { return len(h.notifications(h.user.ID)) == 2 })
	h.eventually("the blocked chat marked", func() bool {
		c, err := h.db.Chat(context.Background(), other.ID)
		return err == nil && c.Blocked
	})
	h.eventually("outbox drained", func() bool { l, _ := h.db.OutboxLen(context.Background()); return l == 0 })
	if got := len(h.notifications(other.ID)); got != 0 {
		t.Errorf("blocked chat got %d notifications", got)
	}
}

func TestNotificationsSurvive429Storm(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	ids := h.seedOrders(h.user.ID, panelKey, 1, 3)
	h.tg.Fail429(3, 1)
	for _, id := range ids {
		h.panel.SetStatus(id, "Processing", 1)
	}
	h.poll()
	h.wait("every notification despite 429s", func() bool { return len(h.notifications(h.user.ID)) == 3 })
	if got := h.bot.Sender().Throttled(); got == 0 {
		t.Errorf("no 429 seen: the storm did not happen")
	}
}

func TestFinishedOnlySetting(t *testing.T) {
	h := newHarness(t)
	h.say("/notify")
	h.press("Only when finished")
	ids := h.seedOrders(h.user.ID, panelKey, 1, 2)
	h.panel.SetStatus(ids[0], "In progress", 5)
	h.panel.SetStatus(ids[1], "Completed", 0)
	h.poll()
	h.eventually("outbox drained", func() bool { l, _ := h.db.OutboxLen(context.Background()); return l == 0 })
	got := h.notifications(h.user.ID)
	if len(got) != 1 || !strings.Contains(got[0].Text, "Completed") {
		t.Fatalf("finished-only notifications = %d, want just the completion:\n%s", len(got), h.transcript())
	}
}
