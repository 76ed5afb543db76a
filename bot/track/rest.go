package track

import (
	"slices"
	"strings"

	"github.com/smmbot/smmbot/smm"
)

// An order whose status is a word the bot does not know (panels invent
// their own) is not final, so it keeps being polled; but when the word
// stays the same cycle after cycle, it is asked about less and less often:
// after restAfter unchanged answers it skips 1 cycle, then 2, 4... up to
// maxRest, until its status changes.
const (
	restAfter = 3
	maxRest   = 16
)

// rest is an order's rest schedule.
type rest struct {
	same int // unchanged answers with an unknown word in a row
	skip int // cycles still to skip
}

// knownWord reports whether the bot knows a status word: a final one, or
// one of the common words of an order under way.
func knownWord(status string) bool {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "pending", "in progress", "processing":
		return true
	}
	return smm.IsFinished(status)
}

// awake returns the orders of ids that are not resting this cycle, and
// counts a skipped cycle for those that are.
func (s *keyStates) awake(ref string, ids []int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks, ok := s.m[ref]
	if !ok || len(ks.rests) == 0 {
		return ids
	}
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		r, resting := ks.rests[id]
		if resting && r.skip > 0 {
			r.skip--
			ks.rests[id] = r
			continue
		}
		out = append(out, id)
	}
	return out
}

// settle records, for each answered order, whether it kept an unknown
// word unchanged: those rest longer, the others are polled every cycle
// again.
func (s *keyStates) settle(ref string, same map[int64]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks, ok := s.m[ref]
	if !ok {
		ks = s.get(ref)
	}
	for id, kept := range same {
		if !kept {
			delete(ks.rests, id)
			continue
		}
		if ks.rests == nil {
			ks.rests = make(map[int64]rest)
		}
		r := ks.rests[id]
		r.same++
		if r.same >= restAfter {
			r.skip = min(1<<(r.same-restAfter), maxRest)
		}
		ks.rests[id] = r
	}
	s.dropIdle(ref, ks)
}

// pruneRests forgets the rests of orders no longer tracked. Caller holds
// s.mu.
func pruneRests(ks *keyState, orders []int64) {
	for id := range ks.rests {
		if _, found := slices.BinarySearch(orders, id); !found {
			delete(ks.rests, id)
		}
	}
}
