package bot_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/store"
)

func withHTTP(h *harness)    { h.listen = true }
func withWebhook(h *harness) { h.webhook = true }

func TestWebhookMode(t *testing.T) {
	h := newHarness(t, withWebhook)
	// Telegram (the fake) posts updates with the secret it was given.
	m := h.say("/start")
	expect(t, m, "Hello, Dana")
	if n := h.tg.Calls("getUpdates"); n != 0 {
		t.Errorf("getUpdates called %d times in webhook mode", n)
	}
	before := len(h.tg.BotMessages(h.user.ID))
	update := `{"update_id": 999, "message": {"message_id": 77, "date": 1, "chat": {"id": 4242, "type": "private"},
		"from": {"id": 4242, "first_name": "Dana"}, "text": "/help"}}`
	for _, tc := range []struct {
		name, method, secret string
		want                 int
	}{
		{"no secret", http.MethodPost, "", http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "not-the-secret", http.StatusUnauthorized},
		{"GET", http.MethodGet, "", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, "http://"+h.addr+"/telegram/hook", strings.NewReader(update))
			if tc.secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tc.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	// Nothing refused was handled: the right one is (a /help reply).
	m = h.say("/help")
	expect(t, m, "What I can do")
	if got := len(h.tg.BotMessages(h.user.ID)); got != before+1 {
		t.Errorf("bot messages = %d, want %d: a refused request was handled", got, before+1)
	}
	for _, d := range h.tg.WebhookDeliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("delivery of update %d answered %d", d.UpdateID, d.Status)
		}
	}
}

func TestWebhookBadBodies(t *testing.T) {
	h := newHarness(t, withWebhook)
	h.say("/start")
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"oversized", `{"update_id": 1, "message": {"text": "` + strings.Repeat("x", 2<<20) + `"}}`, http.StatusRequestEntityTooLarge},
		// An update that cannot be read is skipped with a 2xx: Telegram
		// would only send it again, and hold back the ones after it.
		{"not JSON", "<html>", http.StatusOK},
		{"an update of a kind the library cannot decode", `{"update_id": 77, "message": {"message_id": "not a number"}}`, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, "http://"+h.addr+"/telegram/hook", strings.NewReader(tc.body))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if got := len(h.tg.BotMessages(h.user.ID)); got != 1 {
		t.Errorf("bot messages = %d, want only the welcome", got)
	}
}

func TestHealthzAndMetrics(t *testing.T) {
	h := newHarness(t, withHTTP)
	get := func(path string) (int, string) {
		t.Helper()
		addr := h.addr
		if path == "/metrics" {
			addr = h.admin
		}
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/healthz")
	var hz struct {
		Status, Store, Mode string
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &hz) != nil || hz.Status != "ok" || hz.Mode != "polling" {
		t.Fatalf("/healthz = %d %s", code, body)
	}
	_, before := get("/metrics")
	if !strings.Contains(before, "# TYPE smmbot_updates_total counter") {
		t.Fatalf("/metrics is not the Prometheus text format:\n%s", before)
	}
	h.say("/balance")
	h.say("/order")
	h.press("First Category")
	h.press("Followers")
	h.say("https://instagram.com/dana")
	h.say("100")
	h.press("Confirm")
	h.bot.PollOnce(t.Context())
	_, after := get("/metrics")
	for name, atLeast := range map[string]float64{
		"smmbot_updates_total":                          7,
		"smmbot_orders_placed_total":                    1,
		`smmbot_panel_requests_total{action="add"}`:     1,
		`smmbot_panel_requests_total{action="balance"}`: 2,
		`smmbot_panel_requests_total{action="status"}`:  1,
		"smmbot_messages_sent_total":                    7,
		"smmbot_poll_cycle_seconds_count":               1,
	} {
		if got := metric(t, after, name); got < atLeast {
			t.Errorf("%s = %v, want at least %v", name, got, atLeast)
		}
		if metric(t, before, name) >= metric(t, after, name) && atLeast > 0 {
			t.Errorf("%s did not grow: %v then %v", name, metric(t, before, name), metric(t, after, name))
		}
	}
	if got := metric(t, after, "smmbot_outbox_depth"); got != 0 {
		t.Errorf("outbox depth = %v, want 0", got)
	}
	code, body = get("/healthz")
	if code != http.StatusOK || !strings.Contains(body, "last_poll") || !strings.Contains(body, "last_update") {
		t.Errorf("/healthz after traffic = %d %s, want last_poll and last_update", code, body)
	}
}

// metric reads one sample of the Prometheus text format; 0 when absent.
func metric(tb testing.TB, text, name string) float64 {
	tb.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` ([0-9.e+-]+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		tb.Fatalf("metric %s: %v", name, err)
	}
	return v
}

func TestBackupEndpoint(t *testing.T) {
	h := newHarness(t, withHTTP)
	h.say("/start")
	resp, err := http.Get("http://" + h.admin + "/backup")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) < 4096 {
		t.Fatalf("/backup = %d with %d bytes", resp.StatusCode, len(body))
	}
	// The copy is a whole database: it opens (with the key file) and holds
	// the chat.
	dir := t.TempDir()
	copyPath := filepath.Join(dir, "copy.db")
	key, err := os.ReadFile(h.dbPath + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyPath, body, 0o600); err != nil {
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
	if _, err := db.Chat(t.Context(), h.user.ID); err != nil {
		t.Errorf("the copy lacks the chat: %v", err)
	}
}

// TestOpsEndpointsNeverOnTheWebhookListener: /metrics and /backup answer
// 404 on LISTEN_ADDR whatever the headers; /healthz says words only.
func TestOpsEndpointsNeverOnTheWebhookListener(t *testing.T) {
	h := newHarness(t, withWebhook, withHTTP)
	h.say("/start")
	for _, path := range []string{"/metrics", "/backup", "/backup/", "//backup", "/debug/pprof/"} {
		for _, hdr := range []map[string]string{{}, {"X-Forwarded-For": "127.0.0.1"}, {"Forwarded": "for=127.0.0.1"}, {"X-Real-Ip": "127.0.0.1"}} {
			req, _ := http.NewRequest(http.MethodGet, "http://"+h.addr+path, nil)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s on LISTEN_ADDR with %v = %d, want 404", path, hdr, resp.StatusCode)
			}
		}
	}
}
