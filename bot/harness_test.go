package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/bot/ops"
	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
	"github.com/smmbot/smmbot/store"
)

const (
	webhookSecret = "test-secret_0123456789"
	panelKey      = "OPERATORKEY0123456789abcdef"
	waitFor       = 10 * time.Second
)

// harness is the real bot against the fake Bot API and the panel
// emulator, over loopback, with a real store on disk.
type harness struct {
	t      testing.TB
	tg     *telegramtest.Server
	tgURL  string
	panel  *smmtest.Panel
	client *smm.Client
	clock  *smmtest.Clock
	dbPath string
	db     *store.DB
	bot    *bot.Bot
	cfg    bot.Config
	user   telegramtest.User

	cancel context.CancelFunc
	done   chan struct{}

	tgOpts  telegramtest.Options      // the fake Bot API's options
	before  func(*harness)            // runs before the bot starts
	wrap    func(bot.Panel) bot.Panel // wraps the panel client the bot gets
	listen  bool                      // serve /healthz, /metrics (and the webhook) on loopback
	webhook bool                      // webhook mode
	addr    string                    // where the bot's HTTP server listens
	admin   string                    // where the admin listener (metrics, backup) listens, with listen
}

type option func(*harness)

// perUser runs the bot without an operator key.
func perUser(h *harness) { h.cfg.OperatorKey = ""; h.cfg.Allowed = nil }

func newHarness(tb testing.TB, opts ...option) *harness {
	tb.Helper()
	clk := smmtest.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	h := &harness{t: tb, clock: clk, dbPath: filepath.Join(tb.TempDir(), "bot.db")}
	h.user = telegramtest.User{ID: 4242, FirstName: "Dana", LanguageCode: "en"}
	h.panel = smmtest.New(smmtest.Options{Now: clk.Now, Step: time.Minute})
	h.panel.AddKey(panelKey, decimal.NewFromInt(100))
	panelSrv := httptest.NewServer(h.panel)
	tb.Cleanup(panelSrv.Close)
	h.client = smm.NewClient(panelSrv.URL, smm.Options{Backoff: time.Millisecond, Timeout: 5 * time.Second})
	h.cfg = bot.Config{OperatorKey: panelKey, Allowed: []int64{h.user.ID}, PollEvery: -1, Logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(h)
	}
	h.tg = telegramtest.New(h.tgOpts) // after the options: they may shape it
	tgSrv := httptest.NewServer(h.tg)
	tb.Cleanup(tgSrv.Close)
	tb.Cleanup(h.tg.Close)
	h.tgURL = tgSrv.URL
	h.cfg.Token, h.cfg.APIURL = h.tg.Token(), h.tgURL
	if h.before != nil {
		h.before(h)
	}
	h.start()
	tb.Cleanup(h.stop)
	return h
}

// start opens the store and runs the bot.
func (h *harness) start() {
	h.t.Helper()
	db, err := store.Open(h.dbPath, store.Options{})
	if err != nil {
		h.t.Fatalf("open store: %v", err)
	}
	words, err := locales.Load()
	if err != nil {
		h.t.Fatalf("load locales: %v", err)
	}
	cfg := h.cfg
	if h.listen || h.webhook {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			h.t.Fatal(err)
		}
		cfg.Listener, h.addr = ln, ln.Addr().String()
		if h.webhook {
			cfg.WebhookURL = "http://" + h.addr + "/telegram/hook"
			cfg.WebhookSecret = webhookSecret
		}
	}
	var panel bot.Panel = h.client
	if h.wrap != nil {
		panel = h.wrap(panel)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b, err := bot.New(ctx, cfg, db, panel, smm.NewCache(h.client, time.Minute), words)
	if err != nil {
		cancel()
		db.Close()
		h.t.Fatalf("new bot: %v", err)
	}
	h.db, h.bot, h.cancel, h.done = db, b, cancel, make(chan struct{})
	if h.listen {
		h.serveAdmin(ctx)
	}
	go func() {
		defer close(h.done)
		if err := b.Run(ctx); err != nil {
			h.t.Errorf("run: %v", err)
		}
	}()
}

// serveAdmin serves the operators' endpoints as main does, on loopback.
func (h *harness) serveAdmin(ctx context.Context) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	h.admin = ln.Addr().String()
	handler := ops.Admin{Health: h.bot.Health, Metrics: h.bot.Registry(), Backup: h.db, BackupDir: filepath.Dir(h.dbPath)}.Handler()
	go func() { _ = ops.Serve(ctx, ln, handler) }()
}

// stop shuts the bot down as SIGTERM would and closes the store.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	<-h.done
	h.cancel = nil
	// A new process starts after the old one is gone; here, after the fake
	// noticed that the stopped bot's long poll went away (or Telegram would
	// answer that poll 409 for the new bot's).
	h.eventually("the stopped bot's long poll to end", func() bool { return h.tg.Polling() == 0 })
	if err := h.db.Close(); err != nil {
		h.t.Errorf("close store: %v", err)
	}
}

// restart stops the bot and starts a new one on the same database.
func (h *harness) restart() {
	h.t.Helper()
	h.stop()
	h.start()
}

// wait waits until cond holds, re-checking on every change of the fake.
func (h *harness) wait(what string, cond func() bool) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := h.tg.WaitUntil(ctx, cond); err != nil {
		h.t.Fatalf("waiting for %s: %v\ntranscript:\n%s", what, err, h.transcript())
	}
}

// transcript is the chat as text, for failure messages.
func (h *harness) transcript() string {
	var b strings.Builder
	for _, m := range h.tg.Messages(h.user.ID) {
		who := "user"
		if m.FromBot {
			who = "bot"
		}
		fmt.Fprintf(&b, "[%d %s edits=%d] %s", m.ID, who, m.Edits, m.Text)
		for _, row := range m.Buttons {
			for _, btn := range row {
				fmt.Fprintf(&b, " [%s|%s]", btn.Text, btn.Data)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// mark is the state of the chat before an action: wait for what follows.
type mark struct{ msgs, edits int }

func (h *harness) mark() mark {
	var m mark
	for _, msg := range h.tg.BotMessages(h.user.ID) {
		m.msgs++
		m.edits += msg.Edits
	}
	return m
}

// settled waits until the bot reacted after mk (a new message or an edit)
// and every callback query is answered.
func (h *harness) settled(mk mark) telegramtest.Message {
	h.t.Helper()
	h.wait("the bot's reply", func() bool {
		now := h.mark()
		return (now.msgs > mk.msgs || now.edits > mk.edits) && len(h.tg.Unanswered()) == 0
	})
	m, _ := h.tg.LastBotMessage(h.user.ID)
	return m
}

// say types text as the user and returns the bot's newest message once it
// reacted.
func (h *harness) say(text string) telegramtest.Message {
	h.t.Helper()
	mk := h.mark()
	h.tg.SendText(h.user, text)
	return h.settled(mk)
}

// press taps the newest button whose label contains label.
func (h *harness) press(label string) telegramtest.Message {
	h.t.Helper()
	mk := h.mark()
	if err := h.tg.Press(h.user, label); err != nil {
		h.t.Fatalf("press %q: %v\ntranscript:\n%s", label, err, h.transcript())
	}
	return h.settled(mk)
}

// expect fails unless text contains every part.
func expect(tb testing.TB, m telegramtest.Message, parts ...string) {
	tb.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Text, p) {
			tb.Fatalf("message %d %q lacks %q", m.ID, m.Text, p)
		}
	}
}

// hasButton reports whether m has a button whose label contains label.
func hasButton(m telegramtest.Message, label string) bool {
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return true
			}
		}
	}
	return false
}

// noRejections fails if the fake refused any request the bot made, except
// those a test provoked on purpose.
func (h *harness) noRejections(allowed ...string) {
	h.t.Helper()
	for _, r := range h.tg.Rejected() {
		ok := false
		for _, a := range allowed {
			if strings.Contains(r.Description, a) {
				ok = true
			}
		}
		if !ok {
			h.t.Errorf("Telegram refused %s: %d %s", r.Method, r.Code, r.Description)
		}
	}
}

// eventually waits until cond holds for state outside the fake (the
// store), re-checking every few milliseconds up to the deadline.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("waiting for %s: timed out\ntranscript:\n%s", what, h.transcript())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
