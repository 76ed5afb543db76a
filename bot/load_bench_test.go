package bot_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm/smmtest"
	"github.com/smmbot/smmbot/store"
)

// The load benchmarks run the real bot with its real defaults (no send
// rate lifted, the store on disk, go-telegram/bot, the panel emulator and
// the fake Bot API over loopback) against users played by a driver, and
// compare with a bare go-telegram/bot echo bot driven the same way on the
// same fake in the same run.

const loadChats = 200

// driver plays users: it sends a step and waits for the bot's reaction in
// that chat (a new message or an edit).
type driver struct {
	tg   *telegramtest.Server
	mu   sync.Mutex
	wait map[int64]chan struct{}
	stop func()
}

func newDriver(tg *telegramtest.Server) *driver {
	events, stop := tg.Subscribe()
	d := &driver{tg: tg, wait: map[int64]chan struct{}{}, stop: stop}
	go func() {
		for ev := range events {
			if !ev.Message.FromBot {
				continue
			}
			d.mu.Lock()
			if ch, ok := d.wait[ev.Message.ChatID]; ok {
				close(ch)
				delete(d.wait, ev.Message.ChatID)
			}
			d.mu.Unlock()
		}
	}()
	return d
}

// step runs act (a message or a tap of user) and returns how long the
// bot took to react, or an error after a timeout.
func (d *driver) step(chat int64, act func() error) (time.Duration, error) {
	ch := make(chan struct{})
	d.mu.Lock()
	d.wait[chat] = ch
	d.mu.Unlock()
	start := time.Now()
	if err := act(); err != nil {
		return 0, err
	}
	select {
	case <-ch:
		return time.Since(start), nil
	case <-time.After(30 * time.Second):
		return 0, fmt.Errorf("chat %d: no reaction within 30s", chat)
	}
}

// conversation is one whole order, as a user does it: six updates.
func conversation(d *driver, u telegramtest.User) ([]time.Duration, error) {
	steps := []func() error{
		func() error { d.tg.SendText(u, "/order"); return nil },
		func() error { return d.tg.Press(u, "First Category") },
		func() error { return d.tg.Press(u, "Followers") },
		func() error { d.tg.SendText(u, "https://instagram.com/bench"); return nil },
		func() error { d.tg.SendText(u, "100"); return nil },
		func() error { return d.tg.Press(u, "Confirm") },
	}
	lat := make([]time.Duration, 0, len(steps))
	for _, s := range steps {
		l, err := d.step(u.ID, s)
		if err != nil {
			return lat, err
		}
		lat = append(lat, l)
	}
	return lat, nil
}

// closedLoop runs each of users in a loop of rounds until the deadline;
// it returns the updates handled a second.
func closedLoop(b *testing.B, users []telegramtest.User, dur time.Duration, round func(u telegramtest.User) (int, error)) float64 {
	b.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	start := time.Now()
	deadline := start.Add(dur)
	for _, u := range users {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				n, err := round(u)
				mu.Lock()
				total += n
				mu.Unlock()
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return float64(total) / time.Since(start).Seconds()
}

// echoRate is the bare echo bot's updates a second, measured in this run.
var echoRate float64

// BenchmarkThroughput compares whole order conversations of 200 chats in
// parallel through the real bot with a bare go-telegram/bot echo bot.
// Run both in one run: go test -run '^$' -bench Throughput -benchtime 1x ./bot/
func BenchmarkThroughput(b *testing.B) {
	b.Run("echo", func(b *testing.B) {
		for b.Loop() {
			echoRate = echoThroughput(b)
		}
		b.ReportMetric(echoRate, "updates/s")
	})
	b.Run("bot", func(b *testing.B) {
		var rate float64
		for b.Loop() {
			rate = botThroughput(b)
		}
		b.ReportMetric(rate, "updates/s")
		if echoRate > 0 {
			b.ReportMetric(rate/echoRate, "x-echo")
		}
	})
}

func echoThroughput(b *testing.B) float64 {
	fake := telegramtest.New(telegramtest.Options{})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	defer fake.Close()
	ctx, cancel := context.WithCancel(context.Background())
	echo, err := tg.New(fake.Token(), tg.WithServerURL(srv.URL), tg.WithDefaultHandler(func(ctx context.Context, api *tg.Bot, u *models.Update) {
		if u.Message != nil {
			_, _ = api.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text})
		}
	}))
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); echo.Start(ctx) }()
	defer func() { cancel(); <-done }()
	d := newDriver(fake)
	defer d.stop()
	return closedLoop(b, crowd(loadChats), 5*time.Second, func(u telegramtest.User) (int, error) {
		_, err := d.step(u.ID, func() error { fake.SendText(u, "hello"); return nil })
		return 1, err
	})
}

func botThroughput(b *testing.B) float64 {
	users := crowd(loadChats)
	h := newHarness(b, withUsers(users), realDefaults)
	h.panel.SetBalance(panelKey, decimalOf(1_000_000_000))
	d := newDriver(h.tg)
	defer d.stop()
	return closedLoop(b, users, 10*time.Second, func(u telegramtest.User) (int, error) {
		lat, err := conversation(d, u)
		return len(lat), err
	})
}

// realDefaults runs the bot as main does: the status poller on, at its
// default interval.
func realDefaults(h *harness) { h.cfg.PollEvery = 0 }

// BenchmarkOpenLoad sends 100 updates a second spread over 200 chats, each
// chat walking through order conversations, and reports the reply
// latency: go test -run '^$' -bench OpenLoad -benchtime 1x ./bot/
func BenchmarkOpenLoad(b *testing.B) {
	for b.Loop() {
		users := crowd(loadChats)
		h := newHarness(b, withUsers(users), realDefaults)
		h.panel.SetBalance(panelKey, decimalOf(1_000_000_000))
		d := newDriver(h.tg)
		lat := openLoad(b, d, users, conversationSteps(d), 100, 10*time.Second)
		d.stop()
		reportLatency(b, lat)
	}
}

// openLoad sends rate updates a second, round robin over users, each user
// taking the next of steps, for dur.
func openLoad(b *testing.B, d *driver, users []telegramtest.User, steps []func(telegramtest.User) error, rate int, dur time.Duration) []time.Duration {
	b.Helper()
	var (
		mu  sync.Mutex
		lat []time.Duration
		wg  sync.WaitGroup
	)
	next := make([]int, len(users))
	busy := make([]bool, len(users))
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	end := time.Now().Add(dur)
	for i := 0; time.Now().Before(end); i++ {
		<-tick.C
		k := i % len(users)
		mu.Lock()
		if busy[k] {
			mu.Unlock()
			continue // the user still waits for the last step: a user would too
		}
		busy[k] = true
		act := steps[next[k]]
		next[k] = (next[k] + 1) % len(steps)
		mu.Unlock()
		wg.Go(func() {
			l, err := d.step(users[k].ID, func() error { return act(users[k]) })
			mu.Lock()
			defer mu.Unlock()
			busy[k] = false
			if err != nil {
				b.Error(err)
				return
			}
			lat = append(lat, l)
		})
	}
	wg.Wait()
	return lat
}

func conversationSteps(d *driver) []func(u telegramtest.User) error {
	return []func(u telegramtest.User) error{
		func(u telegramtest.User) error { d.tg.SendText(u, "/order"); return nil },
		func(u telegramtest.User) error { return d.tg.Press(u, "First Category") },
		func(u telegramtest.User) error { return d.tg.Press(u, "Followers") },
		func(u telegramtest.User) error { d.tg.SendText(u, "https://instagram.com/bench"); return nil },
		func(u telegramtest.User) error { d.tg.SendText(u, "100"); return nil },
		func(u telegramtest.User) error { return d.tg.Press(u, "Confirm") },
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	b.Helper()
	if len(lat) == 0 {
		b.Fatal("no replies")
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
	b.ReportMetric(float64(len(lat)), "replies")
}

var slowBalance = smmtest.Fault{Kind: smmtest.FaultDelay, Action: "balance", Delay: 2 * time.Second}

// BenchmarkSlowPanel: while 20 chats wait on a panel that takes 2 s to
// answer (/balance), 50 other chats send /help: their reply latency.
// go test -run '^$' -bench SlowPanel -benchtime 1x ./bot/
func BenchmarkSlowPanel(b *testing.B) {
	for b.Loop() {
		slow, quick := crowd(loadChats)[:20], crowd(loadChats)[20:70]
		h := newHarness(b, withUsers(append(slices.Clone(slow), quick...)), realDefaults)
		d := newDriver(h.tg)
		ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
		var wg sync.WaitGroup
		for _, u := range slow {
			wg.Go(func() {
				for ctx.Err() == nil {
					h.panel.Inject(slowBalance)
					if _, err := d.step(u.ID, func() error { h.tg.SendText(u, "/balance"); return nil }); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		time.Sleep(100 * time.Millisecond) // the slow calls are in flight
		help := []func(telegramtest.User) error{func(u telegramtest.User) error { h.tg.SendText(u, "/help"); return nil }}
		lat := openLoad(b, d, quick, help, 50, 5*time.Second)
		cancel()
		wg.Wait()
		d.stop()
		reportLatency(b, lat)
	}
}

// BenchmarkNotificationBurst: 300 orders of 300 chats finish at once, with
// Telegram's flood limits on in the fake; the notifications' rate against
// Telegram's 30 a second, and the latency of one user's /help meanwhile.
// go test -run '^$' -bench NotificationBurst -benchtime 1x ./bot/
func BenchmarkNotificationBurst(b *testing.B) {
	for b.Loop() {
		all := crowd(310)
		users, probes := all[:300], all[300:]
		h := newHarness(b, withUsers(all), func(h *harness) {
			h.tgOpts.Limits = true
			h.before = func(h *harness) { meetUsers(b, h, all) }
		})
		seedFinished(b, h, users)
		d := newDriver(h.tg)
		start := time.Now()
		if _, err := h.bot.PollOnce(context.Background()); err != nil {
			b.Fatal(err)
		}
		var lat []time.Duration
		for i := 0; notified(h.tg, users) < len(users) && time.Since(start) < time.Minute; i++ {
			u := probes[i%len(probes)] // each under Telegram's 1 a second a chat
			l, err := d.step(u.ID, func() error { h.tg.SendText(u, "/help"); return nil })
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, l)
			time.Sleep(200 * time.Millisecond)
		}
		elapsed := time.Since(start)
		d.stop()
		got := notified(h.tg, users)
		if got < len(users) {
			b.Fatalf("%d of %d notifications delivered within a minute", got, len(users))
		}
		rate := float64(got) / elapsed.Seconds()
		b.ReportMetric(rate, "notes/s")
		b.ReportMetric(rate/30, "of-30/s")
		b.ReportMetric(float64(h.bot.Sender().Throttled()), "429s")
		reportLatency(b, lat)
	}
}

// meetUsers makes each user's private chat exist for the fake, as a /start
// long ago would have, without the bot seeing those updates.
func meetUsers(b *testing.B, h *harness, users []telegramtest.User) {
	for _, u := range users {
		h.tg.SendText(u, "/start")
	}
	drainUpdates(b, h.tgURL)
}

// seedFinished gives each user one order, placed and recorded, that the
// panel then reports Completed.
func seedFinished(b *testing.B, h *harness, users []telegramtest.User) {
	ctx := context.Background()
	ref, err := h.db.PutKey(ctx, panelKey)
	if err != nil {
		b.Fatal(err)
	}
	h.panel.SetBalance(panelKey, decimalOf(1_000_000_000))
	for i, u := range users {
		id, err := h.client.Add(ctx, panelKey, addReq(i))
		if err != nil {
			b.Fatal(err)
		}
		o := store.Order{ChatID: u.ID, KeyRef: ref, PanelID: id, Link: "https://t.me/b", Quantity: 100, Status: "Pending",
			Service: store.ServiceSnapshot{ID: 1, Name: "Followers"}, Created: h.clock.Now()}
		if err := h.db.PutOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
		if _, err := h.db.TouchChat(ctx, u.ID, "en"); err != nil {
			b.Fatal(err)
		}
		h.panel.SetStatus(id, "Completed", 0)
	}
}

func notified(tg *telegramtest.Server, users []telegramtest.User) int {
	n := 0
	for _, u := range users {
		if answered(tg, u, "🔔") > 0 {
			n++
		}
	}
	return n
}
