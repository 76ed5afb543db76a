package main

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm"
)

const demoWait = 15 * time.Second

// fastDemo runs orders and polls quickly, with the store under dir.
func fastDemo(dir string) demoOptions {
	return demoOptions{PollInterval: 100 * time.Millisecond, Step: 300 * time.Millisecond, TempDir: dir, Width: 10000}
}

// demoSession is the demo run by a test through its terminal: stdin and
// stdout are pipes.
type demoSession struct {
	t      *testing.T
	in     *io.PipeWriter
	screen *screen
	dir    string
	ended  chan struct{} // closed when demo returned, with err
	err    error
}

func startDemo(t *testing.T, ctx context.Context) *demoSession {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &demoSession{t: t, in: inW, screen: newScreen(outR), dir: t.TempDir(), ended: make(chan struct{})}
	go func() {
		defer close(s.ended)
		s.err = demo(ctx, inR, outW, slog.New(slog.DiscardHandler), fastDemo(s.dir))
		outW.Close()
	}()
	// After a failure, the demo stops (stdin ends) before its directory's
	// parent is removed.
	t.Cleanup(func() { inW.Close(); <-s.ended })
	return s
}

// typeLine types one line into the demo.
func (s *demoSession) typeLine(line string) {
	s.t.Helper()
	if _, err := io.WriteString(s.in, line+"\n"); err != nil {
		s.t.Fatalf("type %q: %v", line, err)
	}
}

// end waits for the demo to return and checks that it returned nil and
// removed its directory.
func (s *demoSession) end() {
	s.t.Helper()
	select {
	case <-s.ended:
		if s.err != nil {
			s.t.Fatalf("demo returned %v, want nil", s.err)
		}
	case <-time.After(demoWait):
		s.t.Fatalf("demo did not end\noutput:\n%s", s.screen.all())
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil || len(entries) != 0 {
		s.t.Errorf("temp dir after the demo: %v, %v; want it empty (the demo's directory removed)", entries, err)
	}
}

// TestDemoOrderByNumberedButtons orders through the buttons: "#N" for the
// last message with buttons, "#M.N" for any message.
func TestDemoOrderByNumberedButtons(t *testing.T) {
	s := startDemo(t, t.Context())
	scr := s.screen
	scr.next(t, "the echo", func(b block) bool { return b.label == "you" && b.text == "/start" })
	scr.next(t, "the welcome", func(b block) bool { return b.label == "bot" && strings.Contains(b.text, "Hello") })

	s.typeLine("/order")
	old := scr.next(t, "the categories", func(b block) bool { return b.has("First Category") })
	s.typeLine("/order")
	cats := scr.next(t, "the categories again", func(b block) bool { return b.has("First Category") && b.menu != old.menu })
	// A button of an old menu still means what it meant, and the bot
	// answers that the menu expired.
	s.typeLine("#" + old.press(t, "First Category"))
	scr.next(t, "the expired toast", func(b block) bool { return b.label == "toast" && strings.Contains(b.text, "expired") })

	s.typeLine("#" + cats.press(t, "First Category"))
	svcs := scr.next(t, "the services", func(b block) bool { return b.has("Followers") && strings.Contains(b.text, "First Category") })
	if svcs.menu != cats.menu {
		t.Errorf("the edited menu is #%s, want #%s as before", svcs.menu, cats.menu)
	}
	s.typeLine("#" + svcs.button(t, "Followers"))
	scr.next(t, "the link prompt", func(b block) bool { return strings.Contains(b.text, "link") })
	s.typeLine("https://instagram.com/x")
	scr.next(t, "the quantity prompt", func(b block) bool {
		return strings.Contains(b.text, "quantity") && strings.Contains(b.text, "50") && strings.Contains(b.text, "10000")
	})
	s.typeLine("1500")
	summary := scr.next(t, "the summary", func(b block) bool { return b.has("Confirm") })
	if !strings.Contains(summary.text, "1.35") {
		t.Errorf("summary %q lacks the price 1.35", summary.text)
	}
	s.typeLine("#" + summary.button(t, "Confirm"))
	placed := scr.next(t, "the placed order", func(b block) bool { return orderID.MatchString(b.text) })
	id := orderID.FindStringSubmatch(placed.text)[1]

	scr.next(t, "a status notification", func(b block) bool {
		return strings.HasPrefix(b.label, "bot") && strings.Contains(b.text, id) &&
			(strings.Contains(b.text, "In progress") || strings.Contains(b.text, "Completed"))
	})
	s.typeLine("#99999")
	scr.next(t, "no such button", func(b block) bool { return strings.Contains(b.text, "no button #99999") })
	s.typeLine("#99.1")
	scr.next(t, "no such message", func(b block) bool { return strings.Contains(b.text, "no button #99.1") })

	s.in.Close() // Ctrl-D
	s.end()
}

// orderID finds the panel's order id in the reply to a placed order.
var orderID = regexp.MustCompile(`Order (\d+)\b.*placed`)

func TestDemoEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	s := startDemo(t, ctx)
	s.screen.next(t, "the welcome", func(b block) bool { return b.label == "bot" })
	cancel()
	s.end()
}

func TestDemoQuit(t *testing.T) {
	s := startDemo(t, t.Context())
	s.screen.next(t, "the welcome", func(b block) bool { return b.label == "bot" })
	s.typeLine("/quit")
	s.end()
}

func TestRunDemoFlag(t *testing.T) {
	tmp := t.TempDir()
	var out, errOut bytes.Buffer
	env := map[string]string{"TMPDIR": tmp}
	err := run(t.Context(), []string{"-demo"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	if err != nil {
		t.Fatalf("run -demo with empty stdin: %v (stderr %s)", err, errOut.String())
	}
	for _, want := range []string{"#N presses button", "Ctrl-D", "/quit"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("TMPDIR after the demo holds %v, want nothing", entries)
	}
}

func TestTerminalInput(t *testing.T) {
	tg := telegramtest.New(telegramtest.Options{})
	var out bytes.Buffer
	term := newTerminal(&out, tg, demoUser)
	for _, line := range []string{`first comment\`, `second comment\`, "third comment", "  ", "# 7", "/quit"} {
		if quit := term.input(line); quit != (line == "/quit") {
			t.Errorf("input(%q) quit = %v", line, quit)
		}
	}
	msgs := tg.Messages(demoUser.ID)
	if len(msgs) != 1 || msgs[0].Text != "first comment\nsecond comment\nthird comment" {
		t.Errorf("messages sent = %+v, want one of three lines", msgs)
	}
	if !strings.Contains(out.String(), "no button #7") {
		t.Errorf("output %q does not say there is no button 7", out.String())
	}
}

func TestConfigPanelEmulator(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"operator key is the emulator's", map[string]string{"PANEL_URL": "emulator", "ALLOWED_USERS": "42"}, ""},
		{"own key", map[string]string{"PANEL_URL": "emulator", "PANEL_KEY": "k123", "ALLOWED_USERS": "42"}, ""},
		{"no allowlist", map[string]string{"PANEL_URL": "emulator"}, "ALLOWED_USERS"},
		{"another word", map[string]string{"PANEL_URL": "emulate", "ALLOWED_USERS": "42"}, "PANEL_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(func(k string) string { return tt.env[k] })
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("loadConfig: %v", err)
			case tt.wantErr == "" && cfg.PanelURL != panelEmulator:
				t.Errorf("PanelURL = %q, want %q", cfg.PanelURL, panelEmulator)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("loadConfig error = %v, want one naming %s", err, tt.wantErr)
			}
		})
	}
}

func TestUseEmulator(t *testing.T) {
	for _, key := range []string{"", "MYKEY123"} {
		cfg := Config{PanelURL: panelEmulator, PanelKey: key, AllowedUsers: []int64{42}}
		stop, err := useEmulator(&cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if want := cmp.Or(key, emulatorKey); cfg.PanelKey != want {
			t.Errorf("PanelKey = %q, want %q", cfg.PanelKey, want)
		}
		bal, err := smm.NewClient(cfg.PanelURL, smm.Options{}).Balance(t.Context(), cfg.PanelKey)
		if err != nil || bal.Amount.IntPart() != emulatorBalance {
			t.Errorf("balance on the emulator = %+v, %v; want %d", bal, err, emulatorBalance)
		}
		stop()
	}
}

func TestEmulatorCatalogue(t *testing.T) {
	services := emulatorCatalogue()
	if len(services) < emulatorServices || services[0].Name != "Followers" {
		t.Fatalf("catalogue of %d services starting with %q; want smmtest's defaults first, then %d more", len(services), services[0].Name, emulatorServices)
	}
	seen := make(map[int64]bool)
	for _, s := range services {
		if seen[s.ID] {
			t.Errorf("service id %d used twice", s.ID)
		}
		seen[s.ID] = true
	}
}

// TestRunEmulatorFlag runs the whole -emulator wiring against a fake Bot
// API: the bot answers /balance with the emulator's balance.
func TestRunEmulatorFlag(t *testing.T) {
	tg := telegramtest.New(telegramtest.Options{})
	srv := httptest.NewServer(tg)
	t.Cleanup(srv.Close)
	t.Cleanup(tg.Close)
	env := map[string]string{
		"TELEGRAM_TOKEN": tg.Token(), "TELEGRAM_API_URL": srv.URL, "ALLOWED_USERS": "42",
		"DB_PATH": filepath.Join(t.TempDir(), "bot.db"), "LOG_LEVEL": "error",
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"-emulator"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
	}()
	tg.SendText(telegramtest.User{ID: 42, FirstName: "Op", LanguageCode: "en"}, "/balance")
	wctx, wcancel := context.WithTimeout(t.Context(), demoWait)
	defer wcancel()
	err := tg.WaitUntil(wctx, func() bool {
		m, ok := tg.LastBotMessage(42)
		return ok && strings.Contains(m.Text, strconv.Itoa(emulatorBalance))
	})
	cancel()
	if err != nil {
		t.Errorf("no balance of %d from the bot: %v; messages %+v", emulatorBalance, err, tg.Messages(42))
	}
	if err := <-done; err != nil {
		t.Errorf("run -emulator: %v (stderr %s)", err, stderr.String())
	}
}
