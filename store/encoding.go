package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxRefLen bounds a key reference so it fits a one-byte length prefix.
const maxRefLen = 255

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func getU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// idKey encodes a chat, order or refill id; only equality and the byte order
// of ids of one sign matter, so the two's complement bits are kept as is.
func idKey(id int64) []byte { return u64(uint64(id)) }

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

func checkRef(ref string) error {
	if ref == "" || len(ref) > maxRefLen {
		return fmt.Errorf("%w: key reference must be 1..%d bytes, got %d", ErrInvalid, maxRefLen, len(ref))
	}
	return nil
}

// lp is ref with a one-byte length in front, so that no ref is a prefix of
// another inside composite keys.
func lp(ref string) []byte {
	b := make([]byte, 0, 1+len(ref)+16)
	b = append(b, byte(len(ref)))
	return append(b, ref...)
}

// refKey is lp(ref) | id, the primary key of orders and refills.
func refKey(ref string, id int64) []byte {
	return binary.BigEndian.AppendUint64(lp(ref), uint64(id))
}

// splitRefKey undoes refKey (and reads the lp(ref) head of longer keys),
// returning the ref and the rest after it.
func splitRefKey(k []byte) (ref string, rest []byte, ok bool) {
	if len(k) < 1 || len(k) < 1+int(k[0]) {
		return "", nil, false
	}
	n := int(k[0])
	return string(k[1 : 1+n]), k[1+n:], true
}

const timeLen = 12

// appendTime writes t so that byte order is time order for any t,
// including the zero time (Unix seconds are not limited like UnixNano).
func appendTime(b []byte, t time.Time) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

func readTime(b []byte) time.Time {
	secs := int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
	return time.Unix(secs, int64(binary.BigEndian.Uint32(b[8:])))
}

// hasPrefix reports whether b holds any key starting with prefix.
func hasPrefix(b *bolt.Bucket, prefix []byte) bool {
	k, _ := b.Cursor().Seek(prefix)
	return k != nil && bytes.HasPrefix(k, prefix)
}

// keysWithPrefix copies out every key of b that starts with prefix, so the
// caller can delete them without disturbing a live cursor.
func keysWithPrefix(b *bolt.Bucket, prefix []byte) [][]byte {
	var out [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, clone(k))
	}
	return out
}

func deleteAll(b *bolt.Bucket, keys [][]byte) error {
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
