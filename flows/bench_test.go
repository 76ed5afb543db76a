package flows_test

import (
	"testing"

	"github.com/smmbot/smmbot/flows"
)

// BenchmarkOrderEveryType walks one order of every type from /order to
// the receipt through the conversation (fakes for the panel and ledger),
// drawing every screen: the cost of the table-made machines per order.
func BenchmarkOrderEveryType(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, svc := range typeServices {
			h := newBenchHarness(b)
			h.toField(svc, flows.StateConfirm)
			h.press("ok")
		}
	}
	b.ReportMetric(float64(len(typeServices)), "orders/op")
}

// BenchmarkDraftJSON encodes and decodes a subscription's draft at its
// summary, as the bot does on every step; its size is reported.
func BenchmarkDraftJSON(b *testing.B) {
	h := newBenchHarness(b)
	h.toField(svcSubscription, flows.StateConfirm)
	d := h.s.Draft
	var size int
	b.ReportAllocs()
	for b.Loop() {
		buf, err := flows.MarshalDraft(d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := flows.UnmarshalDraft(buf); err != nil {
			b.Fatal(err)
		}
		size = len(buf)
	}
	b.ReportMetric(float64(size), "bytes")
}

// newBenchHarness is a harness whose screens are not checked against the
// locales (the tests do that).
func newBenchHarness(b *testing.B) *harness {
	h := newHarness(b)
	h.fast = true
	return h
}
