package track

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Limits.KeyTimeout)
	defer cancel()
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

// inChunks runs write over ids, StoreBatch at a time (one store
// transaction each), and sums what it wrote.
func (p *Poller) inChunks(ids []int64, write func(chunk []int64) (int, error)) (int, error) {
	total := 0
	for chunk := range slices.Chunk(ids, p.cfg.Limits.StoreBatch) {
		n, err := write(chunk)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
