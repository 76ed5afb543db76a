package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Kinds of tracking entries; orders sort before refills under one key.
const (
	kindOrder  byte = 'o'
	kindRefill byte = 'r'
)

// Tracked lists what the poller still follows under one API key.
type Tracked struct {
	Orders  []int64 // panel order ids, ascending
	Refills []int64 // refill ids, ascending
}

// Tracking returns the unfinished orders and refills grouped by key
// reference. It reads the tracking bucket only, whose size is the number of
// unfinished items, not the whole history.
func (db *DB) Tracking(ctx context.Context) (map[string]Tracked, error) {
	out := make(map[string]Tracked)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTracking).ForEach(func(k, _ []byte) error {
			ref, rest, ok := splitRefKey(k)
			if !ok || len(rest) != 9 {
				return fmt.Errorf("corrupt tracking key %x", k)
			}
			id := int64(binary.BigEndian.Uint64(rest[1:]))
			t := out[ref]
			switch rest[0] {
			case kindOrder:
				t.Orders = append(t.Orders, id)
			case kindRefill:
				t.Refills = append(t.Refills, id)
			default:
				return fmt.Errorf("corrupt tracking key %x", k)
			}
			out[ref] = t
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read tracking: %w", err)
	}
	return out, nil
}

func trackingKey(ref string, kind byte, id int64) []byte {
	return binary.BigEndian.AppendUint64(append(lp(ref), kind), uint64(id))
}

// setTracked adds (with value v) or removes one tracking entry, writing
// nothing when it is already so.
func setTracked(tx *bolt.Tx, ref string, kind byte, id int64, on bool, v []byte) error {
	b, k := tx.Bucket(bucketTracking), trackingKey(ref, kind, id)
	if !on {
		return b.Delete(k) // a missing key dirties nothing
	}
	if old := b.Get(k); old != nil && bytes.Equal(old, v) {
		return nil
	}
	if v == nil {
		v = []byte{}
	}
	return b.Put(k, v)
}
