package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Schema 1 kept orders as JSON in "orders" with a history index in
// "orders_by_chat" and empty tracking values. migrateV1 moves the orders
// into the schema 2 buckets in transactions of migrateChunk orders, each
// deleting what it moved, so a crash midway loses nothing and the next
// Open carries on. The last transaction drops the old buckets and writes
// the schema version and indexes the outbox by chat. Chats, keys,
// sessions, refills and outbox entries kept their layout.
var (
	bucketV1Orders       = []byte("orders")
	bucketV1OrdersByChat = []byte("orders_by_chat")
)

const migrateChunk = 1000

// errMigrated tells Open that setup migrated the file and it should be
// opened afresh.
var errMigrated = errors.New("migrated")

func migrateV1(bdb *bolt.DB) error {
	for {
		n := 0
		err := bdb.Update(func(tx *bolt.Tx) error {
			var err error
			n, err = migrateOrders(tx, migrateChunk)
			return err
		})
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		trimMapping(bdb)
	}
	return bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketV1Orders, bucketV1OrdersByChat} {
			if tx.Bucket(name) == nil {
				continue
			}
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("drop bucket %s: %w", name, err)
			}
		}
		if err := indexOutbox(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaSchema, u64(SchemaVersion))
	})
}

// migrateOrders moves up to n schema 1 orders and returns how many moved.
func migrateOrders(tx *bolt.Tx, n int) (int, error) {
	old := tx.Bucket(bucketV1Orders)
	if old == nil {
		return 0, nil
	}
	var moved [][]byte
	c := old.Cursor()
	for k, v := c.First(); k != nil && len(moved) < n; k, v = c.Next() {
		var o Order
		if err := json.Unmarshal(v, &o); err != nil {
			return 0, fmt.Errorf("decode schema 1 order %x: %w", k, err)
		}
		if err := checkOrder(o); err != nil {
			return 0, fmt.Errorf("schema 1 order %x: %w", k, err)
		}
		if err := writeOrder(tx, o); err != nil {
			return 0, err
		}
		if b := tx.Bucket(bucketV1OrdersByChat); b != nil {
			if err := b.Delete(v1IndexKey(o)); err != nil {
				return 0, err
			}
		}
		moved = append(moved, clone(k))
	}
	return len(moved), deleteAll(old, moved)
}

// v1IndexKey is o's schema 1 history key: chatID | ^time(Created) |
// ^panelID | keyRef. Deleting it with the order spreads the work (and the
// pages read) over the chunks.
func v1IndexKey(o Order) []byte {
	pos := binary.BigEndian.AppendUint64(appendTime(nil, o.Created), uint64(o.PanelID))
	for i := range pos {
		pos[i] = ^pos[i]
	}
	return append(append(idKey(o.ChatID), pos...), o.KeyRef...)
}
