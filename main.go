// Command smmbot runs a Telegram bot that is a full chat front end for an
// SMM panel account (panel API v2): browse services, place orders, follow,
// refill and cancel them, and get a message when an order changes status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/kelseyhightower/envconfig"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "smmbot:", err)
		}
		os.Exit(1)
	}
}

// run is the whole program: flags, configuration, wiring, and a clean stop
// when ctx ends (stop taking updates, finish those in hand, close the
// store).
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("smmbot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(fs, stderr) }
	demoMode := fs.Bool("demo", false, "try the bot in this terminal: no token, no panel account, no network")
	emulated := fs.Bool("emulator", false, "same as PANEL_URL=emulator: a panel emulator with a demo balance instead of a real panel")
	backupTo := fs.String("backup", "", "write a consistent copy of the database to `FILE` (also while the bot runs, through LISTEN_ADDR) and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *demoMode {
		return runDemo(ctx, getenv, stdin, stdout, stderr)
	}
	if *emulated {
		getenv = withEnv(getenv, "PANEL_URL", panelEmulator)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if *backupTo != "" {
		return backup(ctx, cfg, *backupTo, stdout)
	}
	if cfg.TelegramToken == "" {
		return errors.New("TELEGRAM_TOKEN: required (the token @BotFather gave you)")
	}
	log := newLogger(cfg, stderr)
	stopEmulator, err := useEmulator(&cfg, log)
	if err != nil {
		return err
	}
	defer stopEmulator()
	return serve(ctx, cfg, log)
}

// serve wires the store, the panel client and the bot, and runs them.
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	encKey, _ := cfg.encryptionKey()
	db, err := store.Open(cfg.DBPath, store.Options{EncryptionKey: encKey, SessionTTL: cfg.SessionTTL})
	if err != nil {
		return err
	}
	defer db.Close()
	words, err := locales.Load()
	if err != nil {
		return err
	}
	panel := smm.NewClient(cfg.PanelURL, smm.Options{Timeout: cfg.PanelTimeout, UserAgent: cfg.PanelUserAgent,
		Logger: log.With("component", "panel")})
	b, err := bot.New(ctx, bot.Config{
		Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL, OperatorKey: cfg.PanelKey,
		Allowed: cfg.AllowedUsers, PollEvery: cfg.PollInterval, Logger: log.With("component", "bot"),
		ListenAddr: cfg.ListenAddr, WebhookURL: cfg.WebhookURL, WebhookSecret: cfg.WebhookSecret,
	}, db, panel, nil, words)
	if err != nil {
		return err
	}
	log.Info("smmbot running", "panel", cfg.PanelURL, "operator_mode", cfg.PanelKey != "", "db", cfg.DBPath,
		"webhook", cfg.WebhookURL != "", "listen", cfg.ListenAddr)
	err = b.Run(ctx)
	log.Info("smmbot stopped")
	return err
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	level, _ := cfg.level()
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// usage lists the flags and every environment variable with its default.
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: smmbot [flags]\n\nA Telegram front end for an SMM panel account.\n\nFlags:\n")
	fs.PrintDefaults()
	fmt.Fprintf(w, "\nEnvironment:\n")
	_ = envconfig.Usagef("", &Config{}, w, "{{range .}}  {{usage_key .}} ({{usage_type .}}, default: {{if usage_default .}}{{usage_default .}}{{else}}none{{end}})\n      {{usage_description .}}\n{{end}}")
}
