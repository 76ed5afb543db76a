package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestOpenWritesSchema(t *testing.T) {
	db, _ := testDB(t)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				t.Errorf("bucket %s missing", name)
			}
		}
		if got := getU64(tx.Bucket(bucketMeta).Get(metaSchema)); got != SchemaVersion {
			t.Errorf("schema = %d, want %d", got, SchemaVersion)
		}
		return nil
	})
	must(t, err)
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smmbot.db")
	openAt(t, path, Options{})
	done := make(chan error, 1)
	go func() {
		db, err := Open(path, Options{Timeout: 100 * time.Millisecond})
		if err == nil {
			_ = db.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		wantErr(t, err, ErrLocked)
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name the path", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("second Open hangs instead of failing with ErrLocked")
	}
}

func TestOpenSchemaTooNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smmbot.db")
	db, err := Open(path, Options{})
	must(t, err)
	must(t, db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(metaSchema, u64(SchemaVersion+1))
	}))
	must(t, db.Close())
	_, err = Open(path, Options{})
	wantErr(t, err, ErrSchemaTooNew)
}

func TestOpenKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smmbot.db")
	ctx := t.Context()
	db, err := Open(path, Options{})
	must(t, err)
	info, err := os.Stat(path + ".key")
	must(t, err)
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %o, want 600", perm)
	}
	before, err := os.ReadFile(path + ".key")
	must(t, err)
	ref, err := db.PutKey(ctx, "panel-key-1")
	must(t, err)
	must(t, db.Close())

	db = openAt(t, path, Options{})
	got, err := db.Key(ctx, ref)
	must(t, err)
	if got != "panel-key-1" {
		t.Errorf("Key after reopen = %q, want %q", got, "panel-key-1")
	}
	after, err := os.ReadFile(path + ".key")
	must(t, err)
	if !bytes.Equal(before, after) {
		t.Error("key file was rewritten on reopen")
	}
	if ref2, err := db.PutKey(ctx, "panel-key-1"); err != nil || ref2 != ref {
		t.Errorf("PutKey after reopen = %q, %v; want %q", ref2, err, ref)
	}
}

func TestOpenBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"short key", Options{EncryptionKey: make([]byte, 16)}},
		{"long key", Options{EncryptionKey: make([]byte, 33)}},
		{"negative timeout", Options{Timeout: -time.Second}},
		{"negative ttl", Options{SessionTTL: -time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "smmbot.db")
			_, err := Open(path, tt.opts)
			wantErr(t, err, ErrInvalid)
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("database file created despite bad options (stat: %v)", err)
			}
		})
	}
}

func TestOpenKeyMismatch(t *testing.T) {
	keyA, keyB := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	tests := []struct {
		name    string
		first   Options
		prepare func(t *testing.T, path string)
		second  Options
		want    error  // nil: any error containing text
		text    string // expected in the message
	}{
		{name: "other key", first: Options{EncryptionKey: keyA}, second: Options{EncryptionKey: keyB}, want: ErrWrongKey},
		{name: "explicit key then key file", first: Options{EncryptionKey: keyA}, second: Options{}, want: ErrWrongKey, text: "missing"},
		{
			name: "key file lost", first: Options{}, second: Options{}, want: ErrWrongKey, text: "missing",
			prepare: func(t *testing.T, path string) { must(t, os.Remove(path+".key")) },
		},
		{
			name: "key file corrupt", first: Options{}, second: Options{}, text: "hex characters",
			prepare: func(t *testing.T, path string) { must(t, os.WriteFile(path+".key", []byte("short\n"), 0o600)) },
		},
		{
			name: "key file not hex", first: Options{}, second: Options{}, text: "not hex",
			prepare: func(t *testing.T, path string) {
				must(t, os.WriteFile(path+".key", bytes.Repeat([]byte("z"), 64), 0o600))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "smmbot.db")
			db, err := Open(path, tt.first)
			must(t, err)
			must(t, db.Close())
			if tt.prepare != nil {
				tt.prepare(t, path)
			}
			db, err = Open(path, tt.second)
			if err == nil {
				_ = db.Close()
				t.Fatal("Open succeeded, want an error")
			}
			if tt.want != nil {
				wantErr(t, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not mention %q", err, tt.text)
			}
		})
	}
}

func TestBackup(t *testing.T) {
	ctx := t.Context()
	key := bytes.Repeat([]byte{7}, 32)
	dir := t.TempDir()
	db := openAt(t, filepath.Join(dir, "smmbot.db"), Options{EncryptionKey: key})
	ref, err := db.SetChatKey(ctx, 5, "backup-key")
	must(t, err)
	must(t, db.PutOrder(ctx, sampleOrder(t, 5, ref, 77, time.Now())))

	var buf bytes.Buffer
	n, err := db.Backup(ctx, &buf)
	must(t, err)
	if n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup wrote %d bytes, reported %d", buf.Len(), n)
	}
	copyPath := filepath.Join(dir, "copy.db")
	must(t, os.WriteFile(copyPath, buf.Bytes(), 0o600))
	cp := openAt(t, copyPath, Options{EncryptionKey: key})
	if got, err := cp.Key(ctx, ref); err != nil || got != "backup-key" {
		t.Errorf("Key in backup = %q, %v", got, err)
	}
	if _, err := cp.Order(ctx, ref, 77); err != nil {
		t.Errorf("Order in backup: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = db.Backup(cancelled, &buf)
	wantErr(t, err, context.Canceled)
}

func TestCancelledContext(t *testing.T) {
	db, _ := testDB(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := map[string]func() error{
		"Chat":        func() error { _, err := db.Chat(ctx, 1); return err },
		"TouchChat":   func() error { _, err := db.TouchChat(ctx, 1, "en"); return err },
		"PutKey":      func() error { _, err := db.PutKey(ctx, "k"); return err },
		"SaveSession": func() error { return db.SaveSession(ctx, Session{ChatID: 1}) },
		"Orders":      func() error { _, _, _, err := db.Orders(ctx, 1, Cursor{}, 10); return err },
		"Tracking":    func() error { _, err := db.Tracking(ctx); return err },
		"Enqueue":     func() error { _, err := db.Enqueue(ctx, 1, []byte("x")); return err },
		"Forget":      func() error { return db.Forget(ctx, 1) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { wantErr(t, call(), context.Canceled) })
	}
	n, err := db.OutboxLen(t.Context())
	must(t, err)
	if n != 0 {
		t.Errorf("OutboxLen = %d after cancelled Enqueue, want 0", n)
	}
}
