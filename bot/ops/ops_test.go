package ops_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/smmbot/smmbot/bot/ops"
	"github.com/smmbot/smmbot/store"
)

var _ ops.Backuper = (*store.DB)(nil)

// okHealth is a healthy bot in polling mode.
func okHealth(context.Context) ops.Health { return ops.Health{Mode: "polling"} }

func marker(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })
}

// TestPublicServesOnlyWebhookAndHealth: /backup, /metrics and anything
// else answer 404 on the public listener whatever the headers, method,
// host or spelling of the path; the webhook and /healthz answer.
func TestPublicServesOnlyWebhookAndHealth(t *testing.T) {
	srv := httptest.NewServer(ops.Public(marker("health"), "/hook/abc", marker("webhook")))
	t.Cleanup(srv.Close)
	headers := []map[string]string{
		nil,
		{"X-Forwarded-For": "127.0.0.1"},
		{"Forwarded": "for=127.0.0.1"},
		{"X-Real-Ip": "127.0.0.1"},
		{"Host": "localhost"},
		{"Host": "127.0.0.1"},
		{"X-Telegram-Bot-Api-Secret-Token": "anything", "Authorization": "Bearer x"},
	}
	paths := []string{"/backup", "/metrics", "/backup/", "/metrics/", "//backup", "/./backup", "/a/../metrics",
		"/%62ackup", "/BACKUP", "/backup?x=1", "/", "/hook", "/hook/abc/", "/debug/pprof/"}
	for _, h := range headers {
		for _, p := range paths {
			for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodHead} {
				t.Run(method+" "+p, func(t *testing.T) {
					code, body := do(t, method, srv.URL+p, h)
					if code != http.StatusNotFound || strings.Contains(body, "health") || strings.Contains(body, "webhook") {
						t.Errorf("%s %s with %v = %d %q, want 404", method, p, h, code, body)
					}
				})
			}
		}
	}
	for p, want := range map[string]string{"/healthz": "health", "/hook/abc": "webhook"} {
		if code, body := do(t, http.MethodGet, srv.URL+p, nil); code != http.StatusOK || body != want {
			t.Errorf("GET %s = %d %q, want 200 %q", p, code, body, want)
		}
	}
}

func TestPublicWithoutWebhook(t *testing.T) {
	srv := httptest.NewServer(ops.Public(marker("health"), "/", nil))
	t.Cleanup(srv.Close)
	if code, _ := do(t, http.MethodPost, srv.URL+"/", nil); code != http.StatusNotFound {
		t.Errorf("POST / in polling mode = %d, want 404", code)
	}
}

func do(tb testing.TB, method, url string, headers map[string]string) (int, string) {
	tb.Helper()
	req, err := http.NewRequestWithContext(tb.Context(), method, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestAdminServesMetricsBackupHealth(t *testing.T) {
	db := openStore(t)
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "smmbot_test_total", Help: "A test counter."})
	reg.MustRegister(c)
	c.Add(3)
	srv := httptest.NewServer(ops.Admin{Health: okHealth, Metrics: reg, Backup: db, BackupDir: t.TempDir()}.Handler())
	t.Cleanup(srv.Close)
	tests := []struct {
		path     string
		wantCode int
		want     string
	}{
		{"/metrics", http.StatusOK, "smmbot_test_total 3"},
		{"/healthz", http.StatusOK, `"status":"ok"`},
		{"/backup", http.StatusOK, ""},
		{"/", http.StatusNotFound, ""},
		{"/backup/", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body := do(t, http.MethodGet, srv.URL+tt.path, nil)
			if code != tt.wantCode || !strings.Contains(body, tt.want) {
				t.Errorf("GET %s = %d %.80q, want %d containing %q", tt.path, code, body, tt.wantCode, tt.want)
			}
		})
	}
}

func TestAdminNilFieldsAre404(t *testing.T) {
	srv := httptest.NewServer(ops.Admin{}.Handler())
	t.Cleanup(srv.Close)
	for _, p := range []string{"/healthz", "/metrics", "/backup"} {
		if code, _ := do(t, http.MethodGet, srv.URL+p, nil); code != http.StatusNotFound {
			t.Errorf("GET %s on an empty admin mux = %d, want 404", p, code)
		}
	}
}

// TestServeStopsWithContext: Serve answers until ctx ends, then returns
// nil and the listener is closed.
func TestServeStopsWithContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- ops.Serve(ctx, ln, marker("up")) }()
	if code, body := do(t, http.MethodGet, "http://"+ln.Addr().String()+"/", nil); code != http.StatusOK || body != "up" {
		t.Fatalf("GET / = %d %q", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("the listener still accepts after Serve returned")
	}
}

func TestServeReportsListenerFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	err = ops.Serve(t.Context(), ln, marker("up"))
	if err == nil || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve on a closed listener = %v, want net.ErrClosed", err)
	}
}

// waitFor fails tb unless done closes within a generous deadline: the
// thing waited for is expected at once, and would otherwise never come.
func waitFor(tb testing.TB, done <-chan struct{}, what string) {
	tb.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		tb.Fatalf("%s: never happened", what)
	}
}
