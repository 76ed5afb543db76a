package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	want := Config{
		TelegramAPIURL: "https://api.telegram.org",
		PanelURL:       "https://smmgulf.com/api/v2",
		DBPath:         "smmbot.db",
		PollInterval:   time.Minute,
		SessionTTL:     24 * time.Hour,
		PanelTimeout:   30 * time.Second,
		LogLevel:       "info",
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults = %+v\nwant %+v", c, want)
	}
}

func TestConfigValues(t *testing.T) {
	c, err := loadConfig(env(map[string]string{
		"TELEGRAM_TOKEN": "123:abc", "PANEL_KEY": "k", "ALLOWED_USERS": "1, 22,333",
		"POLL_INTERVAL": "90s", "ENCRYPTION_KEY": strings.Repeat("ab", 32), "LOG_LEVEL": "debug",
	}))
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if !reflect.DeepEqual(c.AllowedUsers, []int64{1, 22, 333}) || c.PollInterval != 90*time.Second || c.LogLevel != "debug" {
		t.Errorf("config = %+v", c)
	}
	if k, err := c.encryptionKey(); err != nil || len(k) != 32 {
		t.Errorf("encryption key = %d bytes, %v", len(k), err)
	}
}

// TestConfigBadValues gives every variable a bad value: the error names it.
func TestConfigBadValues(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"TELEGRAM_API_URL", map[string]string{"TELEGRAM_API_URL": "ftp://x"}},
		{"TELEGRAM_API_URL", map[string]string{"TELEGRAM_API_URL": "not a url"}},
		{"PANEL_URL", map[string]string{"PANEL_URL": "smmgulf.com/api/v2"}},
		{"ALLOWED_USERS", map[string]string{"ALLOWED_USERS": "12,abc"}},
		{"ALLOWED_USERS", map[string]string{"ALLOWED_USERS": "-5"}},
		{"ALLOWED_USERS", map[string]string{"PANEL_KEY": "operator-key"}},
		{"ENCRYPTION_KEY", map[string]string{"ENCRYPTION_KEY": "short"}},
		{"POLL_INTERVAL", map[string]string{"POLL_INTERVAL": "soon"}},
		{"POLL_INTERVAL", map[string]string{"POLL_INTERVAL": "-1m"}},
		{"POLL_INTERVAL", map[string]string{"POLL_INTERVAL": "100ms"}},
		{"SESSION_TTL", map[string]string{"SESSION_TTL": "forever"}},
		{"PANEL_TIMEOUT", map[string]string{"PANEL_TIMEOUT": "0"}},
		{"LOG_LEVEL", map[string]string{"LOG_LEVEL": "loud"}},
		{"LISTEN_ADDR", map[string]string{"LISTEN_ADDR": "no-port"}},
		{"WEBHOOK_URL", map[string]string{"WEBHOOK_URL": "http://plain.example.com/hook", "LISTEN_ADDR": ":8080"}},
		{"LISTEN_ADDR", map[string]string{"WEBHOOK_URL": "https://bot.example.com/hook"}},
		{"WEBHOOK_SECRET", map[string]string{"WEBHOOK_SECRET": "has spaces", "WEBHOOK_URL": "https://b.example.com/h", "LISTEN_ADDR": ":8080"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(env(tt.env))
			if err == nil {
				t.Fatalf("loadConfig(%v) = nil error", tt.env)
			}
			if !strings.HasPrefix(err.Error(), tt.name+":") {
				t.Errorf("error %q does not start with %s:", err, tt.name)
			}
		})
	}
}

func TestRunNeedsToken(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, env(nil), strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_TOKEN") {
		t.Errorf("run without a token = %v, want an error naming TELEGRAM_TOKEN", err)
	}
}

// TestHelpListsEveryVariable: -h names every flag and variable, with its
// default.
func TestHelpListsEveryVariable(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, env(nil), strings.NewReader(""), &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -h = %v, want flag.ErrHelp", err)
	}
	help := errOut.String()
	typ := reflect.TypeFor[Config]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if name := f.Tag.Get("envconfig"); !strings.Contains(help, name) {
			t.Errorf("-h lacks %s", name)
		}
		if def := f.Tag.Get("default"); def != "" && !strings.Contains(help, def) {
			t.Errorf("-h lacks the default %s of %s", def, f.Tag.Get("envconfig"))
		}
	}
	for _, fl := range []string{"-demo", "-emulator", "-backup"} {
		if !strings.Contains(help, fl) {
			t.Errorf("-h lacks the flag %s", fl)
		}
	}
}
