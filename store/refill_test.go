package store

import (
	"errors"
	"testing"
	"time"
)

func TestRefillRoundTrip(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	t0 := clk.Now()
	in := []Refill{
		{ChatID: 1, KeyRef: "k", RefillID: 3, OrderID: 50, Status: "Pending", Created: t0},
		{ChatID: 1, KeyRef: "k", RefillID: 9, OrderID: 50, Status: "Completed", Final: true, Created: t0.Add(time.Hour)},
		{ChatID: 1, KeyRef: "k", RefillID: 4, OrderID: 50, Created: t0},
		{ChatID: 1, KeyRef: "k", RefillID: 5, OrderID: 51, Created: t0},
		{ChatID: 1, KeyRef: "other", RefillID: 6, OrderID: 50, Created: t0},
	}
	for _, r := range in {
		must(t, db.PutRefill(ctx, r))
	}
	got, err := db.Refills(ctx, "k", 50)
	must(t, err)
	want := []Refill{in[1], in[2], in[0]} // newest first, ties by the higher id
	if len(got) != len(want) {
		t.Fatalf("Refills = %+v, want %+v", got, want)
	}
	for i := range want {
		want[i].Updated = clk.Now()
		assertRefill(t, got[i], want[i])
	}
	if none, err := db.Refills(ctx, "k", 999); err != nil || len(none) != 0 {
		t.Errorf("Refills of an order without any = %v, %v", none, err)
	}

	clk.Add(time.Minute)
	err = db.UpdateRefill(ctx, "k", 3, func(r *Refill) ([]byte, error) {
		r.Status, r.Final = "Rejected", true
		return []byte("rejected"), nil
	})
	must(t, err)
	got, err = db.Refills(ctx, "k", 50)
	must(t, err)
	if got[2].Status != "Rejected" || !got[2].Final || !got[2].Updated.Equal(clk.Now()) {
		t.Errorf("updated refill = %+v", got[2])
	}
	entries, err := db.DueEntries(ctx, clk.Now(), 10)
	must(t, err)
	if len(entries) != 1 || string(entries[0].Payload) != "rejected" || entries[0].ChatID != 1 {
		t.Errorf("outbox = %+v, want one entry for chat 1", entries)
	}
	checkIndexes(t, db)
}

func TestUpdateRefillErrors(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	nop := func(r *Refill) ([]byte, error) { return []byte("x"), nil }
	wantErr(t, db.UpdateRefill(ctx, "k", 1, nop), ErrNotFound)
	wantErr(t, db.UpdateRefill(ctx, "k", 1, nil), ErrInvalid)

	must(t, db.PutRefill(ctx, Refill{ChatID: 1, KeyRef: "k", RefillID: 1, OrderID: 2, Status: "Pending"}))
	errBoom := errors.New("boom")
	err := db.UpdateRefill(ctx, "k", 1, func(r *Refill) ([]byte, error) { r.Status = "Completed"; return []byte("x"), errBoom })
	wantErr(t, err, errBoom)
	got, err := db.Refills(ctx, "k", 2)
	must(t, err)
	if got[0].Status != "Pending" {
		t.Errorf("fn error still wrote status %q", got[0].Status)
	}
	if n, err := db.OutboxLen(ctx); err != nil || n != 0 {
		t.Errorf("OutboxLen = %d, %v; want 0", n, err)
	}
	for name, r := range map[string]Refill{
		"no key":      {RefillID: 1, OrderID: 1},
		"zero refill": {KeyRef: "k", OrderID: 1},
		"zero order":  {KeyRef: "k", RefillID: 1},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, db.PutRefill(ctx, r), ErrInvalid) })
	}
}

func assertRefill(tb testing.TB, got, want Refill) {
	tb.Helper()
	g := got
	g.Created, g.Updated = want.Created, want.Updated
	if g != want || !got.Created.Equal(want.Created) || !got.Updated.Equal(want.Updated) {
		tb.Errorf("refill = %+v\nwant     %+v", got, want)
	}
}
