package track_test

import (
	"testing"

	"github.com/smmbot/smmbot/bot/track"
)

// BenchmarkCycle10k is one poll cycle over 10,000 tracked orders of one
// key: a real store file, the panel emulator over loopback.
//
//   - steady: nothing changed (the common cycle): 100 status requests and
//     100 read transactions, no write.
//   - all change: every order's status word changed since the last cycle:
//     100 write transactions, 10,000 outbox entries.
func BenchmarkCycle10k(b *testing.B) {
	h := newHarness(b, track.Config{}, nil)
	ids := h.seed(keyA, 10_000)
	h.poll()
	b.Run("steady", func(b *testing.B) {
		h.emu.ResetCounters()
		b.ReportAllocs()
		for b.Loop() {
			if st := h.poll(); st.Changes != 0 {
				b.Fatalf("steady cycle changed %d orders", st.Changes)
			}
		}
		b.ReportMetric(float64(h.emu.Count("status"))/float64(b.N), "requests/op")
	})
	b.Run("all change", func(b *testing.B) {
		words := [2]string{"In progress", "Processing"}
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			for _, id := range ids {
				h.emu.SetStatus(id, words[n%2], 50)
			}
			n++
			b.StartTimer()
			if st := h.poll(); st.Changes != len(ids) {
				b.Fatalf("cycle changed %d orders; want %d", st.Changes, len(ids))
			}
		}
	})
}
