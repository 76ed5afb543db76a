package track_test

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
)

// rateLimited is a 429 as the smm client reports it: an error that says
// how long to wait.
type rateLimited struct{ after time.Duration }

func (e rateLimited) Error() string             { return "panel: HTTP 429" }
func (e rateLimited) RetryAfter() time.Duration { return e.after }

// scripted is the real panel with faults the emulator lacks: a whole
// request failing for one key, per-item errors other than "unknown
// order", a key whose requests hang. It counts each key's requests.
type scripted struct {
	track.Panel

	mu      sync.Mutex
	keyErr  map[string]error         // every request of the key fails
	itemErr map[int64]error          // an order's or refill's own error
	hang    map[string]chan struct{} // the key's requests wait for the channel to close
	calls   map[string]int
}

func newScripted(p track.Panel) *scripted {
	return &scripted{Panel: p, keyErr: map[string]error{}, itemErr: map[int64]error{},
		hang: map[string]chan struct{}{}, calls: map[string]int{}}
}

func (s *scripted) setKeyErr(key string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		delete(s.keyErr, key)
		return
	}
	s.keyErr[key] = err
}

func (s *scripted) setItemErr(id int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		delete(s.itemErr, id)
		return
	}
	s.itemErr[id] = err
}

func (s *scripted) setHang(key string, release chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang[key] = release
}

func (s *scripted) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[key]
}

// before counts a request and plays the key's faults.
func (s *scripted) before(ctx context.Context, key string) error {
	s.mu.Lock()
	s.calls[key]++
	err, release := s.keyErr[key], s.hang[key]
	s.mu.Unlock()
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func (s *scripted) itemFault(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.itemErr[id]
}

func (s *scripted) Statuses(ctx context.Context, key string, ids []int64) (map[int64]smm.StatusResult, error) {
	if err := s.before(ctx, key); err != nil {
		return nil, err
	}
	res, err := s.Panel.Statuses(ctx, key, ids)
	for id := range res {
		if e := s.itemFault(id); e != nil {
			res[id] = smm.StatusResult{Err: e}
		}
	}
	return res, err
}

func (s *scripted) RefillStatuses(ctx context.Context, key string, ids []int64) (map[int64]smm.RefillStatusResult, error) {
	if err := s.before(ctx, key); err != nil {
		return nil, err
	}
	res, err := s.Panel.RefillStatuses(ctx, key, ids)
	for id := range res {
		if e := s.itemFault(id); e != nil {
			res[id] = smm.RefillStatusResult{Err: e}
		}
	}
	return res, err
}

// errPanelDown is a request that failed as a whole.
var errPanelDown = errors.New("panel: HTTP 503, HTML page")
