package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/bot/ops"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// serve wires the store, the panel client and the bot, and runs them with
// the admin listener until ctx ends. Everything that can fail at start
// (listening, opening the store, reaching Telegram) is done before the
// bot runs; a failed start leaves no database or key file it created.
func serve(ctx context.Context, cfg Config, log *slog.Logger) (err error) {
	public, admin, err := listen(cfg)
	if err != nil {
		return err
	}
	defer closeAll(public, admin) // no-ops once the servers closed them
	db, discard, err := openStore(cfg)
	if err != nil {
		return err
	}
	started := false
	defer func() {
		err = errors.Join(err, db.Close())
		if !started {
			discard()
		}
	}()
	b, err := newBot(ctx, cfg, db, public, log)
	if err != nil {
		return err
	}
	started = true
	log.Info("smmbot running", "panel", cfg.PanelURL, "operator_mode", cfg.PanelKey != "", "db", cfg.DBPath,
		"webhook", cfg.WebhookURL != "", "listen", cfg.ListenAddr, "admin", cfg.AdminAddr)
	err = runBot(ctx, b, db, admin, cfg, log)
	log.Info("smmbot stopped")
	return err
}

// listen opens LISTEN_ADDR and ADMIN_ADDR (each when set), so that a port
// in use fails the start before anything is written.
func listen(cfg Config) (public, admin net.Listener, err error) {
	if cfg.ListenAddr != "" {
		if public, err = net.Listen("tcp", cfg.ListenAddr); err != nil {
			return nil, nil, fmt.Errorf("LISTEN_ADDR: %w", err)
		}
	}
	if cfg.AdminAddr != "" {
		if admin, err = net.Listen("tcp", cfg.AdminAddr); err != nil {
			closeAll(public)
			return nil, nil, fmt.Errorf("ADMIN_ADDR: %w", err)
		}
	}
	return public, admin, nil
}

func closeAll(lns ...net.Listener) {
	for _, ln := range lns {
		if ln != nil {
			_ = ln.Close()
		}
	}
}

// openStore opens DB_PATH; discard removes the database and key files
// that this call created (for a start that failed after it).
func openStore(cfg Config) (db *store.DB, discard func(), err error) {
	encKey, _ := cfg.encryptionKey()
	var created []string
	for _, f := range []string{cfg.DBPath, cfg.DBPath + ".key"} {
		if _, err := os.Lstat(f); errors.Is(err, os.ErrNotExist) {
			created = append(created, f)
		}
	}
	db, err = store.Open(cfg.DBPath, store.Options{EncryptionKey: encKey, SessionTTL: cfg.SessionTTL})
	discard = func() {
		for _, f := range created {
			_ = os.Remove(f)
		}
	}
	if err != nil {
		if !errors.Is(err, store.ErrLocked) {
			discard()
		}
		return nil, nil, err
	}
	return db, discard, nil
}

// newBot makes the panel client and the bot (which asks Telegram who it
// is).
func newBot(ctx context.Context, cfg Config, db *store.DB, public net.Listener, log *slog.Logger) (*bot.Bot, error) {
	words, err := locales.Load()
	if err != nil {
		return nil, err
	}
	panel := smm.NewClient(cfg.PanelURL, smm.Options{Timeout: cfg.PanelTimeout, UserAgent: cfg.PanelUserAgent,
		InFlight: cfg.PanelInFlight, PerMinute: cfg.PanelPerMinute, Logger: log.With("component", "panel")})
	return bot.New(ctx, bot.Config{
		Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL, OperatorKey: cfg.PanelKey,
		Allowed: cfg.AllowedUsers, PollEvery: cfg.PollInterval, Logger: log.With("component", "bot"),
		ListenAddr: cfg.ListenAddr, Listener: public, WebhookURL: cfg.WebhookURL, WebhookSecret: cfg.WebhookSecret,
	}, db, panel, nil, words)
}

// runBot runs the bot and, when ADMIN_ADDR is set, the admin listener,
// until ctx ends or either fails; then it stops both.
func runBot(ctx context.Context, b *bot.Bot, db *store.DB, admin net.Listener, cfg Config, log *slog.Logger) error {
	if admin == nil {
		return b.Run(ctx)
	}
	warnIfExposed(cfg.AdminAddr, log)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := ops.Admin{Health: b.Health, Metrics: b.Registry(), Backup: db, BackupDir: filepath.Dir(cfg.DBPath),
		Logger: log.With("component", "admin")}.Handler()
	var wg sync.WaitGroup
	var adminErr error
	wg.Go(func() {
		defer cancel()
		adminErr = ops.Serve(ctx, admin, h)
	})
	runErr := b.Run(ctx)
	cancel()
	wg.Wait()
	return errors.Join(runErr, adminErr)
}

// warnIfExposed logs a warning when ADMIN_ADDR is not on loopback or a
// private network: it serves the whole database.
func warnIfExposed(addr string, log *slog.Logger) {
	host, _, _ := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	if host != "" && (ip == nil || ip.IsLoopback() || ip.IsPrivate()) {
		return
	}
	log.Warn("ADMIN_ADDR is not on loopback or a private network: it serves the whole database, keep its port closed to the internet",
		"admin", addr)
}
