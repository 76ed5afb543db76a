package store

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Filter selects orders of a chat's history by status class.
//
// The classes: Completed, Partial and Canceled go by the status word the
// panel last gave (any letter case; Canceled is Canceled, Cancelled,
// Refunded, Fail, Failed or Error). Active is every order not finished:
// neither Final nor Gone, whatever else its status says. An order that is
// finished with another word, or unknown to the panel (Gone), is in no
// class but All.
type Filter uint8

// The filters, in the order a menu shows them.
const (
	FilterAll Filter = iota
	FilterActive
	FilterCompleted
	FilterPartial
	FilterCanceled
)

// Filters lists every Filter.
var Filters = []Filter{FilterAll, FilterActive, FilterCompleted, FilterPartial, FilterCanceled}

var filterNames = []string{"all", "active", "completed", "partial", "canceled"}

// Index classes: one byte of an order_index key.
const (
	classAll       byte = 'A'
	classActive    byte = 'a'
	classCompleted byte = 'c'
	classPartial   byte = 'p'
	classCanceled  byte = 'x'
	classOther     byte = 'o' // finished with an unknown word, or gone
)

var filterClass = []byte{classAll, classActive, classCompleted, classPartial, classCanceled}

// String is the filter's lower-case English name ("all", "active", ...).
func (f Filter) String() string {
	if int(f) < len(filterNames) {
		return filterNames[f]
	}
	return "filter(" + strconv.Itoa(int(f)) + ")"
}

// ParseFilter reads a name written by Filter.String; "" is FilterAll.
// Anything else is ErrInvalid.
func ParseFilter(s string) (Filter, error) {
	if s == "" {
		return FilterAll, nil
	}
	for i, name := range filterNames {
		if s == name {
			return Filter(i), nil
		}
	}
	return 0, fmt.Errorf("parse filter %q: %w", s, ErrInvalid)
}

func (f Filter) class() (byte, error) {
	if int(f) >= len(filterClass) {
		return 0, fmt.Errorf("%w: unknown filter %d", ErrInvalid, f)
	}
	return filterClass[f], nil
}

// Matches reports whether o belongs to the filter's class.
func (f Filter) Matches(o Order) bool {
	c, err := f.class()
	return err == nil && (c == classAll || c == classOf(o))
}

// classOf is the index class of o.
func classOf(o Order) byte {
	switch strings.ToLower(strings.TrimSpace(o.Status)) {
	case "completed":
		return classCompleted
	case "partial":
		return classPartial
	case "canceled", "cancelled", "refunded", "fail", "failed", "error":
		return classCanceled
	}
	if o.Final || o.Gone {
		return classOther
	}
	return classActive
}

// Counts is how many orders a chat has in each class.
type Counts struct {
	All, Active, Completed, Partial, Canceled int
}

// Of returns the count for f.
func (c Counts) Of(f Filter) int {
	switch f {
	case FilterActive:
		return c.Active
	case FilterCompleted:
		return c.Completed
	case FilterPartial:
		return c.Partial
	case FilterCanceled:
		return c.Canceled
	}
	return c.All
}

// OrderCounts returns the chat's order counts per class. It reads a few
// counters kept with every order write, never the orders.
func (db *DB) OrderCounts(ctx context.Context, chatID int64) (Counts, error) {
	var c Counts
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c = readCounts(tx, chatID)
		return nil
	})
	if err != nil {
		return Counts{}, fmt.Errorf("count orders of chat %d: %w", chatID, err)
	}
	return c, nil
}

// CountOrders returns how many orders the chat has.
func (db *DB) CountOrders(ctx context.Context, chatID int64) (int, error) {
	c, err := db.OrderCounts(ctx, chatID)
	return c.All, err
}

func readCounts(tx *bolt.Tx, chatID int64) Counts {
	var c Counts
	prefix := idKey(chatID)
	cur := tx.Bucket(bucketOrderCounts).Cursor()
	for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
		if len(k) != 9 || len(v) != 8 {
			continue
		}
		n := int(getU64(v))
		switch k[8] {
		case classAll:
			c.All = n
		case classActive:
			c.Active = n
		case classCompleted:
			c.Completed = n
		case classPartial:
			c.Partial = n
		case classCanceled:
			c.Canceled = n
		}
	}
	return c
}

// addCount moves the counter of (chat, class) by delta.
func addCount(tx *bolt.Tx, chatID int64, class byte, delta int) error {
	b := tx.Bucket(bucketOrderCounts)
	k := append(idKey(chatID), class)
	n := int64(delta)
	if v := b.Get(k); len(v) == 8 {
		n += int64(getU64(v))
	}
	if n <= 0 {
		return b.Delete(k)
	}
	return b.Put(k, u64(uint64(n)))
}

// indexKey is o's key in order_index under class.
func indexKey(o Order, class byte) []byte {
	k := append(idKey(o.ChatID), class)
	return append(k, orderPos(o.Created, o.PanelID, o.KeyRef)...)
}

// searchText is what SearchOrders looks in besides the id: the link, or
// the username of an order without one (Subscriptions).
func searchText(o Order) []byte {
	if o.Link == "" && o.Extra["username"] != "" {
		return []byte(o.Extra["username"])
	}
	return []byte(o.Link)
}

// reindex moves o's history entries (its All entry, which carries the
// search text, and its class entry) and the counters from old, the record
// it replaces (nil for a new order). An entry that did not move is not
// written.
func reindex(tx *bolt.Tx, old *Order, o Order) error {
	class := classOf(o)
	samePlace := old != nil && old.ChatID == o.ChatID && old.Created.Equal(o.Created)
	if !samePlace || !bytes.Equal(searchText(*old), searchText(o)) {
		if err := moveEntry(tx, old, o, classAll, samePlace); err != nil {
			return err
		}
	}
	if !samePlace || classOf(*old) != class {
		if err := moveEntry(tx, old, o, class, samePlace && classOf(*old) == class); err != nil {
			return err
		}
	}
	return nil
}

// moveEntry replaces old's entry (of old's own class when class is not
// classAll) with o's under class, moving the counters unless counted says
// the old entry counted for the same chat and class.
func moveEntry(tx *bolt.Tx, old *Order, o Order, class byte, counted bool) error {
	idx := appendBucket(tx, bucketOrderIndex)
	if old != nil {
		oldClass := class
		if class != classAll {
			oldClass = classOf(*old)
		}
		if err := idx.Delete(indexKey(*old, oldClass)); err != nil {
			return err
		}
		if !counted {
			if err := addCount(tx, old.ChatID, oldClass, -1); err != nil {
				return err
			}
		}
	}
	var v []byte
	if class == classAll {
		v = searchText(o)
	}
	if err := idx.Put(indexKey(o, class), v); err != nil {
		return err
	}
	if counted {
		return nil
	}
	return addCount(tx, o.ChatID, class, 1)
}

// FilterOrders returns one page of up to limit orders of the chat in f,
// newest first (by Created, then by the higher PanelID), starting where
// cur says (the zero Cursor: the newest page). The page knows its number
// and the page count from counters, and its Next and Prev cursors; no
// call walks from the start. It returns ErrInvalid for a bad filter or a
// non-positive limit.
func (db *DB) FilterOrders(ctx context.Context, chatID int64, f Filter, cur Cursor, limit int) (Page, error) {
	class, err := f.class()
	if err == nil && limit <= 0 {
		err = fmt.Errorf("%w: limit must be positive, got %d", ErrInvalid, limit)
	}
	if err != nil {
		return Page{}, fmt.Errorf("list %s orders of chat %d: %w", f, chatID, err)
	}
	var p Page
	err = db.view(ctx, func(tx *bolt.Tx) error {
		w := newWalker(tx, chatID, class, nil)
		total := readCounts(tx, chatID).Of(f)
		var err error
		p, err = w.page(tx, cur, limit, total)
		return err
	})
	if err != nil {
		return Page{}, fmt.Errorf("list %s orders of chat %d: %w", f, chatID, err)
	}
	return p, nil
}

// SearchOrders returns one page of the chat's orders whose panel id or
// link (for an order without a link: its username) contains text, in any
// letter case, newest first, paged like FilterOrders. It reads the
// history index, which carries the links, and decodes only the orders
// shown; counting the matches for Pages reads the chat's whole index.
// Empty text or a non-positive limit is ErrInvalid.
func (db *DB) SearchOrders(ctx context.Context, chatID int64, text string, cur Cursor, limit int) (Page, error) {
	needle := []byte(strings.ToLower(strings.TrimSpace(text)))
	if len(needle) == 0 || limit <= 0 {
		return Page{}, fmt.Errorf("search orders of chat %d: %w: want text and a positive limit", chatID, ErrInvalid)
	}
	var p Page
	err := db.view(ctx, func(tx *bolt.Tx) error {
		w := newWalker(tx, chatID, classAll, matcher(needle))
		var err error
		p, err = w.page(tx, cur, limit, w.count())
		return err
	})
	if err != nil {
		return Page{}, fmt.Errorf("search orders of chat %d: %w", chatID, err)
	}
	return p, nil
}

// matcher matches All entries whose panel id or search text contains
// needle (lower case).
func matcher(needle []byte) func(pos, v []byte) bool {
	var buf []byte
	return func(pos, v []byte) bool {
		if len(pos) < timeLen+8 {
			return false
		}
		buf = strconv.AppendInt(buf[:0], int64(getU64(pos[timeLen:])), 10)
		if bytes.Contains(buf, needle) {
			return true
		}
		buf = lowerASCII(buf[:0], v)
		return bytes.Contains(buf, needle)
	}
}

// lowerASCII appends v in lower case to dst, fast for ASCII.
func lowerASCII(dst, v []byte) []byte {
	for _, c := range v {
		if c >= 0x80 {
			return append(dst[:0], bytes.ToLower(v)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// Orders returns up to limit orders of the chat older than after, newest
// first: FilterOrders with FilterAll, for callers that page by cursor
// only. more says whether older orders remain; next is then the cursor for
// them (the zero Cursor when more is false).
func (db *DB) Orders(ctx context.Context, chatID int64, after Cursor, limit int) ([]Order, Cursor, bool, error) {
	p, err := db.FilterOrders(ctx, chatID, FilterAll, after, limit)
	if err != nil {
		return nil, Cursor{}, false, err
	}
	return p.Orders, p.Next, !p.Next.IsZero(), nil
}
