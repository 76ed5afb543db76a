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

// The client against the panel emulator of smm/smmtest.

var _ smm.ServicesFetcher = (*smm.Client)(nil)

const step = 10 * time.Second

// emulator starts a panel with testKey holding 100 USD and returns it, a
// client of it, and the panel's clock.
func emulator(tb testing.TB, opts smmtest.Options) (*smmtest.Panel, *smm.Client, *smmtest.Clock) {
	tb.Helper()
	clk := smmtest.NewClock(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC))
	opts.Now, opts.Step = clk.Now, step
	p := smmtest.New(opts)
	p.AddKey(testKey, decimal.NewFromInt(100))
	srv := httptest.NewServer(p)
	tb.Cleanup(srv.Close)
	return p, smm.NewClient(srv.URL, smm.Options{Backoff: time.Millisecond, Timeout: 5 * time.Second}), clk
}

// place orders n orders of service 6 (no refill, no cancel) or 5 (both).
func place(tb testing.TB, c *smm.Client, service int64, n int) []int64 {
	tb.Helper()
	ids := make([]int64, n)
	for i := range ids {
		id, err := c.Add(tb.Context(), testKey, smm.AddRequest{Service: service, Link: "https://t.me/a", Quantity: 100})
		if err != nil {
			tb.Fatalf("Add: %v", err)
		}
		ids[i] = id
	}
	return ids
}

func TestEmulatorServices(t *testing.T) {
	forms := []struct {
		name string
		set  func(*smmtest.Panel)
	}{
		{"documented", func(p *smmtest.Panel) { p.SetNumbers(smmtest.NumbersDocumented) }},
		{"strings", func(p *smmtest.Panel) { p.SetStringNumbers(true) }},
		{"numbers", func(p *smmtest.Panel) { p.SetNumbers(smmtest.NumbersJSON) }},
	}
	catalogues := map[string][]smm.Service{
		"default":   smmtest.DefaultServices(),
		"generated": smmtest.GenerateCatalogue(5000, 42),
	}
	for cname, want := range catalogues {
		for _, f := range forms {
			t.Run(cname+"/"+f.name, func(t *testing.T) {
				p, c, _ := emulator(t, smmtest.Options{Services: want})
				f.set(p)
				got, err := c.Services(t.Context(), testKey)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%d services, want %d", len(got), len(want))
				}
				for i := range got {
					if svc(got[i]) != svc(want[i]) {
						t.Fatalf("service %d:\n got %s\nwant %s", i, svc(got[i]), svc(want[i]))
					}
				}
			})
		}
	}
}

func TestEmulatorOrderLifecycle(t *testing.T) {
	p, c, clk := emulator(t, smmtest.Options{})
	ctx := t.Context()
	id, err := c.Add(ctx, testKey, smm.AddRequest{Service: 1, Link: "https://instagram.com/x", Quantity: 1500})
	if err != nil {
		t.Fatal(err)
	}
	if o, found := p.Order(testKey, id); !found || o.Quantity != 1500 || o.Link != "https://instagram.com/x" {
		t.Fatalf("the panel's order %d: %+v, found %t", id, o, found)
	}
	b, err := c.Balance(ctx, testKey)
	if err != nil || !b.Amount.Equal(dec("98.65")) || b.Currency != "USD" {
		t.Errorf("Balance = %v %s, %v; want 98.65 USD (100 - 1.35)", b.Amount, b.Currency, err)
	}
	for _, want := range []string{"Pending", "In progress", "Completed"} {
		s, err := c.Status(ctx, testKey, id)
		if err != nil || s.Status != want {
			t.Fatalf("Status = %+v, %v; want %s", s, err, want)
		}
		clk.Advance(step)
	}
	refill, err := c.Refill(ctx, testKey, id)
	if err != nil || refill <= 0 {
		t.Fatalf("Refill = %d, %v", refill, err)
	}
	if s, err := c.RefillStatus(ctx, testKey, refill); err != nil || s != "Pending" {
		t.Errorf("RefillStatus = %q, %v; want Pending", s, err)
	}
	clk.Advance(step)
	if s, err := c.RefillStatus(ctx, testKey, refill); err != nil || s != "Completed" {
		t.Errorf("RefillStatus = %q, %v; want Completed", s, err)
	}
	res, err := c.Cancel(ctx, testKey, []int64{id})
	if err != nil || !errors.Is(res[id], smm.ErrNotAllowed) {
		t.Errorf("Cancel of a completed order = %v, %v; want ErrNotAllowed", res, err)
	}
}

func TestEmulatorAddTypes(t *testing.T) {
	tests := []struct {
		name    string
		req     smm.AddRequest
		wantQty int64
	}{
		{"package", smm.AddRequest{Service: 3, Link: "https://x"}, 1},
		{"custom comments", smm.AddRequest{Service: 2, Link: "https://x", Comments: strings.Repeat("nice post\n", 12)}, 12},
		{"drip-feed", smm.AddRequest{Service: 4, Link: "https://x", Quantity: 100, Runs: 3, Interval: 15}, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, c, _ := emulator(t, smmtest.Options{})
			id, err := c.Add(t.Context(), testKey, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			o, found := p.Order(testKey, id)
			if !found || o.Quantity != tt.wantQty || o.Runs != tt.req.Runs || o.Interval != tt.req.Interval {
				t.Errorf("the panel's order %+v; want quantity %d, runs %d, interval %d", o, tt.wantQty, tt.req.Runs, tt.req.Interval)
			}
		})
	}
}

func TestEmulatorAddRefusals(t *testing.T) {
	tests := []struct {
		name string
		key  string
		req  smm.AddRequest
		want error
	}{
		{"drip-feed without dripfeed", testKey, smm.AddRequest{Service: 1, Link: "https://x", Quantity: 100, Runs: 2, Interval: 5}, smm.ErrIncorrectRequest},
		{"unknown service", testKey, smm.AddRequest{Service: 999, Link: "https://x", Quantity: 100}, smm.ErrUnknownService},
		{"below min", testKey, smm.AddRequest{Service: 1, Link: "https://x", Quantity: 10}, smm.ErrQuantity},
		{"above max", testKey, smm.AddRequest{Service: 1, Link: "https://x", Quantity: 10001}, smm.ErrQuantity},
		{"unsupported type", testKey, smm.AddRequest{Service: 7, Link: "https://x", Quantity: 100}, smm.ErrIncorrectRequest},
		{"wrong key", "not-a-key-of-this-panel", smm.AddRequest{Service: 1, Link: "https://x", Quantity: 100}, smm.ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, c, _ := emulator(t, smmtest.Options{})
			_, err := c.Add(t.Context(), tt.key, tt.req)
			noKey(t, err)
			if !errors.Is(err, tt.want) || errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("Add: %v; want %v", err, tt.want)
			}
			wantAs[*smm.APIError](t, err)
			if n := len(p.Orders(testKey)); n != 0 {
				t.Errorf("%d orders placed, want none", n)
			}
		})
	}
	t.Run("not enough funds", func(t *testing.T) {
		p, c, _ := emulator(t, smmtest.Options{})
		p.SetBalance(testKey, dec("0.01"))
		_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "https://x", Quantity: 100})
		if !errors.Is(err, smm.ErrInsufficientFunds) {
			t.Errorf("Add: %v; want ErrInsufficientFunds", err)
		}
		if !p.Balance(testKey).Equal(dec("0.01")) {
			t.Errorf("balance %s, want 0.01 untouched", p.Balance(testKey))
		}
	})
}

func TestEmulatorStatuses(t *testing.T) {
	p, c, _ := emulator(t, smmtest.Options{})
	ids := place(t, c, 6, 250)
	p.Forget(ids[10])
	st, err := c.Statuses(t.Context(), testKey, append(ids, ids[:20]...)) // duplicates too
	if err != nil {
		t.Fatal(err)
	}
	calls := p.StatusCalls()
	if len(calls) != 3 {
		t.Errorf("%d status calls, want 3", len(calls))
	}
	for _, call := range calls {
		if len(call) > 100 {
			t.Errorf("a status call of %d ids", len(call))
		}
	}
	if len(st) != 250 {
		t.Errorf("%d results, want 250", len(st))
	}
	for _, id := range ids {
		r := st[id]
		noKey(t, r.Err)
		switch {
		case id == ids[10]:
			if !errors.Is(r.Err, smm.ErrUnknownOrder) {
				t.Errorf("forgotten order: %v; want ErrUnknownOrder", r.Err)
			}
		case r.Err != nil || r.Status.Status != "Pending" || r.Status.Remains != 100:
			t.Errorf("order %d: %+v", id, r)
		}
	}
}

func TestEmulatorCancelAndRefills(t *testing.T) {
	p, c, clk := emulator(t, smmtest.Options{})
	ctx := t.Context()
	plain := place(t, c, 6, 249)        // no refill, no cancel
	cancellable := place(t, c, 5, 1)[0] // refill and cancel
	all := append(append([]int64{}, plain...), cancellable)
	p.Forget(plain[10])

	cancels, err := c.Cancel(ctx, testKey, []int64{cancellable, plain[0], plain[10]})
	if err != nil {
		t.Fatal(err)
	}
	if cancels[cancellable] != nil || !errors.Is(cancels[plain[0]], smm.ErrNotAllowed) || !errors.Is(cancels[plain[10]], smm.ErrUnknownOrder) {
		t.Errorf("Cancel = %v; want requested, not allowed, unknown order", cancels)
	}
	if o, _ := p.Order(testKey, cancellable); o.Status != "Canceled" {
		t.Errorf("cancelled order: %s, want Canceled", o.Status)
	}

	clk.Advance(2 * step) // the others are Completed now
	refills, err := c.Refills(ctx, testKey, all)
	if err != nil {
		t.Fatal(err)
	}
	if n := p.Count("refill"); n != 3 {
		t.Errorf("%d refill calls, want 3", n)
	}
	if !errors.Is(refills[plain[0]].Err, smm.ErrNotAllowed) || !errors.Is(refills[plain[10]].Err, smm.ErrUnknownOrder) {
		t.Errorf("refills of a service without refill, of a forgotten order: %v, %v", refills[plain[0]].Err, refills[plain[10]].Err)
	}
	if !errors.Is(refills[cancellable].Err, smm.ErrNotAllowed) {
		t.Errorf("refill of a cancelled order: %v; want not allowed", refills[cancellable].Err)
	}
}

func TestEmulatorRefillStatuses(t *testing.T) {
	p, c, clk := emulator(t, smmtest.Options{})
	ctx := t.Context()
	ids := place(t, c, 5, 120)
	clk.Advance(2 * step)
	refills, err := c.Refills(ctx, testKey, ids)
	if err != nil {
		t.Fatal(err)
	}
	var refillIDs []int64
	for _, id := range ids {
		if refills[id].Err != nil {
			t.Fatalf("order %d: %v", id, refills[id].Err)
		}
		refillIDs = append(refillIDs, refills[id].Refill)
	}
	p.SetRefillStatus(refillIDs[0], "Rejected")
	got, err := c.RefillStatuses(ctx, testKey, append(refillIDs, 999999))
	if err != nil {
		t.Fatal(err)
	}
	if got[refillIDs[0]].Status != "Rejected" || got[refillIDs[1]].Status != "Pending" {
		t.Errorf("refill statuses %+v, %+v; want Rejected, Pending", got[refillIDs[0]], got[refillIDs[1]])
	}
	if !errors.Is(got[999999].Err, smm.ErrRefillNotFound) {
		t.Errorf("unknown refill: %v; want ErrRefillNotFound", got[999999].Err)
	}
	calls := p.RefillStatusCalls()
	if len(calls) != 2 || len(calls[0]) != 100 || len(calls[1]) != 21 {
		t.Errorf("refill_status calls of %v ids; want 100 and 21", lens(calls))
	}
	if _, err := c.RefillStatus(ctx, testKey, 999999); !errors.Is(err, smm.ErrRefillNotFound) {
		t.Errorf("RefillStatus of an unknown refill: %v", err)
	}
}

func lens(calls [][]int64) []int {
	var n []int
	for _, c := range calls {
		n = append(n, len(c))
	}
	return n
}
