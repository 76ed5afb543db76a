package store

import (
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// UpdateOrders changes many orders of one key in one transaction, as the
// status poller does with one panel reply: for each id, fn sees the order
// and says whether it changed and what to notify. Only changed orders are
// written; each change and its outbox entry share the transaction, so
// neither is ever lost without the other. Unknown ids are skipped. An error
// from fn aborts the whole batch with nothing written.
func (db *DB) UpdateOrders(ctx context.Context, keyRef string, ids []int64, fn func(o *Order) (changed bool, notify []byte, err error)) error {
	if fn == nil {
		return fmt.Errorf("update orders: %w: nil func", ErrInvalid)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		for _, id := range ids {
			o, err := getOrder(tx, keyRef, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			changed, notify, err := fn(&o)
			if err != nil {
				return err
			}
			if !changed {
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
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update orders: %w", err)
	}
	return nil
}

// UpdateRefills is UpdateOrders for refills.
func (db *DB) UpdateRefills(ctx context.Context, keyRef string, ids []int64, fn func(r *Refill) (changed bool, notify []byte, err error)) error {
	if fn == nil {
		return fmt.Errorf("update refills: %w: nil func", ErrInvalid)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		for _, id := range ids {
			r, err := getRefill(tx, keyRef, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			changed, notify, err := fn(&r)
			if err != nil {
				return err
			}
			if !changed {
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
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update refills: %w", err)
	}
	return nil
}
