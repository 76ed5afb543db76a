package smmtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

func TestParallelAdds(t *testing.T) {
	const workers, each = 8, 25
	f := newFixture(t, smmtest.Options{})
	f.panel.SetBalance(keyA, decimal.NewFromInt(1000))
	var wg sync.WaitGroup
	placed := make([][]int64, workers)
	for w := range workers {
		key := []string{keyA, keyB}[w%2]
		wg.Go(func() {
			for i := range each {
				id, err := addAndCheck(f, key, fmt.Sprint(w, "/", i))
				if err != nil {
					t.Error(err)
					return
				}
				placed[w] = append(placed[w], id)
			}
		})
	}
	wg.Go(func() {
		for range each {
			f.panel.Orders(keyA)
			f.panel.StatusCalls()
		}
	})
	wg.Wait()
	all := slices.Concat(placed...)
	slices.Sort(all)
	if len(slices.Compact(all)) != workers*each {
		t.Errorf("got %d distinct order ids, want %d", len(slices.Compact(all)), workers*each)
	}
	if got := f.panel.Count("add"); got != workers*each {
		t.Errorf("Count(add) = %d, want %d", got, workers*each)
	}
	perKey := decimal.RequireFromString("0.09").Mul(decimal.NewFromInt(workers / 2 * each))
	tests := []struct {
		key   string
		start int64
	}{{keyA, 1000}, {keyB, 50}}
	for _, tt := range tests {
		want := decimal.NewFromInt(tt.start).Sub(perKey)
		if got := f.panel.Balance(tt.key); !got.Equal(want) {
			t.Errorf("%s: balance %v, want %v", tt.key, got, want)
		}
		if got := len(f.panel.Orders(tt.key)); got != workers/2*each {
			t.Errorf("%s: %d orders, want %d", tt.key, got, workers/2*each)
		}
	}
}

// addAndCheck places an order, then asks its status and the balance, as
// a client would; it runs outside the test's goroutine, so it returns
// errors instead of failing the test.
func addAndCheck(f *fixture, key, link string) (int64, error) {
	var placed struct {
		Order int64 `json:"order"`
	}
	if err := f.sendJSON(&placed, "key", key, "action", "add", "service", "1", "link", link, "quantity", "100"); err != nil {
		return 0, err
	}
	var status struct {
		Status string `json:"status"`
	}
	if err := f.sendJSON(&status, "key", key, "action", "status", "order", fmt.Sprint(placed.Order)); err != nil {
		return 0, err
	}
	if status.Status != "Pending" {
		return 0, fmt.Errorf("order %d: status %q, want Pending", placed.Order, status.Status)
	}
	var balance struct {
		Balance string `json:"balance"`
	}
	if err := f.sendJSON(&balance, "key", key, "action", "balance"); err != nil {
		return 0, err
	}
	return placed.Order, nil
}

// sendJSON posts fields and decodes a 200 JSON reply into v.
func (f *fixture) sendJSON(v any, pairs ...string) error {
	r, err := f.send(pairs...)
	if err != nil {
		return err
	}
	if r.code != http.StatusOK {
		return fmt.Errorf("got HTTP %d %q, want 200", r.code, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("decode %q: %w", r.body, err)
	}
	return nil
}
