package telegramtest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

// hookEndpoint is the bot's webhook: it fails the first failFirst posts
// with 500 and records the secret header of each.
type hookEndpoint struct {
	mu        sync.Mutex
	secrets   []string
	failFirst int
	next      http.Handler
}

func (h *hookEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.secrets = append(h.secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
	fail := len(h.secrets) <= h.failFirst
	h.mu.Unlock()
	if fail {
		http.Error(w, "down", http.StatusInternalServerError)
		return
	}
	h.next.ServeHTTP(w, r)
}

func (h *hookEndpoint) seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.secrets...)
}

func TestWebhookMode(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	const secret = "s3cret-Token_1"
	b := newBot(t, url, bot.WithWebhookSecretToken(secret), bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
		if u.Message != nil {
			_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "echo: " + u.Message.Text})
		}
	}))
	endpoint := &hookEndpoint{failFirst: 1, next: b.WebhookHandler()}
	hook := httptest.NewServer(endpoint)
	t.Cleanup(hook.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.StartWebhook(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	ok, err := b.SetWebhook(t.Context(), &bot.SetWebhookParams{URL: hook.URL + "/hook", SecretToken: secret})
	if err != nil || !ok {
		t.Fatalf("SetWebhook = %v, %v", ok, err)
	}
	if r := call(t, url, "getUpdates", nil); r.ErrorCode != 409 || r.Description != "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" {
		t.Errorf("getUpdates with a webhook: %+v, want 409", r)
	}
	id := s.SendText(alice, "ping")
	waitFor(t, s, "the echo", func() bool {
		m, _ := s.LastBotMessage(alice.ID)
		return m.Text == "echo: ping"
	})
	// The echo can come before the delivery's answer is recorded.
	waitFor(t, s, "the update confirmed", func() bool { return s.Pending() == 0 })
	want := []telegramtest.Delivery{{UpdateID: 1, Status: 500, Attempt: 1}, {UpdateID: 1, Status: 200, Attempt: 2}}
	got := s.WebhookDeliveries()
	for i := range got {
		got[i].At = time.Time{}
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("deliveries = %+v, want %+v (message %d)", got, want, id)
	}
	for _, got := range endpoint.seen() {
		if got != secret {
			t.Errorf("secret header %q, want %q", got, secret)
		}
	}
	info, err := b.GetWebhookInfo(t.Context())
	if err != nil || info.URL != hook.URL+"/hook" || info.PendingUpdateCount != 0 || info.LastErrorMessage == "" {
		t.Errorf("GetWebhookInfo = %+v, %v", info, err)
	}

	if _, err := b.DeleteWebhook(t.Context(), &bot.DeleteWebhookParams{}); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	s.SendText(alice, "polling again")
	if got := updates(t, call(t, url, "getUpdates", nil)); len(got) != 1 || got[0].Message.Text != "polling again" {
		t.Errorf("getUpdates after deleteWebhook = %+v", got)
	}
}

func TestSetWebhookChecks(t *testing.T) {
	_, url := newServer(t, telegramtest.Options{})
	tests := []struct {
		name string
		body map[string]any
		want string
	}{
		{"not http", map[string]any{"url": "ftp://example.com/hook"}, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"},
		{"bad secret", map[string]any{"url": "https://example.com/hook", "secret_token": "no spaces allowed"}, "Bad Request: secret token contains unallowed characters"},
		{"empty url deletes", map[string]any{"url": ""}, "Webhook is already deleted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := call(t, url, "setWebhook", tt.body); r.Description != tt.want {
				t.Errorf("setWebhook = %+v, want %q", r, tt.want)
			}
		})
	}
}
