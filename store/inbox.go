package store

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketInbox holds updates received from Telegram and confirmed to it
// (the getUpdates offset moved past them, or the webhook answered 2xx)
// before they were handled: update_id → the update's raw JSON. It is made
// on first use, so older files need no migration.
var bucketInbox = []byte("inbox")

// InboxItem is one received update kept until it is handled.
type InboxItem struct {
	UpdateID int64
	Raw      []byte
}

// WriteInbox adds put and removes the updates del in one transaction; with
// nothing to do it writes nothing. Adding an update already kept replaces
// it.
func (db *DB) WriteInbox(ctx context.Context, put []InboxItem, del []int64) error {
	if len(put) == 0 && len(del) == 0 {
		return nil
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketInbox)
		if err != nil {
			return err
		}
		for _, it := range put {
			if err := b.Put(idKey(it.UpdateID), it.Raw); err != nil {
				return err
			}
		}
		for _, id := range del {
			if err := b.Delete(idKey(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write inbox: %w", err)
	}
	return nil
}

// Inbox returns every kept update in update_id order.
func (db *DB) Inbox(ctx context.Context) ([]InboxItem, error) {
	var items []InboxItem
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketInbox)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			items = append(items, InboxItem{UpdateID: int64(getU64(k)), Raw: clone(v)})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read inbox: %w", err)
	}
	return items, nil
}
