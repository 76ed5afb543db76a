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
	"strings"
	"syscall"

	"github.com/kelseyhightower/envconfig"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		// A list of problems (one a line) reads as a list.
		fmt.Fprintln(os.Stderr, "smmbot: "+strings.ReplaceAll(err.Error(), "\n", "\n  "))
		os.Exit(1)
	}
}

// run is the whole program: flags, configuration, wiring, and a clean stop
// when ctx ends (stop taking updates, finish those in hand, close the
// store). -h prints the usage on stdout and returns nil.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("smmbot", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports a bad flag in its error
	demoMode := fs.Bool("demo", false, "try the bot in this terminal: no token, no panel account, no network")
	emulated := fs.Bool("emulator", false, "same as PANEL_URL=emulator: a panel emulator with a demo balance instead of a real panel")
	backupTo := fs.String("backup", "", "write a consistent copy of the database to `FILE` (also while the bot runs, through ADMIN_ADDR) and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(fs, stdout)
			return nil
		}
		return fmt.Errorf("%w (smmbot -h lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: smmbot takes only flags (smmbot -h lists them and the environment variables it reads)", fs.Arg(0))
	}
	if *demoMode {
		return runDemo(ctx, getenv, stdin, stdout, stderr)
	}
	if *emulated {
		getenv = withEnv(getenv, "PANEL_URL", panelEmulator)
	}
	cfg, err := loadConfig(getenv)
	if *backupTo == "" && cfg.TelegramToken == "" {
		err = errors.Join(errTokenRequired, err)
	}
	if err != nil {
		return err
	}
	if *backupTo != "" {
		return backup(ctx, cfg, *backupTo, stdout)
	}
	log := newLogger(cfg, stderr)
	stopEmulator, err := useEmulator(&cfg, log)
	if err != nil {
		return err
	}
	defer stopEmulator()
	return serve(ctx, cfg, log)
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	level, _ := cfg.level()
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// usage lists the flags and every environment variable with its default.
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: smmbot [flags]\n\nA Telegram front end for an SMM panel account.\n\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprintf(w, "\nEnvironment:\n")
	_ = envconfig.Usagef("", &Config{}, w, "{{range .}}  {{usage_key .}} ({{usage_type .}}, default: {{if usage_default .}}{{usage_default .}}{{else}}none{{end}})\n      {{usage_description .}}\n{{end}}")
}
