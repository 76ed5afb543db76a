package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Orders are stored in a compact binary record (schema 2): varints and
// length-prefixed strings in a fixed field order, the key reference and
// panel id left to the record's key, and the service snapshot shared
// through the services bucket. A typical order takes about 150 bytes
// instead of schema 1's 500 bytes of JSON.

// recordFormat is the first byte of every order record, so a later format
// can be told apart.
const recordFormat = 1

// Service snapshot modes in an order record.
const (
	svcShared byte = 0 // serviceID | hash: a key of the services bucket
	svcInline byte = 1 // the encoded snapshot itself (a hash collision)
)

// order flags.
const (
	flagFinal byte = 1 << iota
	flagGone
)

// encoder appends the record's primitive values.
type encoder struct{ b []byte }

func (e *encoder) int(v int64)           { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) uint(v uint64)         { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) byte(v byte)           { e.b = append(e.b, v) }
func (e *encoder) bytes(v []byte)        { e.uint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) str(v string)          { e.uint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) dec(v decimal.Decimal) { e.str(v.String()) }
func (e *encoder) time(t time.Time) {
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

var errShort = errors.New("record too short")

// decoder reads what encoder wrote; the first error sticks and later reads
// return zero values, so a corrupt record is an error, never a panic.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.fail(errShort)
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) raw(n uint64) []byte {
	if uint64(len(d.b)) < n {
		d.fail(errShort)
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes() []byte { return d.raw(d.uint()) }
func (d *decoder) str() string   { return string(d.bytes()) }

func (d *decoder) dec() decimal.Decimal {
	s := d.str()
	if d.err != nil {
		return decimal.Decimal{}
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		d.fail(fmt.Errorf("decimal %q: %w", s, err))
	}
	return v
}

func (d *decoder) time() time.Time {
	secs, nanos := d.int(), d.uint()
	if nanos >= 1e9 {
		d.fail(fmt.Errorf("bad nanoseconds %d", nanos))
		return time.Time{}
	}
	return time.Unix(secs, int64(nanos))
}

// encodeSnapshot is the services bucket's value for s.
func encodeSnapshot(s ServiceSnapshot) []byte {
	e := encoder{b: make([]byte, 0, 64+len(s.Name)+len(s.Category))}
	e.int(s.ID)
	e.str(s.Name)
	e.str(s.Type)
	e.str(s.Category)
	e.dec(s.Rate)
	var flags byte
	for i, on := range []bool{s.Refill, s.Cancel, s.Dripfeed} {
		if on {
			flags |= 1 << i
		}
	}
	e.byte(flags)
	return e.b
}

func decodeSnapshot(b []byte) (ServiceSnapshot, error) {
	d := decoder{b: b}
	s := ServiceSnapshot{ID: d.int(), Name: d.str(), Type: d.str(), Category: d.str(), Rate: d.dec()}
	flags := d.byte()
	s.Refill, s.Cancel, s.Dripfeed = flags&1 != 0, flags&2 != 0, flags&4 != 0
	if d.err != nil {
		return ServiceSnapshot{}, fmt.Errorf("decode service snapshot: %w", d.err)
	}
	return s, nil
}

// encodeOrder is o's record; svc is how its service is stored: svcShared
// then the services key, or svcInline then the snapshot.
func encodeOrder(o Order, svc []byte) []byte {
	e := encoder{b: make([]byte, 0, 96+len(o.Link)+len(o.Comments)+len(svc))}
	e.byte(recordFormat)
	e.int(o.ChatID)
	e.bytes(svc)
	e.str(o.Link)
	e.int(o.Quantity)
	e.str(o.Comments)
	e.uint(uint64(len(o.Extra)))
	for _, k := range slices.Sorted(maps.Keys(o.Extra)) {
		e.str(k)
		e.str(o.Extra[k])
	}
	e.int(o.Runs)
	e.int(o.Interval)
	e.dec(o.Price)
	e.time(o.Created)
	e.str(o.Status)
	e.int(o.Remains)
	e.int(o.StartCount)
	e.dec(o.Charge)
	var flags byte
	if o.Final {
		flags |= flagFinal
	}
	if o.Gone {
		flags |= flagGone
	}
	e.byte(flags)
	e.time(o.Updated)
	return e.b
}

// decodeOrder reads a record; the service comes back as stored (svc) for
// the caller to resolve.
func decodeOrder(ref string, panelID int64, b []byte) (o Order, svc []byte, err error) {
	d := decoder{b: b}
	if f := d.byte(); f != recordFormat && d.err == nil {
		return Order{}, nil, fmt.Errorf("decode order %d: unknown record format %d", panelID, f)
	}
	o = Order{KeyRef: ref, PanelID: panelID, ChatID: d.int()}
	svc = d.bytes()
	o.Link, o.Quantity, o.Comments = d.str(), d.int(), d.str()
	if n := d.uint(); n > 0 && n <= uint64(len(d.b)) {
		o.Extra = make(map[string]string, n)
		for range n {
			k := d.str()
			o.Extra[k] = d.str()
		}
	} else if n > 0 {
		d.fail(errShort)
	}
	o.Runs, o.Interval, o.Price, o.Created = d.int(), d.int(), d.dec(), d.time()
	o.Status, o.Remains, o.StartCount, o.Charge = d.str(), d.int(), d.int(), d.dec()
	flags := d.byte()
	o.Final, o.Gone = flags&flagFinal != 0, flags&flagGone != 0
	o.Updated = d.time()
	if d.err != nil {
		return Order{}, nil, fmt.Errorf("decode order %d: %w", panelID, d.err)
	}
	return o, svc, nil
}
