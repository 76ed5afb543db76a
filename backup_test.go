package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
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

// freeAddr is a loopback address with a port that was free a moment ago.
func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startBot runs the program with vars until the test ends, and waits until
// the bot answered /start.
func startBot(t *testing.T, vars map[string]string) *telegramtest.Server {
	t.Helper()
	tg := telegramtest.New(telegramtest.Options{})
	srv := httptest.NewServer(tg)
	t.Cleanup(srv.Close)
	t.Cleanup(tg.Close)
	vars["TELEGRAM_TOKEN"], vars["TELEGRAM_API_URL"] = tg.Token(), srv.URL
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env(vars), strings.NewReader(""), io.Discard, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	tg.SendText(telegramtest.User{ID: 42, FirstName: "Op", LanguageCode: "en"}, "/start")
	wctx, wcancel := context.WithTimeout(t.Context(), demoWait)
	defer wcancel()
	if err := tg.WaitUntil(wctx, func() bool { _, ok := tg.LastBotMessage(42); return ok }); err != nil {
		t.Fatalf("the bot did not answer: %v", err)
	}
	return tg
}

// TestBackupWhileRunning takes a copy from a running bot: the database is
// locked, so -backup asks the bot on ADMIN_ADDR.
func TestBackupWhileRunning(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{
		"ALLOWED_USERS": "42", "PANEL_URL": "emulator", "DB_PATH": filepath.Join(dir, "bot.db"),
		"LOG_LEVEL": "error", "ADMIN_ADDR": freeAddr(t),
	}
	startBot(t, vars)
	copyPath := filepath.Join(dir, "copy.db")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-backup", copyPath}, env(vars), strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatalf("run -backup while the bot runs: %v", err)
	}
	checkCopy(t, copyPath, vars["DB_PATH"], 42)
}

// TestAdminListener: ADMIN_ADDR serves /metrics, /backup and /healthz;
// LISTEN_ADDR's /healthz says status words only.
func TestAdminListener(t *testing.T) {
	vars := map[string]string{
		"ALLOWED_USERS": "42", "PANEL_URL": "emulator", "DB_PATH": filepath.Join(t.TempDir(), "bot.db"),
		"LOG_LEVEL": "error", "ADMIN_ADDR": freeAddr(t), "LISTEN_ADDR": freeAddr(t),
	}
	startBot(t, vars)
	tests := []struct {
		addr, path string
		want       string
	}{
		{vars["ADMIN_ADDR"], "/metrics", "smmbot_updates_total"},
		{vars["ADMIN_ADDR"], "/healthz", `"status":"ok"`},
		{vars["ADMIN_ADDR"], "/backup", ""},
		{vars["LISTEN_ADDR"], "/healthz", `"status":"ok"`},
	}
	for _, tt := range tests {
		t.Run(tt.addr+tt.path, func(t *testing.T) {
			resp, err := http.Get("http://" + tt.addr + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), tt.want) || len(body) == 0 {
				t.Errorf("GET %s = %d %.100q, want 200 with %q", tt.path, resp.StatusCode, body, tt.want)
			}
		})
	}
}

func TestBackupLockedWithoutAdminAddr(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = run(t.Context(), []string{"-backup", dbPath + ".copy"}, env(map[string]string{"DB_PATH": dbPath}), strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "ADMIN_ADDR") {
		t.Errorf("backup of a locked database without ADMIN_ADDR = %v, want an error naming ADMIN_ADDR", err)
	}
	if _, err := os.Stat(dbPath + ".copy"); !os.IsNotExist(err) {
		t.Errorf("a failed backup left %s", dbPath+".copy")
	}
}
