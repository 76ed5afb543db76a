package smm_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// fetcher is a fake ServicesFetcher: answer decides each fetch.
type fetcher struct {
	mu     sync.Mutex
	calls  int
	answer func(ctx context.Context, call int) ([]smm.Service, error)
}

func (f *fetcher) Services(ctx context.Context, key string) ([]smm.Service, error) {
	f.mu.Lock()
	f.calls++
	n := f.calls
	f.mu.Unlock()
	if f.answer == nil {
		return []smm.Service{{ID: int64(n), Name: key, Category: "C"}}, nil
	}
	return f.answer(ctx, n)
}

func (f *fetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func newCache(f *fetcher, ttl time.Duration) (*smm.Cache, *smmtest.Clock) {
	clk := smmtest.NewClock(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC))
	c := smm.NewCache(f, ttl)
	c.Now = clk.Now
	return c, clk
}

func catalogue(tb testing.TB, c *smm.Cache, key string) *smm.Catalogue {
	tb.Helper()
	cat, err := c.Catalogue(tb.Context(), key)
	if err != nil {
		tb.Fatalf("Catalogue(%q): %v", key, err)
	}
	return cat
}

func TestCacheFetchesOncePerTTL(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Minute} {
		want := ttl
		if want == 0 {
			want = 10 * time.Minute
		}
		t.Run(want.String(), func(t *testing.T) {
			f := &fetcher{}
			c, clk := newCache(f, ttl)
			first := catalogue(t, c, "a")
			if !first.Fetched.Equal(clk.Now()) {
				t.Errorf("Fetched %v, want the cache's clock %v", first.Fetched, clk.Now())
			}
			clk.Advance(want - time.Nanosecond)
			if got := catalogue(t, c, "a"); got != first || f.count() != 1 {
				t.Errorf("before the TTL: %d fetches, same catalogue %t; want 1, true", f.count(), got == first)
			}
			catalogue(t, c, "b")
			if f.count() != 2 {
				t.Errorf("another key: %d fetches, want 2", f.count())
			}
			clk.Advance(time.Nanosecond)
			if got := catalogue(t, c, "a"); got == first || f.count() != 3 {
				t.Errorf("at the TTL: %d fetches, same catalogue %t; want 3, false", f.count(), got == first)
			}
		})
	}
}

func TestCacheSharesOneFetch(t *testing.T) {
	release := make(chan struct{})
	f := &fetcher{answer: func(ctx context.Context, n int) ([]smm.Service, error) {
		<-release
		return []smm.Service{{ID: 1, Name: "S", Category: "C"}}, nil
	}}
	c, _ := newCache(f, time.Minute)
	const callers = 50
	got := make([]*smm.Catalogue, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = c.Catalogue(t.Context(), "k") })
	}
	waitFor(t, func() bool { return f.count() == 1 })
	close(release)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || got[i] != got[0] || got[i] == nil {
			t.Fatalf("caller %d: %p, %v; want the one shared catalogue", i, got[i], errs[i])
		}
	}
	if n := f.count(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

func TestCacheDoesNotKeepFailures(t *testing.T) {
	boom := errors.New("panel down")
	f := &fetcher{answer: func(ctx context.Context, n int) ([]smm.Service, error) {
		if n == 1 {
			return nil, boom
		}
		return []smm.Service{{ID: 7, Category: "C"}}, nil
	}}
	c, _ := newCache(f, time.Minute)
	if _, err := c.Catalogue(t.Context(), "k"); !errors.Is(err, boom) {
		t.Errorf("first: %v, want the fetch's error", err)
	}
	cat := catalogue(t, c, "k")
	if _, found := cat.Service(7); !found || f.count() != 2 {
		t.Errorf("second: %d fetches, service found %t; want a fresh fetch", f.count(), found)
	}
}

func TestCacheInvalidate(t *testing.T) {
	f := &fetcher{}
	c, _ := newCache(f, time.Hour)
	first := catalogue(t, c, "k")
	c.Invalidate("k")
	c.Invalidate("never seen")
	if got := catalogue(t, c, "k"); got == first || f.count() != 2 {
		t.Errorf("after Invalidate: %d fetches, same catalogue %t; want 2, false", f.count(), got == first)
	}
}

func TestCacheCallerGivesUp(t *testing.T) {
	release := make(chan struct{})
	f := &fetcher{answer: func(ctx context.Context, n int) ([]smm.Service, error) {
		select {
		case <-release:
			return []smm.Service{{ID: 1, Category: "C"}}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}}
	c, _ := newCache(f, time.Minute)
	impatient, cancel := context.WithCancel(t.Context())
	gaveUp := make(chan error, 1)
	go func() {
		_, err := c.Catalogue(impatient, "k")
		gaveUp <- err
	}()
	waitFor(t, func() bool { return c.Waiters("k") == 1 })
	patient := make(chan error, 1)
	go func() {
		_, err := c.Catalogue(t.Context(), "k")
		patient <- err
	}()
	waitFor(t, func() bool { return c.Waiters("k") == 2 })
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("impatient caller: %v, want context.Canceled", err)
	}
	close(release)
	if err := <-patient; err != nil {
		t.Errorf("patient caller: %v; the fetch should go on for it", err)
	}
	if f.count() != 1 {
		t.Errorf("%d fetches, want 1", f.count())
	}
}

func TestCacheLastCallerCancelsTheFetch(t *testing.T) {
	stopped := make(chan struct{})
	f := &fetcher{answer: func(ctx context.Context, n int) ([]smm.Service, error) {
		if n > 1 {
			return []smm.Service{{ID: 2, Category: "C"}}, nil
		}
		<-ctx.Done()
		close(stopped)
		return nil, ctx.Err()
	}}
	c, _ := newCache(f, time.Minute)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.Catalogue(ctx, "k")
		done <- err
	}()
	waitFor(t, func() bool { return c.Waiters("k") == 1 })
	cancel()
	<-stopped // the fetch saw its context end
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Catalogue: %v, want context.Canceled", err)
	}
	if _, found := catalogue(t, c, "k").Service(2); !found {
		t.Error("the next caller did not get a fresh fetch")
	}
}

func TestCacheFetcherPanic(t *testing.T) {
	f := &fetcher{answer: func(context.Context, int) ([]smm.Service, error) { panic("bug") }}
	c, _ := newCache(f, time.Minute)
	if _, err := c.Catalogue(t.Context(), "k"); err == nil {
		t.Error("no error from a fetcher that panicked")
	}
}

// waitFor polls cond until it holds, failing the test after a while.
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatal("condition not met in 10s")
		}
		time.Sleep(time.Millisecond)
	}
}
