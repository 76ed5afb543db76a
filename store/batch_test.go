package store

import (
	"context"
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestUpdateOrders(t *testing.T) {
	db, clk := testDB(t)
	ctx := context.Background()
	ref, err := db.PutKey(ctx, "batch-key-0123456789")
	must(t, err)
	var ids []int64
	for i := range 5 {
		id := int64(100 + i)
		o := sampleOrder(t, 7, ref, id, clk.Now())
		o.Status = "Pending"
		must(t, db.PutOrder(ctx, o))
		ids = append(ids, id)
	}
	before, err := db.Order(ctx, ref, 101)
	must(t, err)
	clk.Add(time.Minute)

	calls := 0
	n, err := db.UpdateOrders(ctx, ref, append(ids, 999), func(o *Order) (bool, []byte, error) {
		calls++
		switch o.PanelID {
		case 100:
			o.Status, o.Final = "Completed", true
			return true, []byte("done 100"), nil
		case 102:
			o.Remains = 5 // a change worth keeping, not worth a message
			return true, nil, nil
		}
		return false, nil, nil
	})
	must(t, err)
	if n != 2 {
		t.Errorf("written = %d, want 2", n)
	}
	if calls != 5+2 { // a read pass over the five, then the two that changed
		t.Errorf("fn calls = %d, want 7", calls)
	}
	if got, _ := db.Order(ctx, ref, 101); !got.Updated.Equal(before.Updated) {
		t.Errorf("unchanged order rewritten: Updated %v, was %v", got.Updated, before.Updated)
	}
	if got, _ := db.Order(ctx, ref, 102); got.Remains != 5 {
		t.Errorf("order 102 remains = %d, want 5", got.Remains)
	}
	entries, err := db.DueEntries(ctx, clk.Now(), 10)
	must(t, err)
	if len(entries) != 1 || string(entries[0].Payload) != "done 100" || entries[0].ChatID != 7 {
		t.Fatalf("outbox = %+v, want one entry for chat 7", entries)
	}
	tr, err := db.Tracking(ctx)
	must(t, err)
	if got := tr[ref].Orders; len(got) != 4 || got[0] != 101 {
		t.Errorf("tracked = %v, want 101..104", got)
	}
	checkIndexes(t, db)
}

func TestUpdateOrdersNoChangeWritesNothing(t *testing.T) {
	db, clk := testDB(t)
	ctx := context.Background()
	ref, err := db.PutKey(ctx, "batch-key-0123456789")
	must(t, err)
	must(t, db.PutOrder(ctx, sampleOrder(t, 7, ref, 1, clk.Now())))
	txBefore := db.bolt.Stats().TxN
	n, err := db.UpdateOrders(ctx, ref, []int64{1}, func(*Order) (bool, []byte, error) { return false, nil, nil })
	must(t, err)
	if n != 0 {
		t.Errorf("written = %d, want 0", n)
	}
	if db.bolt.Stats().TxN != txBefore+1 { // the read pass only
		t.Errorf("transactions = %d, want one read", db.bolt.Stats().TxN-txBefore)
	}
}

func TestUpdateOrdersErrorWritesNothing(t *testing.T) {
	db, clk := testDB(t)
	ctx := context.Background()
	ref, err := db.PutKey(ctx, "batch-key-0123456789")
	must(t, err)
	must(t, db.PutOrder(ctx, sampleOrder(t, 7, ref, 1, clk.Now())))
	must(t, db.PutOrder(ctx, sampleOrder(t, 7, ref, 2, clk.Now())))
	boom := errors.New("boom")
	second := false
	_, err = db.UpdateOrders(ctx, ref, []int64{1, 2}, func(o *Order) (bool, []byte, error) {
		if o.PanelID == 2 && second {
			return false, nil, boom
		}
		if o.PanelID == 2 {
			second = true
		}
		o.Status = "Completed"
		return true, []byte("x"), nil
	})
	wantErr(t, err, boom)
	if o, _ := db.Order(ctx, ref, 1); o.Status == "Completed" {
		t.Errorf("order 1 written despite the error")
	}
	if l, _ := db.OutboxLen(ctx); l != 0 {
		t.Errorf("outbox = %d entries, want 0", l)
	}
	// A changed key or id is refused.
	_, err = db.UpdateOrders(ctx, ref, []int64{1}, func(o *Order) (bool, []byte, error) { o.PanelID = 9; return true, nil, nil })
	wantErr(t, err, ErrInvalid)
}

func TestUpdateRefills(t *testing.T) {
	db, clk := testDB(t)
	ctx := context.Background()
	ref, err := db.PutKey(ctx, "batch-key-0123456789")
	must(t, err)
	must(t, db.PutRefill(ctx, Refill{ChatID: 7, KeyRef: ref, RefillID: 1, OrderID: 50, Status: "Pending"}))
	must(t, db.PutRefill(ctx, Refill{ChatID: 7, KeyRef: ref, RefillID: 2, OrderID: 50, Status: "Pending"}))
	_, err = db.SetBlocked(ctx, 8)
	must(t, err)
	must(t, db.PutRefill(ctx, Refill{ChatID: 8, KeyRef: ref, RefillID: 3, OrderID: 51, Status: "Pending"}))
	n, err := db.UpdateRefills(ctx, ref, []int64{1, 2, 3, 4}, func(r *Refill) (bool, []byte, error) {
		if r.RefillID == 2 {
			return false, nil, nil
		}
		r.Status, r.Final = "Completed", true
		return true, []byte("refilled"), nil
	})
	must(t, err)
	if n != 2 {
		t.Errorf("written = %d, want 2", n)
	}
	entries, err := db.DueEntries(ctx, clk.Now(), 10)
	must(t, err)
	if len(entries) != 1 || entries[0].ChatID != 7 {
		t.Errorf("outbox = %+v, want one entry for chat 7 (chat 8 blocked the bot)", entries)
	}
	tr, err := db.Tracking(ctx)
	must(t, err)
	if got := tr[ref].Refills; len(got) != 1 || got[0] != 2 {
		t.Errorf("tracked refills = %v, want [2]", got)
	}
}

// TestUpdateOrdersKeepsTrackedOrdersApart checks that an unfinished order
// lives whole in the tracking bucket, moves to order_records when it
// finishes, and that a poll that changes nothing commits nothing.
func TestUpdateOrdersKeepsTrackedOrdersApart(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	o := sampleOrder(t, 7, "k", 1, clk.Now())
	o.Status, o.Remains = "In progress", 10
	must(t, db.PutOrder(ctx, o))
	where := func() (rec, tracked bool) {
		must(t, db.bolt.View(func(tx *bolt.Tx) error {
			rec = tx.Bucket(bucketOrderRecs).Get(refKey("k", 1)) != nil
			tracked = tx.Bucket(bucketTracking).Get(trackingKey("k", kindOrder, 1)) != nil
			return nil
		}))
		return rec, tracked
	}
	if rec, tracked := where(); rec || !tracked {
		t.Fatalf("unfinished order in records %v, tracking %v", rec, tracked)
	}
	fn := func(o *Order) (bool, []byte, error) {
		if o.Service.Name == "" || o.Link == "" {
			t.Errorf("fn saw a partial order %+v", o)
		}
		if o.Remains == 0 {
			return false, nil, nil
		}
		o.Remains = 0
		return true, nil, nil
	}
	before := db.Commits()
	for range 2 {
		_, err := db.UpdateOrders(ctx, "k", []int64{1}, fn)
		must(t, err)
	}
	if n := db.Commits() - before; n != 1 {
		t.Errorf("two polls, one change: %d commits", n)
	}
	_, err := db.UpdateOrders(ctx, "k", []int64{1}, func(o *Order) (bool, []byte, error) {
		o.Status, o.Final = "Completed", true
		return true, nil, nil
	})
	must(t, err)
	if rec, tracked := where(); !rec || tracked {
		t.Errorf("finished order in records %v, tracking %v", rec, tracked)
	}
	got, err := db.Order(ctx, "k", 1)
	must(t, err)
	if got.Status != "Completed" || got.Remains != 0 || got.Service.Name != o.Service.Name {
		t.Errorf("order = %+v", got)
	}
	checkIndexes(t, db)
}
