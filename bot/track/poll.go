package track

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/smmbot/smmbot/store"
)

// PollOnce runs one poll cycle now: every tracked key that is not backing
// off, KeysInFlight at a time. A key's failure is counted in Stats.Errors
// and backs that key off; the error is for a cycle that could not start
// (the store's tracking list unreadable).
func (p *Poller) PollOnce(ctx context.Context) (Stats, error) {
	p.cycle.Lock()
	defer p.cycle.Unlock()
	start := time.Now() // the real duration, whatever the configured clock
	var total Stats
	defer func() {
		if p.cfg.Observe != nil {
			p.cfg.Observe(time.Since(start), total)
		}
	}()
	tracked, err := p.cfg.Store.Tracking(ctx)
	if err != nil {
		total.Errors++
		return total, fmt.Errorf("poll: %w", err)
	}
	p.keys.prune(tracked)
	total = p.pollKeys(ctx, tracked)
	if total.Errors == 0 {
		p.last.Store(p.cfg.Now().UnixNano())
	}
	if total.Changes > 0 && p.cfg.Wake != nil {
		p.cfg.Wake()
	}
	return total, nil
}

// pollKeys polls the keys that are due, a bounded number at a time.
func (p *Poller) pollKeys(ctx context.Context, tracked map[string]store.Tracked) Stats {
	var (
		mu    sync.Mutex
		total Stats
		wg    sync.WaitGroup
		sem   = make(chan struct{}, p.cfg.Limits.KeysInFlight)
		skip  int // counted apart: total is the workers' under mu
	)
	now := p.cfg.Now()
	for ref, tr := range tracked {
		if !p.keys.due(ref, now) {
			skip++
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			total.Skipped += skip
			return total
		}
		wg.Go(func() {
			defer func() { <-sem }()
			st := p.pollKey(ctx, ref, tr)
			mu.Lock()
			defer mu.Unlock()
			total.add(st)
		})
	}
	wg.Wait()
	total.Skipped += skip
	return total
}

// pollKey polls one key's orders, then its refills. A failure backs the
// key off.
func (p *Poller) pollKey(ctx context.Context, ref string, tr store.Tracked) Stats {
	if d := p.cfg.Limits.KeyTimeout; d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	st := Stats{Keys: 1}
	key, err := p.cfg.Store.Key(ctx, ref)
	if err != nil {
		p.failKey(ctx, ref, "load key", err)
		st.Errors++
		return st
	}
	for _, part := range []struct {
		what string
		ids  []int64
		poll func(ctx context.Context, key, ref string, ids []int64) (Stats, error)
	}{{"orders", tr.Orders, p.pollOrders}, {"refills", tr.Refills, p.pollRefills}} {
		if len(part.ids) == 0 {
			continue
		}
		got, err := part.poll(ctx, key, ref, part.ids)
		st.add(got)
		if err != nil {
			p.failKey(ctx, ref, "poll "+part.what, err)
			st.Errors++
			return st
		}
	}
	p.keys.ok(ref)
	return st
}

// failKey backs a key off and says so once.
func (p *Poller) failKey(ctx context.Context, ref, op string, err error) {
	pause := p.keys.fail(ref, p.cfg.Now(), err)
	if errors.Is(ctx.Err(), context.Canceled) {
		return // shutting down: not the panel's fault
	}
	p.log.Warn(op, "key_ref", ref, "err", err, "pause", pause)
}

// gaveUp counts and logs the items of a key given up (and recorded so).
func (p *Poller) gaveUp(ref, what string, stalled map[int64]bool, st *Stats) {
	if len(stalled) == 0 {
		return
	}
	st.Stalled += len(stalled)
	p.log.Info("stopped following "+what+" the panel keeps failing on", "key_ref", ref, "ids", keys(stalled))
}
