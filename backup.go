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
// locked) it asks the running bot for the copy on ADMIN_ADDR. The copy is
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

// fromRunningBot fetches the copy from the running bot's /backup on
// ADMIN_ADDR (on this machine when its host is empty or unspecified).
func fromRunningBot(ctx context.Context, cfg Config, w io.Writer) (int64, error) {
	if cfg.AdminAddr == "" {
		return 0, fmt.Errorf("%s is in use by a running bot: set ADMIN_ADDR as the bot has it, so the copy can be asked of it", cfg.DBPath)
	}
	host, port, err := net.SplitHostPort(cfg.AdminAddr)
	if err != nil {
		return 0, fmt.Errorf("ADMIN_ADDR: %w", err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port) + "/backup"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("ask the running bot at ADMIN_ADDR: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("ask the running bot at %s: HTTP %d", url, resp.StatusCode)
	}
	n, err := io.Copy(w, resp.Body)
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("ask the running bot: got %d of %d bytes", n, resp.ContentLength)
	}
	return n, err
}
