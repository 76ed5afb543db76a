package smmtest_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/smmbot/smmbot/smm/smmtest"
)

func TestCounters(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	id := f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
	f.call(t, keyA, "add", "service", "999", "link", "x", "quantity", "100") // refused
	f.call(t, "bad key", "add")                                              // refused
	f.panel.Inject(smmtest.Fault{Kind: smmtest.FaultHTML503, Action: "status"})
	f.post(t, "key", keyA, "action", "status", "orders", "5,6") // faulted
	f.call(t, keyA, "status", "order", fmt.Sprint(id))
	f.call(t, keyA, "status", "orders", fmt.Sprintf("%d, 7,,x,8", id))
	f.call(t, "bad key", "status", "order", "9")
	f.call(t, keyA, "refill_status", "refill", "11")
	f.call(t, keyA, "refill_status", "refills", "12,13")
	f.call(t, keyA, "cancel", "orders", ids(1, 3))
	f.call(t, keyA, "neworder")

	counts := map[string]int{"add": 3, "status": 4, "refill_status": 2, "cancel": 1, "balance": 0, "neworder": 1, "refill": 0}
	for action, want := range counts {
		t.Run(action, func(t *testing.T) {
			if got := f.panel.Count(action); got != want {
				t.Errorf("Count(%q) = %d, want %d", action, got, want)
			}
		})
	}
	wantStatus := [][]int64{{5, 6}, {id}, {id, 7, 8}, {9}}
	if got := f.panel.StatusCalls(); !reflect.DeepEqual(got, wantStatus) {
		t.Errorf("StatusCalls() = %v, want %v", got, wantStatus)
	}
	wantRefill := [][]int64{{11}, {12, 13}}
	if got := f.panel.RefillStatusCalls(); !reflect.DeepEqual(got, wantRefill) {
		t.Errorf("RefillStatusCalls() = %v, want %v", got, wantRefill)
	}
	calls := f.panel.StatusCalls()
	calls[0][0] = 42
	if got := f.panel.StatusCalls()[0][0]; got != 5 {
		t.Errorf("StatusCalls() shares memory with the panel: got %d after a change, want 5", got)
	}

	f.panel.ResetCounters()
	if f.panel.Count("add") != 0 || len(f.panel.StatusCalls()) != 0 ||
		len(f.panel.RefillStatusCalls()) != 0 || len(f.panel.Unknown()) != 0 {
		t.Errorf("after ResetCounters: add %d, status %v, refill %v, unknown %v",
			f.panel.Count("add"), f.panel.StatusCalls(), f.panel.RefillStatusCalls(), f.panel.Unknown())
	}
	if _, ok := f.panel.Order(keyA, id); !ok {
		t.Error("ResetCounters dropped an order")
	}
}

func TestStatusCallsBatchesOfACycle(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	f.call(t, keyA, "status", "orders", ids(23501, 100))
	f.call(t, keyA, "status", "orders", ids(23601, 50))
	calls := f.panel.StatusCalls()
	if len(calls) != 2 || len(calls[0]) != 100 || len(calls[1]) != 50 || calls[1][0] != 23601 {
		t.Errorf("got %d calls of sizes %v, want 100 then 50 from 23601", len(calls), sizes(calls))
	}
}

func sizes(calls [][]int64) []int {
	out := make([]int, len(calls))
	for i, c := range calls {
		out[i] = len(c)
	}
	return out
}
