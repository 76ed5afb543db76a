package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Chat is what the bot remembers of one Telegram chat.
type Chat struct {
	ID           int64     `json:"id"`
	Lang         string    `json:"lang,omitempty"`
	KeyRef       string    `json:"key_ref,omitempty"` // the chat's own API key (per-user mode); "" = none
	Blocked      bool      `json:"blocked,omitempty"` // the user blocked the bot
	FinishedOnly bool      `json:"finished_only,omitempty"`
	FirstSeen    time.Time `json:"first_seen"`
	LastSeen     time.Time `json:"last_seen"`
}

// Chat returns the chat with id, or ErrNotFound.
func (db *DB) Chat(ctx context.Context, id int64) (Chat, error) {
	var c Chat
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var found bool
		var err error
		c, found, err = getChat(tx, id)
		if err == nil && !found {
			err = ErrNotFound
		}
		return err
	})
	if err != nil {
		return Chat{}, fmt.Errorf("get chat %d: %w", id, err)
	}
	return c, nil
}

// LastSeenStep is the resolution of Chat.LastSeen: TouchChat moves it only
// once it is this old, so that most updates of an active chat write
// nothing.
const LastSeenStep = time.Hour

// TouchChat records contact from chat id and returns it. The first contact
// creates the chat with lang and FirstSeen; later ones move LastSeen (when
// it is LastSeenStep old) and clear Blocked, since a user who writes has
// unblocked the bot. A chat created without a language (by SetChatKey or
// SetBlocked) takes lang. A touch that changes nothing writes nothing.
func (db *DB) TouchChat(ctx context.Context, id int64, lang string) (Chat, error) {
	var c Chat
	var found bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		c, found, err = getChat(tx, id)
		return err
	})
	if err == nil && found && !db.touchChanges(c, lang) {
		return c, nil
	}
	if err == nil {
		err = db.batch(ctx, func(tx *bolt.Tx) error {
			_, _, err := db.changeChat(tx, id, func(ch *Chat) {
				if ch.Lang == "" {
					ch.Lang = lang
				}
				if db.touchChanges(*ch, lang) {
					ch.LastSeen = db.now()
				}
				ch.Blocked = false
				c = *ch
			})
			return err
		})
	}
	if err != nil {
		return Chat{}, fmt.Errorf("touch chat %d: %w", id, err)
	}
	return c, nil
}

// touchChanges reports whether a touch would change c.
func (db *DB) touchChanges(c Chat, lang string) bool {
	now := db.now()
	return c.Blocked || (c.Lang == "" && lang != "") ||
		now.Sub(c.LastSeen) >= LastSeenStep || now.Before(c.LastSeen)
}

// SaveChat stores c whole, as given; saving the chat as stored writes
// nothing.
func (db *DB) SaveChat(ctx context.Context, c Chat) error {
	if c.KeyRef != "" {
		if err := checkRef(c.KeyRef); err != nil {
			return fmt.Errorf("save chat %d: %w", c.ID, err)
		}
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		old, found, err := getChat(tx, c.ID)
		if err != nil {
			return err
		}
		if found && sameChat(old, c) {
			return errUnchanged
		}
		return putChat(tx, old, found, c)
	})
	if err != nil {
		return fmt.Errorf("save chat %d: %w", c.ID, err)
	}
	return nil
}

// SetBlocked marks the chat as having blocked the bot and drops its queued
// notifications, in one transaction, returning how many were dropped. An
// unknown chat is recorded as blocked, so nothing is queued for it later.
func (db *DB) SetBlocked(ctx context.Context, chatID int64) (int, error) {
	var dropped int
	err := db.update(ctx, func(tx *bolt.Tx) error {
		c, found, err := getChat(tx, chatID)
		if err != nil {
			return err
		}
		if !found || !c.Blocked {
			if _, _, err := db.changeChat(tx, chatID, func(c *Chat) { c.Blocked = true }); err != nil {
				return err
			}
		}
		if dropped, err = dropChatEntries(tx, chatID); err == nil && found && c.Blocked && dropped == 0 {
			return errUnchanged
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("set chat %d blocked: %w", chatID, err)
	}
	return dropped, nil
}

// changeChat loads chat id, or starts a new one first seen now, lets
// change alter it and writes it back. It returns the record replaced.
func (db *DB) changeChat(tx *bolt.Tx, id int64, change func(c *Chat)) (old Chat, found bool, err error) {
	old, found, err = getChat(tx, id)
	if err != nil {
		return Chat{}, false, err
	}
	c := old
	if !found {
		now := db.now()
		c = Chat{ID: id, FirstSeen: now, LastSeen: now}
	}
	change(&c)
	return old, found, putChat(tx, old, found, c)
}

func getChat(tx *bolt.Tx, id int64) (Chat, bool, error) {
	v := tx.Bucket(bucketChats).Get(idKey(id))
	if v == nil {
		return Chat{}, false, nil
	}
	var c Chat
	if err := json.Unmarshal(v, &c); err != nil {
		return Chat{}, false, fmt.Errorf("decode chat %d: %w", id, err)
	}
	return c, true, nil
}

// putChat writes c and keeps the chats_by_key index in step with its
// KeyRef; old and found describe the record being replaced.
func putChat(tx *bolt.Tx, old Chat, found bool, c Chat) error {
	v, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode chat %d: %w", c.ID, err)
	}
	if err := tx.Bucket(bucketChats).Put(idKey(c.ID), v); err != nil {
		return err
	}
	byKey := tx.Bucket(bucketChatsByKey)
	if found && old.KeyRef != "" && old.KeyRef != c.KeyRef {
		if err := byKey.Delete(append(lp(old.KeyRef), idKey(c.ID)...)); err != nil {
			return err
		}
	}
	if c.KeyRef == "" {
		return nil
	}
	return byKey.Put(append(lp(c.KeyRef), idKey(c.ID)...), nil)
}

// sameChat reports whether a and b store the same.
func sameChat(a, b Chat) bool {
	return a.ID == b.ID && a.Lang == b.Lang && a.KeyRef == b.KeyRef && a.Blocked == b.Blocked &&
		a.FinishedOnly == b.FinishedOnly && a.FirstSeen.Equal(b.FirstSeen) && a.LastSeen.Equal(b.LastSeen)
}

// chatBlocked reports whether a notification for chatID must be withheld.
func chatBlocked(tx *bolt.Tx, chatID int64) (bool, error) {
	c, _, err := getChat(tx, chatID)
	return c.Blocked, err
}
