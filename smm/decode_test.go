package smm_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// The replies of testdata/ are API.md's examples verbatim (name.json) and
// the same replies with every number in the other form (name.other.json):
// both must decode to the same values.

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// svc renders a service for comparison, its rate as a number.
func svc(s smm.Service) string {
	return fmt.Sprintf("id=%d name=%q type=%q cat=%q rate=%s min=%d max=%d refill=%t cancel=%t drip=%t desc=%q",
		s.ID, s.Name, s.Type, s.Category, s.Rate.String(), s.Min, s.Max, s.Refill, s.Cancel, s.Dripfeed, s.Description)
}

func TestDecodeServices(t *testing.T) {
	documented := []smm.Service{
		{ID: 1, Name: "Followers", Type: "Default", Category: "First Category", Rate: dec("0.90"), Min: 50, Max: 10000, Refill: true, Cancel: true},
		{ID: 2, Name: "Comments", Type: "Custom Comments", Category: "Second Category", Rate: dec("8"), Min: 10, Max: 1500, Cancel: true},
	}
	tests := []struct {
		file string
		want []smm.Service
	}{
		{"services.json", documented},
		{"services.other.json", documented},
		{"services.loose.json", []smm.Service{
			{ID: 3, Name: "Likes [Real] & <Fast> 🚀", Type: "Package", Category: "Instagram", Rate: dec("0"), Dripfeed: true, Description: "No drop"},
			{ID: 4, Name: "Подписчики", Type: "Default", Category: "Instagram", Rate: dec("0.1"), Min: 100, Max: 5000, Dripfeed: true, Description: "Старт 0-1 ч"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, panel := serve(t, file(t, tt.file))
			got, err := c.Services(t.Context(), testKey)
			if err != nil {
				t.Fatalf("Services: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d services, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if svc(got[i]) != svc(tt.want[i]) {
					t.Errorf("service %d:\n got %s\nwant %s", i, svc(got[i]), svc(tt.want[i]))
				}
				if !got[i].Rate.Equal(tt.want[i].Rate) {
					t.Errorf("service %d: rate %s, want %s", i, got[i].Rate, tt.want[i].Rate)
				}
			}
			req := panel.calls()[0]
			if req.Get("action") != "services" || req.Get("key") != testKey {
				t.Errorf("request %v: want action=services with the key", req)
			}
		})
	}
}

func TestDecodeStatus(t *testing.T) {
	want := smm.Status{Charge: dec("0.27819"), StartCount: 3572, Status: "Partial", Remains: 157, Currency: "USD"}
	for _, name := range []string{"status.json", "status.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, panel := serve(t, file(t, name))
			got, err := c.Status(t.Context(), testKey, 7)
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			wantStatus(t, got, want)
			if req := panel.calls()[0]; req.Get("action") != "status" || req.Get("order") != "7" || req.Has("orders") {
				t.Errorf("request %v: want action=status order=7", req)
			}
		})
	}
}

func wantStatus(tb testing.TB, got, want smm.Status) {
	tb.Helper()
	if !got.Charge.Equal(want.Charge) || got.StartCount != want.StartCount || got.Status != want.Status ||
		got.Remains != want.Remains || got.Currency != want.Currency {
		tb.Errorf("status %+v (charge %s), want %+v (charge %s)", got, got.Charge, want, want.Charge)
	}
}

func TestDecodeStatuses(t *testing.T) {
	for _, name := range []string{"statuses.json", "statuses.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, panel := serve(t, file(t, name))
			got, err := c.Statuses(t.Context(), testKey, []int64{1, 10, 100})
			if err != nil {
				t.Fatalf("Statuses: %v", err)
			}
			if len(got) != 3 {
				t.Fatalf("got %d results, want 3: %v", len(got), got)
			}
			wantStatus(t, got[1].Status, smm.Status{Charge: dec("0.27819"), StartCount: 3572, Status: "Partial", Remains: 157, Currency: "USD"})
			wantStatus(t, got[100].Status, smm.Status{Charge: dec("1.44219"), StartCount: 234, Status: "In progress", Remains: 10, Currency: "USD"})
			if got[1].Err != nil || got[100].Err != nil {
				t.Errorf("errors %v, %v: want none", got[1].Err, got[100].Err)
			}
			e := wantAs[*smm.APIError](t, got[10].Err)
			if e.Message != "Incorrect order ID" || !errors.Is(got[10].Err, smm.ErrUnknownOrder) {
				t.Errorf("order 10: %v; want the panel's Incorrect order ID matching ErrUnknownOrder", e)
			}
			if req := panel.calls()[0]; req.Get("orders") != "1,10,100" {
				t.Errorf("orders=%q, want 1,10,100", req.Get("orders"))
			}
		})
	}
}

func TestDecodeAdd(t *testing.T) {
	for _, name := range []string{"add.json", "add.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, _ := serve(t, file(t, name))
			got, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "https://t.me/x", Quantity: 100})
			if err != nil || got != 23501 {
				t.Errorf("Add = %d, %v; want 23501", got, err)
			}
		})
	}
}

func TestDecodeRefill(t *testing.T) {
	for _, name := range []string{"refill.json", "refill.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, panel := serve(t, file(t, name))
			got, err := c.Refill(t.Context(), testKey, 5)
			if err != nil || got != 1 {
				t.Errorf("Refill = %d, %v; want 1", got, err)
			}
			if req := panel.calls()[0]; req.Get("action") != "refill" || req.Get("order") != "5" {
				t.Errorf("request %v: want action=refill order=5", req)
			}
		})
	}
}

func TestDecodeRefills(t *testing.T) {
	for _, name := range []string{"refills.json", "refills.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, panel := serve(t, file(t, name))
			got, err := c.Refills(t.Context(), testKey, []int64{1, 2, 3})
			if err != nil {
				t.Fatalf("Refills: %v", err)
			}
			if got[1] != (smm.RefillResult{Refill: 1}) || got[2] != (smm.RefillResult{Refill: 2}) {
				t.Errorf("orders 1, 2: %+v, %+v; want refills 1 and 2", got[1], got[2])
			}
			if !errors.Is(got[3].Err, smm.ErrUnknownOrder) || errors.Is(got[3].Err, smm.ErrUnknownOutcome) {
				t.Errorf("order 3: %v; want the panel's Incorrect order ID", got[3].Err)
			}
			wantAs[*smm.APIError](t, got[3].Err)
			if req := panel.calls()[0]; req.Get("orders") != "1,2,3" {
				t.Errorf("orders=%q, want 1,2,3", req.Get("orders"))
			}
		})
	}
}

func TestDecodeRefillStatus(t *testing.T) {
	c, panel := serve(t, file(t, "refill_status.json"))
	got, err := c.RefillStatus(t.Context(), testKey, 1)
	if err != nil || got != "Completed" {
		t.Errorf("RefillStatus = %q, %v; want Completed", got, err)
	}
	if req := panel.calls()[0]; req.Get("action") != "refill_status" || req.Get("refill") != "1" {
		t.Errorf("request %v: want action=refill_status refill=1", req)
	}
}

func TestDecodeRefillStatuses(t *testing.T) {
	for _, name := range []string{"refill_statuses.json", "refill_statuses.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, panel := serve(t, file(t, name))
			got, err := c.RefillStatuses(t.Context(), testKey, []int64{1, 2, 3})
			if err != nil {
				t.Fatalf("RefillStatuses: %v", err)
			}
			if got[1] != (smm.RefillStatusResult{Status: "Completed"}) || got[2] != (smm.RefillStatusResult{Status: "Rejected"}) {
				t.Errorf("refills 1, 2: %+v, %+v; want Completed, Rejected", got[1], got[2])
			}
			e := wantAs[*smm.APIError](t, got[3].Err)
			if e.Message != "Refill not found" || !errors.Is(e, smm.ErrRefillNotFound) {
				t.Errorf("refill 3: %v; want Refill not found", e)
			}
			if req := panel.calls()[0]; req.Get("refills") != "1,2,3" {
				t.Errorf("refills=%q, want 1,2,3", req.Get("refills"))
			}
		})
	}
}

func TestDecodeCancel(t *testing.T) {
	for _, name := range []string{"cancel.json", "cancel.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, panel := serve(t, file(t, name))
			got, err := c.Cancel(t.Context(), testKey, []int64{9, 2})
			if err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			if e, present := got[2]; !present || e != nil {
				t.Errorf("order 2: %v (present %t); want nil: cancel requested", e, present)
			}
			if !errors.Is(got[9], smm.ErrUnknownOrder) {
				t.Errorf("order 9: %v; want Incorrect order ID", got[9])
			}
			if req := panel.calls()[0]; req.Get("action") != "cancel" || req.Get("orders") != "9,2" {
				t.Errorf("request %v: want action=cancel orders=9,2", req)
			}
		})
	}
}

func TestDecodeBalance(t *testing.T) {
	for _, name := range []string{"balance.json", "balance.other.json"} {
		t.Run(name, func(t *testing.T) {
			c, _ := serve(t, file(t, name))
			got, err := c.Balance(t.Context(), testKey)
			if err != nil {
				t.Fatalf("Balance: %v", err)
			}
			if !got.Amount.Equal(dec("100.84292")) || got.Currency != "USD" {
				t.Errorf("Balance = %s %s, want 100.84292 USD", got.Amount, got.Currency)
			}
		})
	}
}
