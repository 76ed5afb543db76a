package bot_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/store"
)

// BenchmarkOrderConversation runs whole order conversations through the
// real bot (fake Bot API, panel emulator, store on disk): six updates each,
// from /order to the placed order. The sender's rate is lifted so that the
// bot's own cost is measured, not Telegram's 25 messages a second.
func BenchmarkOrderConversation(b *testing.B) {
	h := newHarness(b, func(h *harness) { _ = h })
	h.panel.SetBalance(panelKey, decimalOf(1_000_000_000))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		h.say("/order")
		h.press("First Category")
		h.press("Followers")
		h.say("https://instagram.com/bench")
		h.say("100")
		h.press("Confirm")
	}
	b.ReportMetric(float64(6*b.N)/time.Since(start).Seconds(), "updates/s")
}

// BenchmarkPollCycle10k is one status poll cycle over 10,000 tracked
// orders of one key against the panel emulator.
func BenchmarkPollCycle10k(b *testing.B) {
	h := newHarness(b)
	h.panel.SetBalance(panelKey, decimalOf(1_000_000_000))
	seedMany(b, h, 10_000)
	h.poll() // the first cycle records start counts and remains
	h.panel.ResetCounters()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.poll()
	}
	b.ReportMetric(float64(h.panel.Count("status"))/float64(b.N), "requests/op")
}

// seedMany places n orders on the panel and records them in one store
// transaction per thousand, so that setup does not dominate.
func seedMany(b *testing.B, h *harness, n int) {
	b.Helper()
	ctx := context.Background()
	ref, err := h.db.PutKey(ctx, panelKey)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		id, err := h.client.Add(ctx, panelKey, addReq(i))
		if err != nil {
			b.Fatal(err)
		}
		o := store.Order{ChatID: h.user.ID, KeyRef: ref, PanelID: id, Link: "https://t.me/b", Quantity: 100, Status: "Pending",
			Service: store.ServiceSnapshot{ID: 1, Name: "Followers"}, Created: h.clock.Now()}
		if err := h.db.PutOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSenderThroughput sends notifications to many chats through the
// sender against the fake Bot API with Telegram's flood limits switched
// on: the rate reached, its ratio to the 30/s limit, and the 429s (want 0).
func BenchmarkSenderThroughput(b *testing.B) {
	tg := telegramtest.New(telegramtest.Options{Limits: true})
	srv := httptest.NewServer(tg)
	defer srv.Close()
	defer tg.Close()
	api := newRawAPI(b, srv.URL)
	const chats = 200
	for i := range chats {
		tg.SendText(telegramtest.User{ID: int64(1 + i), FirstName: "u"}, "hi")
	}
	s := bot.NewSender(nil)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	sent := 0
	for i := 0; b.Loop(); i++ {
		chat := int64(1 + i%chats)
		err := s.Do(ctx, chat, bot.Notification, func(ctx context.Context) error {
			return api.send(ctx, chat, "🔔 Order "+strconv.Itoa(i))
		})
		if err != nil {
			b.Fatal(err)
		}
		sent++
	}
	rate := float64(sent) / time.Since(start).Seconds()
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(rate/30, "of-limit")
	b.ReportMetric(float64(s.Throttled()), "429s")
}
