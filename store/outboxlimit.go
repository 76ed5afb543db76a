package store

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The outbox is bounded, so that a chat the bot cannot reach, or a sender
// that fell behind, never grows the file without end:
//
//   - a chat holds at most OutboxChatLimit entries; queuing one more drops
//     the chat's oldest status note about an unfinished order or refill
//     (the note of a later status says more), or, when it has none, its
//     oldest entry;
//   - the outbox holds at most OutboxLimit entries; past that, the oldest
//     entry of all is dropped.
//
// Every dropped entry is counted (OutboxDropped). The bookkeeping:
//
//	outbox_by_chat  chatID | kind ('d' droppable first, 'k' kept) | id → empty
//	meta            "outbox_len" → number of entries
const (
	DefaultOutboxChatLimit = 200
	DefaultOutboxLimit     = 50000
)

const (
	kindDroppable byte = 'd'
	kindKept      byte = 'k'
)

var (
	bucketOutboxByChat = []byte("outbox_by_chat")
	metaOutboxLen      = []byte("outbox_len")
)

// OutboxDropped returns how many outbox entries the limits dropped since
// Open.
func (db *DB) OutboxDropped() int64 { return db.dropped.Load() }

func outboxChatKey(chatID int64, kind byte, id uint64) []byte {
	return append(append(idKey(chatID), kind), u64(id)...)
}

func outboxLen(tx *bolt.Tx) int {
	if v := tx.Bucket(bucketMeta).Get(metaOutboxLen); len(v) == 8 {
		return int(getU64(v))
	}
	return 0
}

func addOutboxLen(tx *bolt.Tx, delta int) error {
	return tx.Bucket(bucketMeta).Put(metaOutboxLen, u64(uint64(max(outboxLen(tx)+delta, 0))))
}

// enqueue adds an entry and enforces the limits.
func (db *DB) enqueue(tx *bolt.Tx, chatID int64, payload []byte, droppable bool) (uint64, error) {
	b := tx.Bucket(bucketOutbox)
	id, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	now := db.now()
	e := OutboxEntry{ID: id, ChatID: chatID, Payload: payload, Created: now, Due: now}
	b.FillPercent = appendFill // ids ascend
	if err := b.Put(u64(id), encodeEntry(e)); err != nil {
		return 0, err
	}
	kind := kindKept
	if droppable {
		kind = kindDroppable
	}
	if err := tx.Bucket(bucketOutboxByChat).Put(outboxChatKey(chatID, kind, id), nil); err != nil {
		return 0, err
	}
	if err := addOutboxLen(tx, 1); err != nil {
		return 0, err
	}
	if err := db.boundChat(tx, chatID); err != nil {
		return 0, err
	}
	return id, db.boundTotal(tx)
}

// boundChat drops the chat's oldest droppable entry (or oldest entry)
// while it holds more than the chat limit.
func (db *DB) boundChat(tx *bolt.Tx, chatID int64) error {
	prefix := idKey(chatID)
	c := tx.Bucket(bucketOutboxByChat).Cursor()
	n := 0
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n <= db.chatLimit; k, _ = c.Next() {
		n++
	}
	if n <= db.chatLimit {
		return nil
	}
	k, _ := c.Seek(prefix) // 'd' sorts before 'k': droppable entries first
	if k == nil || len(k) != 17 {
		return fmt.Errorf("corrupt outbox index key %x", k)
	}
	return db.dropEntry(tx, getU64(k[9:]))
}

// boundTotal drops the oldest entries while the outbox is over its limit.
func (db *DB) boundTotal(tx *bolt.Tx) error {
	for outboxLen(tx) > db.totalLimit {
		k, _ := tx.Bucket(bucketOutbox).Cursor().First()
		if k == nil {
			return addOutboxLen(tx, -outboxLen(tx))
		}
		if err := db.dropEntry(tx, getU64(k)); err != nil {
			return err
		}
	}
	return nil
}

// dropEntry removes an entry for a limit and counts it once committed.
func (db *DB) dropEntry(tx *bolt.Tx, id uint64) error {
	if _, err := removeEntry(tx, id); err != nil {
		return err
	}
	tx.OnCommit(func() { db.dropped.Add(1) })
	return nil
}

// removeEntry deletes entry id with its index key and count; it reports
// whether there was one.
func removeEntry(tx *bolt.Tx, id uint64) (bool, error) {
	b := tx.Bucket(bucketOutbox)
	v := b.Get(u64(id))
	if v == nil {
		return false, nil
	}
	if len(v) < entryHead {
		return false, fmt.Errorf("corrupt outbox entry %d", id)
	}
	chatID := entryChat(v)
	if err := b.Delete(u64(id)); err != nil {
		return false, err
	}
	byChat := tx.Bucket(bucketOutboxByChat)
	for _, kind := range []byte{kindDroppable, kindKept} {
		if err := byChat.Delete(outboxChatKey(chatID, kind, id)); err != nil {
			return false, err
		}
	}
	return true, addOutboxLen(tx, -1)
}

// DropChatEntries removes every entry queued for chatID and returns how
// many there were.
func (db *DB) DropChatEntries(ctx context.Context, chatID int64) (int, error) {
	var n int
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var err error
		if n, err = dropChatEntries(tx, chatID); err == nil && n == 0 {
			err = errUnchanged
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("drop outbox entries of chat %d: %w", chatID, err)
	}
	return n, nil
}

func dropChatEntries(tx *bolt.Tx, chatID int64) (int, error) {
	keys := keysWithPrefix(tx.Bucket(bucketOutboxByChat), idKey(chatID))
	for _, k := range keys {
		if len(k) != 17 {
			return 0, fmt.Errorf("corrupt outbox index key %x", k)
		}
		if _, err := removeEntry(tx, getU64(k[9:])); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// indexOutbox builds outbox_by_chat and the count for entries written by
// schema 1, which had neither; all are kept entries.
func indexOutbox(tx *bolt.Tx) error {
	byChat := tx.Bucket(bucketOutboxByChat)
	n := 0
	err := tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		if len(k) != 8 || len(v) < entryHead {
			return fmt.Errorf("corrupt outbox entry %x", k)
		}
		n++
		return byChat.Put(outboxChatKey(entryChat(v), kindKept, getU64(k)), nil)
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(metaOutboxLen, u64(uint64(n)))
}
