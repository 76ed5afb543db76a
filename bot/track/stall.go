package track

import (
	"maps"
	"slices"
)

// count records one cycle's per-item outcomes of a key: the items that
// were answered cleanly start over, the failing ones count one more
// failing cycle. It returns the failing items that reached
// MaxItemFailures: they are to be given up.
func (s *keyStates) count(ref string, refill bool, answered, failed []int64) map[int64]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks, ok := s.m[ref]
	if !ok && len(failed) == 0 {
		return nil
	}
	if !ok {
		ks = s.get(ref)
	}
	for _, id := range answered {
		delete(ks.fails, item{refill, id})
	}
	var stalled map[int64]bool
	for _, id := range failed {
		if ks.fails == nil {
			ks.fails = make(map[item]int)
		}
		it := item{refill, id}
		ks.fails[it]++
		if ks.fails[it] >= s.lim.MaxItemFailures {
			if stalled == nil {
				stalled = make(map[int64]bool)
			}
			stalled[id] = true
		}
	}
	s.dropIdle(ref, ks)
	return stalled
}

// keys lists a set's ids in order, for a log line.
func keys(set map[int64]bool) []int64 { return slices.Sorted(maps.Keys(set)) }
