package ops

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Backuper writes a consistent copy of the database to w in one read
// transaction, as *store.DB does.
type Backuper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// BackupHandler answers GET /backup with a copy of src's database. The
// copy is first written to a temporary file in dir ("" = os.TempDir())
// under one short read transaction, then streamed from the file, so a
// slow client never holds the database open against writers. One backup
// runs at a time; a second request meanwhile gets 503. The file is
// removed once served.
func BackupHandler(src Backuper, dir string, log *slog.Logger) http.Handler {
	busy := make(chan struct{}, 1)
	log = orDiscard(log)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		select {
		case busy <- struct{}{}:
			defer func() { <-busy }()
		default:
			w.Header().Set("Retry-After", "10")
			http.Error(w, "another backup is running", http.StatusServiceUnavailable)
			return
		}
		serveBackup(w, r, src, dir, log)
	})
}

func serveBackup(w http.ResponseWriter, r *http.Request, src Backuper, dir string, log *slog.Logger) {
	start := time.Now()
	f, n, err := snapshot(r.Context(), src, dir)
	if err != nil {
		log.Error("backup", "err", err)
		http.Error(w, "backup failed", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	name := "smmbot-" + start.UTC().Format("20060102-150405") + ".db"
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	sent, err := io.Copy(w, f)
	if err != nil {
		log.Warn("backup: client gone", "err", err, "bytes", sent, "of", n)
		return
	}
	log.Info("backup served", "bytes", sent, "took", time.Since(start).Round(time.Millisecond))
}

// snapshot writes src's copy to a new temporary file in dir and returns it
// open at its start, with its size. The file is unlinked at once where
// the system allows it (nothing is left behind by a crash), else when it
// is closed.
func snapshot(ctx context.Context, src Backuper, dir string) (*tempFile, int64, error) {
	f, err := os.CreateTemp(dir, "smmbot-backup-*")
	if err != nil {
		return nil, 0, fmt.Errorf("backup: temporary file: %w", err)
	}
	tf := &tempFile{File: f, unlinked: os.Remove(f.Name()) == nil}
	n, err := src.Backup(ctx, f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		tf.Close()
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	return tf, n, nil
}

// tempFile is removed when closed, if it was not unlinked already.
type tempFile struct {
	*os.File
	unlinked bool
}

func (f *tempFile) Close() error {
	err := f.File.Close()
	if !f.unlinked {
		if rerr := os.Remove(f.Name()); err == nil {
			err = rerr
		}
	}
	return err
}
