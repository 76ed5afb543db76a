package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

// Webhook retries: defaults of Options.WebhookAttempts and
// WebhookBackoff, and the backoff's cap as a multiple of the first wait.
const (
	defaultAttempts = 10
	defaultBackoff  = 50 * time.Millisecond
	backoffCap      = 40
)

var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Delivery is one attempt to post an update to the webhook.
type Delivery struct {
	UpdateID int
	Status   int    // the HTTP status; 0 when the request failed
	Err      string // why the request failed, if it did
	Attempt  int    // 1 for the first post of this update, 2 for the first retry...
	Dropped  bool   // this failure was the last attempt: the update is gone
	At       time.Time
}

// Accepted reports whether the webhook answered this attempt with a 2xx.
func (d Delivery) Accepted() bool {
	return d.Err == "" && d.Status >= 200 && d.Status < 300
}

// webhook is a set webhook and its delivery loop.
type webhook struct {
	url, secret string
	maxConns    int
	cancel      context.CancelFunc
	done        chan struct{}
	lastErrDate int
	lastErrMsg  string
}

func (h *webhook) stop() {
	h.cancel()
	<-h.done
}

// WebhookDeliveries is every delivery attempt, in order.
func (s *Server) WebhookDeliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// setWebhook starts posting updates to url, one at a time in order, with
// the secret_token header. The fake takes http URLs as well as https.
func (s *Server) setWebhook(_ context.Context, p params) (any, *apiError) {
	if p["url"] == "" {
		return s.deleteWebhook(context.Background(), p)
	}
	if u, err := url.Parse(p["url"]); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	if p.has("secret_token") && !secretToken.MatchString(p["secret_token"]) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	var allowed []string
	if p.has("allowed_updates") && p.decode("allowed_updates", &allowed) != nil {
		return nil, badRequest("can't parse allowed updates")
	}
	conns := p.int("max_connections")
	if conns < 1 || conns > 100 {
		conns = 40
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &webhook{url: p["url"], secret: p["secret_token"], maxConns: conns, cancel: cancel, done: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		cancel()
		return nil, errClosed
	}
	old := s.hook
	s.hook = h
	if p.has("allowed_updates") {
		s.allowed = allowed
	}
	if p.bool("drop_pending_updates") {
		s.updates = nil
	}
	s.notifyLocked()
	s.mu.Unlock()
	desc := "Webhook was set"
	if old != nil {
		old.stop()
		if old.url == h.url {
			desc = "Webhook is already set"
		}
	}
	go s.deliver(ctx, h)
	return described{true, desc}, nil
}

// deleteWebhook goes back to getUpdates.
func (s *Server) deleteWebhook(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	old := s.hook
	s.hook = nil
	if p.bool("drop_pending_updates") {
		s.updates = nil
	}
	s.notifyLocked()
	s.mu.Unlock()
	if old == nil {
		return described{true, "Webhook is already deleted"}, nil
	}
	old.stop()
	return described{true, "Webhook was deleted"}, nil
}

func (s *Server) getWebhookInfo(context.Context, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := models.WebhookInfo{PendingUpdateCount: len(s.updates)}
	if h := s.hook; h != nil {
		info.URL, info.MaxConnections = h.url, h.maxConns
		info.LastErrorDate, info.LastErrorMessage = h.lastErrDate, h.lastErrMsg
		info.AllowedUpdates = s.allowed
	}
	return info, nil
}

// deliver posts the queued updates to h until ctx ends, retrying a failed
// one after a backoff that doubles, up to the attempts bound; an update
// leaves the queue once accepted (2xx) or dropped.
func (s *Server) deliver(ctx context.Context, h *webhook) {
	defer close(h.done)
	var last int64 // the update of the previous attempt
	attempt := 0
	for {
		e, ok := s.nextDelivery(ctx)
		if !ok {
			return
		}
		if e.id != last {
			last, attempt = e.id, 0
		}
		attempt++
		status, err := s.post(ctx, h, e)
		if ctx.Err() != nil {
			return
		}
		if s.recordDelivery(h, e.id, attempt, status, err) {
			last = 0
			continue
		}
		t := time.NewTimer(s.backoffAfter(attempt))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
}

// backoffAfter is the wait after the attempt-th failed post of an update.
func (s *Server) backoffAfter(attempt int) time.Duration {
	d := s.backoff
	for i := 1; i < attempt && d < backoffCap*s.backoff; i++ {
		d *= 2
	}
	return min(d, backoffCap*s.backoff)
}

// nextDelivery waits for the oldest deliverable update.
func (s *Server) nextDelivery(ctx context.Context) (entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if ctx.Err() != nil {
			return entry{}, false
		}
		if batch := s.pendingLocked(1); len(batch) > 0 {
			return batch[0], true
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
		}
		s.mu.Lock()
	}
}

// post sends one update as Telegram does and returns the HTTP status.
func (s *Server) post(ctx context.Context, h *webhook, e entry) (int, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return 0, fmt.Errorf("encode update %d: %w", e.id, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("post update %d: %w", e.id, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if h.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", h.secret)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post update %d: %w", e.id, err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

// recordDelivery notes an attempt and drops the update once accepted or
// out of attempts; it reports whether it was accepted.
func (s *Server) recordDelivery(h *webhook, id int64, attempt, status int, err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := Delivery{UpdateID: int(id), Status: status, Attempt: attempt, At: s.now()}
	if err != nil {
		d.Err = err.Error()
	}
	ok := d.Accepted()
	switch {
	case err != nil:
		h.lastErrMsg = d.Err
	case !ok:
		h.lastErrMsg = fmt.Sprintf("Wrong response from the webhook: %d %s", status, http.StatusText(status))
	}
	if !ok {
		h.lastErrDate = int(s.now().Unix())
		d.Dropped = attempt >= s.attempts
	}
	s.deliveries = append(s.deliveries, d)
	if ok || d.Dropped {
		i := slices.IndexFunc(s.updates, func(e entry) bool { return e.id == id })
		if i >= 0 {
			s.updates = slices.Delete(s.updates, i, i+1)
		}
	}
	s.notifyLocked()
	return ok
}
