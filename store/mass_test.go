package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestMassBatchLifecycle(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	const chat = 7
	got, err := db.MassBatch(ctx, chat)
	must(t, err)
	if got.State != "" || got.Lines != nil || got.ChatID != chat {
		t.Fatalf("empty store: batch = %+v, want none", got)
	}
	must(t, db.SaveMassBatch(ctx, MassBatch{ChatID: chat, Version: 3, State: MassConfirm, MenuID: 9, Data: []byte(`["1|a|100"]`)}))
	wantErr(t, db.BeginMass(ctx, chat, 2, nil), ErrStale)

	lines := []MassLine{{N: 1, Link: "a"}, {N: 3, Link: "b"}, {N: 4, Link: "c"}, {N: 5, Link: "d"}}
	must(t, db.BeginMass(ctx, chat, 3, lines))
	wantErr(t, db.BeginMass(ctx, chat, 3, lines), ErrAlreadyPlacing)
	wantErr(t, db.SaveMassBatch(ctx, MassBatch{ChatID: chat, Version: 4, State: MassCollecting}), ErrAlreadyPlacing)

	ref, err := db.PutKey(ctx, "KEY0123456789")
	must(t, err)
	must(t, db.MassSending(ctx, chat, 0))
	wantErr(t, db.MassSending(ctx, chat, 0), ErrInvalid) // never sent twice
	o := sampleOrder(t, chat, ref, 501, clk.Now())
	must(t, db.MassPlaced(ctx, chat, 0, o))
	must(t, db.MassSending(ctx, chat, 1))
	must(t, db.MassFailed(ctx, chat, 1, LineRefused, "err.funds", "Not enough funds"))
	must(t, db.MassSending(ctx, chat, 2)) // and the bot stops here
	wantErr(t, db.MassFailed(ctx, chat, 2, LinePlaced, "", ""), ErrInvalid)

	if _, err := db.Order(ctx, ref, 501); err != nil {
		t.Fatalf("placed line's order not in the history: %v", err)
	}
	tracked, err := db.Tracking(ctx)
	must(t, err)
	if len(tracked) != 1 {
		t.Errorf("tracking has %d entries, want the placed order", len(tracked))
	}

	end, err := db.EndMass(ctx, chat)
	must(t, err)
	want := []MassLine{
		{N: 1, Link: "a", Status: LinePlaced, PanelID: 501},
		{N: 3, Link: "b", Status: LineRefused, Reason: "err.funds", Words: "Not enough funds"},
		{N: 4, Link: "c", Status: LineUnknown},
		{N: 5, Link: "d", Status: LineNotSent},
	}
	if end.State != MassDone || len(end.Lines) != len(want) {
		t.Fatalf("ended batch = %+v", end)
	}
	for i := range want {
		if end.Lines[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, end.Lines[i], want[i])
		}
	}
	wantErr(t, db.MassSending(ctx, chat, 3), ErrInvalid)

	// A new batch forgets the old lines.
	must(t, db.SaveMassBatch(ctx, MassBatch{ChatID: chat, Version: 4, State: MassCollecting}))
	got, err = db.MassBatch(ctx, chat)
	must(t, err)
	if got.State != MassCollecting || got.Version != 4 || len(got.Lines) != 0 {
		t.Errorf("new batch = %+v", got)
	}
}

func TestMassBatchSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(path, Options{})
	must(t, err)
	ctx := t.Context()
	must(t, db.SaveMassBatch(ctx, MassBatch{ChatID: 1, Version: 1, State: MassConfirm}))
	must(t, db.BeginMass(ctx, 1, 1, []MassLine{{N: 1}, {N: 2}}))
	must(t, db.MassSending(ctx, 1, 0))
	must(t, db.Close())

	db = openAt(t, path, Options{})
	m, err := db.MassBatch(ctx, 1)
	must(t, err)
	if m.State != MassPlacing || len(m.Lines) != 2 || m.Lines[0].Status != LineSending || m.Lines[1].Status != LineWaiting {
		t.Fatalf("after reopen: %+v", m)
	}
	// Other chats' batches are apart.
	other, err := db.MassBatch(ctx, 2)
	must(t, err)
	if other.State != "" || len(other.Lines) != 0 {
		t.Errorf("chat 2 = %+v, want none", other)
	}
}

func TestForgetMass(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	must(t, db.bolt.Update(func(tx *bolt.Tx) error { return forgetMass(tx, 1) })) // no bucket yet
	must(t, db.SaveMassBatch(ctx, MassBatch{ChatID: 1, Version: 1, State: MassConfirm}))
	must(t, db.SaveMassBatch(ctx, MassBatch{ChatID: 2, Version: 1, State: MassConfirm}))
	must(t, db.BeginMass(ctx, 1, 1, []MassLine{{N: 1}, {N: 2}}))
	must(t, db.bolt.Update(func(tx *bolt.Tx) error { return forgetMass(tx, 1) }))
	m, err := db.MassBatch(ctx, 1)
	must(t, err)
	if m.State != "" || len(m.Lines) != 0 {
		t.Errorf("forgotten chat still has %+v", m)
	}
	if m, _ := db.MassBatch(ctx, 2); m.State != MassConfirm {
		t.Errorf("another chat's batch went too: %+v", m)
	}
}

// BenchmarkMassLine is the store's part of placing one line of a mass
// order: "sending" before add, then "placed" with its order in the
// history (two commits).
func BenchmarkMassLine(b *testing.B) {
	db, clk := testDB(b)
	ctx := b.Context()
	ref, err := db.PutKey(ctx, "KEY0123456789")
	must(b, err)
	const batch = 500
	var lines []MassLine
	for i := range batch {
		lines = append(lines, MassLine{N: i + 1, Link: "https://instagram.com/x"})
	}
	next := int64(1)
	b.ReportAllocs()
	for b.Loop() {
		i := int(next-1) % batch
		if i == 0 {
			b.StopTimer()
			must(b, db.SaveMassBatch(ctx, MassBatch{ChatID: 1, Version: next, State: MassConfirm}))
			must(b, db.BeginMass(ctx, 1, next, lines))
			b.StartTimer()
		}
		must(b, db.MassSending(ctx, 1, i))
		must(b, db.MassPlaced(ctx, 1, i, sampleOrder(b, 1, ref, next, clk.Now())))
		next++
		if i == batch-1 {
			b.StopTimer()
			_, err := db.EndMass(ctx, 1)
			must(b, err)
			b.StartTimer()
		}
	}
}
