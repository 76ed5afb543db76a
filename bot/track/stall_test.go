package track_test

import (
	"fmt"
	"testing"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
)

const tries = 3 // MaxItemFailures in these tests

var errPaused = &smm.APIError{Action: "status", Message: "Order is locked by the provider"}

// TestStalledOrder: an order whose own error lasts MaxItemFailures cycles
// is given up with one "stalled" note and no longer tracked; the key's
// other orders are followed as before.
func TestStalledOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"panel error", errPaused},
		{"left out of the reply", fmt.Errorf("order 1: %w", smm.ErrNotInReply)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, s := withScripted(t, track.Config{Limits: track.Limits{MaxItemFailures: tries}})
			ids := h.seed(keyA, 3)
			s.setItemErr(ids[1], tc.err)
			for cycle := 1; cycle < tries; cycle++ {
				if st := h.poll(); st.Stalled != 0 || len(h.notes()) != 0 {
					t.Fatalf("cycle %d: %+v, outbox %d; want nothing yet", cycle, st, len(h.notes()))
				}
			}
			if st := h.poll(); st.Stalled != 1 || st.Changes != 1 {
				t.Errorf("cycle %d: %+v; want 1 stalled, 1 change", tries, st)
			}
			want := track.Note{Kind: track.KindStalled, Order: ids[1], KeyRef: h.ref(keyA), Name: "Followers", Old: "Pending"}
			if got := h.notes(); len(got) != 1 || got[0] != want {
				t.Errorf("outbox = %+v; want one note %+v", got, want)
			}
			if tr := h.tracked(keyA); len(tr.Orders) != 2 {
				t.Errorf("tracked orders = %v; want the other two", tr.Orders)
			}
			h.emu.ResetCounters()
			h.poll()
			if calls := h.emu.StatusCalls(); len(calls) != 1 || len(calls[0]) != 2 {
				t.Errorf("next cycle asked %v; want the other two orders", calls)
			}
			if _, i := h.poller.StateSize(); i != 0 {
				t.Errorf("%d failing items remembered; want 0", i)
			}
		})
	}
}

// TestStallNeedsConsecutiveFailures: a clean answer starts the count over.
func TestStallNeedsConsecutiveFailures(t *testing.T) {
	h, s := withScripted(t, track.Config{Limits: track.Limits{MaxItemFailures: tries}})
	ids := h.seed(keyA, 1)
	for range 4 {
		s.setItemErr(ids[0], errPaused)
		for range tries - 1 {
			h.poll()
		}
		s.setItemErr(ids[0], nil)
		h.poll()
	}
	if got := h.notes(); len(got) != 0 {
		t.Errorf("outbox = %+v; want nothing", got)
	}
	if tr := h.tracked(keyA); len(tr.Orders) != 1 {
		t.Errorf("order no longer tracked")
	}
}

// TestKeyFailuresDoNotStallItems: a key that fails as a whole backs off;
// its items are not given up for it.
func TestKeyFailuresDoNotStallItems(t *testing.T) {
	h, s := withScripted(t, track.Config{Limits: track.Limits{MaxItemFailures: tries, MaxBackoff: interval}})
	h.seed(keyA, 2)
	s.setKeyErr(keyA, errPanelDown)
	for range 3 * tries {
		h.poll()
		h.clock.Advance(interval)
	}
	if got := s.count(keyA); got < 2*tries {
		t.Fatalf("key asked %d times; want at least %d", got, 2*tries)
	}
	if got := len(h.notes()); got != 0 {
		t.Errorf("%d notes; want none", got)
	}
	if tr := h.tracked(keyA); len(tr.Orders) != 2 {
		t.Errorf("tracked orders = %v; want both", tr.Orders)
	}
}

// TestStalledRefill: a refill the panel keeps refusing ("Refill not
// found") is given up; the store stops tracking it (Final) and keeps its
// last status.
func TestStalledRefill(t *testing.T) {
	h, s := withScripted(t, track.Config{Limits: track.Limits{MaxItemFailures: tries}})
	ids := h.seed(keyA, 1)
	rf := h.seedRefill(keyA, ids[0])
	h.poll() // the order finishes
	s.setItemErr(rf, &smm.APIError{Action: "refill_status", Message: "Refill not found"})
	for range tries {
		h.poll()
	}
	notes := h.notes()
	want := track.Note{Kind: track.KindStalled, Order: ids[0], KeyRef: h.ref(keyA), Refill: rf, Old: "Pending"}
	if len(notes) != 2 || notes[1] != want {
		t.Errorf("outbox = %+v; want the order's status note, then %+v", notes, want)
	}
	if tr := h.tracked(keyA); len(tr.Refills) != 0 {
		t.Errorf("tracked refills = %v; want none", tr.Refills)
	}
}
