package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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
		PanelInFlight:  3,
		PanelPerMinute: 120,
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
		{"PANEL_IN_FLIGHT", map[string]string{"PANEL_IN_FLIGHT": "8"}},
		{"PANEL_IN_FLIGHT", map[string]string{"PANEL_IN_FLIGHT": "two"}},
		{"PANEL_PER_MINUTE", map[string]string{"PANEL_PER_MINUTE": "0"}},
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
		{"ADMIN_ADDR", map[string]string{"ADMIN_ADDR": "localhost"}},
		{"ADMIN_ADDR", map[string]string{"ADMIN_ADDR": "127.0.0.1:8080", "LISTEN_ADDR": ":8080"}},
		{"ADMIN_ADDR", map[string]string{"ADMIN_ADDR": ":9090", "LISTEN_ADDR": ":9090"}},
		{"TELEGRAM_TOKEN", map[string]string{"TELEGRAM_TOKEN": "not-a-token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(env(tt.env))
			if err == nil {
				t.Fatalf("loadConfig(%v) = nil error", tt.env)
			}
			if !namesVariable(err, tt.name) {
				t.Errorf("error %q has no line starting with %s:", err, tt.name)
			}
		})
	}
}

// namesVariable reports whether one of err's lines starts with "name:".
func namesVariable(err error, name string) bool {
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(line, name+":") {
			return true
		}
	}
	return false
}

// TestConfigReportsEveryProblem: one run names every bad variable, not
// only the first.
func TestConfigReportsEveryProblem(t *testing.T) {
	_, err := loadConfig(env(map[string]string{
		"TELEGRAM_TOKEN": "nope", "PANEL_URL": "ftp://x", "ALLOWED_USERS": "abc", "POLL_INTERVAL": "soon",
		"LOG_LEVEL": "loud", "LISTEN_ADDR": "x", "ADMIN_ADDR": "y", "ENCRYPTION_KEY": "short",
	}))
	if err == nil {
		t.Fatal("loadConfig = nil error")
	}
	for _, name := range []string{"TELEGRAM_TOKEN", "PANEL_URL", "ALLOWED_USERS", "POLL_INTERVAL", "LOG_LEVEL",
		"LISTEN_ADDR", "ADMIN_ADDR", "ENCRYPTION_KEY"} {
		if !namesVariable(err, name) {
			t.Errorf("error lacks %s:\n%v", name, err)
		}
	}
	if n := strings.Count(err.Error(), "ALLOWED_USERS:"); n != 1 {
		t.Errorf("ALLOWED_USERS reported %d times, want once:\n%v", n, err)
	}
}

// TestTokenShape refuses tokens that cannot be one, saying what one looks
// like and never repeating it.
func TestTokenShape(t *testing.T) {
	for _, tok := range []string{"abc", "987654", "bot987654:XYZdef", "987654:XYZ def", "987654:", ":XYZ", "987654:XYZ/def"} {
		t.Run(tok, func(t *testing.T) {
			_, err := loadConfig(env(map[string]string{"TELEGRAM_TOKEN": tok}))
			if err == nil || !strings.Contains(err.Error(), "TELEGRAM_TOKEN: does not look like 123456:ABC...") {
				t.Fatalf("token %q: error %v, want the shape sentence", tok, err)
			}
			if strings.Contains(err.Error(), tok) {
				t.Errorf("the error repeats the token: %v", err)
			}
		})
	}
	for _, tok := range []string{"123456:ABC-def_GHI", "1000000001:TEST-telegramtest-token"} {
		if _, err := loadConfig(env(map[string]string{"TELEGRAM_TOKEN": tok})); err != nil {
			t.Errorf("token %q refused: %v", tok, err)
		}
	}
}

// TestRunNeedsToken: the error names TELEGRAM_TOKEN, points at -demo and
// -emulator, and comes with the other problems of the same run.
func TestRunNeedsToken(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(t.Context(), nil, env(map[string]string{"LOG_LEVEL": "loud"}), strings.NewReader(""), &out, &errOut)
	if err == nil {
		t.Fatal("run without a token = nil")
	}
	for _, want := range []string{"TELEGRAM_TOKEN: required", "-demo", "-emulator", "LOG_LEVEL:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestRunArguments: flags only; anything else is an error.
func TestRunArguments(t *testing.T) {
	for _, args := range [][]string{{"serve"}, {"-nope"}, {"-demo", "extra"}, {"--backup"}} {
		err := run(t.Context(), args, env(nil), strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "smmbot -h") {
			t.Errorf("run %q = %v, want an error pointing at smmbot -h", args, err)
		}
	}
}

// TestHelpListsEveryVariable: -h names every flag and variable, with its
// default, on stdout.
func TestHelpListsEveryVariable(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"-h"}, env(nil), strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("run -h = %v, want nil", err)
	}
	help := out.String()
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

// TestMain lets a test run the real main in a child process (see
// runMain).
func TestMain(m *testing.M) {
	if os.Getenv("SMMBOT_TEST_MAIN") == "1" {
		os.Args = append([]string{"smmbot"}, strings.Fields(os.Getenv("SMMBOT_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs main as a program with args and an empty environment, and
// returns its exit code and output.
func runMain(tb testing.TB, args string) (code int, stdout, stderr string) {
	tb.Helper()
	cmd := exec.CommandContext(tb.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = []string{"SMMBOT_TEST_MAIN=1", "SMMBOT_TEST_ARGS=" + args, "DB_PATH=" + filepath.Join(tb.TempDir(), "x.db")}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		tb.Fatalf("run main: %v", err)
	}
	return code, out.String(), errOut.String()
}

func TestMainExitCodes(t *testing.T) {
	tests := []struct {
		args     string
		wantCode int
		want     string // in stdout for 0, stderr otherwise
	}{
		{"-h", 0, "TELEGRAM_TOKEN"},
		{"-help", 0, "ADMIN_ADDR"},
		{"", 1, "smmbot: TELEGRAM_TOKEN: required"},
		{"extra", 1, `unexpected argument "extra"`},
		{"-unknown", 1, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			code, stdout, stderr := runMain(t, tt.args)
			got := stderr
			if tt.wantCode == 0 {
				got = stdout
			}
			if code != tt.wantCode || !strings.Contains(got, tt.want) {
				t.Errorf("smmbot %s: exit %d, stdout %q, stderr %q; want exit %d with %q", tt.args, code, stdout, stderr, tt.wantCode, tt.want)
			}
		})
	}
}
