package ops_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/smmbot/smmbot/bot/ops"
	"github.com/smmbot/smmbot/store"
)

func openStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "bot.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.TouchChat(tb.Context(), 77, "en"); err != nil {
		tb.Fatal(err)
	}
	return db
}

// stallingWriter is a client that takes the response's first bytes only
// when released.
type stallingWriter struct {
	header  http.Header
	code    int
	writing chan struct{} // closed at the first Write
	release chan struct{}
	once    sync.Once
	freed   sync.Once
	body    bytes.Buffer
}

// free lets the writer take the bytes (again safe to call).
func (w *stallingWriter) free() { w.freed.Do(func() { close(w.release) }) }

func newStallingWriter() *stallingWriter {
	return &stallingWriter{header: http.Header{}, code: http.StatusOK, writing: make(chan struct{}), release: make(chan struct{})}
}

func (w *stallingWriter) Header() http.Header  { return w.header }
func (w *stallingWriter) WriteHeader(code int) { w.code = code }
func (w *stallingWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.writing) })
	<-w.release
	return w.body.Write(p)
}

// TestSlowBackupClientDoesNotBlockWrites: while a client is slow to take
// the backup, a write that grows the file (bbolt remaps it, which waits
// for every read transaction) still goes through.
func TestSlowBackupClientDoesNotBlockWrites(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.TouchChat(t.Context(), 77, "en"); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	w := newStallingWriter()
	t.Cleanup(w.free) // before the store closes, after a failure
	served := make(chan struct{})
	go func() {
		defer close(served)
		ops.BackupHandler(db, tmp, nil).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/backup", nil))
	}()
	waitFor(t, w.writing, "the backup's first bytes")

	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		if _, err := db.Enqueue(context.Background(), 77, make([]byte, 8<<20)); err != nil {
			t.Errorf("write during the backup: %v", err)
		}
	}()
	waitFor(t, wrote, "a write while the backup's client is slow")
	w.free()
	waitFor(t, served, "the backup served")

	checkCopy(t, w.body.Bytes(), dbPath, 77)
	if got := w.header.Get("Content-Length"); got == "" || got == "0" {
		t.Errorf("Content-Length = %q", got)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// checkCopy opens a backup with the original's key file and looks for a
// chat in it.
func checkCopy(tb testing.TB, copy []byte, dbPath string, chatID int64) {
	tb.Helper()
	copyPath := filepath.Join(tb.TempDir(), "copy.db")
	key, err := os.ReadFile(dbPath + ".key")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(copyPath+".key", key, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(copyPath, copy, 0o600); err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(copyPath, store.Options{})
	if err != nil {
		tb.Fatalf("open the copy: %v", err)
	}
	defer db.Close()
	if _, err := db.Chat(tb.Context(), chatID); err != nil {
		tb.Errorf("the copy lacks chat %d: %v", chatID, err)
	}
}

// failingSource fails after writing some bytes.
type failingSource struct{}

func (failingSource) Backup(_ context.Context, w io.Writer) (int64, error) {
	n, _ := w.Write([]byte("partial"))
	return int64(n), errors.New("read /secret/path: disk on fire")
}

func TestBackupFailure(t *testing.T) {
	tmp := t.TempDir()
	rec := httptest.NewRecorder()
	ops.BackupHandler(failingSource{}, tmp, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/backup", nil))
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "fire") ||
		strings.Contains(rec.Body.String(), "partial") {
		t.Errorf("failed backup = %d %q, want 500 without the error's text or a partial copy", rec.Code, rec.Body)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestBackupRefusals(t *testing.T) {
	db := openStore(t)
	h := ops.BackupHandler(db, t.TempDir(), nil)
	t.Run("method", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/backup", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST /backup = %d, want 405", rec.Code)
		}
	})
	t.Run("one at a time", func(t *testing.T) {
		w := newStallingWriter()
		served := make(chan struct{})
		go func() {
			defer close(served)
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/backup", nil))
		}()
		waitFor(t, w.writing, "the first backup streaming")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/backup", nil))
		w.free()
		waitFor(t, served, "the first backup served")
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("a second backup meanwhile = %d, want 503", rec.Code)
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/backup", nil))
		if rec.Code != http.StatusOK {
			t.Errorf("a backup after the first = %d, want 200", rec.Code)
		}
	})
	t.Run("no temp dir", func(t *testing.T) {
		rec := httptest.NewRecorder()
		missing := filepath.Join(t.TempDir(), "missing")
		ops.BackupHandler(db, missing, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/backup", nil))
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "missing") {
			t.Errorf("backup without its directory = %d %q, want 500 without the path", rec.Code, rec.Body)
		}
	})
}
