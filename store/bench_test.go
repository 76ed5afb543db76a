package store

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// Every benchmark that writes commits one bbolt transaction per operation,
// and bbolt fsyncs every commit: the figures are the real durable cost.

func BenchmarkSaveSession(b *testing.B) {
	db, _ := testDB(b)
	ctx := b.Context()
	s := Session{ChatID: 1, State: "quantity", Version: 1, MenuID: 100, Data: bytes.Repeat([]byte("d"), 200)}
	b.ReportAllocs()
	for b.Loop() {
		s.Version++
		if err := db.SaveSession(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutOrder(b *testing.B) {
	db, clk := testDB(b)
	ctx := b.Context()
	o := sampleOrder(b, 1, "0123456789abcdef", 0, clk.Now())
	b.ReportAllocs()
	for b.Loop() {
		o.PanelID++
		if err := db.PutOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOrdersNewestPage reads the newest 10 orders of one chat in a
// store of 100,000 orders spread over 10 chats.
func BenchmarkOrdersNewestPage(b *testing.B) {
	db, clk := testDB(b)
	ctx := b.Context()
	orders := make([]Order, 100000)
	for i := range orders {
		created := clk.Now().Add(time.Duration(i) * time.Second)
		orders[i] = sampleOrder(b, int64(i%10), "0123456789abcdef", int64(i+1), created)
	}
	bulkOrders(b, db, orders)
	b.ReportAllocs()
	for b.Loop() {
		page, _, more, err := db.Orders(ctx, 3, Cursor{}, 10)
		if err != nil || len(page) != 10 || !more {
			b.Fatalf("page of %d, more %v: %v", len(page), more, err)
		}
	}
}

// BenchmarkUpdateOrderNotify is the poller's write: a status change and its
// outbox entry in one transaction.
func BenchmarkUpdateOrderNotify(b *testing.B) {
	db, clk := testDB(b)
	ctx := b.Context()
	orders := make([]Order, 1000)
	for i := range orders {
		orders[i] = sampleOrder(b, int64(i%10), "0123456789abcdef", int64(i+1), clk.Now())
	}
	bulkOrders(b, db, orders)
	payload := bytes.Repeat([]byte("n"), 100)
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		n++
		err := db.UpdateOrder(ctx, "0123456789abcdef", n%1000+1, func(o *Order) ([]byte, error) {
			o.Status = fmt.Sprintf("In progress %d", n)
			o.Remains = n
			return payload, nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
