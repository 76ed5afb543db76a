package store

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"
)

// ServiceSnapshot is the service as it was when the order was placed, so
// the order still reads right after the catalogue changes.
type ServiceSnapshot struct {
	ID       int64           `json:"id"`
	Name     string          `json:"name"`
	Type     string          `json:"type"`
	Category string          `json:"category"`
	Rate     decimal.Decimal `json:"rate"`
	Refill   bool            `json:"refill,omitempty"`
	Cancel   bool            `json:"cancel,omitempty"`
	Dripfeed bool            `json:"dripfeed,omitempty"`
}

// Order is a placed order and what the panel last said of it. It is
// identified by (KeyRef, PanelID): panel ids are unique per account only.
type Order struct {
	ChatID     int64             `json:"chat_id"`
	KeyRef     string            `json:"key_ref"` // the key it was placed with, by reference
	PanelID    int64             `json:"panel_id"`
	Service    ServiceSnapshot   `json:"service"`
	Link       string            `json:"link"`
	Quantity   int64             `json:"quantity,omitempty"`
	Comments   string            `json:"comments,omitempty"`
	Extra      map[string]string `json:"extra,omitempty"` // type-specific add fields (usernames, answer_number, min, max, ...), by API field name
	Runs       int64             `json:"runs,omitempty"`
	Interval   int64             `json:"interval,omitempty"`
	Price      decimal.Decimal   `json:"price"`
	Created    time.Time         `json:"created"`
	Status     string            `json:"status,omitempty"` // as the panel spells it; "" = not yet polled
	Remains    int64             `json:"remains,omitempty"`
	StartCount int64             `json:"start_count,omitempty"`
	Charge     decimal.Decimal   `json:"charge"`
	Final      bool              `json:"final,omitempty"` // finished: no longer tracked
	Gone       bool              `json:"gone,omitempty"`  // unknown to the panel: no longer tracked
	Updated    time.Time         `json:"updated"`
}

func checkOrder(o Order) error {
	if err := checkRef(o.KeyRef); err != nil {
		return err
	}
	if o.PanelID <= 0 {
		return fmt.Errorf("%w: panel order id must be positive, got %d", ErrInvalid, o.PanelID)
	}
	return nil
}

// PutOrder inserts o, or replaces the order with the same (KeyRef,
// PanelID). It sets Updated to now, and Created too when it is zero. The
// order is tracked while it is neither Final nor Gone. Putting the order
// as it is stored writes nothing.
func (db *DB) PutOrder(ctx context.Context, o Order) error {
	if err := checkOrder(o); err != nil {
		return fmt.Errorf("put order %d: %w", o.PanelID, err)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		old, err := getOrder(tx, o.KeyRef, o.PanelID)
		if err == nil {
			c := o
			if c.Created.IsZero() {
				c.Created = db.now()
			}
			if sameOrder(old, c) {
				return errUnchanged
			}
		}
		return db.putOrder(tx, o)
	})
	if err != nil {
		return fmt.Errorf("put order %d: %w", o.PanelID, err)
	}
	return nil
}

// Order returns the order placed with keyRef under panelID, or ErrNotFound.
// The chat that owns it is its ChatID.
func (db *DB) Order(ctx context.Context, keyRef string, panelID int64) (Order, error) {
	var o Order
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		o, err = getOrder(tx, keyRef, panelID)
		return err
	})
	if err != nil {
		return Order{}, fmt.Errorf("get order %d: %w", panelID, err)
	}
	return o, nil
}

// UpdateOrder changes one order in one transaction: it loads it
// (ErrNotFound), lets fn change it, stores it (nothing is written when fn
// changes nothing and notifies nothing) with Updated = now (tracked
// while neither Final nor Gone) and, when fn returns a non-nil notify,
// queues it in the outbox for the order's chat, unless that chat blocked
// the bot. An error from fn aborts with nothing written and is returned
// wrapped. fn runs inside the transaction: keep it quick and do not call
// the DB from it. It may not change KeyRef or PanelID (ErrInvalid).
func (db *DB) UpdateOrder(ctx context.Context, keyRef string, panelID int64, fn func(o *Order) (notify []byte, err error)) error {
	if fn == nil {
		return fmt.Errorf("update order %d: %w: nil func", panelID, ErrInvalid)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		o, err := getOrder(tx, keyRef, panelID)
		if err != nil {
			return err
		}
		before := o
		before.Extra = maps.Clone(o.Extra)
		notify, err := fn(&o)
		if err != nil {
			return err
		}
		if o.KeyRef != keyRef || o.PanelID != panelID {
			return fmt.Errorf("%w: fn changed the order's key or panel id", ErrInvalid)
		}
		if notify == nil && sameOrder(before, o) {
			return errUnchanged
		}
		if err := db.putOrder(tx, o); err != nil {
			return err
		}
		return db.notify(tx, o.ChatID, notify, o.Final || o.Gone)
	})
	if err != nil {
		return fmt.Errorf("update order %d: %w", panelID, err)
	}
	return nil
}

// getOrder reads an order: from the tracking bucket while it is tracked,
// else from order_records.
func getOrder(tx *bolt.Tx, ref string, panelID int64) (Order, error) {
	v, _ := orderBytes(tx, ref, panelID)
	if v == nil {
		return Order{}, ErrNotFound
	}
	o, svc, err := decodeOrder(ref, panelID, v)
	if err != nil {
		return Order{}, err
	}
	if o.Service, err = getService(tx, svc); err != nil {
		return Order{}, fmt.Errorf("order %d: %w", panelID, err)
	}
	return o, nil
}

// orderBytes finds an order's record and says whether it is tracked.
func orderBytes(tx *bolt.Tx, ref string, panelID int64) (v []byte, tracked bool) {
	if v := tx.Bucket(bucketTracking).Get(trackingKey(ref, kindOrder, panelID)); len(v) > 0 {
		return v, true
	}
	return tx.Bucket(bucketOrderRecs).Get(refKey(ref, panelID)), false
}

// putOrder stamps o (Updated now, Created now when zero) and writes it.
func (db *DB) putOrder(tx *bolt.Tx, o Order) error {
	now := db.now()
	if o.Created.IsZero() {
		o.Created = now
	}
	o.Updated = now
	return writeOrder(tx, o)
}

// writeOrder writes o as given over any order with the same key, moving
// its history entries and counters when its class, chat, Created or link
// changed. An unfinished order (neither Final nor Gone) is kept whole in
// the tracking bucket, a finished one in order_records: the poller reads
// and rewrites only the tracking bucket's few dense pages, never the pages
// of the whole history, which keeps its memory small.
func writeOrder(tx *bolt.Tx, o Order) error {
	var old *Order
	v, wasTracked := orderBytes(tx, o.KeyRef, o.PanelID)
	if v != nil {
		prev, _, err := decodeOrder(o.KeyRef, o.PanelID, v)
		if err != nil {
			return err
		}
		old = &prev
	}
	svc, err := putService(tx, o.Service)
	if err != nil {
		return err
	}
	rec, pk := encodeOrder(o, svc), refKey(o.KeyRef, o.PanelID)
	recs := appendBucket(tx, bucketOrderRecs)
	tracked := !o.Final && !o.Gone
	if tracked {
		err = setTracked(tx, o.KeyRef, kindOrder, o.PanelID, true, rec)
	} else {
		err = recs.Put(pk, rec)
	}
	if err != nil {
		return err
	}
	switch {
	case old != nil && wasTracked && !tracked:
		err = setTracked(tx, o.KeyRef, kindOrder, o.PanelID, false, nil)
	case old != nil && !wasTracked && tracked:
		err = recs.Delete(pk)
	}
	if err != nil {
		return err
	}
	return reindex(tx, old, o)
}

// sameOrder reports whether a and b store the same, Updated aside.
func sameOrder(a, b Order) bool {
	a.Updated, b.Updated = time.Time{}, time.Time{}
	return bytes.Equal(encodeSnapshot(a.Service), encodeSnapshot(b.Service)) &&
		bytes.Equal(encodeOrder(a, nil), encodeOrder(b, nil))
}
