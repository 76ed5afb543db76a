package track

import (
	"encoding/json"
	"fmt"
)

// Kind says what a Note reports.
type Kind string

// The kinds of Note.
const (
	KindStatus  Kind = "status"  // an order's status word changed
	KindRefill  Kind = "refill"  // a refill's status changed
	KindGone    Kind = "gone"    // the panel no longer knows the order
	KindStalled Kind = "stalled" // the panel kept failing on the item: no longer followed
)

func (k Kind) known() bool {
	switch k {
	case KindStatus, KindRefill, KindGone, KindStalled:
		return true
	}
	return false
}

// Note is an outbox entry's payload: what changed, rendered in the chat's
// language when it is sent. Its JSON is the one the bot wrote before this
// package existed, so queued entries still decode.
type Note struct {
	Kind    Kind   `json:"k"`
	Order   int64  `json:"o"`             // panel order id (a refill's order for refill notes)
	KeyRef  string `json:"r"`             // the key the order was placed with
	Name    string `json:"n,omitempty"`   // the service's name
	Old     string `json:"old,omitempty"` // the status before
	New     string `json:"new,omitempty"` // the status now
	Remains int64  `json:"rem,omitempty"`
	Refill  int64  `json:"rf,omitempty"` // refill id: refill notes, and stalled notes of a refill
	Final   bool   `json:"f,omitempty"`  // the order or refill is finished
}

// Encode is the Note's outbox payload.
func (n Note) Encode() []byte {
	b, _ := json.Marshal(n) // strings, numbers and a bool always encode
	return b
}

// Decode reads an outbox payload. It returns an error wrapping ErrBadNote
// for a payload that is not a Note: not JSON, an unknown kind, no order.
func Decode(b []byte) (Note, error) {
	var n Note
	if err := json.Unmarshal(b, &n); err != nil {
		return Note{}, fmt.Errorf("decode note: %w: %w", ErrBadNote, err)
	}
	if !n.Kind.known() {
		return Note{}, fmt.Errorf("decode note: %w: unknown kind %q", ErrBadNote, n.Kind)
	}
	if n.Order <= 0 {
		return Note{}, fmt.Errorf("decode note: %w: order id %d", ErrBadNote, n.Order)
	}
	return n, nil
}
