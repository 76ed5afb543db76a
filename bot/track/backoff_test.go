package track_test

import (
	"context"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// withScripted makes a harness whose panel is the scripted fake.
func withScripted(tb testing.TB, cfg track.Config) (*harness, *scripted) {
	var s *scripted
	h := newHarness(tb, cfg, func(p track.Panel) track.Panel {
		s = newScripted(p)
		return s
	})
	return h, s
}

// TestFailingKeyBacksOffAlone: a key whose panel keeps failing is polled
// after one interval, then two, four... up to MaxBackoff; another key is
// polled every cycle all along.
func TestFailingKeyBacksOffAlone(t *testing.T) {
	h, s := withScripted(t, track.Config{Limits: track.Limits{MaxBackoff: 8 * interval}})
	h.seed(keyA, 2)
	h.seed(keyB, 2)
	s.setKeyErr(keyA, errPanelDown)
	var polledA []int
	for minute := range 30 {
		before := s.count(keyA)
		st := h.poll()
		if s.count(keyA) > before {
			polledA = append(polledA, minute)
		}
		if s.count(keyB) != minute+1 {
			t.Fatalf("minute %d: key B polled %d times; want every cycle", minute, s.count(keyB))
		}
		if st.Keys+st.Skipped != 2 {
			t.Fatalf("minute %d: stats %+v; want 2 keys polled or skipped", minute, st)
		}
		h.clock.Advance(interval)
	}
	want := []int{0, 1, 3, 7, 15, 23}
	if !equal(polledA, want) {
		t.Errorf("failing key polled at minutes %v; want %v", polledA, want)
	}
	s.setKeyErr(keyA, nil)
	h.clock.Advance(8 * interval)
	if st := h.poll(); st.Errors != 0 || st.Keys != 2 {
		t.Errorf("after recovery: %+v; want both keys polled without errors", st)
	}
	if k, _ := h.poller.StateSize(); k != 0 {
		t.Errorf("%d keys remembered after recovery; want 0", k)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRetryAfterPausesOneKey: a 429 saying "retry after 10 minutes" holds
// that key back 10 minutes, past its plain backoff of one interval; the
// other key is polled every cycle.
func TestRetryAfterPausesOneKey(t *testing.T) {
	h, s := withScripted(t, track.Config{})
	h.seed(keyA, 1)
	idsB := h.seed(keyB, 1)
	s.setKeyErr(keyA, rateLimited{after: 10 * time.Minute})
	h.poll()
	s.setKeyErr(keyA, nil)
	h.emu.SetStatus(idsB[0], "Completed", 0)
	for minute := 2; minute < 10; minute += 2 {
		h.clock.Advance(2 * interval)
		h.poll()
		if got := s.count(keyA); got != 1 {
			t.Fatalf("minute %d: key A asked %d times; want 1 (pausing for Retry-After)", minute, got)
		}
	}
	if got := h.notes(); len(got) != 1 || got[0].Order != idsB[0] {
		t.Errorf("outbox = %+v; want key B's order finished", got)
	}
	h.clock.Advance(2 * interval) // 10 minutes
	h.poll()
	if got := s.count(keyA); got != 2 {
		t.Errorf("after Retry-After: key A asked %d times; want 2", got)
	}
}

// TestRetryAfterIsBounded: a panel asking for a day's pause is asked again
// after MaxRetryAfter.
func TestRetryAfterIsBounded(t *testing.T) {
	h, s := withScripted(t, track.Config{Limits: track.Limits{MaxRetryAfter: 20 * time.Minute}})
	h.seed(keyA, 1)
	s.setKeyErr(keyA, rateLimited{after: 24 * time.Hour})
	h.poll()
	h.clock.Advance(19 * time.Minute)
	h.poll()
	h.clock.Advance(time.Minute)
	h.poll()
	if got := s.count(keyA); got != 2 {
		t.Errorf("key A asked %d times in 20 minutes; want 2", got)
	}
}

// TestHangingKeyDoesNotHoldOthers: while one key's panel hangs, the other
// keys' changes are recorded and the notifier is woken after the cycle.
func TestHangingKeyDoesNotHoldOthers(t *testing.T) {
	h, s := withScripted(t, track.Config{Limits: track.Limits{KeysInFlight: 2}})
	h.seed(keyA, 1)
	idsB := h.seed(keyB, 1)
	release := make(chan struct{})
	s.setHang(keyA, release)
	h.emu.SetStatus(idsB[0], "Completed", 0)
	done := make(chan track.Stats)
	go func() {
		st, _ := h.poller.PollOnce(context.Background())
		done <- st
	}()
	waitUntil(t, "key B's change", func() bool { return len(h.notes()) == 1 })
	close(release)
	if st := <-done; st.Keys != 2 || st.Changes != 1 {
		t.Errorf("stats = %+v; want 2 keys, 1 change", st)
	}
}

// TestKeyTimeout: a key whose panel never answers fails after KeyTimeout
// and backs off; the cycle ends.
func TestKeyTimeout(t *testing.T) {
	h, s := withScripted(t, track.Config{Limits: track.Limits{KeyTimeout: 50 * time.Millisecond}})
	h.seed(keyA, 1)
	s.setHang(keyA, make(chan struct{}))
	if st := h.poll(); st.Errors != 1 {
		t.Errorf("stats = %+v; want 1 error", st)
	}
	if st := h.poll(); st.Skipped != 1 {
		t.Errorf("next cycle: %+v; want the key skipped", st)
	}
}

// TestStateShrinks: what the poller remembers of a key (backoff, failing
// items) goes once the store stops tracking the key's items.
func TestStateShrinks(t *testing.T) {
	h, s := withScripted(t, track.Config{})
	idsA := h.seed(keyA, 3)
	idsB := h.seed(keyB, 2)
	for _, id := range idsA {
		s.setItemErr(id, &smm.APIError{Action: "status", Message: "Service temporarily paused"})
	}
	s.setKeyErr(keyB, errPanelDown)
	h.poll()
	if k, i := h.poller.StateSize(); k != 2 || i != 3 {
		t.Fatalf("remembered %d keys, %d items; want 2 keys, 3 items", k, i)
	}
	for _, id := range append(idsA, idsB...) {
		h.emu.SetStatus(id, "Completed", 0)
	}
	s.setItemErr(idsA[0], nil) // one answers: forgotten at once
	h.clock.Advance(interval)
	h.poll()
	if k, i := h.poller.StateSize(); k != 2 || i != 2 {
		t.Fatalf("remembered %d keys, %d items; want 2 keys, 2 items", k, i)
	}
	// The store stops tracking everything (as when a user forgets the bot):
	// the next cycle forgets the keys, though B is still backing off.
	for _, id := range idsA[1:] {
		finish(t, h, keyA, id)
	}
	for _, id := range idsB {
		finish(t, h, keyB, id)
	}
	h.poll()
	if k, i := h.poller.StateSize(); k != 0 || i != 0 {
		t.Errorf("remembered %d keys, %d items; want none", k, i)
	}
}

// finish marks an order Final in the store, as a card refresh does.
func finish(tb testing.TB, h *harness, key string, id int64) {
	tb.Helper()
	err := h.db.UpdateOrder(context.Background(), h.ref(key), id, func(o *store.Order) ([]byte, error) {
		o.Status, o.Final = "Completed", true
		return nil, nil
	})
	if err != nil {
		tb.Fatalf("finish order %d: %v", id, err)
	}
}
