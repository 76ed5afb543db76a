package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// crashEnv carries the database path to the child process.
const crashEnv = "SMMBOT_STORE_CRASH_DB"

var crashKey = bytes.Repeat([]byte{0x5a}, 32)

// TestCrashChild is both halves of the crash test. Run normally it is the
// parent: it re-executes the test binary as a child that writes a stream of
// orders, status changes with notifications, and outbox entries, printing
// each one only after its commit; it SIGKILLs the child mid-stream, reopens
// the file, and checks that everything the child reported is there and
// that no status change lost (or gained) its notification.
func TestCrashChild(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(t, path)
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	lines := runAndKill(t, path, 300)

	db := openAt(t, path, Options{EncryptionKey: crashKey})
	checkCrashLines(t, db, lines)
	checkCrashAtomic(t, db)
	checkIndexes(t, db)
}

// checkCrashLines checks that every commit the child reported survived.
func checkCrashLines(tb testing.TB, db *DB, lines []string) {
	tb.Helper()
	ctx := tb.Context()
	entries, err := db.DueEntries(ctx, time.Now().Add(time.Hour), 1<<30)
	must(tb, err)
	queued := map[uint64]bool{}
	for _, e := range entries {
		queued[e.ID] = true
	}
	for _, line := range lines {
		kind, n := parseCrashLine(tb, line)
		switch kind {
		case "order":
			if _, err := db.Order(ctx, "crash", n); err != nil {
				tb.Errorf("order %d reported committed: %v", n, err)
			}
		case "update":
			o, err := db.Order(ctx, "crash", n)
			if err != nil || !o.Final || o.Status != "Completed" {
				tb.Errorf("update of order %d reported committed: %+v, %v", n, o, err)
			}
		case "outbox":
			if !queued[uint64(n)] {
				tb.Errorf("outbox entry %d reported committed is missing", n)
			}
		}
	}
}

// checkCrashAtomic checks that a finished order has its notification and
// that no notification exists without its status change.
func checkCrashAtomic(tb testing.TB, db *DB) {
	tb.Helper()
	ctx := tb.Context()
	entries, err := db.DueEntries(ctx, time.Now().Add(time.Hour), 1<<30)
	must(tb, err)
	notified := map[int64]bool{}
	for _, e := range entries {
		var id int64
		if _, err := fmt.Sscanf(string(e.Payload), "done %d", &id); err == nil {
			notified[id] = true
		}
	}
	tracking, err := db.Tracking(ctx)
	must(tb, err)
	for _, id := range tracking["crash"].Orders {
		if notified[id] {
			tb.Errorf("order %d is unfinished but its notification is queued", id)
		}
	}
	for id := range notified {
		if o, err := db.Order(ctx, "crash", id); err != nil || !o.Final {
			tb.Errorf("notification of order %d queued without its status change (%v)", id, err)
		}
	}
	must(tb, db.bolt.View(func(tx *bolt.Tx) error {
		return forEachOrder(tx, func(o Order, _ bool) error {
			if o.Final && !notified[o.PanelID] {
				tb.Errorf("order %d finished without its notification", o.PanelID)
			}
			return nil
		})
	}))
}

// runAndKill starts the child, kills it once it reported at least n
// commits, and returns every line it printed.
func runAndKill(t *testing.T, path string, n int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())

	var (
		mu    sync.Mutex
		lines []string
	)
	enough, eof := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(eof)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			if len(lines) == n {
				close(enough)
			}
			mu.Unlock()
		}
	}()
	select {
	case <-enough:
	case <-eof:
	case <-time.After(2 * time.Minute):
	}
	_ = cmd.Process.Kill() // SIGKILL: no deferred code, no Close runs in the child
	<-eof
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("child was not killed mid-stream (wait: %v); stderr:\n%s", err, stderr.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) < n {
		t.Fatalf("child reported %d commits before the deadline, want %d; stderr:\n%s", len(lines), n, stderr.String())
	}
	return lines
}

func parseCrashLine(tb testing.TB, line string) (string, int64) {
	tb.Helper()
	kind, num, ok := strings.Cut(line, " ")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil {
		tb.Fatalf("child printed %q", line)
	}
	return kind, n
}

// crashChild writes until it is killed (or gives up after a bound, should
// the parent be gone), reporting each commit on stdout.
func crashChild(t *testing.T, path string) {
	db, err := Open(path, Options{EncryptionKey: crashKey})
	must(t, err)
	ctx := t.Context()
	for i := int64(1); i <= 100000; i++ {
		must(t, db.PutOrder(ctx, Order{ChatID: i % 7, KeyRef: "crash", PanelID: i, Status: "Pending"}))
		fmt.Fprintf(os.Stdout, "order %d\n", i)
		if i%2 == 0 {
			err := db.UpdateOrder(ctx, "crash", i, func(o *Order) ([]byte, error) {
				o.Status, o.Final = "Completed", true
				return fmt.Appendf(nil, "done %d", i), nil
			})
			must(t, err)
			fmt.Fprintf(os.Stdout, "update %d\n", i)
		}
		id, err := db.Enqueue(ctx, i%7, []byte("ping"))
		must(t, err)
		fmt.Fprintf(os.Stdout, "outbox %d\n", id)
	}
}
