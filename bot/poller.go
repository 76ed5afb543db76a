package bot

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// Poller bounds.
const (
	pollKeysInFlight = 4                // keys polled at once
	storeBatch       = 100              // orders updated per store transaction
	maxKeyBackoff    = 30 * time.Minute // a failing key is retried at least this often
)

// poller follows every unfinished order and refill: each cycle asks the
// panel for their statuses in batches (at most 100 ids a request, through
// the client) and records each change with its notification in one store
// transaction.
type poller struct {
	b        *Bot
	interval time.Duration
	wake     func() // tells the notifier there is news

	mu      sync.Mutex
	backoff map[string]keyBackoff // by key reference

	lastOK atomic.Int64 // unix nanos of the last cycle without errors
}

type keyBackoff struct {
	until time.Time
	wait  time.Duration
}

// PollStats is what one poll cycle did.
type PollStats struct {
	Keys, Orders, Refills, Changes, Errors int
}

// run polls every interval, with ±10% jitter, until ctx ends.
func (p *poller) run(ctx context.Context) {
	for {
		if _, err := p.cycle(ctx); err != nil && ctx.Err() == nil {
			p.b.log.Warn("poll cycle", "err", err)
		}
		jitter := time.Duration(rand.Int64N(int64(p.interval)/5+1)) - p.interval/10
		if sleep(ctx, p.interval+jitter) != nil {
			return
		}
	}
}

// cycle polls every tracked key once, a bounded number at a time.
func (p *poller) cycle(ctx context.Context) (PollStats, error) {
	start := time.Now()
	defer func() { p.b.metrics.pollSeconds.Observe(time.Since(start).Seconds()) }()
	tracked, err := p.b.db.Tracking(ctx)
	if err != nil {
		return PollStats{}, err
	}
	var (
		mu    sync.Mutex
		total PollStats
		wg    sync.WaitGroup
		sem   = make(chan struct{}, pollKeysInFlight)
	)
	now := time.Now()
	for ref, tr := range tracked {
		if p.waiting(ref, now) {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			st := p.pollKey(ctx, ref, tr)
			mu.Lock()
			total.Keys++
			total.Orders += st.Orders
			total.Refills += st.Refills
			total.Changes += st.Changes
			total.Errors += st.Errors
			mu.Unlock()
		})
	}
	wg.Wait()
	if total.Errors == 0 {
		p.lastOK.Store(time.Now().UnixNano())
	}
	if total.Changes > 0 && p.wake != nil {
		p.wake()
	}
	return total, nil
}

// pollKey polls one key's orders and refills.
func (p *poller) pollKey(ctx context.Context, ref string, tr store.Tracked) PollStats {
	st := PollStats{Orders: len(tr.Orders), Refills: len(tr.Refills)}
	key, err := p.b.db.Key(ctx, ref)
	if err != nil {
		p.b.log.Warn("poll: key unavailable", "key_ref", ref, "err", err)
		p.fail(ref)
		st.Errors++
		return st
	}
	for _, part := range []struct {
		what string
		ids  []int64
		poll func(ctx context.Context, key, ref string, ids []int64) (int, error)
	}{{"orders", tr.Orders, p.pollOrders}, {"refills", tr.Refills, p.pollRefills}} {
		if len(part.ids) == 0 {
			continue
		}
		n, err := part.poll(ctx, key, ref, part.ids)
		st.Changes += n
		if err != nil {
			p.b.log.Warn("poll "+part.what, "key_ref", ref, "err", err)
			p.fail(ref)
			st.Errors++
			return st
		}
	}
	p.ok(ref)
	return st
}

func (p *poller) pollOrders(ctx context.Context, key, ref string, ids []int64) (int, error) {
	res, err := p.b.panel.Statuses(ctx, key, ids)
	if err != nil {
		return 0, err
	}
	changes := 0
	for chunk := range slices.Chunk(ids, storeBatch) {
		n, err := p.b.db.UpdateOrders(ctx, ref, chunk, func(o *store.Order) (bool, []byte, error) {
			r, ok := res[o.PanelID]
			if !ok {
				return false, nil, nil
			}
			changed, note := orderChange(o, r)
			return changed, note, nil
		})
		changes += n
		if err != nil {
			return changes, err
		}
	}
	return changes, nil
}

// orderChange applies a status result to an order: whether it changed,
// and the notification to send (nil for none).
func orderChange(o *store.Order, r smm.StatusResult) (bool, []byte) {
	if r.Err != nil {
		if !errors.Is(r.Err, smm.ErrUnknownOrder) || o.Gone {
			return false, nil
		}
		o.Gone = true
		return true, encodeNote(note{Kind: noteGone, Order: o.PanelID, KeyRef: o.KeyRef, Name: o.Service.Name})
	}
	s := r.Status
	statusChanged := !strings.EqualFold(strings.TrimSpace(s.Status), strings.TrimSpace(o.Status))
	if !statusChanged && s.Remains == o.Remains && s.StartCount == o.StartCount && s.Charge.Equal(o.Charge) {
		return false, nil
	}
	old := statusOf(*o)
	applyStatus(o, s)
	if !statusChanged {
		return true, nil
	}
	return true, encodeNote(note{Kind: noteStatus, Order: o.PanelID, KeyRef: o.KeyRef, Name: o.Service.Name,
		Old: old, New: s.Status, Remains: s.Remains, Final: o.Final})
}

func (p *poller) pollRefills(ctx context.Context, key, ref string, ids []int64) (int, error) {
	res, err := p.b.panel.RefillStatuses(ctx, key, ids)
	if err != nil {
		return 0, err
	}
	changes := 0
	for chunk := range slices.Chunk(ids, storeBatch) {
		n, err := p.b.db.UpdateRefills(ctx, ref, chunk, func(r *store.Refill) (bool, []byte, error) {
			got, ok := res[r.RefillID]
			if !ok || got.Err != nil || strings.EqualFold(got.Status, r.Status) {
				return false, nil, nil
			}
			r.Status = got.Status
			r.Final = smm.IsRefillFinished(got.Status)
			return true, encodeNote(note{Kind: noteRefill, Order: r.OrderID, KeyRef: r.KeyRef, Refill: r.RefillID,
				New: got.Status, Final: r.Final}), nil
		})
		changes += n
		if err != nil {
			return changes, err
		}
	}
	return changes, nil
}

// waiting reports whether a key is backing off after errors.
func (p *poller) waiting(ref string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return now.Before(p.backoff[ref].until)
}

// fail doubles a key's backoff, from one interval up to maxKeyBackoff.
func (p *poller) fail(ref string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	kb := p.backoff[ref]
	base := p.interval
	if base <= 0 { // polled by hand only
		base = time.Minute
	}
	kb.wait = min(max(kb.wait*2, base), maxKeyBackoff)
	kb.until = time.Now().Add(kb.wait)
	p.backoff[ref] = kb
}

func (p *poller) ok(ref string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.backoff, ref)
}

// LastPoll is when a poll cycle last finished without errors.
func (p *poller) LastPoll() time.Time {
	n := p.lastOK.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
