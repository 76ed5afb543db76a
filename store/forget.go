package store

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Forget removes everything the store holds of one chat, in one
// transaction: the chat, its session, its orders and refills with their
// tracking entries, its queued notifications, its mass order and favourites, and its API key unless
// another chat, order or refill still references that key. Records are the
// chat's when their ChatID is chatID. Forgetting an unknown chat is not an
// error.
func (db *DB) Forget(ctx context.Context, chatID int64) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		c, found, err := getChat(tx, chatID)
		if err != nil {
			return err
		}
		if !found && !chatHasData(tx, chatID) {
			return errUnchanged
		}
		if err := tx.Bucket(bucketChats).Delete(idKey(chatID)); err != nil {
			return err
		}
		if found && c.KeyRef != "" {
			if err := tx.Bucket(bucketChatsByKey).Delete(append(lp(c.KeyRef), idKey(chatID)...)); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketSessions).Delete(idKey(chatID)); err != nil {
			return err
		}
		if err := forgetOrders(tx, chatID); err != nil {
			return err
		}
		if err := forgetRefills(tx, chatID); err != nil {
			return err
		}
		if _, err := dropChatEntries(tx, chatID); err != nil {
			return err
		}
		if err := forgetMass(tx, chatID); err != nil {
			return err
		}
		if err := forgetFavourites(tx, chatID); err != nil {
			return err
		}
		if found && c.KeyRef != "" {
			return dropKeyIfUnused(tx, c.KeyRef)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget chat %d: %w", chatID, err)
	}
	return nil
}

// chatHasData reports whether anything but the chat record is kept for
// chatID.
func chatHasData(tx *bolt.Tx, chatID int64) bool {
	if tx.Bucket(bucketSessions).Get(idKey(chatID)) != nil {
		return true
	}
	for _, name := range [][]byte{bucketOrderIndex, bucketRefillsByChat, bucketOutboxByChat, bucketMass, bucketFavourites} {
		if b := tx.Bucket(name); b != nil && hasPrefix(b, idKey(chatID)) { // the last two are made on first use
			return true
		}
	}
	return false
}

func forgetOrders(tx *bolt.Tx, chatID int64) error {
	idx := tx.Bucket(bucketOrderIndex)
	all := append(idKey(chatID), classAll)
	recs := tx.Bucket(bucketOrderRecs)
	for _, k := range keysWithPrefix(idx, all) {
		_, panelID, ref, ok := splitPos(k[len(all):])
		if !ok {
			return fmt.Errorf("corrupt order index key %x", k)
		}
		if err := recs.Delete(refKey(ref, panelID)); err != nil {
			return err
		}
		if err := setTracked(tx, ref, kindOrder, panelID, false, nil); err != nil {
			return err
		}
	}
	if err := deleteAll(idx, keysWithPrefix(idx, idKey(chatID))); err != nil {
		return err
	}
	counts := tx.Bucket(bucketOrderCounts)
	return deleteAll(counts, keysWithPrefix(counts, idKey(chatID)))
}

func forgetRefills(tx *bolt.Tx, chatID int64) error {
	byChat := tx.Bucket(bucketRefillsByChat)
	keys := keysWithPrefix(byChat, idKey(chatID))
	refills, byOrder := tx.Bucket(bucketRefills), tx.Bucket(bucketRefillsByOrder)
	for _, k := range keys {
		ref, rest, ok := splitRefKey(k[8:])
		if !ok || len(rest) != 8 {
			return fmt.Errorf("corrupt refill index key %x", k)
		}
		r, err := getRefill(tx, ref, int64(getU64(rest)))
		if err != nil {
			return fmt.Errorf("refill index entry: %w", err)
		}
		ko, _ := refillIndexKeys(r)
		if err := byOrder.Delete(ko); err != nil {
			return err
		}
		if err := refills.Delete(refKey(ref, r.RefillID)); err != nil {
			return err
		}
		if err := setTracked(tx, ref, kindRefill, r.RefillID, false, nil); err != nil {
			return err
		}
	}
	return deleteAll(byChat, keys)
}
