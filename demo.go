package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// demoUser is the one user of -demo, allowed on the operator key.
var demoUser = telegramtest.User{ID: 1001, FirstName: "Demo", Username: "demo_user", LanguageCode: "en"}

// demoPoll is how often the demo's bot asks the panel about orders.
const demoPoll = 5 * time.Second

// demoOptions tune the demo; the zero value is the production demo.
type demoOptions struct {
	PollInterval time.Duration // status poll period; 0 = demoPoll
	Step         time.Duration // how long an order stays in each status; 0 = emulatorStep
	TempDir      string        // where the throwaway store directory is made; "" = os.TempDir()
}

// runDemo is -demo as run starts it: logs on stderr, the throwaway
// directory under TMPDIR.
func runDemo(ctx context.Context, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	log, err := demoLogger(getenv, stderr)
	if err != nil {
		return err
	}
	return demo(ctx, stdin, stdout, log, demoOptions{TempDir: getenv("TMPDIR")})
}

// demo is -demo: the real bot, in operator mode, against the panel
// emulator and the fake Bot API, both on loopback, with its store in a
// temporary directory; the terminal is the demo user's chat (see
// terminal). It returns nil when stdin ends, the user types /quit or ctx
// ends, after stopping the bot, closing the store and the servers and
// removing the directory.
func demo(ctx context.Context, stdin io.Reader, stdout io.Writer, log *slog.Logger, opts demoOptions) (err error) {
	if opts.PollInterval <= 0 {
		opts.PollInterval = demoPoll
	}
	if opts.Step <= 0 {
		opts.Step = emulatorStep
	}
	dir, err := os.MkdirTemp(opts.TempDir, "smmbot-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	emu, err := startEmulator(emulatorKey, opts.Step)
	if err != nil {
		return err
	}
	defer emu.Close()
	tg := telegramtest.New(telegramtest.Options{BotName: "SMM Bot (demo)", BotUsername: "smmbot_demo_bot"})
	tgURL, stopTG, err := serveLoopback(tg)
	if err != nil {
		return fmt.Errorf("start fake Telegram: %w", err)
	}
	defer stopTG()
	defer tg.Close() // ends the bot's waiting getUpdates before the server stops
	db, err := store.Open(filepath.Join(dir, "smmbot.db"), store.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	return demoChat(ctx, stdin, stdout, log, demoSetup{tg: tg, tgURL: tgURL, emu: emu, db: db, opts: opts})
}

// demoSetup is what demo started for demoChat.
type demoSetup struct {
	tg    *telegramtest.Server
	tgURL string
	emu   *emulator
	db    *store.DB
	opts  demoOptions
}

// demoChat runs the bot and the terminal chat until stdin ends, /quit or
// ctx ends, and returns once the bot and the printing have stopped.
func demoChat(ctx context.Context, stdin io.Reader, stdout io.Writer, log *slog.Logger, s demoSetup) error {
	words, err := locales.Load()
	if err != nil {
		return err
	}
	panel := smm.NewClient(s.emu.URL, smm.Options{Timeout: 10 * time.Second, Logger: log.With("component", "panel")})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b, err := bot.New(ctx, bot.Config{
		Token: s.tg.Token(), APIURL: s.tgURL, OperatorKey: s.emu.Key, Allowed: []int64{demoUser.ID},
		PollEvery: s.opts.PollInterval, Logger: log.With("component", "bot"),
	}, s.db, panel, smm.NewCache(panel, 0), words)
	if err != nil {
		return err
	}
	term := newTerminal(stdout, s.tg, demoUser)
	stopPrinting := term.watch(ctx)
	defer stopPrinting()
	ran := make(chan error, 1)
	go func() { ran <- b.Run(ctx) }()

	term.banner(len(s.emu.Panel.Services()), s.opts)
	term.say("/start")
	inputErr := term.read(ctx, stdin, ran)
	cancel()
	return errors.Join(inputErr, <-ran)
}

// read takes the user's lines from stdin until it ends, /quit, ctx ends or
// the bot stops on its own (its error is then put back on ran). Only a
// failure to read stdin is an error.
func (t *terminal) read(ctx context.Context, stdin io.Reader, ran chan error) error {
	lines := make(chan string)
	var readErr error // set before lines is closed
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		if err := sc.Err(); err != nil {
			readErr = fmt.Errorf("read stdin: %w", err)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-ran:
			ran <- err
			return nil
		case line, ok := <-lines:
			if !ok {
				return readErr
			}
			if t.input(line) {
				return nil
			}
		}
	}
}

// demoLogger logs to w at LOG_LEVEL, or only warnings and errors when it
// is unset, so that the chat stays readable.
func demoLogger(getenv func(string) string, w io.Writer) (*slog.Logger, error) {
	level := slog.LevelWarn
	if raw := getenv("LOG_LEVEL"); raw != "" {
		l, err := Config{LogLevel: raw}.level()
		if err != nil {
			return nil, fmt.Errorf("LOG_LEVEL: %w", err)
		}
		level = l
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), nil
}

// terminal is the demo user's chat on a terminal. Each line typed is a
// message to the bot, "#N" presses button N; the bot's messages are
// printed as they come, edits printed again, deletions noted, each
// followed by a blank line. Every button printed gets a number of its own
// for the whole session, so a number scrolled out of sight still means
// the button it was printed with (on an old menu the bot answers that it
// expired).
type terminal struct {
	tg   *telegramtest.Server
	user telegramtest.User

	mu      sync.Mutex // guards out and what follows
	out     io.Writer
	buttons []demoButton   // button N is buttons[N-1]
	heads   map[int]string // message id → first line, to name a deleted message
	partial []string       // lines ending in "\", waiting for the rest of the message
}

// demoButton is a callback button as it was printed.
type demoButton struct {
	msgID int
	data  string
}

func newTerminal(out io.Writer, tg *telegramtest.Server, user telegramtest.User) *terminal {
	return &terminal{tg: tg, user: user, out: out, heads: make(map[int]string)}
}

// banner says what the demo is and how to use it.
func (t *terminal) banner(services int, opts demoOptions) {
	t.print(fmt.Sprintf(`smmbot demo: the real bot, a panel emulator and a fake Telegram, all on this machine.
Balance %d on a catalogue of %d services; orders go Pending → In progress →
Completed, %s a step, and the bot checks them every %s.

  Type a message and press Enter: it goes to the bot (/order, a link, 1500...).
  #N presses button [N], even on an old menu.
  End a line with \ to go on with the same message on the next line.
  /help lists the bot's commands; Ctrl-D or /quit ends the demo.
`, emulatorBalance, services, opts.Step, opts.PollInterval))
}

// say sends text as the user's message and shows it (for messages the user
// did not type).
func (t *terminal) say(text string) {
	t.print("you: " + text + "\n")
	t.tg.SendText(t.user, text)
}

// input acts on one typed line; it reports whether the user asked to quit.
func (t *terminal) input(line string) (quit bool) {
	if rest, ok := strings.CutSuffix(line, `\`); ok {
		t.mu.Lock()
		t.partial = append(t.partial, rest)
		t.mu.Unlock()
		return false
	}
	t.mu.Lock()
	text := strings.Join(append(t.partial, line), "\n")
	t.partial = nil
	t.mu.Unlock()
	switch trimmed := strings.TrimSpace(text); {
	case trimmed == "":
		return false
	case trimmed == "/quit":
		return true
	case demoPress.MatchString(trimmed):
		n, _ := strconv.Atoi(demoPress.FindStringSubmatch(trimmed)[1])
		t.press(n)
	default:
		t.tg.SendText(t.user, text)
	}
	return false
}

// demoPress is a typed button press: "#3".
var demoPress = regexp.MustCompile(`^#\s*(\d{1,9})$`)

// press presses button n as it was printed.
func (t *terminal) press(n int) {
	t.mu.Lock()
	if n < 1 || n > len(t.buttons) {
		t.mu.Unlock()
		t.print(fmt.Sprintf("(there is no button [%d])\n", n))
		return
	}
	b := t.buttons[n-1]
	t.mu.Unlock()
	t.tg.PressData(t.user, b.msgID, b.data)
}

// watch prints the chat's changes and the bot's callback answers as they
// come, until ctx ends; the returned function waits for the printing to
// stop (call it after ctx ended).
func (t *terminal) watch(ctx context.Context) (wait func()) {
	events, unsubscribe := t.tg.Subscribe()
	var wg sync.WaitGroup
	wg.Go(func() {
		for ev := range events {
			t.show(ev)
		}
	})
	wg.Go(func() {
		t.toasts(ctx)
		unsubscribe()
	})
	return wg.Wait
}

// show prints one change of the user's chat.
func (t *terminal) show(ev telegramtest.Event) {
	m := ev.Message
	if m.ChatID != t.user.ID {
		return
	}
	switch {
	case ev.Kind == telegramtest.EventDelete && !m.FromBot:
		t.print("(your message was deleted)\n")
	case ev.Kind == telegramtest.EventDelete:
		t.mu.Lock()
		head := t.heads[m.ID]
		t.mu.Unlock()
		t.print(fmt.Sprintf("bot (deleted): %s\n", head))
	case m.FromBot && ev.Kind == telegramtest.EventEdit:
		t.print(t.render("bot (edited): ", m))
	case m.FromBot:
		t.print(t.render("bot: ", m))
	}
}

// render is a bot message as printed: label and text, then its buttons,
// a row to a line, each callback button with a new number.
func (t *terminal) render(label string, m telegramtest.Message) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	text := m.Text
	if text == "" && m.Media != "" {
		text = "(" + m.Media + ")"
	}
	lines := strings.Split(text, "\n")
	t.heads[m.ID] = shorten(lines[0], 40)
	var b strings.Builder
	b.WriteString(label + lines[0] + "\n")
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) != "" { // a blank line is the end of a message
			b.WriteString("     " + l + "\n")
		}
	}
	for _, row := range m.Buttons {
		cells := make([]string, 0, len(row))
		for _, btn := range row {
			if btn.Data == "" {
				cells = append(cells, fmt.Sprintf("[%s <%s>]", btn.Text, btn.URL))
				continue
			}
			t.buttons = append(t.buttons, demoButton{msgID: m.ID, data: btn.Data})
			cells = append(cells, fmt.Sprintf("[%d] %s", len(t.buttons), btn.Text))
		}
		b.WriteString("     " + strings.Join(cells, "  ") + "\n")
	}
	return b.String()
}

// toasts prints the bot's callback answers that carry text, until ctx ends.
func (t *terminal) toasts(ctx context.Context) {
	seen := len(t.tg.CallbackAnswers())
	for {
		if t.tg.WaitUntil(ctx, func() bool { return len(t.tg.CallbackAnswers()) > seen }) != nil {
			return
		}
		answers := t.tg.CallbackAnswers()
		for _, a := range answers[seen:] {
			if a.Text == "" {
				continue
			}
			label := "toast: "
			if a.ShowAlert {
				label = "alert: "
			}
			t.print(label + a.Text + "\n")
		}
		seen = len(answers)
	}
}

// print writes one block of output followed by a blank line.
func (t *terminal) print(block string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.out, block+"\n")
}

// shorten cuts s to n characters, with an ellipsis if it was longer.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
