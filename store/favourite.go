package store

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketFavourites holds each chat's favourite services: chatID |
// serviceID → nothing. It is made on first use, so older files need no
// migration; a file without it has no favourites.
var bucketFavourites = []byte("favourites")

// MaxFavourites bounds a chat's favourite services.
const MaxFavourites = 8

// Favourites returns the chat's favourite service ids, in ascending
// order.
func (db *DB) Favourites(ctx context.Context, chatID int64) ([]int64, error) {
	var ids []int64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFavourites)
		if b == nil {
			return nil
		}
		prefix := idKey(chatID)
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if len(k) == 16 {
				ids = append(ids, int64(getU64(k[8:])))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list favourites of chat %d: %w", chatID, err)
	}
	return ids, nil
}

// ToggleFavourite adds the service to the chat's favourites, or removes it
// when it is one; on says which. A chat that has MaxFavourites already
// cannot add one: ErrTooManyFavourites. A non-positive service id is ErrInvalid.
func (db *DB) ToggleFavourite(ctx context.Context, chatID, serviceID int64) (on bool, err error) {
	if serviceID <= 0 {
		return false, fmt.Errorf("toggle favourite %d: %w: service id must be positive", serviceID, ErrInvalid)
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketFavourites)
		if err != nil {
			return err
		}
		k := append(idKey(chatID), idKey(serviceID)...)
		if b.Get(k) != nil {
			return b.Delete(k)
		}
		n, prefix := 0, idKey(chatID)
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		if n >= MaxFavourites {
			return ErrTooManyFavourites
		}
		on = true
		return b.Put(k, []byte{})
	})
	if err != nil {
		return false, fmt.Errorf("toggle favourite %d of chat %d: %w", serviceID, chatID, err)
	}
	return on, nil
}

// forgetFavourites deletes the chat's favourites (Forget).
func forgetFavourites(tx *bolt.Tx, chatID int64) error {
	b := tx.Bucket(bucketFavourites)
	if b == nil {
		return nil
	}
	return deleteAll(b, keysWithPrefix(b, idKey(chatID)))
}
