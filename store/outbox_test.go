package store

import (
	"testing"
	"time"
)

// queueFour queues one entry a second for chats 1, 2, 1 and -3 and returns
// their ids and the time after the last.
func queueFour(tb testing.TB, db *DB, clk *clock) ([]uint64, time.Time) {
	tb.Helper()
	var ids []uint64
	for i, chat := range []int64{1, 2, 1, -3} {
		id, err := db.Enqueue(tb.Context(), chat, []byte{byte('a' + i)})
		must(tb, err)
		if len(ids) > 0 && id <= ids[len(ids)-1] {
			tb.Fatalf("ids not ascending: %v then %d", ids, id)
		}
		ids = append(ids, id)
		clk.Add(time.Second)
	}
	return ids, clk.Now()
}

func TestOutboxDue(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	ids, now := queueFour(t, db, clk)
	entries, err := db.DueEntries(ctx, now, 10)
	must(t, err)
	assertEntryIDs(t, entries, ids...)
	t0 := now.Add(-4 * time.Second)
	if e := entries[0]; e.ChatID != 1 || string(e.Payload) != "a" || !e.Created.Equal(t0) || !e.Due.Equal(t0) || e.Attempts != 0 {
		t.Errorf("first entry = %+v", e)
	}
	// At the moment of the second entry only two are due.
	entries, err = db.DueEntries(ctx, t0.Add(time.Second), 10)
	must(t, err)
	assertEntryIDs(t, entries, ids[0], ids[1])
	entries, err = db.DueEntries(ctx, now, 2)
	must(t, err)
	assertEntryIDs(t, entries, ids[0], ids[1])

	must(t, db.Postpone(ctx, ids[0], now.Add(time.Minute)))
	must(t, db.Postpone(ctx, ids[0], now.Add(2*time.Minute)))
	entries, err = db.DueEntries(ctx, now, 10)
	must(t, err)
	assertEntryIDs(t, entries, ids[1], ids[2], ids[3])
	entries, err = db.DueEntries(ctx, now.Add(2*time.Minute), 10)
	must(t, err)
	assertEntryIDs(t, entries, ids...)
	if e := entries[0]; e.Attempts != 2 || !e.Due.Equal(now.Add(2*time.Minute)) || string(e.Payload) != "a" {
		t.Errorf("postponed entry = %+v, want 2 attempts due in 2m", e)
	}
	_, err = db.DueEntries(ctx, now, 0)
	wantErr(t, err, ErrInvalid)
}

func TestOutboxDeleteAndDrop(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	ids, now := queueFour(t, db, clk)
	must(t, db.DeleteEntry(ctx, ids[1]))
	must(t, db.DeleteEntry(ctx, ids[1]))
	wantErr(t, db.Postpone(ctx, ids[1], now), ErrNotFound)
	assertOutboxLen(t, db, 3)

	n, err := db.DropChatEntries(ctx, 1)
	must(t, err)
	if n != 2 {
		t.Errorf("DropChatEntries = %d, want 2", n)
	}
	entries, err := db.DueEntries(ctx, now.Add(time.Hour), 10)
	must(t, err)
	assertEntryIDs(t, entries, ids[3])
	assertOutboxLen(t, db, 1)
}

func TestOutboxEmptyPayload(t *testing.T) {
	db, clk := testDB(t)
	id, err := db.Enqueue(t.Context(), 1, nil)
	must(t, err)
	entries, err := db.DueEntries(t.Context(), clk.Now(), 1)
	must(t, err)
	if len(entries) != 1 || entries[0].ID != id || len(entries[0].Payload) != 0 {
		t.Errorf("entries = %+v", entries)
	}
}

func assertEntryIDs(tb testing.TB, entries []OutboxEntry, want ...uint64) {
	tb.Helper()
	got := make([]uint64, len(entries))
	for i, e := range entries {
		got[i] = e.ID
	}
	if len(got) != len(want) {
		tb.Fatalf("entry ids %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			tb.Fatalf("entry ids %v, want %v", got, want)
		}
	}
}

func assertOutboxLen(tb testing.TB, db *DB, want int) {
	tb.Helper()
	n, err := db.OutboxLen(tb.Context())
	must(tb, err)
	if n != want {
		tb.Errorf("OutboxLen = %d, want %d", n, want)
	}
}
