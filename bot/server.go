package bot

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/smmbot/smmbot/bot/ops"
)

// maxWebhookBody caps one webhook request: Telegram's updates are small.
const maxWebhookBody = 1 << 20

// Handler serves LISTEN_ADDR, which may face the internet: /healthz (status
// words only) and, in webhook mode, the webhook at the path of WebhookURL;
// anything else is 404. /metrics and /backup are on ADMIN_ADDR (main
// serves them with ops.Admin).
func (b *Bot) Handler() http.Handler {
	var hook http.Handler
	if b.cfg.WebhookURL != "" {
		hook = http.HandlerFunc(b.webhook)
	}
	return ops.Public(b.HealthHandler(), b.webhookPath(), hook)
}

func (b *Bot) webhookPath() string {
	u, err := url.Parse(b.cfg.WebhookURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// webhook takes an update from Telegram: POST only, the secret token
// required, the body capped. It answers 2xx only once the update is
// handled or kept in the inbox, so that Telegram sends it again after a
// crash; a repeated delivery is answered 2xx and skipped, and so is an
// update that cannot be decoded (sending it again would not help).
func (b *Bot) webhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if subtle.ConstantTimeCompare([]byte(got), []byte(b.secret)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	b.lastUpdate.Store(time.Now().UnixNano())
	_, h, a := b.accept(raw, false)
	switch a {
	case refused:
		http.Error(w, "stopping", http.StatusServiceUnavailable)
		return
	case taken:
		if err := b.in.settle(r.Context(), []*held{h}, b.cfg.ConfirmWait); err != nil {
			b.log.Error("keep update in the inbox", "update", h.id, "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// LastUpdate is when updates last arrived (getUpdates answered, or a
// webhook request was taken).
func (b *Bot) LastUpdate() time.Time { return unixTime(&b.lastUpdate) }

func unixTime(v *atomic.Int64) time.Time {
	if n := v.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// newSecret is a webhook secret token: Telegram allows A-Z, a-z, 0-9, _ and -.
func newSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}

// setWebhook points Telegram at WebhookURL with the secret token.
func (b *Bot) setWebhook(ctx context.Context) error {
	_, err := b.api.SetWebhook(ctx, &tg.SetWebhookParams{URL: b.cfg.WebhookURL, SecretToken: b.secret,
		AllowedUpdates: allowedUpdates})
	if err != nil {
		return fmt.Errorf("set webhook: %w", maskToken(err, b.cfg.Token))
	}
	return nil
}

// serveHTTP runs the LISTEN_ADDR server until ctx ends, then lets requests
// in flight finish.
func (b *Bot) serveHTTP(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: b.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("http server shutdown: %w", err)
	}
	return nil
}
