package store

import (
	"context"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DefaultBatchDelay is how long a batched write waits for others to share
// its commit when Options.MaxBatchDelay is 0 (a write with none in flight
// does not wait). BenchmarkSaveSessionConcurrent (200 goroutines, ext4 on
// a shared virtual disk) gave per save: 0.5ms 93-160µs, 1ms 42-45µs, 2ms
// 42-65µs, 5ms 59-67µs, bbolt's default 10ms 97-112µs.
const DefaultBatchDelay = time.Millisecond

// errUnchanged rolls back a write transaction that found nothing to
// change, so it costs no commit and no fsync.
var errUnchanged = errors.New("nothing to change")

// Commits returns how many write transactions this DB committed since
// Open (a commit shared by concurrent writers counts once). Writes that
// would change nothing are skipped and not counted.
func (db *DB) Commits() int64 { return db.commits.Load() }

// view runs fn in a read transaction unless ctx is already done.
func (db *DB) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.View(fn)
}

// update runs fn in a write transaction of its own unless ctx is already
// done. An error from fn rolls everything back; errUnchanged does so
// silently.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := db.bolt.Update(db.counted(fn))
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// batch runs fn in a write transaction that concurrent callers may share
// (one commit, one fsync for all). A writer with no other write in flight
// commits at once; the ones that arrive while others are in flight join a
// bbolt Batch, which waits up to MaxBatchDelay for more. fn may run more
// than once, when another fn of the batch fails: it must reset whatever it
// captures at its top. Use it only for writes that seldom fail; a failing
// fn makes the others run again.
func (db *DB) batch(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.writers.Add(-1)
	if db.writers.Add(1) == 1 {
		return db.update(ctx, fn)
	}
	err := db.bolt.Batch(db.counted(fn))
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// counted makes the commit of fn's transaction count once, however many
// batched functions share it.
func (db *DB) counted(fn func(tx *bolt.Tx) error) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		if db.lastTx != tx {
			db.lastTx = tx
			tx.OnCommit(func() { db.commits.Add(1) })
		}
		return fn(tx)
	}
}
