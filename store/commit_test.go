package store

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// commitsOf runs f and returns how many commits it made.
func commitsOf(tb testing.TB, db *DB, f func()) int64 {
	tb.Helper()
	before := db.Commits()
	f()
	return db.Commits() - before
}

func TestWritesThatChangeNothingDoNotCommit(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	s := Session{ChatID: 7, State: "quantity", Version: 3, MenuID: 11, Data: []byte("draft")}
	steps := []struct {
		name string
		do   func() error
		want int64
	}{
		{"first touch", func() error { _, err := db.TouchChat(ctx, 7, "en"); return err }, 1},
		{"touch again", func() error { _, err := db.TouchChat(ctx, 7, "en"); return err }, 0},
		{"touch a minute later", func() error { clk.Add(time.Minute); _, err := db.TouchChat(ctx, 7, "de"); return err }, 0},
		{"touch an hour later", func() error { clk.Add(time.Hour); _, err := db.TouchChat(ctx, 7, "en"); return err }, 1},
		{"block", func() error { _, err := db.SetBlocked(ctx, 7); return err }, 1},
		{"touch unblocks", func() error { _, err := db.TouchChat(ctx, 7, "en"); return err }, 1},
		{"save session", func() error { return db.SaveSession(ctx, s) }, 1},
		{"save it again", func() error { return db.SaveSession(ctx, s) }, 0},
		{"save it after 5h", func() error { clk.Add(5 * time.Hour); return db.SaveSession(ctx, s) }, 0},
		{"save it after 6h more", func() error { clk.Add(6 * time.Hour); return db.SaveSession(ctx, s) }, 1},
		{"save a change", func() error { s.State = StateConfirm; return db.SaveSession(ctx, s) }, 1},
		{"begin placing", func() error { _, err := db.BeginPlacing(ctx, 7, 3); return err }, 1},
		{"tap again", func() error { _, err := db.BeginPlacing(ctx, 7, 3); wantErr(t, err, ErrAlreadyPlacing); return nil }, 0},
		{"finish placing", func() error {
			o := sampleOrder(t, 7, "k", 1, clk.Now())
			return db.FinishPlacing(ctx, &o, Session{ChatID: 7, Version: 4})
		}, 1},
		{"update order, no change", func() error {
			return db.UpdateOrder(ctx, "k", 1, func(*Order) ([]byte, error) { return nil, nil })
		}, 0},
		{"update order", func() error {
			return db.UpdateOrder(ctx, "k", 1, func(o *Order) ([]byte, error) { o.Status = "Completed"; return nil, nil })
		}, 1},
		{"put key", func() error { _, err := db.PutKey(ctx, "api-key-0123456789"); return err }, 1},
		{"put it again", func() error { _, err := db.PutKey(ctx, "api-key-0123456789"); return err }, 0},
		{"set chat key", func() error { _, err := db.SetChatKey(ctx, 7, "api-key-0123456789"); return err }, 1},
		{"set it again", func() error { _, err := db.SetChatKey(ctx, 7, "api-key-0123456789"); return err }, 0},
		{"save chat as stored", func() error {
			c, err := db.Chat(ctx, 7)
			must(t, err)
			return db.SaveChat(ctx, c)
		}, 0},
		{"put order as stored", func() error {
			o, err := db.Order(ctx, "k", 1)
			must(t, err)
			return db.PutOrder(ctx, o)
		}, 0},
		{"put refill", func() error { return db.PutRefill(ctx, Refill{ChatID: 7, KeyRef: "k", RefillID: 3, OrderID: 1}) }, 1},
		{"put refill as stored", func() error {
			r, err := db.Refills(ctx, "k", 1)
			must(t, err)
			return db.PutRefill(ctx, r[0])
		}, 0},
		{"update refill, no change", func() error {
			return db.UpdateRefill(ctx, "k", 3, func(*Refill) ([]byte, error) { return nil, nil })
		}, 0},
		{"block again", func() error { _, err := db.SetBlocked(ctx, 7); return err }, 1},
		{"and again", func() error { _, err := db.SetBlocked(ctx, 7); return err }, 0},
		{"drop no entries", func() error { _, err := db.DropChatEntries(ctx, 7); return err }, 0},
		{"delete a missing entry", func() error { return db.DeleteEntry(ctx, 12345) }, 0},
		{"forget an unknown chat", func() error { return db.Forget(ctx, 99) }, 0},
		{"forget chat 7", func() error { return db.Forget(ctx, 7) }, 1},
	}
	for _, step := range steps {
		if got := commitsOf(t, db, func() { must(t, step.do()) }); got != step.want {
			t.Errorf("%s: %d commits, want %d", step.name, got, step.want)
		}
	}
	checkIndexes(t, db)
}

// TestConcurrentWritersShareCommits saves 50 sessions at once: every one
// is stored, and with a generous batch delay they share commits.
func TestConcurrentWritersShareCommits(t *testing.T) {
	clk := newClock()
	db := openAt(t, t.TempDir()+"/smmbot.db", Options{Now: clk.Now, MaxBatchDelay: 50 * time.Millisecond})
	ctx := t.Context()
	const n = 50
	before := db.Commits()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := db.SaveSession(ctx, Session{ChatID: int64(i), State: fmt.Sprint("s", i), Version: 1}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	commits := db.Commits() - before
	if commits < 1 || commits >= n {
		t.Errorf("%d sessions made %d commits, want shared commits (1..%d)", n, commits, n-1)
	}
	for i := range n {
		s, err := db.Session(ctx, int64(i))
		must(t, err)
		if s.State != fmt.Sprint("s", i) {
			t.Errorf("session %d = %+v", i, s)
		}
	}
}
