package store

import (
	"bytes"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Page is one page of a chat's orders, newest first.
type Page struct {
	Orders []Order
	Number int // this page's number, from 1
	Pages  int // the page count (at least 1, and at least Number)
	Total  int // how many orders the filter or search holds
	// Next leads to older orders, Prev to newer ones; each is the zero
	// Cursor when there are none (Prev of page 2 is a cursor, not zero).
	Next, Prev Cursor
	// This reopens this page: it starts at this page's first order, so a
	// menu that comes back to the list stays on the page it came from.
	This Cursor
}

// walker walks one chat's entries of one class in order_index. Keys
// ascend oldest first; match (nil: all) picks entries by position and
// value.
type walker struct {
	c      *bolt.Cursor
	prefix []byte
	match  func(pos, v []byte) bool
}

func newWalker(tx *bolt.Tx, chatID int64, class byte, match func(pos, v []byte) bool) *walker {
	return &walker{c: tx.Bucket(bucketOrderIndex).Cursor(), prefix: append(idKey(chatID), class), match: match}
}

// newest positions the cursor on the newest entry of the prefix.
func (w *walker) newest() ([]byte, []byte) {
	end := clone(w.prefix)
	end[len(end)-1]++ // class bytes are letters: no carry
	if k, _ := w.c.Seek(end); k == nil {
		return w.c.Last()
	}
	return w.c.Prev()
}

// older positions the cursor on the newest entry older than pos (or at
// it, when inclusive).
func (w *walker) older(pos []byte, inclusive bool) ([]byte, []byte) {
	target := append(clone(w.prefix), pos...)
	k, v := w.c.Seek(target)
	switch {
	case k == nil:
		return w.c.Last()
	case inclusive && bytes.Equal(k, target):
		return k, v
	}
	return w.c.Prev()
}

// newer positions the cursor on the oldest entry newer than pos.
func (w *walker) newer(pos []byte) ([]byte, []byte) {
	target := append(clone(w.prefix), pos...)
	k, v := w.c.Seek(target)
	if bytes.Equal(k, target) {
		return w.c.Next()
	}
	return k, v
}

// collect takes up to n matching positions from k on, stepping with step.
func (w *walker) collect(k, v []byte, step func() ([]byte, []byte), n int) [][]byte {
	var out [][]byte
	for ; k != nil && bytes.HasPrefix(k, w.prefix) && len(out) < n; k, v = step() {
		if pos := k[len(w.prefix):]; w.match == nil || w.match(pos, v) {
			out = append(out, clone(pos))
		}
	}
	return out
}

// count is the number of matching entries.
func (w *walker) count() int {
	n := 0
	for k, v := w.c.Seek(w.prefix); k != nil && bytes.HasPrefix(k, w.prefix); k, v = w.c.Next() {
		if w.match == nil || w.match(k[len(w.prefix):], v) {
			n++
		}
	}
	return n
}

// positions finds the positions of the page cur leads to, newest first.
func (w *walker) positions(cur Cursor, limit int) ([][]byte, bool) {
	pos := []byte(cur.pos)
	switch cur.dir {
	case dirOlder, dirAt:
		k, v := w.older(pos, cur.dir == dirAt)
		if got := w.collect(k, v, w.c.Prev, limit); len(got) > 0 {
			return got, false
		}
		// Nothing older is left: show the last page there is.
		k, v = w.newer(pos)
		got := w.collect(k, v, w.c.Next, limit)
		slices.Reverse(got)
		return got, false
	case dirNewer:
		k, v := w.newer(pos)
		got := w.collect(k, v, w.c.Next, limit)
		if len(got) == limit {
			slices.Reverse(got)
			return got, false
		}
	}
	k, v := w.newest()
	return w.collect(k, v, w.c.Prev, limit), true
}

// page loads the page cur leads to; total sizes the page count.
func (w *walker) page(tx *bolt.Tx, cur Cursor, limit, total int) (Page, error) {
	got, first := w.positions(cur, limit)
	p := Page{Total: total}
	hasNewer, hasOlder := false, false
	if len(got) > 0 {
		k, v := w.newer(got[0])
		hasNewer = !first && len(w.collect(k, v, w.c.Next, 1)) > 0
		k, v = w.older(got[len(got)-1], false)
		hasOlder = len(w.collect(k, v, w.c.Prev, 1)) > 0
	}
	p.Pages = max(1, (total+limit-1)/limit)
	switch {
	case !hasNewer:
		p.Number = 1
	case !hasOlder:
		p.Number = max(p.Pages, 2)
	default:
		p.Number = min(max(cur.Page(), 2), max(p.Pages-1, 2))
	}
	p.Pages = max(p.Pages, p.Number)
	if hasOlder {
		p.Pages = max(p.Pages, p.Number+1)
		p.Next = Cursor{pos: string(got[len(got)-1]), page: p.Number + 1, dir: dirOlder}
	}
	if hasNewer {
		p.Prev = Cursor{pos: string(got[0]), page: p.Number - 1, dir: dirNewer}
		p.This = Cursor{pos: string(got[0]), page: p.Number, dir: dirAt}
	}
	for _, pos := range got {
		o, err := orderAt(tx, pos)
		if err != nil {
			return Page{}, err
		}
		p.Orders = append(p.Orders, o)
	}
	return p, nil
}

// orderAt loads the order an index position points at.
func orderAt(tx *bolt.Tx, pos []byte) (Order, error) {
	_, panelID, ref, ok := splitPos(pos)
	if !ok {
		return Order{}, fmt.Errorf("corrupt order index key %x", pos)
	}
	o, err := getOrder(tx, ref, panelID)
	if err != nil {
		return Order{}, fmt.Errorf("order index entry %d: %w", panelID, err)
	}
	return o, nil
}
