package smm_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// The client against the emulator in every dialect: catalogue, orders,
// status, cancel, refill, refill status, balance, a refusal.

func TestEmulatorDialects(t *testing.T) {
	for _, name := range smmtest.DialectNames() {
		d := smmtest.Dialects()[name]
		t.Run(name, func(t *testing.T) {
			p, c, clk := emulator(t, smmtest.Options{Dialect: d})
			list, err := c.Services(t.Context(), testKey)
			if err != nil || len(list) != len(smmtest.DefaultServices()) || !list[0].Orderable() {
				t.Fatalf("Services = %d services, %v", len(list), err)
			}
			ids := place(t, c, 5, 3)
			checkPending(t, c, d, ids)
			checkCancel(t, c, d, ids[2])
			clk.Advance(2 * step)
			res, err := c.Statuses(t.Context(), testKey, ids[:2])
			if err != nil || !res[ids[0]].Status.Finished() {
				t.Fatalf("Statuses after two steps = %v, %v; want finished", res, err)
			}
			checkRefill(t, c, clk, d, ids[0])
			b, err := c.Balance(t.Context(), testKey)
			if err != nil || b.Currency != "USD" || !b.Amount.LessThan(decimal.NewFromInt(100)) {
				t.Errorf("Balance = %+v, %v", b, err)
			}
			_, err = c.Add(t.Context(), testKey, smm.AddRequest{Service: 999, Link: "https://t.me/a", Quantity: 100})
			if !errors.Is(err, smm.ErrUnknownService) || errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("Add of an unknown service: %v; want ErrUnknownService", err)
			}
			if u := p.Unknown(); len(u) != 0 {
				t.Errorf("unknown actions sent: %v", u)
			}
		})
	}
}

func checkPending(tb testing.TB, c *smm.Client, d smmtest.Dialect, ids []int64) {
	tb.Helper()
	res, err := c.Statuses(tb.Context(), testKey, ids)
	if err != nil || len(res) != len(ids) {
		tb.Fatalf("Statuses = %v, %v", res, err)
	}
	for _, id := range ids {
		r := res[id]
		if r.Err != nil || r.Status.Status != "Pending" || r.Status.Finished() {
			tb.Errorf("order %d: %+v; want Pending", id, r)
		}
		if got := r.Status.Unknown.Has(smm.UnknownRemains); got != d.Placeholders {
			tb.Errorf("order %d: remains unknown %t, want %t", id, got, d.Placeholders)
		}
	}
	if known, ok := c.Supports(smm.FeatureBatchStatus); !known || ok == d.NoBatchStatus {
		tb.Errorf("Supports(batch status) = %t, %t; dialect %v", known, ok, d)
	}
}

func checkCancel(tb testing.TB, c *smm.Client, d smmtest.Dialect, id int64) {
	tb.Helper()
	res, err := c.Cancel(tb.Context(), testKey, []int64{id, 1})
	if d.NoCancel {
		if !errors.Is(err, smm.ErrNotSupported) || errors.Is(err, smm.ErrUnknownOutcome) {
			tb.Errorf("Cancel: %v; want ErrNotSupported", err)
		}
		return
	}
	if err != nil || res[id] != nil || !errors.Is(res[1], smm.ErrUnknownOrder) {
		tb.Errorf("Cancel = %v, %v; want %d requested, 1 unknown", res, err, id)
	}
	s, err := c.Status(tb.Context(), testKey, id)
	if err != nil || !strings.EqualFold(s.Status, "Canceled") || !s.Finished() {
		tb.Errorf("Status after cancel = %+v, %v", s, err)
	}
}

func checkRefill(tb testing.TB, c *smm.Client, clk *smmtest.Clock, d smmtest.Dialect, order int64) {
	tb.Helper()
	rid, err := c.Refill(tb.Context(), testKey, order)
	if d.FinalStatus != "" && !strings.EqualFold(d.FinalStatus, "Completed") && !d.NoRefill {
		if !errors.Is(err, smm.ErrNotAllowed) {
			tb.Errorf("Refill of a %s order: %v; want ErrNotAllowed", d.FinalStatus, err)
		}
		return
	}
	if d.NoRefill {
		if !errors.Is(err, smm.ErrNotSupported) {
			tb.Errorf("Refill: %v; want ErrNotSupported", err)
		}
		if known, ok := c.Supports(smm.FeatureRefill); !known || ok {
			tb.Errorf("Supports(refill) = %t, %t; want known, not offered", known, ok)
		}
		return
	}
	if err != nil || rid <= 0 {
		tb.Fatalf("Refill = %d, %v", rid, err)
	}
	clk.Advance(step)
	res, err := c.RefillStatuses(tb.Context(), testKey, []int64{rid, 1})
	if err != nil || res[rid].Status != "Completed" || !errors.Is(res[1].Err, smm.ErrRefillNotFound) {
		tb.Errorf("RefillStatuses = %v, %v; want Completed and not found", res, err)
	}
	if s, err := c.RefillStatus(tb.Context(), testKey, rid); err != nil || s != "Completed" {
		tb.Errorf("RefillStatus = %q, %v", s, err)
	}
	if known, ok := c.Supports(smm.FeatureBatchRefillStatus); !known || ok == d.NoBatchRefillStatus {
		tb.Errorf("Supports(batch refill status) = %t, %t; dialect %v", known, ok, d)
	}
}

func TestEmulatorRateLimit(t *testing.T) {
	clk := smmtest.NewClock(time.Date(2025, 1, 1, 12, 0, 30, 0, time.UTC))
	p := smmtest.New(smmtest.Options{Now: clk.Now, Dialect: smmtest.Dialect{RateLimit: 5}})
	p.AddKey(testKey, decimal.NewFromInt(100))
	p.AddKey("other", decimal.NewFromInt(100))
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	c := smm.NewClient(srv.URL, smm.Options{Backoff: time.Millisecond})
	for range 5 {
		if _, err := c.Balance(t.Context(), testKey); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Balance(t.Context(), testKey)
	if rl := wantAs[*smm.RateLimitError](t, err); rl.RetryAfter() != 30*time.Second {
		t.Errorf("6th request: %v; want a wait of 30s to the minute's end", err)
	}
	if _, err := c.Statuses(t.Context(), testKey, []int64{1}); !errors.Is(err, smm.ErrRateLimited) {
		t.Errorf("a poll during the wait: %v; want it held back", err)
	}
	if n := p.Count("status"); n != 0 {
		t.Errorf("%d status requests during the wait; want none", n)
	}
	if _, err := c.Balance(t.Context(), "other"); err != nil {
		t.Errorf("another key: %v", err)
	}
}
