package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
// order is tracked while it is neither Final nor Gone.
func (db *DB) PutOrder(ctx context.Context, o Order) error {
	if err := checkOrder(o); err != nil {
		return fmt.Errorf("put order %d: %w", o.PanelID, err)
	}
	if err := db.update(ctx, func(tx *bolt.Tx) error { return db.putOrder(tx, o) }); err != nil {
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

// Orders returns up to limit orders of the chat older than after, newest
// first (by Created, then by the higher PanelID). more says whether older
// orders remain; next is then the cursor for them (the zero Cursor when
// more is false). Pages taken in turn are complete and disjoint.
func (db *DB) Orders(ctx context.Context, chatID int64, after Cursor, limit int) ([]Order, Cursor, bool, error) {
	if limit <= 0 {
		return nil, Cursor{}, false, fmt.Errorf("list orders of chat %d: %w: limit must be positive, got %d", chatID, ErrInvalid, limit)
	}
	var p page
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		p, err = readPage(tx, chatID, after, limit)
		return err
	})
	if err != nil {
		return nil, Cursor{}, false, fmt.Errorf("list orders of chat %d: %w", chatID, err)
	}
	return p.orders, p.next, !p.next.IsZero(), nil
}

type page struct {
	orders []Order
	next   Cursor // zero when nothing older remains
}

// readPage walks the chat's history index from after: ascending keys are
// newest first.
func readPage(tx *bolt.Tx, chatID int64, after Cursor, limit int) (page, error) {
	var p page
	prefix := idKey(chatID)
	start := append(clone(prefix), after.pos...)
	c := tx.Bucket(bucketOrdersByChat).Cursor()
	k, _ := c.Seek(start)
	if !after.IsZero() && bytes.Equal(k, start) {
		k, _ = c.Next()
	}
	var last []byte
	for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(p.orders) == limit {
			p.next = Cursor{pos: string(last)}
			break
		}
		o, err := orderAt(tx, k[len(prefix):])
		if err != nil {
			return page{}, err
		}
		p.orders = append(p.orders, o)
		last = k[len(prefix):]
	}
	return p, nil
}

// orderAt loads the order an orders_by_chat position points at.
func orderAt(tx *bolt.Tx, pos []byte) (Order, error) {
	_, _, panelID, ref, ok := splitPos(pos)
	if !ok {
		return Order{}, fmt.Errorf("corrupt order index key %x", pos)
	}
	o, err := getOrder(tx, ref, panelID)
	if err != nil {
		return Order{}, fmt.Errorf("order index entry %d: %w", panelID, err)
	}
	return o, nil
}

// CountOrders returns how many orders the chat has.
func (db *DB) CountOrders(ctx context.Context, chatID int64) (int, error) {
	var n int
	err := db.view(ctx, func(tx *bolt.Tx) error {
		prefix := idKey(chatID)
		c := tx.Bucket(bucketOrdersByChat).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count orders of chat %d: %w", chatID, err)
	}
	return n, nil
}

// UpdateOrder changes one order in one transaction: it loads it
// (ErrNotFound), lets fn change it, stores it with Updated = now (tracked
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
		notify, err := fn(&o)
		if err != nil {
			return err
		}
		if o.KeyRef != keyRef || o.PanelID != panelID {
			return fmt.Errorf("%w: fn changed the order's key or panel id", ErrInvalid)
		}
		if err := db.putOrder(tx, o); err != nil {
			return err
		}
		return db.notify(tx, o.ChatID, notify)
	})
	if err != nil {
		return fmt.Errorf("update order %d: %w", panelID, err)
	}
	return nil
}

func getOrder(tx *bolt.Tx, ref string, panelID int64) (Order, error) {
	v := tx.Bucket(bucketOrders).Get(refKey(ref, panelID))
	if v == nil {
		return Order{}, ErrNotFound
	}
	var o Order
	if err := json.Unmarshal(v, &o); err != nil {
		return Order{}, fmt.Errorf("decode order: %w", err)
	}
	return o, nil
}

// putOrder writes o over any order with the same key, moving its history
// index entry if the chat or Created changed and its tracking entry with
// Final and Gone.
func (db *DB) putOrder(tx *bolt.Tx, o Order) error {
	now := db.now()
	if o.Created.IsZero() {
		o.Created = now
	}
	o.Updated = now
	pk := refKey(o.KeyRef, o.PanelID)
	orders, byChat := tx.Bucket(bucketOrders), tx.Bucket(bucketOrdersByChat)
	if v := orders.Get(pk); v != nil {
		var old Order
		if err := json.Unmarshal(v, &old); err != nil {
			return fmt.Errorf("decode order: %w", err)
		}
		if err := byChat.Delete(orderIndexKey(old)); err != nil {
			return err
		}
	}
	v, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode order: %w", err)
	}
	if err := orders.Put(pk, v); err != nil {
		return err
	}
	if err := byChat.Put(orderIndexKey(o), nil); err != nil {
		return err
	}
	return setTracked(tx, o.KeyRef, kindOrder, o.PanelID, !o.Final && !o.Gone)
}

func orderIndexKey(o Order) []byte {
	return append(idKey(o.ChatID), orderPos(o.Created, o.PanelID, o.KeyRef)...)
}
