package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestSessionRoundTrip(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	got, err := db.Session(ctx, 9)
	must(t, err)
	assertSession(t, got, Session{ChatID: 9})

	in := Session{ChatID: 9, State: "quantity", Version: 3, MenuID: 812, Data: []byte(`{"service":1}`)}
	must(t, db.SaveSession(ctx, in))
	got, err = db.Session(ctx, 9)
	must(t, err)
	in.Updated = clk.Now()
	assertSession(t, got, in)
}

func TestSessionExpiry(t *testing.T) {
	clk := newClock()
	db := openAt(t, filepath.Join(t.TempDir(), "s.db"), Options{Now: clk.Now, SessionTTL: time.Hour})
	ctx := t.Context()
	saved := Session{ChatID: 4, State: StateConfirm, Version: 7, MenuID: 55, Data: []byte("draft")}
	must(t, db.SaveSession(ctx, saved))
	saved.Updated = clk.Now()

	clk.Add(time.Hour)
	got, err := db.Session(ctx, 4)
	must(t, err)
	assertSession(t, got, saved) // exactly the TTL: still alive

	clk.Add(time.Second)
	got, err = db.Session(ctx, 4)
	must(t, err)
	assertSession(t, got, Session{ChatID: 4, Version: 7, Updated: saved.Updated})
	_, err = db.BeginPlacing(ctx, 4, 7)
	wantErr(t, err, ErrNotConfirming)
}

func TestBeginPlacingConcurrent(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	must(t, db.SaveSession(ctx, Session{ChatID: 1, State: StateConfirm, Version: 12, MenuID: 3}))

	const callers = 50
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			_, errs[i] = db.BeginPlacing(ctx, 1, 12)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, ErrAlreadyPlacing):
			t.Errorf("loser got %v, want ErrAlreadyPlacing", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d callers won, want exactly 1", wins)
	}
	s, err := db.Session(ctx, 1)
	must(t, err)
	if s.State != StatePlacing || s.Version != 12 || s.MenuID != 3 {
		t.Errorf("session after placing = %+v", s)
	}
}

func TestBeginPlacingErrors(t *testing.T) {
	tests := []struct {
		name    string
		saved   *Session
		version int64
		want    error
	}{
		{"no session", nil, 0, ErrNotConfirming},
		{"stale menu", &Session{State: StateConfirm, Version: 5}, 4, ErrStale},
		{"stale menu while placing", &Session{State: StatePlacing, Version: 5}, 4, ErrStale},
		{"idle", &Session{Version: 5}, 5, ErrNotConfirming},
		{"other step", &Session{State: "quantity", Version: 5}, 5, ErrNotConfirming},
		{"already placing", &Session{State: StatePlacing, Version: 5}, 5, ErrAlreadyPlacing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := testDB(t)
			ctx := t.Context()
			if tt.saved != nil {
				tt.saved.ChatID = 1
				must(t, db.SaveSession(ctx, *tt.saved))
			}
			before, err := db.Session(ctx, 1)
			must(t, err)
			_, err = db.BeginPlacing(ctx, 1, tt.version)
			wantErr(t, err, tt.want)
			after, err := db.Session(ctx, 1)
			must(t, err)
			assertSession(t, after, before)
		})
	}
}

func TestFinishPlacing(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	must(t, db.SaveSession(ctx, Session{ChatID: 1, State: StateConfirm, Version: 2, Data: []byte("d")}))
	_, err := db.BeginPlacing(ctx, 1, 2)
	must(t, err)

	o := sampleOrder(t, 1, "ref0000000000001", 501, clk.Now())
	must(t, db.FinishPlacing(ctx, &o, Session{ChatID: 1, Version: 3, MenuID: 9}))
	got, err := db.Order(ctx, o.KeyRef, 501)
	must(t, err)
	o.Updated = clk.Now()
	assertOrder(t, got, o)
	s, err := db.Session(ctx, 1)
	must(t, err)
	assertSession(t, s, Session{ChatID: 1, Version: 3, MenuID: 9, Updated: clk.Now()})

	// The panel refused: no order, the session goes back to confirm.
	must(t, db.FinishPlacing(ctx, nil, Session{ChatID: 1, State: StateConfirm, Version: 3}))
	if n, err := db.CountOrders(ctx, 1); err != nil || n != 1 {
		t.Errorf("CountOrders = %d, %v; want 1", n, err)
	}
	bad := Order{ChatID: 1, KeyRef: "r"}
	wantErr(t, db.FinishPlacing(ctx, &bad, Session{ChatID: 1}), ErrInvalid)
	s, err = db.Session(ctx, 1)
	must(t, err)
	if s.State != StateConfirm {
		t.Errorf("rejected FinishPlacing changed the session: %+v", s)
	}
}

func assertSession(tb testing.TB, got, want Session) {
	tb.Helper()
	if got.ChatID != want.ChatID || got.State != want.State || got.Version != want.Version ||
		got.MenuID != want.MenuID || !bytes.Equal(got.Data, want.Data) || !got.Updated.Equal(want.Updated) ||
		(got.Data == nil) != (want.Data == nil) {
		tb.Errorf("session = %+v\nwant      %+v", got, want)
	}
}
