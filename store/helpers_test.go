package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testDB opens a fresh store in a temporary directory with a test clock.
func testDB(tb testing.TB) (*DB, *clock) {
	tb.Helper()
	clk := newClock()
	db := openAt(tb, filepath.Join(tb.TempDir(), "smmbot.db"), Options{Now: clk.Now})
	return db, clk
}

// openAt opens path with opts and closes it when the test ends.
func openAt(tb testing.TB, path string, opts Options) *DB {
	tb.Helper()
	db, err := Open(path, opts)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

func wantErr(tb testing.TB, err, want error) {
	tb.Helper()
	if !errors.Is(err, want) {
		tb.Fatalf("error = %v, want %v", err, want)
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func dec(tb testing.TB, s string) decimal.Decimal {
	tb.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// sampleOrder is a fully populated order.
func sampleOrder(tb testing.TB, chatID int64, ref string, panelID int64, created time.Time) Order {
	tb.Helper()
	return Order{
		ChatID:  chatID,
		KeyRef:  ref,
		PanelID: panelID,
		Service: ServiceSnapshot{
			ID: 1, Name: "Followers 🚀 <fast> & cheap", Type: "Default", Category: "Instagram",
			Rate: dec(tb, "0.90"), Refill: true, Cancel: true, Dripfeed: true,
		},
		Link:     "https://instagram.com/example",
		Quantity: 1500,
		Comments: "nice\nwow",
		Extra:    map[string]string{"usernames": "a\nb", "answer_number": "2"},
		Runs:     3,
		Interval: 15,
		Price:    dec(tb, "1.350"),
		Created:  created,
		Charge:   dec(tb, "0.000000000000000001"),
	}
}

// bulkOrders stores orders in big transactions so that large fixtures are
// quick to build (one fsync per 10,000 orders instead of per order).
func bulkOrders(tb testing.TB, db *DB, orders []Order) {
	tb.Helper()
	for len(orders) > 0 {
		n := min(len(orders), 10000)
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			for _, o := range orders[:n] {
				if err := db.putOrder(tx, o); err != nil {
					return err
				}
			}
			return nil
		})
		must(tb, err)
		orders = orders[n:]
	}
}

// checkIndexes verifies that the history index, the refill indexes and the
// tracking bucket agree with the records, entry for entry, and that bbolt's
// own consistency check passes.
func checkIndexes(tb testing.TB, db *DB) {
	tb.Helper()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		tracking := map[string]bool{}
		if err := checkOrderIndex(tx, tracking); err != nil {
			return err
		}
		if err := checkRefillIndexes(tx, tracking); err != nil {
			return err
		}
		if err := sameKeys(tx.Bucket(bucketTracking), tracking); err != nil {
			return fmt.Errorf("tracking: %w", err)
		}
		return checkOutboxIndex(tx)
	})
	if err != nil {
		tb.Fatalf("index check: %v", err)
	}
}

// checkOrderIndex compares order_index and order_counts with the orders
// and adds the tracking keys the orders call for; unfinished orders must
// live in the tracking bucket, finished ones in order_records.
func checkOrderIndex(tx *bolt.Tx, tracking map[string]bool) error {
	index, counts := map[string]bool{}, map[string]int{}
	err := forEachOrder(tx, func(o Order, tracked bool) error {
		if tracked != (!o.Final && !o.Gone) {
			return fmt.Errorf("order %d (final %v, gone %v) stored as tracked %v", o.PanelID, o.Final, o.Gone, tracked)
		}
		for _, class := range []byte{classAll, classOf(o)} {
			index[string(indexKey(o, class))] = true
			counts[string(append(idKey(o.ChatID), class))]++
		}
		if got := tx.Bucket(bucketOrderIndex).Get(indexKey(o, classAll)); !bytes.Equal(got, searchText(o)) {
			return fmt.Errorf("order %d: index text %q, want %q", o.PanelID, got, searchText(o))
		}
		if tracked {
			tracking[string(trackingKey(o.KeyRef, kindOrder, o.PanelID))] = true
		}
		return nil
	})
	if err == nil {
		if err = sameKeys(tx.Bucket(bucketOrderIndex), index); err != nil {
			err = fmt.Errorf("order_index: %w", err)
		}
	}
	if err == nil {
		err = tx.Bucket(bucketOrderCounts).ForEach(func(k, v []byte) error {
			if int(getU64(v)) != counts[string(k)] {
				return fmt.Errorf("count %x = %d, want %d", k, getU64(v), counts[string(k)])
			}
			delete(counts, string(k))
			return nil
		})
	}
	if err == nil && len(counts) > 0 {
		err = fmt.Errorf("%d counters missing", len(counts))
	}
	return err
}

// forEachOrder calls f with every order, from order_records and from the
// tracking bucket.
func forEachOrder(tx *bolt.Tx, f func(o Order, tracked bool) error) error {
	err := tx.Bucket(bucketOrderRecs).ForEach(func(k, _ []byte) error {
		ref, rest, ok := splitRefKey(k)
		if !ok || len(rest) != 8 {
			return fmt.Errorf("bad order key %x", k)
		}
		o, err := getOrder(tx, ref, int64(getU64(rest)))
		if err != nil {
			return err
		}
		return f(o, false)
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketTracking).ForEach(func(k, _ []byte) error {
		ref, rest, ok := splitRefKey(k)
		if !ok || len(rest) != 9 {
			return fmt.Errorf("bad tracking key %x", k)
		}
		if rest[0] != kindOrder {
			return nil
		}
		o, err := getOrder(tx, ref, int64(getU64(rest[1:])))
		if err != nil {
			return err
		}
		return f(o, true)
	})
}

// checkRefillIndexes compares both refill indexes with the refills and
// adds the tracking keys the refills call for.
func checkRefillIndexes(tx *bolt.Tx, tracking map[string]bool) error {
	byOrder, byChat := map[string]bool{}, map[string]bool{}
	err := tx.Bucket(bucketRefills).ForEach(func(k, v []byte) error {
		r, err := getRefillBytes(v)
		if err != nil {
			return err
		}
		ko, kc := refillIndexKeys(r)
		byOrder[string(ko)], byChat[string(kc)] = true, true
		if !r.Final {
			tracking[string(trackingKey(r.KeyRef, kindRefill, r.RefillID))] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := sameKeys(tx.Bucket(bucketRefillsByOrder), byOrder); err != nil {
		return fmt.Errorf("refills_by_order: %w", err)
	}
	if err := sameKeys(tx.Bucket(bucketRefillsByChat), byChat); err != nil {
		return fmt.Errorf("refills_by_chat: %w", err)
	}
	return nil
}

func sameKeys(b *bolt.Bucket, want map[string]bool) error {
	n := 0
	err := b.ForEach(func(k, _ []byte) error {
		if !want[string(k)] {
			return fmt.Errorf("stray key %x", k)
		}
		n++
		return nil
	})
	if err == nil && n != len(want) {
		err = fmt.Errorf("%d keys, want %d", n, len(want))
	}
	return err
}

func getRefillBytes(v []byte) (Refill, error) {
	var r Refill
	err := json.Unmarshal(v, &r)
	return r, err
}

// checkOutboxIndex compares outbox_by_chat and the outbox count with the
// entries.
func checkOutboxIndex(tx *bolt.Tx) error {
	entries := map[uint64]int64{}
	err := tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		entries[getU64(k)] = entryChat(v)
		return nil
	})
	if err != nil {
		return err
	}
	if n := outboxLen(tx); n != len(entries) {
		return fmt.Errorf("outbox count %d, want %d", n, len(entries))
	}
	n := 0
	err = tx.Bucket(bucketOutboxByChat).ForEach(func(k, _ []byte) error {
		chat, ok := entries[getU64(k[9:])]
		if !ok || chat != int64(getU64(k)) || (k[8] != kindDroppable && k[8] != kindKept) {
			return fmt.Errorf("stray outbox index key %x", k)
		}
		n++
		return nil
	})
	if err == nil && n != len(entries) {
		err = fmt.Errorf("outbox index has %d keys, want %d", n, len(entries))
	}
	return err
}
