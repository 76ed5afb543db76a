package store

import (
	"bytes"
	"fmt"
	"sync/atomic"
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

// BenchmarkSaveSessionConcurrent saves sessions from 200 goroutines at
// once on a real file, for several batch delays: ns/op is the wall time
// per save at that concurrency, commits/op how many saves shared a commit.
func BenchmarkSaveSessionConcurrent(b *testing.B) {
	for _, delay := range []time.Duration{500 * time.Microsecond, time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond} {
		b.Run(delay.String(), func(b *testing.B) {
			db := openAt(b, b.TempDir()+"/smmbot.db", Options{MaxBatchDelay: delay})
			ctx := b.Context()
			var chats atomic.Int64
			before := db.Commits()
			b.SetParallelism(100) // 2 cores: 200 goroutines
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				s := Session{ChatID: chats.Add(1), State: "quantity", Data: bytes.Repeat([]byte("d"), 200)}
				for pb.Next() {
					s.Version++
					if err := db.SaveSession(ctx, s); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(db.Commits()-before)/float64(b.N), "commits/op")
		})
	}
}

// historyBench is 100,000 orders of chat 1 (historyOrders) with the
// cursor of page 500 in pages of 8, the bot's page size.
func historyBench(b *testing.B) (*DB, Cursor) {
	b.Helper()
	db, clk := testDB(b)
	bulkOrders(b, db, historyOrders(clk.Now(), 100000))
	var cur Cursor
	for range 499 {
		p, err := db.FilterOrders(b.Context(), 1, FilterAll, cur, 8)
		must(b, err)
		cur = p.Next
	}
	return db, cur
}

// BenchmarkHistory reads one chat's history of 100,000 orders: the newest
// page, page 500 through its cursor, the counts, and a search that finds
// a few orders and one that finds most.
func BenchmarkHistory(b *testing.B) {
	db, page500 := historyBench(b)
	ctx := b.Context()
	run := func(name string, f func() (Page, error), want int) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := f()
				if err != nil || p.Number != want {
					b.Fatalf("page %d, want %d: %v", p.Number, want, err)
				}
			}
		})
	}
	run("newest", func() (Page, error) { return db.FilterOrders(ctx, 1, FilterAll, Cursor{}, 8) }, 1)
	run("page500", func() (Page, error) { return db.FilterOrders(ctx, 1, FilterAll, page500, 8) }, 500)
	run("completed", func() (Page, error) { return db.FilterOrders(ctx, 1, FilterCompleted, Cursor{}, 8) }, 1)
	b.Run("counts", func(b *testing.B) {
		for b.Loop() {
			if c, err := db.OrderCounts(ctx, 1); err != nil || c.All != 100000 {
				b.Fatalf("counts %+v: %v", c, err)
			}
		}
	})
	run("search-few", func() (Page, error) { return db.SearchOrders(ctx, 1, "post9999", Cursor{}, 8) }, 1)
	run("search-most", func() (Page, error) { return db.SearchOrders(ctx, 1, "INSTA.com", Cursor{}, 8) }, 1)
}
