package store

import (
	"fmt"
	"slices"
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

// TestOutboxChatLimit fills one chat past its limit with status notes of
// unfinished orders, final notes and plain entries: the unfinished notes
// go first, oldest first, and every drop is counted.
func TestOutboxChatLimit(t *testing.T) {
	clk := newClock()
	db := openAt(t, t.TempDir()+"/smmbot.db", Options{Now: clk.Now, OutboxChatLimit: 5, OutboxLimit: 100})
	ctx := t.Context()
	must(t, db.PutOrder(ctx, Order{ChatID: 1, KeyRef: "k", PanelID: 1}))
	note := func(status string, final bool) {
		must(t, db.UpdateOrder(ctx, "k", 1, func(o *Order) ([]byte, error) {
			o.Status, o.Final = status, final
			return []byte(status), nil
		}))
	}
	_, err := db.Enqueue(ctx, 1, []byte("hello"))
	must(t, err)
	note("Pending", false)
	note("In progress 1", false)
	_, err = db.Enqueue(ctx, 2, []byte("other chat"))
	must(t, err)
	note("In progress 2", false)
	note("In progress 3", false)
	note("Completed", true) // 6th of chat 1: drops "Pending"
	note("In progress 4", false)
	note("In progress 5", false) // drops "In progress 1" and "2"
	got := payloads(t, db, 1)
	want := []string{"hello", "In progress 3", "Completed", "In progress 4", "In progress 5"}
	if !slices.Equal(got, want) {
		t.Errorf("chat 1 queue = %q, want %q", got, want)
	}
	if n := db.OutboxDropped(); n != 3 {
		t.Errorf("dropped = %d, want 3", n)
	}
	// Five more: the three notes of unfinished orders go, then the oldest
	// of the kept entries.
	for i := range 5 {
		_, err := db.Enqueue(ctx, 1, fmt.Appendf(nil, "plain %d", i))
		must(t, err)
	}
	got = payloads(t, db, 1)
	want = []string{"plain 0", "plain 1", "plain 2", "plain 3", "plain 4"}
	if !slices.Equal(got, want) {
		t.Errorf("chat 1 queue = %q, want %q", got, want)
	}
	if n := db.OutboxDropped(); n != 8 {
		t.Errorf("dropped = %d, want 8", n)
	}
	if got := payloads(t, db, 2); len(got) != 1 {
		t.Errorf("chat 2 queue = %q, want its one entry", got)
	}
	checkIndexes(t, db)
}

// TestOutboxTotalLimit queues for many chats past the total limit: the
// oldest entries go.
func TestOutboxTotalLimit(t *testing.T) {
	clk := newClock()
	db := openAt(t, t.TempDir()+"/smmbot.db", Options{Now: clk.Now, OutboxChatLimit: 5, OutboxLimit: 10})
	ctx := t.Context()
	for i := range int64(25) {
		_, err := db.Enqueue(ctx, i, []byte("x"))
		must(t, err)
	}
	if n, err := db.OutboxLen(ctx); err != nil || n != 10 {
		t.Errorf("OutboxLen = %d, %v; want 10", n, err)
	}
	if n := db.OutboxDropped(); n != 15 {
		t.Errorf("dropped = %d, want 15", n)
	}
	entries, err := db.DueEntries(ctx, clk.Now(), 100)
	must(t, err)
	if len(entries) != 10 || entries[0].ChatID != 15 {
		t.Errorf("entries = %+v, want chats 15..24", entries)
	}
	n, err := db.DropChatEntries(ctx, 20)
	must(t, err)
	if n != 1 {
		t.Errorf("dropped %d of chat 20, want 1", n)
	}
	must(t, db.DeleteEntry(ctx, entries[0].ID))
	must(t, db.DeleteEntry(ctx, entries[0].ID))
	if n, err := db.OutboxLen(ctx); err != nil || n != 8 {
		t.Errorf("OutboxLen = %d, %v; want 8", n, err)
	}
	checkIndexes(t, db)
}

// payloads lists the chat's queued payloads, oldest first.
func payloads(tb testing.TB, db *DB, chatID int64) []string {
	tb.Helper()
	entries, err := db.DueEntries(tb.Context(), time.Now().Add(24*time.Hour*365*10), 1000)
	must(tb, err)
	var out []string
	for _, e := range entries {
		if e.ChatID == chatID {
			out = append(out, string(e.Payload))
		}
	}
	return out
}
