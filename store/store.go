// Package store keeps the bot's durable chat state in one bbolt file: chats,
// their encrypted API keys, conversation sessions, orders and refills with
// the set of those still worth polling, and the outbox of notifications.
//
// It knows nothing of Telegram or of the panel client: callers hand it plain
// values and get plain values back. Every change that must not be split (a
// status change and its notification, the placing guard) is one transaction.
//
// Bucket layout (integers are big-endian uint64 unless said otherwise; lp(s)
// is a one-byte length followed by s; time is 12 bytes: Unix seconds with the
// sign bit flipped, then nanoseconds as uint32, so byte order is time order;
// keys ascend oldest first and history pages walk them backwards):
//
//	meta              "schema" → version; "keycheck" → a sealed constant that
//	                  proves the encryption key is the one the file was made with;
//	                  "outbox_len" → entries queued
//	chats             chatID → Chat (JSON)
//	chats_by_key      lp(keyRef) | chatID → empty
//	keys              keyRef → nonce(12) | AES-256-GCM(apiKey), keyRef as AAD
//	sessions          chatID → Session (JSON)
//	order_records     lp(keyRef) | panelID → finished Order (binary record,
//	                  record.go)
//	order_index       chatID | class | time(Created) | panelID | keyRef →
//	                  the link under class 'A' (all), empty under the
//	                  order's own class (history.go)
//	order_counts      chatID | class → count
//	services          serviceID | sha256(snapshot)[:8] → ServiceSnapshot
//	refills           lp(keyRef) | refillID → Refill (JSON)
//	refills_by_order  lp(keyRef) | orderID | refillID → empty
//	refills_by_chat   chatID | lp(keyRef) | refillID → empty
//	tracking          lp(keyRef) | kind(1: 'o' order, 'r' refill) | id → an
//	                  unfinished order's whole record (it moves to
//	                  order_records when it finishes), empty for refills
//	outbox            id (bucket sequence) → chatID | time(Created) |
//	                  time(Due) | attempts(uint32) | payload
//	outbox_by_chat    chatID | kind | id → empty (outboxlimit.go)
package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout version this package reads and writes.
// Open migrates a schema 1 file (JSON orders) in place (migrate.go).
const SchemaVersion = 2

var (
	bucketMeta           = []byte("meta")
	bucketChats          = []byte("chats")
	bucketChatsByKey     = []byte("chats_by_key")
	bucketKeys           = []byte("keys")
	bucketSessions       = []byte("sessions")
	bucketOrderRecs      = []byte("order_records")
	bucketOrderIndex     = []byte("order_index")
	bucketOrderCounts    = []byte("order_counts")
	bucketServices       = []byte("services")
	bucketRefills        = []byte("refills")
	bucketRefillsByOrder = []byte("refills_by_order")
	bucketRefillsByChat  = []byte("refills_by_chat")
	bucketTracking       = []byte("tracking")
	bucketOutbox         = []byte("outbox")

	allBuckets = [][]byte{
		bucketMeta, bucketChats, bucketChatsByKey, bucketKeys, bucketSessions,
		bucketOrderRecs, bucketOrderIndex, bucketOrderCounts, bucketServices,
		bucketRefills, bucketRefillsByOrder,
		bucketRefillsByChat, bucketTracking, bucketOutbox, bucketOutboxByChat,
	}

	metaSchema   = []byte("schema")
	metaKeyCheck = []byte("keycheck")
)

// allocSize is how much the file grows at a time.
const allocSize = 4 << 20

// Options tune Open. The zero value is usable.
type Options struct {
	// Timeout is how long Open waits for the file lock; 0 means 1s. Another
	// holder of the lock makes Open fail with ErrLocked, never hang.
	Timeout time.Duration
	// EncryptionKey is the 32-byte AES-256 key for stored API keys. Empty
	// means a random key kept in "<path>.key" (64 hex characters, mode
	// 0600), created on first open and reused after.
	EncryptionKey []byte
	// SessionTTL is the idle time after which a session reads as expired;
	// 0 means 24h.
	SessionTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBatchDelay is how long a write waits for concurrent writers to
	// share its commit; 0 means DefaultBatchDelay.
	MaxBatchDelay time.Duration
	// OutboxChatLimit bounds the entries queued for one chat; 0 means
	// DefaultOutboxChatLimit.
	OutboxChatLimit int
	// OutboxLimit bounds the entries queued in all; 0 means
	// DefaultOutboxLimit.
	OutboxLimit int
}

// DB is an open store. Its methods are safe for concurrent use.
type DB struct {
	bolt *bolt.DB
	seal *sealer
	ttl  time.Duration
	now  func() time.Time

	chatLimit, totalLimit int

	commits atomic.Int64
	dropped atomic.Int64
	writers atomic.Int64 // batched writes in flight
	// lastTx is the write transaction whose commit is already counted;
	// only touched under bbolt's writer lock.
	lastTx *bolt.Tx
}

// Open opens or creates the store at path, creating its buckets and writing
// the schema version. It fails with ErrLocked when another process (or
// another Open) holds the file, ErrSchemaTooNew when the file was written by
// a newer version, ErrWrongKey when the encryption key does not match the
// file, and ErrInvalid for bad options.
func Open(path string, opts Options) (*DB, error) {
	if err := checkOptions(opts); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = time.Second
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open store %s: %w: another process (or another Open) is using it", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db, err := setup(bdb, path, opts)
	if errors.Is(err, errMigrated) {
		// The migration freed most of the file and read every page of it:
		// a packed copy, opened afresh, keeps both the file and the
		// process's memory to what is used from now on.
		err = compactInto(bdb, path+".compact")
		if cerr := bdb.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = replaceFile(path+".compact", path)
		}
		if err != nil {
			return nil, fmt.Errorf("open store %s: after migration: %w", path, err)
		}
		return Open(path, opts)
	}
	if err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	dropPageCache(path)
	return db, nil
}

func checkOptions(opts Options) error {
	if n := len(opts.EncryptionKey); n != 0 && n != keySize {
		return fmt.Errorf("%w: encryption key must be %d bytes, got %d", ErrInvalid, keySize, n)
	}
	if opts.Timeout < 0 {
		return fmt.Errorf("%w: negative lock timeout %s", ErrInvalid, opts.Timeout)
	}
	if opts.MaxBatchDelay < 0 {
		return fmt.Errorf("%w: negative batch delay %s", ErrInvalid, opts.MaxBatchDelay)
	}
	if opts.OutboxChatLimit < 0 || opts.OutboxLimit < 0 {
		return fmt.Errorf("%w: negative outbox limit", ErrInvalid)
	}
	if opts.SessionTTL < 0 {
		return fmt.Errorf("%w: negative session TTL %s", ErrInvalid, opts.SessionTTL)
	}
	return nil
}

// setup checks the schema, resolves the encryption key and creates the
// buckets on a freshly opened (and locked) bbolt file.
func setup(bdb *bolt.DB, path string, opts Options) (*DB, error) {
	var version uint64
	var keyCheck []byte
	err := bdb.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			if v := meta.Get(metaSchema); len(v) == 8 {
				version = getU64(v)
			}
			keyCheck = clone(meta.Get(metaKeyCheck))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read schema: %w", err)
	}
	if version > SchemaVersion {
		return nil, fmt.Errorf("%w: file has schema %d, this build reads up to %d", ErrSchemaTooNew, version, SchemaVersion)
	}
	key := opts.EncryptionKey
	if len(key) == 0 {
		if key, err = loadKeyFile(path+".key", keyCheck != nil); err != nil {
			return nil, err
		}
	}
	s, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	// bbolt grows the file 16MB at a time by default: a third of the
	// whole file at 100,000 orders. 4MB steps still grow it rarely.
	bdb.AllocSize = allocSize
	if err := bdb.Update(func(tx *bolt.Tx) error { return initBuckets(tx, s, version) }); err != nil {
		return nil, err
	}
	if version == 1 {
		if err := migrateV1(bdb); err != nil {
			return nil, fmt.Errorf("migrate schema 1 to %d: %w", SchemaVersion, err)
		}
		return nil, errMigrated
	}
	db := newDB(bdb, s, opts)
	if db.now == nil {
		db.now = time.Now
	}
	return db, nil
}

// newDB wraps a ready bbolt file, filling in the options' defaults.
func newDB(bdb *bolt.DB, s *sealer, opts Options) *DB {
	bdb.MaxBatchDelay = cmp.Or(opts.MaxBatchDelay, DefaultBatchDelay)
	return &DB{
		bolt: bdb, seal: s,
		ttl:        cmp.Or(opts.SessionTTL, 24*time.Hour),
		now:        opts.Now,
		chatLimit:  cmp.Or(opts.OutboxChatLimit, DefaultOutboxChatLimit),
		totalLimit: cmp.Or(opts.OutboxLimit, DefaultOutboxLimit),
	}
}

// initBuckets creates missing buckets and checks the key; version is the
// file's schema (0 for a new file), written only by the migration when 1.
func initBuckets(tx *bolt.Tx, s *sealer, version uint64) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := tx.Bucket(bucketMeta)
	if version != 1 {
		if err := meta.Put(metaSchema, u64(SchemaVersion)); err != nil {
			return fmt.Errorf("write schema: %w", err)
		}
	}
	if sealed := meta.Get(metaKeyCheck); sealed != nil {
		if _, err := s.open(sealed, metaKeyCheck); err != nil {
			return fmt.Errorf("%w: it is not the key this database was created with", ErrWrongKey)
		}
		return nil
	}
	sealed, err := s.seal([]byte("smmbot store key check"), metaKeyCheck)
	if err != nil {
		return err
	}
	if err := meta.Put(metaKeyCheck, sealed); err != nil {
		return fmt.Errorf("write key check: %w", err)
	}
	return nil
}

// Close releases the file and its lock. Calls after Close fail.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the whole database to w (a valid bbolt
// file, usable with Open and the same encryption key) and returns the
// number of bytes written. Writers are not blocked while it runs; a
// cancelled ctx stops the copy.
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx: ctx, w: w})
		return err
	})
	// The copy read the whole file through the page cache.
	dropPageCache(db.bolt.Path())
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// ctxWriter stops a long copy once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
