package store

import (
	"errors"
	"reflect"
	"testing"
)

func TestTracking(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	for _, o := range []Order{
		{ChatID: 1, KeyRef: "key-a", PanelID: 30},
		{ChatID: 1, KeyRef: "key-a", PanelID: 10},
		{ChatID: 2, KeyRef: "key-a", PanelID: 20},
		{ChatID: 3, KeyRef: "key-b", PanelID: 10},
		{ChatID: 3, KeyRef: "key-b", PanelID: 11, Final: true},
		{ChatID: 3, KeyRef: "key-b", PanelID: 12, Gone: true},
	} {
		must(t, db.PutOrder(ctx, o))
	}
	must(t, db.PutRefill(ctx, Refill{ChatID: 1, KeyRef: "key-a", RefillID: 5, OrderID: 10}))
	must(t, db.PutRefill(ctx, Refill{ChatID: 1, KeyRef: "key-a", RefillID: 2, OrderID: 10}))
	must(t, db.PutRefill(ctx, Refill{ChatID: 3, KeyRef: "key-c", RefillID: 1, OrderID: 7, Final: true}))
	assertTracking(t, db, map[string]Tracked{
		"key-a": {Orders: []int64{10, 20, 30}, Refills: []int64{2, 5}},
		"key-b": {Orders: []int64{10}},
	})

	finish := func(o *Order) ([]byte, error) { o.Status, o.Final = "Completed", true; return nil, nil }
	must(t, db.UpdateOrder(ctx, "key-a", 20, finish))
	must(t, db.UpdateOrder(ctx, "key-b", 10, func(o *Order) ([]byte, error) { o.Gone = true; return nil, nil }))
	must(t, db.UpdateRefill(ctx, "key-a", 5, func(r *Refill) ([]byte, error) { r.Final = true; return nil, nil }))
	// An order coming back (say, a status was misread) is tracked again.
	must(t, db.UpdateOrder(ctx, "key-b", 11, func(o *Order) ([]byte, error) { o.Final = false; return nil, nil }))
	assertTracking(t, db, map[string]Tracked{
		"key-a": {Orders: []int64{10, 30}, Refills: []int64{2}},
		"key-b": {Orders: []int64{11}},
	})
	checkIndexes(t, db)
}

func TestUpdateOrderNotify(t *testing.T) {
	errPanel := errors.New("panel said no")
	tests := []struct {
		name      string
		blocked   bool
		fn        func(o *Order) ([]byte, error)
		wantErr   error
		status    string // stored afterwards
		tracked   bool
		wantQueue int
	}{
		{
			name:   "status change with notification",
			fn:     func(o *Order) ([]byte, error) { o.Status, o.Final = "Completed", true; return []byte("done"), nil },
			status: "Completed", wantQueue: 1,
		},
		{
			name:   "status change without notification",
			fn:     func(o *Order) ([]byte, error) { o.Status = "In progress"; return nil, nil },
			status: "In progress", tracked: true,
		},
		{
			name:    "fn error writes nothing",
			fn:      func(o *Order) ([]byte, error) { o.Status, o.Final = "Completed", true; return []byte("done"), errPanel },
			wantErr: errPanel, status: "Pending", tracked: true,
		},
		{
			name:    "blocked chat gets no entry",
			blocked: true,
			fn:      func(o *Order) ([]byte, error) { o.Status, o.Final = "Partial", true; return []byte("partial"), nil },
			status:  "Partial",
		},
		{
			name:    "identity change refused",
			fn:      func(o *Order) ([]byte, error) { o.PanelID++; return []byte("x"), nil },
			wantErr: ErrInvalid, status: "Pending", tracked: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := testDB(t)
			ctx := t.Context()
			must(t, db.PutOrder(ctx, Order{ChatID: 8, KeyRef: "k", PanelID: 1, Status: "Pending"}))
			if tt.blocked {
				_, err := db.SetBlocked(ctx, 8)
				must(t, err)
			}
			err := db.UpdateOrder(ctx, "k", 1, tt.fn)
			if tt.wantErr != nil {
				wantErr(t, err, tt.wantErr)
			} else {
				must(t, err)
			}
			o, err := db.Order(ctx, "k", 1)
			must(t, err)
			if o.Status != tt.status {
				t.Errorf("stored status %q, want %q", o.Status, tt.status)
			}
			want := map[string]Tracked{}
			if tt.tracked {
				want["k"] = Tracked{Orders: []int64{1}}
			}
			assertTracking(t, db, want)
			entries, err := db.DueEntries(ctx, clk.Now(), 10)
			must(t, err)
			if len(entries) != tt.wantQueue {
				t.Fatalf("%d outbox entries, want %d", len(entries), tt.wantQueue)
			}
			for _, e := range entries {
				if e.ChatID != 8 || string(e.Payload) != "done" {
					t.Errorf("entry = %+v, want chat 8 payload done", e)
				}
			}
		})
	}
}

func TestUpdateOrderMissing(t *testing.T) {
	db, _ := testDB(t)
	called := false
	err := db.UpdateOrder(t.Context(), "k", 1, func(o *Order) ([]byte, error) { called = true; return nil, nil })
	wantErr(t, err, ErrNotFound)
	if called {
		t.Error("fn called for a missing order")
	}
	wantErr(t, db.UpdateOrder(t.Context(), "k", 1, nil), ErrInvalid)
}

func assertTracking(tb testing.TB, db *DB, want map[string]Tracked) {
	tb.Helper()
	got, err := db.Tracking(tb.Context())
	must(tb, err)
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("tracking = %v\nwant       %v", got, want)
	}
}
