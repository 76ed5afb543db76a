package telegramtest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

// switchHook answers webhook posts with status and keeps their bodies.
type switchHook struct {
	mu     sync.Mutex
	status int
	bodies [][]byte
}

func (h *switchHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.bodies = append(h.bodies, body)
	status := h.status
	h.mu.Unlock()
	w.WriteHeader(status)
}

func (h *switchHook) set(status int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status = status
}

func (h *switchHook) body(i int) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.bodies[i]
}

// startHook serves h and points the fake's webhook at it.
func startHook(tb testing.TB, url string, h http.Handler) {
	tb.Helper()
	hs := httptest.NewServer(h)
	tb.Cleanup(hs.Close)
	if r := call(tb, url, "setWebhook", map[string]any{"url": hs.URL + "/hook"}); !r.OK {
		tb.Fatalf("setWebhook: %+v", r)
	}
}

// deliveriesOf is the attempts for one update.
func deliveriesOf(s *telegramtest.Server, id int) []telegramtest.Delivery {
	var out []telegramtest.Delivery
	for _, d := range s.WebhookDeliveries() {
		if d.UpdateID == id {
			out = append(out, d)
		}
	}
	return out
}

func TestWebhookRetriesAreBounded(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{WebhookAttempts: 3, WebhookBackoff: time.Millisecond})
	hook := &switchHook{status: http.StatusServiceUnavailable}
	startHook(t, url, hook)
	s.SendText(alice, "lost")
	waitFor(t, s, "the update dropped", func() bool { return s.Pending() == 0 })
	got := deliveriesOf(s, 1)
	if len(got) != 3 {
		t.Fatalf("attempts %+v, want 3", got)
	}
	for i, d := range got {
		if d.Attempt != i+1 || d.Status != http.StatusServiceUnavailable || d.Accepted() || d.Dropped != (i == 2) {
			t.Errorf("attempt %d = %+v, want attempt %d, 503, dropped only at the last", i, d, i+1)
		}
	}
	hook.set(http.StatusOK)
	s.SendText(alice, "kept")
	waitFor(t, s, "the second update accepted", func() bool { return len(deliveriesOf(s, 2)) == 1 && s.Pending() == 0 })
	if d := deliveriesOf(s, 2)[0]; !d.Accepted() || d.Attempt != 1 {
		t.Errorf("delivery = %+v, want accepted at the first attempt", d)
	}
}

func TestRedeliverDuplicates(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	hook := &switchHook{status: http.StatusOK}
	startHook(t, url, hook)
	s.SendText(alice, "once")
	waitFor(t, s, "the delivery", func() bool { return len(deliveriesOf(s, 1)) == 1 })
	if err := s.Redeliver(1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, "the duplicate", func() bool { return len(deliveriesOf(s, 1)) == 2 })
	if string(hook.body(0)) != string(hook.body(1)) {
		t.Errorf("duplicate %s differs from %s", hook.body(1), hook.body(0))
	}
	if err := s.Redeliver(99); !errors.Is(err, telegramtest.ErrNoUpdate) {
		t.Errorf("Redeliver(99): %v, want ErrNoUpdate", err)
	}
}

func TestRawUpdateThroughWebhook(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	hook := &switchHook{status: http.StatusOK}
	startHook(t, url, hook)
	id, err := s.SendRaw(`{"update_id": 77, "message": {"message_id": 1, "date": 1, "chat": {"id": "x", "type": "private"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, "the delivery", func() bool { return len(deliveriesOf(s, id)) == 1 })
	var got map[string]json.RawMessage
	if err := json.Unmarshal(hook.body(0), &got); err != nil || string(got["update_id"]) != "1" || len(got["message"]) == 0 {
		t.Errorf("posted %s, want update_id 1 and the message as given", hook.body(0))
	}
}
