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
// changes nothing writes nothing (a bbolt commit costs an fsync). Tracked
// orders are kept whole in the small tracking bucket, so neither pass
// reads the pages of finished orders. The write transaction may be shared
// with concurrent writers. Each
// change and its outbox entry share the write transaction: neither is ever
// kept without the other. Unknown ids are skipped. An error from fn aborts
// with nothing written. It returns how many orders were written.
func (db *DB) UpdateOrders(ctx context.Context, keyRef string, ids []int64, fn func(o *Order) (changed bool, notify []byte, err error)) (int, error) {
	n, err := updateBatch(ctx, db, ids,
		func(tx *bolt.Tx, id int64) (Order, error) { return getOrder(tx, keyRef, id) },
		func(tx *bolt.Tx, id int64, o Order) (int64, bool, error) {
			if o.KeyRef != keyRef || o.PanelID != id {
				return 0, false, fmt.Errorf("%w: fn changed the order's key or panel id", ErrInvalid)
			}
			return o.ChatID, o.Final || o.Gone, db.putOrder(tx, o)
		}, fn)
	if err != nil {
		return 0, fmt.Errorf("update orders: %w", err)
	}
	return n, nil
}

// UpdateRefills is UpdateOrders for refills.
func (db *DB) UpdateRefills(ctx context.Context, keyRef string, ids []int64, fn func(r *Refill) (changed bool, notify []byte, err error)) (int, error) {
	n, err := updateBatch(ctx, db, ids,
		func(tx *bolt.Tx, id int64) (Refill, error) { return getRefill(tx, keyRef, id) },
		func(tx *bolt.Tx, id int64, r Refill) (int64, bool, error) {
			if r.KeyRef != keyRef || r.RefillID != id {
				return 0, false, fmt.Errorf("%w: fn changed the refill's key or id", ErrInvalid)
			}
			if err := checkRefill(r); err != nil {
				return 0, false, err
			}
			return r.ChatID, r.Final, db.putRefill(tx, r)
		}, fn)
	if err != nil {
		return 0, fmt.Errorf("update refills: %w", err)
	}
	return n, nil
}

// updateBatch is the read pass and the write transaction of UpdateOrders
// and UpdateRefills. put checks and writes a changed record and says whose chat its
// notification is for and whether the record is finished.
func updateBatch[T any](ctx context.Context, db *DB, ids []int64,
	get func(tx *bolt.Tx, id int64) (T, error),
	put func(tx *bolt.Tx, id int64, v T) (chatID int64, final bool, err error),
	fn func(v *T) (bool, []byte, error),
) (int, error) {
	if fn == nil {
		return 0, fmt.Errorf("%w: nil func", ErrInvalid)
	}
	changed, err := changedIDs(ctx, db, ids, get, fn)
	if err != nil || len(changed) == 0 {
		return 0, err
	}
	n := 0
	err = db.batch(ctx, func(tx *bolt.Tx) error {
		n = 0
		for _, id := range changed {
			v, err := get(tx, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			ok, notify, err := fn(&v)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			chatID, final, err := put(tx, id, v)
			if err != nil {
				return err
			}
			if err := db.notify(tx, chatID, notify, final); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// changedIDs is the read pass: the ids whose record fn would change.
func changedIDs[T any](ctx context.Context, db *DB, ids []int64,
	get func(tx *bolt.Tx, id int64) (T, error),
	fn func(v *T) (bool, []byte, error),
) ([]int64, error) {
	var changed []int64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, id := range ids {
			v, err := get(tx, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if ok, _, err := fn(&v); err != nil {
				return err
			} else if ok {
				changed = append(changed, id)
			}
		}
		return nil
	})
	return changed, err
}
