package ops_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/smmbot/smmbot/bot/ops"
)

// discardWriter is a client that takes every byte at once.
type discardWriter struct {
	header http.Header
	n      int64
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(int)     {}
func (w *discardWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// BenchmarkBackup serves /backup of a 32 MiB store: the copy to a
// temporary file and the stream from it.
func BenchmarkBackup(b *testing.B) {
	db := openStore(b)
	for range 32 {
		if _, err := db.Enqueue(b.Context(), 77, make([]byte, 1<<20)); err != nil {
			b.Fatal(err)
		}
	}
	h := ops.BackupHandler(db, b.TempDir(), nil)
	req := httptest.NewRequest(http.MethodGet, "/backup", nil)
	for b.Loop() {
		w := &discardWriter{header: http.Header{}}
		h.ServeHTTP(w, req)
		if size, _ := strconv.ParseInt(w.header.Get("Content-Length"), 10, 64); size == 0 || w.n != size {
			b.Fatalf("served %d of %s bytes", w.n, w.header.Get("Content-Length"))
		}
		b.SetBytes(w.n)
	}
}
