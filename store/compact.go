package store

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// compactChunk is how many keys one transaction of the copy writes.
const compactChunk = 20000

// compactInto writes a packed copy of every bucket of src (with its
// sequence) to a new file at dst, synced before it returns. bbolt never
// shrinks a file; after the schema 1 migration freed most of it, this is
// how the file comes back to its schema 2 size. (bbolt's own Compact would
// turn this store's empty values into nested buckets.)
func compactInto(src *bolt.DB, dst string) error {
	_ = os.Remove(dst)
	out, err := bolt.Open(dst, 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		return err
	}
	err = src.View(func(stx *bolt.Tx) error {
		return stx.ForEach(func(name []byte, b *bolt.Bucket) error { return copyBucket(src, out, name, b) })
	})
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(dst)
		return fmt.Errorf("compact: %w", err)
	}
	return nil
}

// copyBucket copies one top-level bucket in transactions of compactChunk
// keys, pages packed full.
func copyBucket(src, out *bolt.DB, name []byte, b *bolt.Bucket) error {
	c := b.Cursor()
	k, v := c.First()
	for first := true; first || k != nil; first = false {
		err := out.Update(func(tx *bolt.Tx) error {
			nb, err := tx.CreateBucketIfNotExists(name)
			if err != nil {
				return err
			}
			if err := nb.SetSequence(b.Sequence()); err != nil {
				return err
			}
			nb.FillPercent = 1.0
			for n := 0; k != nil && n < compactChunk; n++ {
				if v == nil {
					return fmt.Errorf("nested bucket %s/%x: not part of this store", name, k)
				}
				if err := nb.Put(k, v); err != nil {
					return err
				}
				k, v = c.Next()
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Neither the pages read nor the pages written are needed again.
		trimMapping(out)
		trimMapping(src)
	}
	return nil
}

// replaceFile renames tmp over path and syncs the directory.
func replaceFile(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
