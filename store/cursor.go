package store

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cursor is a position in a chat's order history, meaning "older than the
// order it was taken at". The zero Cursor means "from the newest". Orders
// returns a non-zero Cursor exactly when more orders follow. A cursor stays
// valid when orders are added or forgotten meanwhile: the next page simply
// starts at the first order older than it.
type Cursor struct {
	pos string // index key of the position without its chat id prefix
}

// IsZero reports whether c is the zero Cursor (the newest page).
func (c Cursor) IsZero() bool { return c.pos == "" }

// orderPos is the part of an orders_by_chat key after the chat id:
// ^time(created) | ^panelID | keyRef, so ascending keys run newest first,
// ties broken by the higher panel id first.
func orderPos(created time.Time, panelID int64, ref string) []byte {
	b := make([]byte, 0, timeLen+8+len(ref))
	b = invert(appendTime(b, created))
	b = binary.BigEndian.AppendUint64(b, ^uint64(panelID))
	return append(b, ref...)
}

// splitPos undoes orderPos.
func splitPos(pos []byte) (secs int64, nanos uint32, panelID int64, ref string, ok bool) {
	if len(pos) < timeLen+8 {
		return 0, 0, 0, "", false
	}
	secs = int64(^binary.BigEndian.Uint64(pos) ^ (1 << 63))
	nanos = ^binary.BigEndian.Uint32(pos[8:])
	panelID = int64(^binary.BigEndian.Uint64(pos[timeLen:]))
	return secs, nanos, panelID, string(pos[timeLen+8:]), true
}

// String encodes c as short ASCII (about 35 characters for a store-made
// key reference, no spaces), fit for callback data; "" for the zero Cursor.
// ParseCursor reads it back.
func (c Cursor) String() string {
	secs, nanos, panelID, ref, ok := splitPos([]byte(c.pos))
	if !ok {
		return ""
	}
	return strings.Join([]string{
		strconv.FormatInt(secs, 36),
		strconv.FormatUint(uint64(nanos), 36),
		strconv.FormatInt(panelID, 36),
		ref,
	}, ".")
}

// ParseCursor reads a Cursor written by Cursor.String; "" is the zero
// Cursor. Anything else malformed is ErrInvalid.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	parts := strings.SplitN(s, ".", 4)
	if len(parts) != 4 {
		return Cursor{}, fmt.Errorf("parse cursor %q: %w: want 4 dot-separated fields", s, ErrInvalid)
	}
	secs, err1 := strconv.ParseInt(parts[0], 36, 64)
	nanos, err2 := strconv.ParseUint(parts[1], 36, 32)
	panelID, err3 := strconv.ParseInt(parts[2], 36, 64)
	if err1 != nil || err2 != nil || err3 != nil || nanos >= 1e9 {
		return Cursor{}, fmt.Errorf("parse cursor %q: %w: bad number", s, ErrInvalid)
	}
	if err := checkRef(parts[3]); err != nil {
		return Cursor{}, fmt.Errorf("parse cursor %q: %w", s, err)
	}
	pos := orderPos(time.Unix(secs, int64(nanos)), panelID, parts[3])
	return Cursor{pos: string(pos)}, nil
}
