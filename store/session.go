package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The only conversation states the store knows; every other state name is
// the caller's business.
const (
	StateConfirm = "confirm" // the summary is shown, waiting for Confirm
	StatePlacing = "placing" // the order is being sent to the panel
)

// Session is one chat's conversation: where it is, which menu message it
// edits, and its draft.
type Session struct {
	ChatID  int64     `json:"chat_id"`
	State   string    `json:"state,omitempty"` // "" = idle
	Version int64     `json:"version"`         // changes with every new conversation
	MenuID  int       `json:"menu_id,omitempty"`
	Data    []byte    `json:"data,omitempty"` // the caller's draft, opaque here
	Updated time.Time `json:"updated"`
}

// Session returns the chat's session. It never returns ErrNotFound: a chat
// without one gets Session{ChatID: chatID}. A session idle for longer than
// the SessionTTL reads as idle (no state, menu or data) but keeps its
// Version, so a menu from before the expiry never becomes valid again.
func (db *DB) Session(ctx context.Context, chatID int64) (Session, error) {
	var s Session
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		s, err = db.getSession(tx, chatID)
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("get session %d: %w", chatID, err)
	}
	return s, nil
}

// SaveSession stores s whole, with Updated set to now. Saving the session
// as it is stored writes nothing, unless a quarter of the SessionTTL has
// passed since it was written (so that a live conversation never expires).
func (db *DB) SaveSession(ctx context.Context, s Session) error {
	var same bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		same, err = db.sessionStored(tx, s)
		return err
	})
	if err == nil && !same {
		err = db.batch(ctx, func(tx *bolt.Tx) error {
			c := s // a batch may run this twice
			return db.putSession(tx, &c)
		})
	}
	if err != nil {
		return fmt.Errorf("save session %d: %w", s.ChatID, err)
	}
	return nil
}

// sessionStored reports whether s is stored as it is and fresh enough
// that rewriting it would change nothing that matters.
func (db *DB) sessionStored(tx *bolt.Tx, s Session) (bool, error) {
	v := tx.Bucket(bucketSessions).Get(idKey(s.ChatID))
	if v == nil {
		return false, nil
	}
	var old Session
	if err := json.Unmarshal(v, &old); err != nil {
		return false, fmt.Errorf("decode session: %w", err)
	}
	age := db.now().Sub(old.Updated)
	return old.State == s.State && old.Version == s.Version && old.MenuID == s.MenuID &&
		bytes.Equal(old.Data, s.Data) && age >= 0 && age < db.ttl/4, nil
}

// BeginPlacing is the guard that makes placing an order idempotent. In one
// transaction it checks the session of chatID and moves it from confirm to
// placing, returning the saved session. A version other than the session's
// gives ErrStale; a session already placing gives ErrAlreadyPlacing; any
// other state (an expired session is idle) gives ErrNotConfirming.
func (db *DB) BeginPlacing(ctx context.Context, chatID, version int64) (Session, error) {
	var s Session
	// A double tap fails here, in a read, without the writer lock.
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		s, err = db.checkPlacing(tx, chatID, version)
		return err
	})
	if err == nil {
		err = db.batch(ctx, func(tx *bolt.Tx) error {
			var err error
			if s, err = db.checkPlacing(tx, chatID, version); err != nil {
				return err
			}
			s.State = StatePlacing
			return db.putSession(tx, &s)
		})
	}
	if err != nil {
		return Session{}, fmt.Errorf("begin placing for chat %d: %w", chatID, err)
	}
	return s, nil
}

// checkPlacing loads the session and says why it cannot start placing.
func (db *DB) checkPlacing(tx *bolt.Tx, chatID, version int64) (Session, error) {
	s, err := db.getSession(tx, chatID)
	if err != nil {
		return Session{}, err
	}
	switch {
	case s.Version != version:
		return Session{}, fmt.Errorf("%w: menu has %d, session has %d", ErrStale, version, s.Version)
	case s.State == StatePlacing:
		return Session{}, ErrAlreadyPlacing
	case s.State != StateConfirm:
		return Session{}, fmt.Errorf("%w: state is %q", ErrNotConfirming, s.State)
	}
	return s, nil
}

// FinishPlacing ends a placing in one transaction: it stores o (as
// PutOrder) when the panel accepted one, and saves s, the session the
// conversation returns to.
func (db *DB) FinishPlacing(ctx context.Context, o *Order, s Session) error {
	if o != nil {
		if err := checkOrder(*o); err != nil {
			return fmt.Errorf("finish placing for chat %d: %w", s.ChatID, err)
		}
	}
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		if o != nil {
			if err := db.putOrder(tx, *o); err != nil {
				return err
			}
		}
		c := s
		return db.putSession(tx, &c)
	})
	if err != nil {
		return fmt.Errorf("finish placing for chat %d: %w", s.ChatID, err)
	}
	return nil
}

func (db *DB) getSession(tx *bolt.Tx, chatID int64) (Session, error) {
	v := tx.Bucket(bucketSessions).Get(idKey(chatID))
	if v == nil {
		return Session{ChatID: chatID}, nil
	}
	var s Session
	if err := json.Unmarshal(v, &s); err != nil {
		return Session{}, fmt.Errorf("decode session: %w", err)
	}
	if db.now().Sub(s.Updated) > db.ttl {
		s.State, s.Data, s.MenuID = "", nil, 0
	}
	return s, nil
}

// putSession stamps s.Updated and writes it.
func (db *DB) putSession(tx *bolt.Tx, s *Session) error {
	s.Updated = db.now()
	v, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	return tx.Bucket(bucketSessions).Put(idKey(s.ChatID), v)
}
