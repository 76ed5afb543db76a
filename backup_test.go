package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/store"
)

// checkCopy opens a backup with the original's key file and looks for a
// chat in it.
func checkCopy(t *testing.T, copyPath, dbPath string, chatID int64) {
	t.Helper()
	key, err := os.ReadFile(dbPath + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyPath+".key", key, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(copyPath, store.Options{})
	if err != nil {
		t.Fatalf("open the copy: %v", err)
	}
	defer db.Close()
	if _, err := db.Chat(t.Context(), chatID); err != nil {
		t.Errorf("the copy lacks chat %d: %v", chatID, err)
	}
}

func TestBackupWhileStopped(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "bot.db")
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.TouchChat(t.Context(), 77, "en"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var out bytes.Buffer
	copyPath := filepath.Join(dir, "copy.db")
	err = run(t.Context(), []string{"-backup", copyPath}, env(map[string]string{"DB_PATH": dbPath}), strings.NewReader(""), &out, io.Discard)
	if err != nil {
		t.Fatalf("run -backup: %v", err)
	}
	if !strings.Contains(out.String(), "bytes written") || !strings.Contains(out.String(), ".key") {
		t.Errorf("output %q: want the size and the key file reminder", out.String())
	}
	checkCopy(t, copyPath, dbPath, 77)
	if leftovers, _ := filepath.Glob(copyPath + ".partial-*"); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestBackupWhileRunning takes a copy from a running bot: the database is
// locked, so -backup asks the bot on LISTEN_ADDR.
func TestBackupWhileRunning(t *testing.T) {
	tg := telegramtest.New(telegramtest.Options{})
	srv := httptest.NewServer(tg)
	t.Cleanup(srv.Close)
	t.Cleanup(tg.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the bot listens on it itself
	dir := t.TempDir()
	vars := map[string]string{
		"TELEGRAM_TOKEN": tg.Token(), "TELEGRAM_API_URL": srv.URL, "ALLOWED_USERS": "42", "PANEL_URL": "emulator",
		"DB_PATH": filepath.Join(dir, "bot.db"), "LOG_LEVEL": "error", "LISTEN_ADDR": addr,
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env(vars), strings.NewReader(""), io.Discard, io.Discard) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	tg.SendText(telegramtest.User{ID: 42, FirstName: "Op", LanguageCode: "en"}, "/start")
	wctx, wcancel := context.WithTimeout(t.Context(), demoWait)
	defer wcancel()
	if err := tg.WaitUntil(wctx, func() bool { _, ok := tg.LastBotMessage(42); return ok }); err != nil {
		t.Fatalf("the bot did not answer: %v", err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-backup", copyPath}, env(vars), strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatalf("run -backup while the bot runs: %v", err)
	}
	checkCopy(t, copyPath, vars["DB_PATH"], 42)
}

func TestBackupLockedWithoutListenAddr(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = run(t.Context(), []string{"-backup", dbPath + ".copy"}, env(map[string]string{"DB_PATH": dbPath}), strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "LISTEN_ADDR") {
		t.Errorf("backup of a locked database without LISTEN_ADDR = %v, want an error naming LISTEN_ADDR", err)
	}
	if _, err := os.Stat(dbPath + ".copy"); !os.IsNotExist(err) {
		t.Errorf("a failed backup left %s", dbPath+".copy")
	}
}
