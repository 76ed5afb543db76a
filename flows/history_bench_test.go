package flows_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// bigBook is a chat with n orders, a third of them completed.
func bigBook(b *testing.B, n int) *book {
	b.Helper()
	bk := newBook(b)
	ctx := context.Background()
	for i := range n {
		status := "In progress"
		if i%3 == 0 {
			status = "Completed"
		}
		o := store.Order{ChatID: testChat, KeyRef: bk.ref, PanelID: int64(100000 + i), Link: "https://t.me/chan" + strconv.Itoa(i),
			Quantity: 100, Service: store.ServiceSnapshot{ID: 1, Name: "Followers", Type: "Default", Refill: true, Cancel: true},
			Status: status, Created: testNow.Add(time.Duration(i) * time.Second)}
		if err := bk.db.PutOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	return bk
}

// BenchmarkHistoryList: one page of a filter in the middle of a history
// of 10,000 orders, as a tap on Next draws it.
func BenchmarkHistoryList(b *testing.B) {
	bk := bigBook(b, 10_000)
	h := &flows.History{Book: bk.db}
	ctx := context.Background()
	v := flows.ListView{Filter: "c"}
	for range 100 { // to page 101 of 417
		var sc flows.Screen
		var err error
		if v, sc, err = h.List(ctx, testChat, v); err != nil {
			b.Fatal(err)
		}
		next := ""
		for _, row := range sc.Buttons {
			for _, btn := range row {
				if len(btn.Data) > 3 && btn.Data[:3] == "hp:" && btn.Label.ID == "btn.next" {
					next = btn.Data[3:]
				}
			}
		}
		v, _ = flows.PageView(next, &v)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := h.List(ctx, testChat, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistorySearch: the first page of a search over 10,000 orders
// (counting the matches reads the chat's whole index).
func BenchmarkHistorySearch(b *testing.B) {
	bk := bigBook(b, 10_000)
	h := &flows.History{Book: bk.db}
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := h.List(ctx, testChat, flows.SearchView("chan99")); err != nil {
			b.Fatal(err)
		}
	}
}
