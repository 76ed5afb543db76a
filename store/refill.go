package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Refill is a refill request for an order, identified by (KeyRef,
// RefillID) like orders are.
type Refill struct {
	ChatID   int64     `json:"chat_id"`
	KeyRef   string    `json:"key_ref"`
	RefillID int64     `json:"refill_id"`
	OrderID  int64     `json:"order_id"` // the panel order id it refills
	Status   string    `json:"status,omitempty"`
	Final    bool      `json:"final,omitempty"` // finished: no longer tracked
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

func checkRefill(r Refill) error {
	if err := checkRef(r.KeyRef); err != nil {
		return err
	}
	if r.RefillID <= 0 || r.OrderID <= 0 {
		return fmt.Errorf("%w: refill id and order id must be positive, got %d and %d", ErrInvalid, r.RefillID, r.OrderID)
	}
	return nil
}

// PutRefill inserts r, or replaces the refill with the same (KeyRef,
// RefillID). It sets Updated to now, and Created too when it is zero. The
// refill is tracked while it is not Final.
func (db *DB) PutRefill(ctx context.Context, r Refill) error {
	if err := checkRefill(r); err != nil {
		return fmt.Errorf("put refill %d: %w", r.RefillID, err)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		old, err := getRefill(tx, r.KeyRef, r.RefillID)
		if err == nil {
			c := r
			if c.Created.IsZero() {
				c.Created = db.now()
			}
			if sameRefill(old, c) {
				return errUnchanged
			}
		}
		return db.putRefill(tx, r)
	})
	if err != nil {
		return fmt.Errorf("put refill %d: %w", r.RefillID, err)
	}
	return nil
}

// Refills returns the refills of one order, newest first (by Created, then
// by the higher RefillID); none is an empty result, not an error.
func (db *DB) Refills(ctx context.Context, keyRef string, orderID int64) ([]Refill, error) {
	var out []Refill
	err := db.view(ctx, func(tx *bolt.Tx) error {
		prefix := refKey(keyRef, orderID)
		c := tx.Bucket(bucketRefillsByOrder).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			r, err := getRefill(tx, keyRef, int64(binary.BigEndian.Uint64(k[len(prefix):])))
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refills of order %d: %w", orderID, err)
	}
	slices.SortFunc(out, func(a, b Refill) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return cmp.Compare(b.RefillID, a.RefillID)
	})
	return out, nil
}

// UpdateRefill changes one refill in one transaction, as UpdateOrder does
// for orders: fn's notify is queued for the refill's chat unless it is
// blocked; fn's error writes nothing. It returns ErrNotFound for an unknown
// refill.
func (db *DB) UpdateRefill(ctx context.Context, keyRef string, refillID int64, fn func(r *Refill) (notify []byte, err error)) error {
	if fn == nil {
		return fmt.Errorf("update refill %d: %w: nil func", refillID, ErrInvalid)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		r, err := getRefill(tx, keyRef, refillID)
		if err != nil {
			return err
		}
		before := r
		notify, err := fn(&r)
		if err != nil {
			return err
		}
		if r.KeyRef != keyRef || r.RefillID != refillID {
			return fmt.Errorf("%w: fn changed the refill's key or id", ErrInvalid)
		}
		if err := checkRefill(r); err != nil {
			return err
		}
		if notify == nil && sameRefill(before, r) {
			return errUnchanged
		}
		if err := db.putRefill(tx, r); err != nil {
			return err
		}
		return db.notify(tx, r.ChatID, notify, r.Final)
	})
	if err != nil {
		return fmt.Errorf("update refill %d: %w", refillID, err)
	}
	return nil
}

// sameRefill reports whether a and b store the same, Updated aside.
func sameRefill(a, b Refill) bool {
	return a.ChatID == b.ChatID && a.KeyRef == b.KeyRef && a.RefillID == b.RefillID && a.OrderID == b.OrderID &&
		a.Status == b.Status && a.Final == b.Final && a.Created.Equal(b.Created)
}

func getRefill(tx *bolt.Tx, ref string, refillID int64) (Refill, error) {
	v := tx.Bucket(bucketRefills).Get(refKey(ref, refillID))
	if v == nil {
		return Refill{}, ErrNotFound
	}
	var r Refill
	if err := json.Unmarshal(v, &r); err != nil {
		return Refill{}, fmt.Errorf("decode refill: %w", err)
	}
	return r, nil
}

// refillIndexKeys are r's keys in refills_by_order and refills_by_chat.
func refillIndexKeys(r Refill) (byOrder, byChat []byte) {
	byOrder = binary.BigEndian.AppendUint64(refKey(r.KeyRef, r.OrderID), uint64(r.RefillID))
	byChat = append(idKey(r.ChatID), refKey(r.KeyRef, r.RefillID)...)
	return byOrder, byChat
}

func (db *DB) putRefill(tx *bolt.Tx, r Refill) error {
	now := db.now()
	if r.Created.IsZero() {
		r.Created = now
	}
	r.Updated = now
	pk := refKey(r.KeyRef, r.RefillID)
	refills := tx.Bucket(bucketRefills)
	byOrder, byChat := tx.Bucket(bucketRefillsByOrder), tx.Bucket(bucketRefillsByChat)
	if v := refills.Get(pk); v != nil {
		var old Refill
		if err := json.Unmarshal(v, &old); err != nil {
			return fmt.Errorf("decode refill: %w", err)
		}
		if err := deleteRefillIndex(byOrder, byChat, old); err != nil {
			return err
		}
	}
	v, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode refill: %w", err)
	}
	if err := refills.Put(pk, v); err != nil {
		return err
	}
	ko, kc := refillIndexKeys(r)
	if err := byOrder.Put(ko, nil); err != nil {
		return err
	}
	if err := byChat.Put(kc, nil); err != nil {
		return err
	}
	return setTracked(tx, r.KeyRef, kindRefill, r.RefillID, !r.Final, nil)
}

func deleteRefillIndex(byOrder, byChat *bolt.Bucket, r Refill) error {
	ko, kc := refillIndexKeys(r)
	if err := byOrder.Delete(ko); err != nil {
		return err
	}
	return byChat.Delete(kc)
}
