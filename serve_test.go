package main

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/store"
)

// TestFailedStartLeavesNoFiles: a start that fails (Telegram refuses the
// token, a port is taken) leaves no database or key file behind, and
// keeps the ones that were there.
func TestFailedStartLeavesNoFiles(t *testing.T) {
	tg := telegramtest.New(telegramtest.Options{})
	srv := httptest.NewServer(tg)
	t.Cleanup(srv.Close)
	t.Cleanup(tg.Close)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { taken.Close() })
	tests := []struct {
		name string
		vars map[string]string
	}{
		{"token refused", map[string]string{"TELEGRAM_TOKEN": "123:wrong"}},
		{"LISTEN_ADDR taken", map[string]string{"LISTEN_ADDR": taken.Addr().String()}},
		{"ADMIN_ADDR taken", map[string]string{"ADMIN_ADDR": taken.Addr().String()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"TELEGRAM_TOKEN": tg.Token(), "TELEGRAM_API_URL": srv.URL, "LOG_LEVEL": "error",
				"DB_PATH": filepath.Join(t.TempDir(), "bot.db")}
			for k, v := range tt.vars {
				vars[k] = v
			}
			if err := run(t.Context(), nil, env(vars), strings.NewReader(""), io.Discard, io.Discard); err == nil {
				t.Fatal("run = nil, want a failed start")
			}
			for _, f := range []string{vars["DB_PATH"], vars["DB_PATH"] + ".key"} {
				if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("a failed start left %s (%v)", filepath.Base(f), err)
				}
			}
		})
	}
	t.Run("existing database kept", func(t *testing.T) {
		dbPath := filepath.Join(t.TempDir(), "bot.db")
		db, err := store.Open(dbPath, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		vars := map[string]string{"TELEGRAM_TOKEN": "123:wrong", "TELEGRAM_API_URL": srv.URL, "LOG_LEVEL": "error", "DB_PATH": dbPath}
		if err := run(t.Context(), nil, env(vars), strings.NewReader(""), io.Discard, io.Discard); err == nil {
			t.Fatal("run = nil, want a failed start")
		}
		for _, f := range []string{dbPath, dbPath + ".key"} {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("a failed start removed %s: %v", filepath.Base(f), err)
			}
		}
	})
}

func TestWarnIfExposed(t *testing.T) {
	tests := []struct {
		addr string
		warn bool
	}{
		{"127.0.0.1:9090", false},
		{"[::1]:9090", false},
		{"10.0.0.5:9090", false},
		{"192.168.1.2:9090", false},
		{"localhost:9090", false},
		{":9090", true},
		{"0.0.0.0:9090", true},
		{"[::]:9090", true},
		{"203.0.113.7:9090", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			var logs strings.Builder
			warnIfExposed(tt.addr, slog.New(slog.NewTextHandler(&logs, nil)))
			if got := strings.Contains(logs.String(), "ADMIN_ADDR"); got != tt.warn {
				t.Errorf("warning for %s = %v, want %v (%q)", tt.addr, got, tt.warn, logs.String())
			}
		})
	}
}
