package smm

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

func TestPacerForgetsIdleKeys(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(0)
		for i := range 100 {
			if err := p.wait(t.Context(), fmt.Sprintf("key-%d", i), true); err != nil {
				t.Fatal(err)
			}
		}
		p.limited("slow-key", 2*idleKey) // still waiting: kept
		if n := p.len(); n != 101 {
			t.Fatalf("%d paces, want 101", n)
		}
		time.Sleep(idleKey + time.Minute)
		if err := p.wait(t.Context(), "new", true); err != nil {
			t.Fatal(err)
		}
		if n := p.len(); n != 2 {
			t.Errorf("%d paces after %s idle; want 2 (the new key and the one still waiting)", n, idleKey)
		}
	})
}

func TestPacerSpacesRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(60) // one a second, bursts of 10
		start := time.Now()
		for range 20 {
			if err := p.wait(t.Context(), "k", true); err != nil {
				t.Fatal(err)
			}
		}
		if took := time.Since(start); took != 10*time.Second {
			t.Errorf("20 requests at 60 a minute with a burst of 10 took %s; want 10s", took)
		}
		start = time.Now()
		if err := p.wait(t.Context(), "k", false); err != nil || time.Since(start) != 0 {
			t.Errorf("a batch request waited %s (%v); want no wait before any 429", time.Since(start), err)
		}
		p.limited("k", 5*time.Second)
		if err := p.held("k", "status"); err == nil {
			t.Errorf("held = nil during the panel's wait")
		}
		time.Sleep(5 * time.Second)
		if err := p.held("k", "status"); err != nil {
			t.Errorf("held = %v after the wait", err)
		}
		// Batches are paced now, at half the pace: 2.5 tokens came in the
		// 5s, then one every 2s.
		start = time.Now()
		for range 10 {
			if err := p.wait(t.Context(), "k", false); err != nil {
				t.Fatal(err)
			}
		}
		if took := time.Since(start); took != 15*time.Second {
			t.Errorf("10 batch requests after a 429 took %s; want 15s at half the pace", took)
		}
	})
}
