package track_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// pendingPanel answers every order Pending and counts its requests; it
// needs no network, so it runs inside a synctest bubble.
type pendingPanel struct {
	mu    sync.Mutex
	calls int
}

func (p *pendingPanel) Statuses(_ context.Context, _ string, ids []int64) (map[int64]smm.StatusResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	out := make(map[int64]smm.StatusResult, len(ids))
	for _, id := range ids {
		out[id] = smm.StatusResult{Status: smm.Status{Status: "Pending", Remains: 100}}
	}
	return out, nil
}

func (p *pendingPanel) RefillStatuses(context.Context, string, []int64) (map[int64]smm.RefillStatusResult, error) {
	return nil, nil
}

func (p *pendingPanel) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

// trackedStore is a store on disk following one order.
func trackedStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "smmbot.db"), store.Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	ctx := context.Background()
	ref, err := db.PutKey(ctx, keyA)
	if err != nil {
		tb.Fatalf("put key: %v", err)
	}
	if err := db.PutOrder(ctx, store.Order{ChatID: chatID, KeyRef: ref, PanelID: 1, Status: "Pending", Remains: 100}); err != nil {
		tb.Fatalf("put order: %v", err)
	}
	return db
}

func TestRunPollsEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		panel := &pendingPanel{}
		var cycles []track.Stats
		p, err := track.New(track.Config{Store: trackedStore(t), Panel: panel, Interval: time.Minute,
			Observe: func(_ time.Duration, st track.Stats) { cycles = append(cycles, st) }})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			p.Run(ctx)
			close(done)
		}()
		// Cycles at 0, 1m±6s, 2m±12s, 3m±18s; the fifth comes after 3m36s.
		time.Sleep(3*time.Minute + 30*time.Second)
		synctest.Wait()
		if got := panel.count(); got != 4 {
			t.Errorf("%d cycles in 3m30s; want 4", got)
		}
		if len(cycles) != 4 || cycles[3].Keys != 1 || cycles[3].Orders != 1 {
			t.Errorf("observed %+v; want 4 cycles of 1 key, 1 order", cycles)
		}
		if got, want := p.LastPoll(), time.Now(); got.IsZero() || got.After(want) {
			t.Errorf("LastPoll = %v; want a time before %v", got, want)
		}
		cancel()
		<-done
	})
}

func TestRunWithNegativeIntervalDoesNotPoll(t *testing.T) {
	panel := &pendingPanel{}
	p, err := track.New(track.Config{Store: trackedStore(t), Panel: panel, Interval: -1})
	if err != nil {
		t.Fatal(err)
	}
	p.Run(t.Context()) // returns at once
	if panel.count() != 0 || !p.LastPoll().IsZero() {
		t.Errorf("%d requests, last poll %v; want none", panel.count(), p.LastPoll())
	}
	if _, err := p.PollOnce(t.Context()); err != nil || panel.count() != 1 {
		t.Errorf("PollOnce: %v, %d requests; want 1", err, panel.count())
	}
}
