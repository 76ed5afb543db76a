package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/smmbot/smmbot/store"
)

// backup writes a consistent copy of the database to file. With the bot
// stopped it opens the database itself; while the bot runs (the file is
// locked) it asks the running bot for the copy on LISTEN_ADDR. The copy is
// written beside file and renamed into place, so a failed backup never
// leaves a half file under the name.
func backup(ctx context.Context, cfg Config, file string, stdout io.Writer) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".partial-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := copyDatabase(ctx, cfg, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup: %d bytes written to %s\n", n, file)
	if cfg.EncryptionKey == "" {
		fmt.Fprintf(stdout, "backup: keep %s.key with it: the API keys in the copy are encrypted with it\n", cfg.DBPath)
	}
	return nil
}

func copyDatabase(ctx context.Context, cfg Config, w io.Writer) (int64, error) {
	encKey, _ := cfg.encryptionKey()
	db, err := store.Open(cfg.DBPath, store.Options{EncryptionKey: encKey, Timeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		return fromRunningBot(ctx, cfg, w)
	}
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.Backup(ctx, w)
}

// fromRunningBot fetches the copy from the bot's /backup on this machine.
func fromRunningBot(ctx context.Context, cfg Config, w io.Writer) (int64, error) {
	if cfg.ListenAddr == "" {
		return 0, fmt.Errorf("%s is in use by a running bot: set LISTEN_ADDR as the bot has it, so the copy can be asked of it", cfg.DBPath)
	}
	_, port, err := net.SplitHostPort(cfg.ListenAddr)
	if err != nil {
		return 0, fmt.Errorf("LISTEN_ADDR: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort("127.0.0.1", port)+"/backup", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("ask the running bot: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("ask the running bot: HTTP %d", resp.StatusCode)
	}
	return io.Copy(w, resp.Body)
}
