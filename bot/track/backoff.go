package track

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/smmbot/smmbot/store"
)

// retryAfter is the error of a panel reply that says how long to wait
// (HTTP 429 with Retry-After). The smm client's rate-limit error has it.
type retryAfter interface{ RetryAfter() time.Duration }

// keyStates is the poller's memory of each key: its backoff after errors
// and its items' failing cycles. A key is here only while it is backing
// off or has failing items, and only while it is tracked: every cycle
// prunes what the store no longer tracks, so the map never outgrows the
// tracking bucket.
type keyStates struct {
	base time.Duration // the first backoff: one interval
	lim  Limits

	mu sync.Mutex
	m  map[string]*keyState // by key reference
}

type keyState struct {
	until time.Time      // not polled before
	wait  time.Duration  // the last backoff; zero when not backing off
	fails map[item]int   // consecutive failing cycles of an item
	rests map[int64]rest // orders whose unknown status word stays the same
}

// item is an order or a refill of one key.
type item struct {
	refill bool
	id     int64
}

func newKeyStates(base time.Duration, lim Limits) *keyStates {
	return &keyStates{base: base, lim: lim, m: make(map[string]*keyState)}
}

// due reports whether a key may be polled at now.
func (s *keyStates) due(ref string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks, ok := s.m[ref]
	return !ok || !now.Before(ks.until)
}

// fail backs a key off after err: one interval, doubling up to
// MaxBackoff, and at least as long as the panel asked (a 429's
// Retry-After, up to MaxRetryAfter). It returns the pause.
func (s *keyStates) fail(ref string, now time.Time, err error) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks := s.get(ref)
	ks.wait = min(max(ks.wait*2, s.base), s.lim.MaxBackoff)
	pause := ks.wait
	var ra retryAfter
	if errors.As(err, &ra) {
		pause = max(pause, min(ra.RetryAfter(), s.lim.MaxRetryAfter))
	}
	ks.until = now.Add(pause)
	return pause
}

// ok ends a key's backoff after a poll without errors.
func (s *keyStates) ok(ref string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks, found := s.m[ref]
	if !found {
		return
	}
	ks.until, ks.wait = time.Time{}, 0
	s.dropIdle(ref, ks)
}

// get returns a key's state, made when missing. Caller holds s.mu.
func (s *keyStates) get(ref string) *keyState {
	ks, ok := s.m[ref]
	if !ok {
		ks = &keyState{}
		s.m[ref] = ks
	}
	return ks
}

// dropIdle forgets a key with nothing to remember. Caller holds s.mu.
func (s *keyStates) dropIdle(ref string, ks *keyState) {
	if ks.wait == 0 && len(ks.fails) == 0 && len(ks.rests) == 0 {
		delete(s.m, ref)
	}
}

// prune forgets the keys and items the store no longer tracks.
func (s *keyStates) prune(tracked map[string]store.Tracked) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ref, ks := range s.m {
		tr, ok := tracked[ref]
		if !ok {
			delete(s.m, ref)
			continue
		}
		for it := range ks.fails {
			ids := tr.Orders
			if it.refill {
				ids = tr.Refills
			}
			if _, found := slices.BinarySearch(ids, it.id); !found {
				delete(ks.fails, it)
			}
		}
		pruneRests(ks, tr.Orders)
		s.dropIdle(ref, ks)
	}
}

// size is how many keys and failing or resting items are remembered.
func (s *keyStates) size() (keys, items int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ks := range s.m {
		items += len(ks.fails) + len(ks.rests)
	}
	return len(s.m), items
}
