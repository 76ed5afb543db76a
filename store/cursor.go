package store

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cursor is a position in a list of a chat's orders (a filter or a
// search) together with the page number it leads to. The zero Cursor means
// "the newest page". Page.Next, Page.Prev and Page.This are cursors; a
// cursor stays valid when orders are added or change class meanwhile: its
// page simply starts at the first order past its position, and its page
// number is kept in range.
type Cursor struct {
	pos  string // time(Created) | panelID | keyRef: an index key without its prefix
	page int    // the page number it leads to
	dir  byte   // dirOlder, dirNewer or dirAt; 0 for the zero Cursor
}

// Cursor directions.
const (
	dirOlder byte = 'n' // the page of orders older than pos
	dirNewer byte = 'p' // the page of orders newer than pos
	dirAt    byte = 's' // the page starting at pos, pos included
)

// IsZero reports whether c is the zero Cursor (the newest page).
func (c Cursor) IsZero() bool { return c.dir == 0 }

// Page is the page number c leads to (1 for the zero Cursor).
func (c Cursor) Page() int { return max(c.page, 1) }

// orderPos is the part of an order_index key after chat | class:
// time(created) | panelID | keyRef, so ascending keys run oldest first.
func orderPos(created time.Time, panelID int64, ref string) []byte {
	b := make([]byte, 0, timeLen+8+len(ref))
	b = appendTime(b, created)
	b = binary.BigEndian.AppendUint64(b, uint64(panelID))
	return append(b, ref...)
}

// splitPos undoes orderPos.
func splitPos(pos []byte) (created time.Time, panelID int64, ref string, ok bool) {
	if len(pos) < timeLen+8 {
		return time.Time{}, 0, "", false
	}
	return readTime(pos), int64(getU64(pos[timeLen:])), string(pos[timeLen+8:]), true
}

// String encodes c as short ASCII without spaces (about 40 characters for a
// store-made key reference), fit for callback data; "" for the zero Cursor.
// ParseCursor reads it back.
func (c Cursor) String() string {
	created, panelID, ref, ok := splitPos([]byte(c.pos))
	if c.IsZero() || !ok {
		return ""
	}
	return strings.Join([]string{
		strconv.FormatInt(int64(c.Page()), 36) + string(c.dir),
		strconv.FormatInt(created.Unix(), 36),
		strconv.FormatUint(uint64(created.Nanosecond()), 36),
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
	parts := strings.SplitN(s, ".", 5)
	if len(parts) != 5 || len(parts[0]) < 2 {
		return Cursor{}, fmt.Errorf("parse cursor %q: %w: want 5 dot-separated fields", s, ErrInvalid)
	}
	head := parts[0]
	dir := head[len(head)-1]
	page, err0 := strconv.ParseUint(head[:len(head)-1], 36, 31)
	secs, err1 := strconv.ParseInt(parts[1], 36, 64)
	nanos, err2 := strconv.ParseUint(parts[2], 36, 32)
	panelID, err3 := strconv.ParseInt(parts[3], 36, 64)
	if err0 != nil || err1 != nil || err2 != nil || err3 != nil || nanos >= 1e9 || page == 0 {
		return Cursor{}, fmt.Errorf("parse cursor %q: %w: bad number", s, ErrInvalid)
	}
	if dir != dirOlder && dir != dirNewer && dir != dirAt {
		return Cursor{}, fmt.Errorf("parse cursor %q: %w: bad direction", s, ErrInvalid)
	}
	if err := checkRef(parts[4]); err != nil {
		return Cursor{}, fmt.Errorf("parse cursor %q: %w", s, err)
	}
	pos := orderPos(time.Unix(secs, int64(nanos)), panelID, parts[4])
	return Cursor{pos: string(pos), page: int(page), dir: dir}, nil
}
