package store

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestKeyRoundTrip(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	ref, err := db.PutKey(ctx, "key-one")
	must(t, err)
	if _, err := hex.DecodeString(ref); err != nil || len(ref) != 16 {
		t.Errorf("ref %q is not 16 hex characters", ref)
	}
	again, err := db.PutKey(ctx, "key-one")
	must(t, err)
	if again != ref {
		t.Errorf("PutKey twice gave %q and %q", ref, again)
	}
	other, err := db.PutKey(ctx, "key-two")
	must(t, err)
	if other == ref {
		t.Error("two keys share a ref")
	}
	for ref, want := range map[string]string{ref: "key-one", other: "key-two"} {
		got, err := db.Key(ctx, ref)
		must(t, err)
		if got != want {
			t.Errorf("Key(%s) = %q, want %q", ref, got, want)
		}
	}
	_, err = db.Key(ctx, "0000000000000000")
	wantErr(t, err, ErrNotFound)
	_, err = db.PutKey(ctx, "")
	wantErr(t, err, ErrInvalid)
}

func TestKeyTampered(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	a, err := db.PutKey(ctx, "key-a")
	must(t, err)
	b, err := db.PutKey(ctx, "key-b")
	must(t, err)
	// Swapping ciphertexts between refs must fail: the ref is the AAD.
	must(t, db.bolt.Update(func(tx *bolt.Tx) error {
		keys := tx.Bucket(bucketKeys)
		va, vb := clone(keys.Get([]byte(a))), clone(keys.Get([]byte(b)))
		must(t, keys.Put([]byte(a), vb))
		return keys.Put([]byte(b), va)
	}))
	got, err := db.Key(ctx, a)
	if err == nil {
		t.Fatalf("Key of a swapped ciphertext = %q, want an error", got)
	}
	if strings.Contains(err.Error(), "key-b") {
		t.Errorf("error leaks the key: %v", err)
	}
}

func TestSetChatKey(t *testing.T) {
	ctx := t.Context()
	t.Run("creates the chat", func(t *testing.T) {
		db, clk := testDB(t)
		ref, err := db.SetChatKey(ctx, 1, "first")
		must(t, err)
		c, err := db.Chat(ctx, 1)
		must(t, err)
		assertChat(t, c, Chat{ID: 1, KeyRef: ref, FirstSeen: clk.Now(), LastSeen: clk.Now()})
		checkChatKeyIndex(t, db, map[string]int64{ref: 1})
	})
	t.Run("unused old key is deleted", func(t *testing.T) {
		db, _ := testDB(t)
		old, err := db.SetChatKey(ctx, 1, "first")
		must(t, err)
		ref, err := db.SetChatKey(ctx, 1, "second")
		must(t, err)
		_, err = db.Key(ctx, old)
		wantErr(t, err, ErrNotFound)
		checkChatKeyIndex(t, db, map[string]int64{ref: 1})
	})
	t.Run("old key kept while an order uses it", func(t *testing.T) {
		db, _ := testDB(t)
		old, err := db.SetChatKey(ctx, 1, "first")
		must(t, err)
		must(t, db.PutOrder(ctx, sampleOrder(t, 1, old, 10, time.Now())))
		_, err = db.SetChatKey(ctx, 1, "second")
		must(t, err)
		if got, err := db.Key(ctx, old); err != nil || got != "first" {
			t.Errorf("old key = %q, %v; want it kept", got, err)
		}
	})
	t.Run("old key kept while another chat uses it", func(t *testing.T) {
		db, _ := testDB(t)
		old, err := db.SetChatKey(ctx, 1, "shared")
		must(t, err)
		_, err = db.SetChatKey(ctx, 2, "shared")
		must(t, err)
		ref, err := db.SetChatKey(ctx, 1, "own")
		must(t, err)
		if got, err := db.Key(ctx, old); err != nil || got != "shared" {
			t.Errorf("shared key = %q, %v; want it kept", got, err)
		}
		checkChatKeyIndex(t, db, map[string]int64{ref: 1, old: 2})
	})
	t.Run("bad key", func(t *testing.T) {
		db, _ := testDB(t)
		_, err := db.SetChatKey(ctx, 1, "")
		wantErr(t, err, ErrInvalid)
		_, err = db.Chat(ctx, 1)
		wantErr(t, err, ErrNotFound)
	})
}

// TestNoPlaintextKey stores a recognisable key every way there is, then
// reads every file beside the database: none may hold the key in clear.
func TestNoPlaintextKey(t *testing.T) {
	const secret = "SECRET-PANEL-KEY-d1c2b3a4f5e6"
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "smmbot.db")
	db, err := Open(path, Options{})
	must(t, err)
	ref, err := db.SetChatKey(ctx, 1, secret)
	must(t, err)
	if strings.Contains(ref, secret) {
		t.Fatalf("ref %q contains the key", ref)
	}
	_, err = db.PutKey(ctx, secret)
	must(t, err)
	must(t, db.PutOrder(ctx, sampleOrder(t, 1, ref, 5, time.Now())))
	_, err = db.SetChatKey(ctx, 1, secret+"-2") // rewrites pages holding the first
	must(t, err)
	var backup bytes.Buffer
	_, err = db.Backup(ctx, &backup)
	must(t, err)
	must(t, db.Close())

	if bytes.Contains(backup.Bytes(), []byte(secret)) {
		t.Error("backup holds the API key in plain bytes")
	}
	files, err := os.ReadDir(dir)
	must(t, err)
	if len(files) != 2 {
		t.Errorf("files beside the database: %v, want the database and its .key", files)
	}
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(dir, f.Name()))
		must(t, err)
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("%s holds the API key in plain bytes", f.Name())
		}
	}
}

// checkChatKeyIndex compares chats_by_key with want (ref → chat).
func checkChatKeyIndex(tb testing.TB, db *DB, want map[string]int64) {
	tb.Helper()
	got := map[string]int64{}
	must(tb, db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketChatsByKey).ForEach(func(k, _ []byte) error {
			ref, rest, _ := splitRefKey(k)
			got[ref] = int64(getU64(rest))
			return nil
		})
	}))
	if len(got) != len(want) {
		tb.Errorf("chats_by_key = %v, want %v", got, want)
	}
	for ref, chat := range want {
		if got[ref] != chat {
			tb.Errorf("chats_by_key = %v, want %v", got, want)
		}
	}
}
