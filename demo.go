package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
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
	Width        int           // columns to wrap at; 0 = the terminal's (80 when not a terminal)

	// started, when set, is called once the bot runs, with the fake
	// Telegram and its URL (tests).
	started func(tg *telegramtest.Server, url string)
}

// runDemo is -demo as run starts it: logs on stderr, the throwaway
// directory under TMPDIR.
func runDemo(ctx context.Context, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if isTerminal(stderr) {
		stderr = crlfWriter{stderr} // the line editor puts the terminal in raw mode
	}
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
	in, err := openInput(stdin, stdout)
	if err != nil {
		return err
	}
	defer in.close()
	term := newTerminal(in.out, s.tg, demoUser)
	term.typedShown, term.width = in.shown, in.width
	if s.opts.Width > 0 {
		term.width = func() int { return s.opts.Width }
	}
	stopPrinting := term.watch(ctx)
	defer stopPrinting()
	ran := make(chan error, 1)
	go func() { ran <- b.Run(ctx) }()
	if s.opts.started != nil {
		s.opts.started(s.tg, s.tgURL)
	}
	term.banner(len(s.emu.Panel.Services()), s.opts)
	term.say("/start")
	inputErr := term.read(ctx, in.lines, ran)
	cancel()
	return errors.Join(inputErr, <-ran)
}

// read takes the user's lines until input ends, /quit, ctx ends or the
// bot stops on its own (its error is then put back on ran). Only a
// failure to read is an error.
func (t *terminal) read(ctx context.Context, src lineSource, ran chan error) error {
	lines := make(chan string)
	var readErr error // set before lines is closed
	go func() {
		defer close(lines)
		for {
			line, err := src.ReadLine()
			if err != nil {
				if err != io.EOF {
					readErr = fmt.Errorf("read input: %w", err)
				}
				return
			}
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
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
