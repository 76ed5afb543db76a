package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Mass orders live in a bucket of their own, made on first use (a file
// without it reads as having no mass order):
//
//	mass  chatID → MassBatch header (JSON)
//	      chatID | line index (uint32) → MassLine (JSON)
//
// A line is its own record so that marking one line while placing
// rewrites that line only, not the whole batch.
var bucketMass = []byte("mass")

// The states of a mass order the store knows.
const (
	MassCollecting = "collecting" // asked for lines, none yet
	MassConfirm    = "confirm"    // lines gathered, the summary offers Confirm
	MassPlacing    = "placing"    // confirmed: lines are being sent
	MassDone       = "done"       // placed, cancelled or ended
)

// The statuses of a line being placed.
const (
	LineWaiting = ""         // not sent yet
	LineSending = "sending"  // about to be sent, or sent with no answer recorded
	LinePlaced  = "placed"   // the panel took it: PanelID
	LineRefused = "refused"  // the panel refused it: Reason, Words
	LineUnknown = "unknown"  // sent, the outcome is not known
	LineNotSent = "not_sent" // never sent: placing was cut short
)

// MassBatch is one chat's mass order: the lines gathered (opaque Data)
// and, once confirmed, what became of each line to place.
type MassBatch struct {
	ChatID  int64      `json:"chat_id"`
	Version int64      `json:"version"` // the chat's session version it belongs to
	State   string     `json:"state,omitempty"`
	MenuID  int        `json:"menu_id,omitempty"`
	Data    []byte     `json:"data,omitempty"` // the caller's gathered lines
	Lines   []MassLine `json:"-"`              // placing and done: the lines placed, in order
	Updated time.Time  `json:"updated"`
}

// MassLine is one line of a confirmed mass order and its outcome.
type MassLine struct {
	N       int    `json:"n"` // the line's number as the user counts them
	Link    string `json:"link,omitempty"`
	Status  string `json:"status,omitempty"`
	PanelID int64  `json:"panel_id,omitempty"`
	Reason  string `json:"reason,omitempty"` // refused: the caller's reason (a message id)
	Words   string `json:"words,omitempty"`  // refused: the panel's own words
}

func massLineKey(chatID int64, i int) []byte {
	return binary.BigEndian.AppendUint32(idKey(chatID), uint32(i))
}

// MassBatch returns the chat's mass order, with its lines; a chat that
// has none gets MassBatch{ChatID: chatID}.
func (db *DB) MassBatch(ctx context.Context, chatID int64) (MassBatch, error) {
	var m MassBatch
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		m, err = getMass(tx, chatID, true)
		return err
	})
	if err != nil {
		return MassBatch{}, fmt.Errorf("get mass order %d: %w", chatID, err)
	}
	return m, nil
}

// SaveMassBatch stores m's header and gathered lines and forgets the
// lines of an earlier batch (m.Lines is not written: BeginMass does). It
// returns ErrAlreadyPlacing, writing nothing, while the stored batch is
// placing.
func (db *DB) SaveMassBatch(ctx context.Context, m MassBatch) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		old, err := getMass(tx, m.ChatID, false)
		if err != nil {
			return err
		}
		if old.State == MassPlacing {
			return ErrAlreadyPlacing
		}
		b, err := tx.CreateBucketIfNotExists(bucketMass)
		if err != nil {
			return err
		}
		if err := deleteAll(b, lineKeys(b, m.ChatID)); err != nil {
			return err
		}
		return db.putMass(b, &m)
	})
	if err != nil {
		return fmt.Errorf("save mass order %d: %w", m.ChatID, err)
	}
	return nil
}

// BeginMass is the guard that makes confirming a mass order idempotent:
// in one transaction it moves the chat's batch of this version from
// confirm to placing and records the lines to place, all waiting. A
// version other than the batch's gives ErrStale; a batch already placing
// ErrAlreadyPlacing; any other state ErrNotConfirming.
func (db *DB) BeginMass(ctx context.Context, chatID, version int64, lines []MassLine) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		m, err := getMass(tx, chatID, false)
		if err != nil {
			return err
		}
		switch {
		case m.Version != version:
			return fmt.Errorf("%w: menu has %d, batch has %d", ErrStale, version, m.Version)
		case m.State == MassPlacing:
			return ErrAlreadyPlacing
		case m.State != MassConfirm:
			return fmt.Errorf("%w: state is %q", ErrNotConfirming, m.State)
		}
		b := tx.Bucket(bucketMass)
		if err := deleteAll(b, lineKeys(b, chatID)); err != nil {
			return err
		}
		for i, l := range lines {
			l.Status, l.PanelID = LineWaiting, 0
			if err := putLine(b, chatID, i, l); err != nil {
				return err
			}
		}
		m.State = MassPlacing
		return db.putMass(b, &m)
	})
	if err != nil {
		return fmt.Errorf("begin mass order %d: %w", chatID, err)
	}
	return nil
}

// MassSending records, durably, that line i of the chat's placing batch
// is about to be sent: should the bot stop before its outcome is
// recorded, the line reads as sent with no answer, never as waiting.
func (db *DB) MassSending(ctx context.Context, chatID int64, i int) error {
	err := db.updateLine(ctx, chatID, i, func(tx *bolt.Tx, l *MassLine) error {
		if l.Status != LineWaiting {
			return fmt.Errorf("%w: line %d is %s, not waiting", ErrInvalid, i, l.Status)
		}
		l.Status = LineSending
		return nil
	})
	if err != nil {
		return fmt.Errorf("mass line %d sending: %w", i, err)
	}
	return nil
}

// MassPlaced records in one transaction that line i was placed as o and
// writes o as PutOrder does (into the history, tracked).
func (db *DB) MassPlaced(ctx context.Context, chatID int64, i int, o Order) error {
	if err := checkOrder(o); err != nil {
		return fmt.Errorf("mass line %d placed: %w", i, err)
	}
	err := db.updateLine(ctx, chatID, i, func(tx *bolt.Tx, l *MassLine) error {
		l.Status, l.PanelID = LinePlaced, o.PanelID
		return db.putOrder(tx, o)
	})
	if err != nil {
		return fmt.Errorf("mass line %d placed: %w", i, err)
	}
	return nil
}

// MassFailed records that line i was refused (reason and the panel's
// words) or that its outcome is unknown (status LineUnknown).
func (db *DB) MassFailed(ctx context.Context, chatID int64, i int, status, reason, words string) error {
	if status != LineRefused && status != LineUnknown {
		return fmt.Errorf("mass line %d: %w: status %q", i, ErrInvalid, status)
	}
	err := db.updateLine(ctx, chatID, i, func(tx *bolt.Tx, l *MassLine) error {
		l.Status, l.Reason, l.Words = status, reason, words
		return nil
	})
	if err != nil {
		return fmt.Errorf("mass line %d %s: %w", i, status, err)
	}
	return nil
}

// EndMass ends the chat's placing batch and returns it: a line left
// sending is unknown (it may have been placed) and a line left waiting
// is not sent. A batch that is not placing is returned as it is.
func (db *DB) EndMass(ctx context.Context, chatID int64) (MassBatch, error) {
	var m MassBatch
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var err error
		if m, err = getMass(tx, chatID, true); err != nil || m.State != MassPlacing {
			return err
		}
		b := tx.Bucket(bucketMass)
		for i := range m.Lines {
			l := &m.Lines[i]
			switch l.Status {
			case LineSending:
				l.Status = LineUnknown
			case LineWaiting:
				l.Status = LineNotSent
			default:
				continue
			}
			if err := putLine(b, chatID, i, *l); err != nil {
				return err
			}
		}
		m.State = MassDone
		return db.putMass(b, &m)
	})
	if err != nil {
		return MassBatch{}, fmt.Errorf("end mass order %d: %w", chatID, err)
	}
	return m, nil
}

// updateLine changes line i of the chat's placing batch in one
// transaction; fn may write more in the same transaction.
func (db *DB) updateLine(ctx context.Context, chatID int64, i int, fn func(tx *bolt.Tx, l *MassLine) error) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		m, err := getMass(tx, chatID, false)
		if err != nil {
			return err
		}
		if m.State != MassPlacing {
			return fmt.Errorf("%w: mass order is %q, not placing", ErrInvalid, m.State)
		}
		b := tx.Bucket(bucketMass)
		v := b.Get(massLineKey(chatID, i))
		if v == nil {
			return fmt.Errorf("line %d: %w", i, ErrNotFound)
		}
		var l MassLine
		if err := json.Unmarshal(v, &l); err != nil {
			return fmt.Errorf("decode mass line: %w", err)
		}
		if err := fn(tx, &l); err != nil {
			return err
		}
		return putLine(b, chatID, i, l)
	})
}

// getMass reads the chat's batch, with its lines when asked.
func getMass(tx *bolt.Tx, chatID int64, lines bool) (MassBatch, error) {
	m := MassBatch{ChatID: chatID}
	b := tx.Bucket(bucketMass)
	if b == nil {
		return m, nil
	}
	head := idKey(chatID)
	v := b.Get(head)
	if v == nil {
		return m, nil
	}
	if err := json.Unmarshal(v, &m); err != nil {
		return MassBatch{}, fmt.Errorf("decode mass order: %w", err)
	}
	if !lines {
		return m, nil
	}
	c := b.Cursor()
	for k, v := c.Seek(head); k != nil && bytes.HasPrefix(k, head); k, v = c.Next() {
		if len(k) == len(head) {
			continue
		}
		var l MassLine
		if err := json.Unmarshal(v, &l); err != nil {
			return MassBatch{}, fmt.Errorf("decode mass line: %w", err)
		}
		m.Lines = append(m.Lines, l)
	}
	return m, nil
}

// putMass stamps m.Updated and writes its header.
func (db *DB) putMass(b *bolt.Bucket, m *MassBatch) error {
	m.Updated = db.now()
	v, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode mass order: %w", err)
	}
	return b.Put(idKey(m.ChatID), v)
}

func putLine(b *bolt.Bucket, chatID int64, i int, l MassLine) error {
	v, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode mass line: %w", err)
	}
	return b.Put(massLineKey(chatID, i), v)
}

// lineKeys are the keys of the chat's line records (the header aside).
func lineKeys(b *bolt.Bucket, chatID int64) [][]byte {
	head := idKey(chatID)
	var out [][]byte
	for _, k := range keysWithPrefix(b, head) {
		if len(k) > len(head) {
			out = append(out, k)
		}
	}
	return out
}

// forgetMass deletes the chat's mass order, header and lines, in tx
// (for Forget: one line there, `if err := forgetMass(tx, chatID); err !=
// nil { return err }`, once this file is merged).
func forgetMass(tx *bolt.Tx, chatID int64) error {
	b := tx.Bucket(bucketMass)
	if b == nil {
		return nil
	}
	return deleteAll(b, keysWithPrefix(b, idKey(chatID)))
}
