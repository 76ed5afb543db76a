package store

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestOrderRoundTrip(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	_, err := db.Order(ctx, "ref0000000000001", 1)
	wantErr(t, err, ErrNotFound)

	o := sampleOrder(t, -1001, "ref0000000000001", 23501, clk.Now().Add(-time.Minute))
	o.Status, o.Remains, o.StartCount = "Partial", 157, 3572
	o.Price = dec(t, "123456789012345678901234567890.123456789012345678901")
	o.Charge = dec(t, "0.27819")
	must(t, db.PutOrder(ctx, o))
	got, err := db.Order(ctx, o.KeyRef, o.PanelID)
	must(t, err)
	o.Updated = clk.Now()
	assertOrder(t, got, o)

	// Same key and panel id under another key reference is another order.
	_, err = db.Order(ctx, "ref0000000000002", o.PanelID)
	wantErr(t, err, ErrNotFound)

	// Replacing moves the history entry instead of adding one.
	clk.Add(time.Minute)
	o.Created = clk.Now()
	o.Status = "Completed"
	must(t, db.PutOrder(ctx, o))
	if n, err := db.CountOrders(ctx, o.ChatID); err != nil || n != 1 {
		t.Errorf("CountOrders after replace = %d, %v; want 1", n, err)
	}
	checkIndexes(t, db)
}

func TestPutOrderDefaults(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	must(t, db.PutOrder(ctx, Order{ChatID: 1, KeyRef: "k", PanelID: 2}))
	got, err := db.Order(ctx, "k", 2)
	must(t, err)
	if !got.Created.Equal(clk.Now()) || !got.Updated.Equal(clk.Now()) {
		t.Errorf("Created %v, Updated %v; want both %v", got.Created, got.Updated, clk.Now())
	}
	if !got.Price.IsZero() || !got.Charge.IsZero() {
		t.Errorf("zero decimals came back as %s and %s", got.Price, got.Charge)
	}
}

func TestPutOrderInvalid(t *testing.T) {
	db, _ := testDB(t)
	tests := map[string]Order{
		"no key ref":       {ChatID: 1, PanelID: 1},
		"zero panel id":    {ChatID: 1, KeyRef: "k"},
		"negative id":      {ChatID: 1, KeyRef: "k", PanelID: -4},
		"key ref too long": {ChatID: 1, KeyRef: string(make([]byte, 256)), PanelID: 1},
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			wantErr(t, db.PutOrder(t.Context(), o), ErrInvalid)
		})
	}
}

// TestOrdersPaging walks 10,000 orders of one chat, with ties on Created
// and other chats' orders on both sides in key order, in pages of 37
// through cursors that travel as strings, as they would in callback data.
func TestOrdersPaging(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	bulkOrders(t, db, historyFixture(clk.Now()))
	if n, err := db.CountOrders(ctx, 1); err != nil || n != 10000 {
		t.Fatalf("CountOrders = %d, %v; want 10000", n, err)
	}
	seen, pages := walkHistory(t, db, 1, 37)
	if seen != 10000 || pages != 271 {
		t.Errorf("saw %d orders in %d pages, want 10000 in 271", seen, pages)
	}
	for _, chat := range []int64{0, 2, -1} {
		page, _, more, err := db.Orders(ctx, chat, Cursor{}, 100)
		must(t, err)
		if len(page) != 10 || more {
			t.Errorf("chat %d: %d orders, more %v; want 10, false", chat, len(page), more)
		}
	}
	_, _, _, err := db.Orders(ctx, 1, Cursor{}, 0)
	wantErr(t, err, ErrInvalid)
}

// historyFixture is 10,000 orders of chat 1 (three a second, under two
// keys) and 10 each of chats 0, 2 and -1.
func historyFixture(base time.Time) []Order {
	var orders []Order
	for i := range 10000 {
		created := base.Add(time.Duration(i/3) * time.Second)
		ref := "aaaaaaaaaaaaaaaa"
		if i%2 == 1 {
			ref = "bbbbbbbbbbbbbbbb"
		}
		orders = append(orders, Order{ChatID: 1, KeyRef: ref, PanelID: int64(100000 - i), Created: created})
		if i%1000 == 0 {
			for _, other := range []int64{0, 2, -1} {
				orders = append(orders, Order{ChatID: other, KeyRef: ref, PanelID: 500000 + 100000*other + int64(i), Created: created})
			}
		}
	}
	return orders
}

// walkHistory pages through a chat's history, checking that pages are full
// until the last, newest first, of that chat only and disjoint.
func walkHistory(tb testing.TB, db *DB, chatID int64, size int) (seen, pages int) {
	tb.Helper()
	ids := map[string]bool{}
	var prev *Order
	for cursor := ""; ; {
		after, err := ParseCursor(cursor)
		must(tb, err)
		page, next, more, err := db.Orders(tb.Context(), chatID, after, size)
		must(tb, err)
		pages++
		for i := range page {
			o := &page[i]
			id := fmt.Sprintf("%s/%d", o.KeyRef, o.PanelID)
			switch {
			case o.ChatID != chatID:
				tb.Fatalf("page %d: order %s of chat %d", pages, id, o.ChatID)
			case ids[id]:
				tb.Fatalf("page %d: order %s seen before", pages, id)
			case prev != nil && !newerFirst(prev, o):
				tb.Fatalf("page %d: order %s (%v) after %d (%v)", pages, id, o.Created, prev.PanelID, prev.Created)
			}
			ids[id], prev = true, o
		}
		if more == next.IsZero() || (more && len(page) != size) {
			tb.Fatalf("page %d: %d orders, more %v, next zero %v", pages, len(page), more, next.IsZero())
		}
		if !more {
			return len(ids), pages
		}
		cursor = next.String()
	}
}

func newerFirst(a, b *Order) bool {
	if !a.Created.Equal(b.Created) {
		return a.Created.After(b.Created)
	}
	return a.PanelID > b.PanelID
}

func TestOrdersCursorSurvivesChanges(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	for i := range int64(5) {
		must(t, db.PutOrder(ctx, Order{ChatID: 1, KeyRef: "k", PanelID: i + 1, Created: clk.Now().Add(time.Duration(i) * time.Second)}))
	}
	page, next, more, err := db.Orders(ctx, 1, Cursor{}, 2) // 5, 4
	must(t, err)
	if len(page) != 2 || !more || page[1].PanelID != 4 {
		t.Fatalf("first page = %v, more %v", page, more)
	}
	// A newer order and the loss of the cursor's own order change nothing
	// for the pages still to come.
	must(t, db.PutOrder(ctx, Order{ChatID: 1, KeyRef: "k", PanelID: 9, Created: clk.Now().Add(time.Hour)}))
	must(t, db.bolt.Update(func(tx *bolt.Tx) error { return deleteOrderForTest(tx, page[1]) }))
	page, _, more, err = db.Orders(ctx, 1, next, 10)
	must(t, err)
	if len(page) != 3 || more || page[0].PanelID != 3 || page[2].PanelID != 1 {
		t.Errorf("second page = %+v, more %v; want orders 3, 2, 1", page, more)
	}
}

func TestParseCursor(t *testing.T) {
	tests := []string{"x", "1.2.3", "1n.2.3.4.", "1n.zzzzzzzzzzzzzzz.1.1.k", "1n.1.rs0000.1.k", "1n.1.-1.1.k",
		"1n.a b.1.1.k", "0n.1.1.1.k", "1q.1.1.1.k", "n.1.1.1.k", "-1n.1.1.1.k"}
	for _, s := range tests {
		t.Run(s, func(t *testing.T) {
			_, err := ParseCursor(s)
			wantErr(t, err, ErrInvalid)
		})
	}
	c := Cursor{pos: string(orderPos(time.Unix(-5, 999999999), 77, "key.with.dots")), page: 500, dir: dirAt}
	back, err := ParseCursor(c.String())
	must(t, err)
	if back != c {
		t.Errorf("ParseCursor(%q) = %q, want %q", c.String(), back.String(), c.String())
	}
	// A page-500 cursor of a real order fits callback data with room to
	// spare.
	deep := Cursor{pos: string(orderPos(time.Date(2026, 12, 1, 23, 59, 59, 999999999, time.UTC), 99999999, "0123456789abcdef")), page: 500, dir: dirOlder}
	if n := len(deep.String()); n > 45 {
		t.Errorf("cursor %q is %d bytes, want at most 45", deep, n)
	}
	if zero, err := ParseCursor(""); err != nil || !zero.IsZero() || (Cursor{}).String() != "" {
		t.Errorf("empty cursor: %v, %v", zero, err)
	}
}

func assertOrder(tb testing.TB, got, want Order) {
	tb.Helper()
	g, w := got, want
	if !g.Price.Equal(w.Price) || !g.Charge.Equal(w.Charge) || !g.Service.Rate.Equal(w.Service.Rate) ||
		!g.Created.Equal(w.Created) || !g.Updated.Equal(w.Updated) {
		tb.Errorf("order = %+v\nwant    %+v", got, want)
	}
	g.Price, g.Charge, g.Service.Rate, g.Created, g.Updated = w.Price, w.Charge, w.Service.Rate, w.Created, w.Updated
	if !reflect.DeepEqual(g, w) {
		tb.Errorf("order = %+v\nwant    %+v", got, want)
	}
}

// deleteOrderForTest removes one order with its index, counts and
// tracking entries.
func deleteOrderForTest(tx *bolt.Tx, o Order) error {
	if err := tx.Bucket(bucketOrderRecs).Delete(refKey(o.KeyRef, o.PanelID)); err != nil {
		return err
	}
	for _, class := range []byte{classAll, classOf(o)} {
		if err := tx.Bucket(bucketOrderIndex).Delete(indexKey(o, class)); err != nil {
			return err
		}
		if err := addCount(tx, o.ChatID, class, -1); err != nil {
			return err
		}
	}
	return setTracked(tx, o.KeyRef, kindOrder, o.PanelID, false, nil)
}
