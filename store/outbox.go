package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// OutboxEntry is one notification waiting to be sent. The sender deletes
// it only after Telegram accepted the message, so a crash may repeat a
// message but never lose one.
type OutboxEntry struct {
	ID       uint64 // ascending in the order entries were queued
	ChatID   int64
	Payload  []byte // the caller's, opaque here
	Created  time.Time
	Due      time.Time // not to be sent before
	Attempts int       // how many times it was postponed
}

// outbox values: chatID(8) | time(Created) | time(Due) | attempts(4) | payload.
const entryHead = 8 + 2*timeLen + 4

func encodeEntry(e OutboxEntry) []byte {
	b := make([]byte, 0, entryHead+len(e.Payload))
	b = binary.BigEndian.AppendUint64(b, uint64(e.ChatID))
	b = appendTime(b, e.Created)
	b = appendTime(b, e.Due)
	b = binary.BigEndian.AppendUint32(b, uint32(e.Attempts))
	return append(b, e.Payload...)
}

func decodeEntry(k, v []byte) (OutboxEntry, error) {
	if len(k) != 8 || len(v) < entryHead {
		return OutboxEntry{}, fmt.Errorf("corrupt outbox entry %x", k)
	}
	return OutboxEntry{
		ID:       getU64(k),
		ChatID:   int64(getU64(v)),
		Created:  readTime(v[8:]),
		Due:      readTime(v[8+timeLen:]),
		Attempts: int(binary.BigEndian.Uint32(v[8+2*timeLen:])),
		Payload:  clone(v[entryHead:]),
	}, nil
}

// entryChat reads only the chat id of an encoded entry.
func entryChat(v []byte) int64 { return int64(getU64(v)) }

// entryDue reads only the due time of an encoded entry.
func entryDue(v []byte) time.Time { return readTime(v[8+timeLen:]) }

// Enqueue queues payload for chatID, due now, and returns the entry's id.
// It queues even for a blocked chat; UpdateOrder and UpdateRefill are the
// ones that skip blocked chats. An entry queued this way is never dropped
// before status notes when the chat's queue is full (see OutboxChatLimit).
func (db *DB) Enqueue(ctx context.Context, chatID int64, payload []byte) (uint64, error) {
	var id uint64
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		var err error
		id, err = db.enqueue(tx, chatID, payload, false)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue for chat %d: %w", chatID, err)
	}
	return id, nil
}

// notify queues payload for chatID inside a status change, unless payload
// is nil or the chat blocked the bot. A note about an unfinished order or
// refill (final false) is the first to go when the chat's queue is full.
func (db *DB) notify(tx *bolt.Tx, chatID int64, payload []byte, final bool) error {
	if payload == nil {
		return nil
	}
	blocked, err := chatBlocked(tx, chatID)
	if err != nil || blocked {
		return err
	}
	_, err = db.enqueue(tx, chatID, payload, !final)
	return err
}

// DueEntries returns up to limit entries due at or before now, oldest
// (lowest id) first. It reads the outbox in id order, so its cost grows
// with the entries queued ahead, which the sender keeps few.
func (db *DB) DueEntries(ctx context.Context, now time.Time, limit int) ([]OutboxEntry, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("due entries: %w: limit must be positive, got %d", ErrInvalid, limit)
	}
	var out []OutboxEntry
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			if len(v) < entryHead {
				return fmt.Errorf("corrupt outbox entry %x", k)
			}
			if entryDue(v).After(now) {
				continue
			}
			e, err := decodeEntry(k, v)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due entries: %w", err)
	}
	return out, nil
}

// DeleteEntry removes entry id; deleting a missing entry is not an error
// and writes nothing.
func (db *DB) DeleteEntry(ctx context.Context, id uint64) error {
	var found bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketOutbox).Get(u64(id)) != nil
		return nil
	})
	if err == nil && found {
		err = db.batch(ctx, func(tx *bolt.Tx) error {
			_, err := removeEntry(tx, id)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("delete outbox entry %d: %w", id, err)
	}
	return nil
}

// Postpone makes entry id due at until and counts one more attempt. It
// returns ErrNotFound when the entry is gone (sent, or dropped because the
// chat blocked the bot).
func (db *DB) Postpone(ctx context.Context, id uint64, until time.Time) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		v := b.Get(u64(id))
		if v == nil {
			return ErrNotFound
		}
		e, err := decodeEntry(u64(id), v)
		if err != nil {
			return err
		}
		e.Attempts++
		e.Due = until
		return b.Put(u64(id), encodeEntry(e))
	})
	if err != nil {
		return fmt.Errorf("postpone outbox entry %d: %w", id, err)
	}
	return nil
}

// OutboxLen returns the number of queued entries, due or not.
func (db *DB) OutboxLen(ctx context.Context) (int, error) {
	var n int
	err := db.view(ctx, func(tx *bolt.Tx) error {
		n = outboxLen(tx)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("outbox length: %w", err)
	}
	return n, nil
}
