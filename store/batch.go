package store

import (
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// UpdateOrders changes many orders of one key, as the status poller does
// with one panel reply: for each id, fn sees the order and says whether it
// changed and what to notify. fn must depend only on the order it is given:
// it is called once in a read transaction to find the changes, and again
// in one write transaction for the orders that changed, so a poll that
// changes nothing writes nothing (a bbolt commit costs an fsync). Each
// change and its outbox entry share the write transaction: neither is ever
// kept without the other. Unknown ids are skipped. An error from fn aborts
// with nothing written. It returns how many orders were written.
func (db *DB) UpdateOrders(ctx context.Context, keyRef string, ids []int64, fn func(o *Order) (changed bool, notify []byte, err error)) (int, error) {
	if fn == nil {
		return 0, fmt.Errorf("update orders: %w: nil func", ErrInvalid)
	}
	var changed []int64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, id := range ids {
			o, err := getOrder(tx, keyRef, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if ok, _, err := fn(&o); err != nil {
				return err
			} else if ok {
				changed = append(changed, id)
			}
		}
		return nil
	})
	if err != nil || len(changed) == 0 {
		return 0, wrapUpdate("update orders", err)
	}
	n := 0
	err = db.update(ctx, func(tx *bolt.Tx) error {
		n = 0
		for _, id := range changed {
			o, err := getOrder(tx, keyRef, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			ok, notify, err := fn(&o)
			if err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			if o.KeyRef != keyRef || o.PanelID != id {
				return fmt.Errorf("%w: fn changed the order's key or panel id", ErrInvalid)
			}
			if err := db.putOrder(tx, o); err != nil {
				return err
			}
			if err := db.notify(tx, o.ChatID, notify); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, wrapUpdate("update orders", err)
	}
	return n, nil
}

// UpdateRefills is UpdateOrders for refills.
func (db *DB) UpdateRefills(ctx context.Context, keyRef string, ids []int64, fn func(r *Refill) (changed bool, notify []byte, err error)) (int, error) {
	if fn == nil {
		return 0, fmt.Errorf("update refills: %w: nil func", ErrInvalid)
	}
	n := 0
	err := db.update(ctx, func(tx *bolt.Tx) error {
		n = 0
		for _, id := range ids {
			r, err := getRefill(tx, keyRef, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			ok, notify, err := fn(&r)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if r.KeyRef != keyRef || r.RefillID != id {
				return fmt.Errorf("%w: fn changed the refill's key or id", ErrInvalid)
			}
			if err := db.putRefill(tx, r); err != nil {
				return err
			}
			if err := db.notify(tx, r.ChatID, notify); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, wrapUpdate("update refills", err)
	}
	return n, nil
}

func wrapUpdate(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}
