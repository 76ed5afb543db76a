package smm_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// BenchmarkStatuses10kSlowPanel polls 10,000 orders of one key on the
// emulator answering every request after 1s: 100 batches, 3 in flight.
// Run it with -benchtime=1x: one op takes about 35s.
func BenchmarkStatuses10kSlowPanel(b *testing.B) {
	p := smmtest.New(smmtest.Options{})
	p.AddKey(testKey, decimal.NewFromInt(1_000_000))
	srv := httptest.NewServer(p)
	b.Cleanup(srv.Close)
	c := smm.NewClient(srv.URL, smm.Options{})
	ids := make([]int64, 10_000)
	for i := range ids {
		id, err := c.Add(b.Context(), testKey, smm.AddRequest{Service: 6, Link: "https://t.me/a", Quantity: 100})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = id
	}
	p.SetLatency(time.Second)
	p.ResetCounters()
	b.ResetTimer()
	for b.Loop() {
		res, err := c.Statuses(b.Context(), testKey, ids)
		if err != nil || len(res) != len(ids) {
			b.Fatalf("Statuses: %d results, %v", len(res), err)
		}
	}
	b.ReportMetric(float64(p.Count("status"))/float64(b.N), "requests/op")
}
