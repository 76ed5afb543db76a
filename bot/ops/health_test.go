package ops_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/ops"
)

func TestHealth(t *testing.T) {
	poll := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	secret := errors.New("open /var/lib/smmbot/smmbot.db: input/output error")
	tests := []struct {
		name     string
		health   ops.Health
		wantCode int
		want     map[string]string
	}{
		{"ok", ops.Health{LastPoll: poll, Mode: "webhook"}, http.StatusOK,
			map[string]string{"status": "ok", "store": "ok", "mode": "webhook", "last_poll": "2026-12-01T10:00:00Z"}},
		{"store down", ops.Health{Store: secret, Mode: "polling"}, http.StatusServiceUnavailable,
			map[string]string{"status": "unavailable", "store": "unavailable", "mode": "polling"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := ops.HealthHandler(func(context.Context) ops.Health { return tt.health },
				slog.New(slog.NewTextHandler(&logs, nil)))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
			if rec.Code != tt.wantCode {
				t.Errorf("code = %d, want %d", rec.Code, tt.wantCode)
			}
			var got map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q (body %s)", k, got[k], v, rec.Body)
				}
			}
			if strings.Contains(rec.Body.String(), "input/output") || strings.Contains(rec.Body.String(), "/var/lib") {
				t.Errorf("body %s carries the error's text", rec.Body)
			}
			if tt.health.Store != nil && !strings.Contains(logs.String(), "input/output error") {
				t.Errorf("the store's error was not logged: %q", logs.String())
			}
		})
	}
}

func TestHealthMethods(t *testing.T) {
	h := ops.HealthHandler(okHealth, nil)
	for method, want := range map[string]int{http.MethodGet: 200, http.MethodHead: 200, http.MethodPost: 405, http.MethodDelete: 405} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, "/healthz", nil))
		if rec.Code != want {
			t.Errorf("%s /healthz = %d, want %d", method, rec.Code, want)
		}
	}
}
