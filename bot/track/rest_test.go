package track_test

import (
	"testing"

	"github.com/smmbot/smmbot/bot/track"
)

// TestUnknownWordRests: an order whose status is a word the bot does not
// know keeps being polled, less and less often while the word stays the
// same; a known word under way is asked about every cycle.
func TestUnknownWordRests(t *testing.T) {
	for _, tc := range []struct {
		word    string
		maxAsks int
	}{{"Awaiting moderation", 8}, {"In progress", 20}} {
		t.Run(tc.word, func(t *testing.T) {
			h := newHarness(t, track.Config{}, nil)
			id := h.seed("KEY-A-0123456789", 1)[0]
			h.emu.SetStatus(id, tc.word, 10)
			h.emu.ResetCounters()
			for range 20 {
				h.poll()
			}
			asks := h.emu.Count("status")
			t.Logf("%q: %d status requests in 20 cycles", tc.word, asks)
			if asks > tc.maxAsks || asks < 5 {
				t.Errorf("20 cycles asked %d times about an order %q, want 5 to %d", asks, tc.word, tc.maxAsks)
			}
			h.emu.SetStatus(id, "Completed", 0)
			for range 20 {
				h.poll()
			}
			if o := h.order("KEY-A-0123456789", id); o.Status != "Completed" || !o.Final {
				t.Errorf("after the word changed to Completed the order is %q (final %v): the change was missed", o.Status, o.Final)
			}
		})
	}
}
