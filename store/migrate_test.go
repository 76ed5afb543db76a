package store

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// v1Key is the encryption key testdata/v1.db was written with.
var v1Key = bytes.Repeat([]byte{0x42}, 32)

// copyV1 copies testdata/v1.db (written by the schema 1 store, see
// testdata/v1gen.go.txt) into a temporary directory.
func copyV1(tb testing.TB) string {
	tb.Helper()
	src, err := os.Open("testdata/v1.db")
	must(tb, err)
	defer src.Close()
	path := filepath.Join(tb.TempDir(), "smmbot.db")
	dst, err := os.Create(path)
	must(tb, err)
	_, err = io.Copy(dst, src)
	must(tb, err)
	must(tb, dst.Close())
	return path
}

// v1Orders reads the schema 1 orders of the file at path, as JSON.
func v1Orders(tb testing.TB, path string) []Order {
	tb.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	must(tb, err)
	defer bdb.Close()
	var out []Order
	must(tb, bdb.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketV1Orders).ForEach(func(_, v []byte) error {
			var o Order
			out = append(out, o)
			return json.Unmarshal(v, &out[len(out)-1])
		})
	}))
	return out
}

func TestMigrateV1File(t *testing.T) {
	path := copyV1(t)
	want := v1Orders(t, path)
	if len(want) != 45 {
		t.Fatalf("fixture has %d orders, want 45", len(want))
	}
	db := openAt(t, path, Options{EncryptionKey: v1Key, Now: newClock().Now})
	checkMigrated(t, db, want)
	ctx := t.Context()
	var ref string
	for _, o := range want {
		if o.ChatID == 7 {
			ref = o.KeyRef
		}
	}
	if k, err := db.Key(ctx, ref); err != nil || k != "v1-api-key-0123456789" {
		t.Errorf("Key = %q, %v", k, err)
	}
	if s, err := db.Session(ctx, 7); err != nil || s.Version != 4 || string(s.Data) != `{"svc":1}` {
		t.Errorf("Session = %+v, %v", s, err)
	}
	if r, err := db.Refills(ctx, ref, 1002); err != nil || len(r) != 1 || r[0].RefillID != 55 {
		t.Errorf("Refills = %+v, %v", r, err)
	}
	if n, err := db.OutboxLen(ctx); err != nil || n != 1 {
		t.Errorf("OutboxLen = %d, %v; want 1", n, err)
	}
	if id, err := db.Enqueue(ctx, 7, []byte("x")); err != nil || id != 2 {
		t.Errorf("Enqueue after the migration = %d, %v; want id 2 (the sequence kept)", id, err)
	}
	counts, err := db.OrderCounts(ctx, 7)
	must(t, err)
	wantCounts := Counts{All: 40}
	for _, o := range want {
		if o.ChatID != 7 {
			continue
		}
		for _, f := range Filters[1:] {
			if f.Matches(o) {
				switch f {
				case FilterActive:
					wantCounts.Active++
				case FilterCompleted:
					wantCounts.Completed++
				case FilterPartial:
					wantCounts.Partial++
				case FilterCanceled:
					wantCounts.Canceled++
				}
			}
		}
	}
	if counts != wantCounts {
		t.Errorf("OrderCounts = %+v, want %+v", counts, wantCounts)
	}
}

// checkMigrated checks that a migrated store holds want, whole, with
// consistent indexes and no schema 1 bucket.
func checkMigrated(tb testing.TB, db *DB, want []Order) {
	tb.Helper()
	for _, w := range want {
		got, err := db.Order(tb.Context(), w.KeyRef, w.PanelID)
		must(tb, err)
		assertOrder(tb, got, w)
	}
	checkIndexes(tb, db)
	must(tb, db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketV1Orders) != nil || tx.Bucket(bucketV1OrdersByChat) != nil {
			tb.Error("schema 1 buckets left behind")
		}
		if v := getU64(tx.Bucket(bucketMeta).Get(metaSchema)); v != SchemaVersion {
			tb.Errorf("schema = %d, want %d", v, SchemaVersion)
		}
		return nil
	}))
	page, _, more, err := db.Orders(tb.Context(), 7, Cursor{}, 100)
	must(tb, err)
	if len(page) != 40 || more {
		tb.Errorf("history of chat 7: %d orders, more %v; want 40", len(page), more)
	}
}

// TestMigrateResumes stops a migration after its first chunk, as a crash
// would, and opens the file again.
func TestMigrateResumes(t *testing.T) {
	path := copyV1(t)
	want := v1Orders(t, path)
	bdb, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	must(t, bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		n, err := migrateOrders(tx, 10)
		if n != 10 {
			t.Errorf("first chunk moved %d, want 10", n)
		}
		// The old history keys of the moved orders went with them.
		left := 0
		_ = tx.Bucket(bucketV1OrdersByChat).ForEach(func(_, _ []byte) error { left++; return nil })
		if left != len(want)-10 {
			t.Errorf("%d schema 1 history keys left, want %d", left, len(want)-10)
		}
		return err
	}))
	must(t, bdb.Close())
	db := openAt(t, path, Options{EncryptionKey: v1Key, Now: newClock().Now})
	checkMigrated(t, db, want)
}

// writeV1 writes orders to a new file at path in the schema 1 layout, as
// the schema 1 store did: JSON under lp(ref) | id, the history index
// chatID | ^time | ^id | ref, empty tracking values for unfinished orders.
func writeV1(tb testing.TB, path string, orders []Order) {
	tb.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{NoSync: true})
	must(tb, err)
	defer func() { must(tb, bdb.Close()) }()
	names := [][]byte{bucketMeta, bucketChats, bucketChatsByKey, bucketKeys, bucketSessions, bucketV1Orders,
		bucketV1OrdersByChat, bucketRefills, bucketRefillsByOrder, bucketRefillsByChat, bucketTracking, bucketOutbox}
	for len(orders) > 0 {
		chunk := orders[:min(len(orders), 10000)]
		orders = orders[len(chunk):]
		must(tb, bdb.Update(func(tx *bolt.Tx) error {
			for _, name := range names {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			if err := tx.Bucket(bucketMeta).Put(metaSchema, u64(1)); err != nil {
				return err
			}
			for _, o := range chunk {
				if err := putV1(tx, o); err != nil {
					return err
				}
			}
			return nil
		}))
	}
}

func putV1(tx *bolt.Tx, o Order) error {
	v, err := json.Marshal(o)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketV1Orders).Put(refKey(o.KeyRef, o.PanelID), v); err != nil {
		return err
	}
	if err := tx.Bucket(bucketV1OrdersByChat).Put(v1IndexKey(o), nil); err != nil {
		return err
	}
	if o.Final || o.Gone {
		return nil
	}
	return tx.Bucket(bucketTracking).Put(trackingKey(o.KeyRef, kindOrder, o.PanelID), nil)
}

// v1Fixture is n orders as buildLayout makes them, one in every
// unfinished.
func v1Fixture(tb testing.TB, n, every int) []Order {
	tb.Helper()
	clk := newClock()
	rng := rand.New(rand.NewPCG(3, 4))
	orders := make([]Order, n)
	for i := range orders {
		clk.Add(30 * time.Second)
		o := layoutOrder(tb, rng, i, clk.Now())
		o.Status, o.Final, o.Updated = "Completed", true, clk.Now()
		if i%every == 0 {
			o.Status, o.Final = "In progress", false
		}
		orders[i] = o
	}
	return orders
}

func TestMigrateV1Large(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 orders")
	}
	path := filepath.Join(t.TempDir(), "smmbot.db")
	want := v1Fixture(t, 20000, 10)
	writeV1(t, path, want)
	before, err := os.Stat(path)
	must(t, err)
	db := openAt(t, path, Options{EncryptionKey: v1Key})
	after, err := os.Stat(path)
	must(t, err)
	if after.Size() > before.Size()/2 {
		t.Errorf("file of %d bytes became %d, want it compacted", before.Size(), after.Size())
	}
	for _, w := range want {
		got, err := db.Order(t.Context(), w.KeyRef, w.PanelID)
		must(t, err)
		assertOrder(t, got, w)
	}
	checkIndexes(t, db)
	tr, err := db.Tracking(t.Context())
	must(t, err)
	n := 0
	for _, t := range tr {
		n += len(t.Orders)
	}
	if n != 2000 {
		t.Errorf("tracked %d, want 2000", n)
	}
}

// BenchmarkMigrateV1 opens a schema 1 file of 100,000 orders, migrating
// it, and reports the file size before and after.
func BenchmarkMigrateV1(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "v1.db")
	writeV1(b, src, v1Fixture(b, 100000, 100))
	before, err := os.Stat(src)
	must(b, err)
	path := filepath.Join(dir, "smmbot.db")
	for b.Loop() {
		b.StopTimer()
		data, err := os.ReadFile(src)
		must(b, err)
		must(b, os.WriteFile(path, data, 0o600))
		b.StartTimer()
		db, err := Open(path, Options{EncryptionKey: v1Key})
		must(b, err)
		must(b, db.Close())
	}
	after, err := os.Stat(path)
	must(b, err)
	b.ReportMetric(float64(before.Size())/1e6, "MB-v1")
	b.ReportMetric(float64(after.Size())/1e6, "MB-after")
}
