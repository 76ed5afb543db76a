package store

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Orders share their service snapshots: the services bucket holds each
// distinct snapshot once, under serviceID | the first 8 bytes of the
// SHA-256 of its encoding, and an order record names that key. A service
// whose name or rate changed gets a new key, so old orders still read as
// they were placed. Snapshots are never deleted: there are as many as
// distinct service versions ever ordered, a few KB in all.

const svcHashLen = 8

// putService stores s if it is new and returns how an order record refers
// to it: svcShared and the key, or, on the rare hash collision with a
// different snapshot, svcInline and the snapshot itself.
func putService(tx *bolt.Tx, s ServiceSnapshot) ([]byte, error) {
	v := encodeSnapshot(s)
	sum := sha256.Sum256(v)
	key := append(idKey(s.ID), sum[:svcHashLen]...)
	b := appendBucket(tx, bucketServices)
	switch old := b.Get(key); {
	case old == nil:
		if err := b.Put(key, v); err != nil {
			return nil, fmt.Errorf("store service snapshot: %w", err)
		}
	case !bytes.Equal(old, v):
		return append([]byte{svcInline}, v...), nil
	}
	return append([]byte{svcShared}, key...), nil
}

// getService resolves an order record's service reference.
func getService(tx *bolt.Tx, svc []byte) (ServiceSnapshot, error) {
	if len(svc) == 0 {
		return ServiceSnapshot{}, fmt.Errorf("order record without service")
	}
	if svc[0] == svcInline {
		return decodeSnapshot(svc[1:])
	}
	v := tx.Bucket(bucketServices).Get(svc[1:])
	if v == nil {
		return ServiceSnapshot{}, fmt.Errorf("service snapshot %x: %w", svc[1:], ErrNotFound)
	}
	return decodeSnapshot(v)
}

// appendFill is the fill percent of buckets whose keys mostly grow at the
// end (order records, the history index, snapshots): bbolt's default of
// 0.5 leaves half of every page empty when keys only append.
const appendFill = 0.95

// appendBucket is bucket name of a write transaction, packed tight.
func appendBucket(tx *bolt.Tx, name []byte) *bolt.Bucket {
	b := tx.Bucket(name)
	b.FillPercent = appendFill
	return b
}
