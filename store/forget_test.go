package store

import (
	"reflect"
	"testing"
	"time"
)

// fillChat gives a chat one of everything: chat record, own key, session,
// orders (tracked and final), refills, outbox entries.
func fillChat(tb testing.TB, db *DB, chatID int64, apiKey string) string {
	tb.Helper()
	ctx := tb.Context()
	_, err := db.TouchChat(ctx, chatID, "en")
	must(tb, err)
	ref, err := db.SetChatKey(ctx, chatID, apiKey)
	must(tb, err)
	must(tb, db.SaveSession(ctx, Session{ChatID: chatID, State: StateConfirm, Version: 4, Data: []byte("x")}))
	base := 1000 * chatID
	must(tb, db.PutOrder(ctx, Order{ChatID: chatID, KeyRef: ref, PanelID: base + 1}))
	must(tb, db.PutOrder(ctx, Order{ChatID: chatID, KeyRef: ref, PanelID: base + 2, Final: true}))
	must(tb, db.PutRefill(ctx, Refill{ChatID: chatID, KeyRef: ref, RefillID: base + 7, OrderID: base + 2}))
	_, err = db.Enqueue(ctx, chatID, []byte("note"))
	must(tb, err)
	must(tb, db.UpdateOrder(ctx, ref, base+1, func(o *Order) ([]byte, error) { return []byte("status"), nil }))
	return ref
}

func TestForget(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	ref1 := fillChat(t, db, 1, "key-of-one")
	ref2 := fillChat(t, db, 2, "key-of-two")
	shared := fillChat(t, db, 3, "shared-key")
	_, err := db.SetChatKey(ctx, 4, "shared-key")
	must(t, err)

	must(t, db.Forget(ctx, 1))
	must(t, db.Forget(ctx, 3))
	must(t, db.Forget(ctx, 99)) // unknown: nothing to do

	assertForgotten(t, db, 1, ref1)
	assertForgotten(t, db, 3, shared)
	_, err = db.Key(ctx, ref1)
	wantErr(t, err, ErrNotFound)
	if got, err := db.Key(ctx, shared); err != nil || got != "shared-key" {
		t.Errorf("key shared with chat 4 = %q, %v; want it kept", got, err)
	}
	assertChatIntact(t, db, 2, ref2, "key-of-two")

	tracking, err := db.Tracking(ctx)
	must(t, err)
	want := map[string]Tracked{ref2: {Orders: []int64{2001}, Refills: []int64{2007}}}
	if !reflect.DeepEqual(tracking, want) {
		t.Errorf("tracking = %v, want %v", tracking, want)
	}
	entries, err := db.DueEntries(ctx, clk.Now().Add(time.Hour), 100)
	must(t, err)
	if len(entries) != 2 || entries[0].ChatID != 2 || entries[1].ChatID != 2 {
		t.Errorf("outbox = %+v, want chat 2's two entries", entries)
	}
	checkIndexes(t, db)
	checkChatKeyIndex(t, db, map[string]int64{ref2: 2, shared: 4})
}

// assertForgotten checks that nothing fillChat made for chatID is left.
func assertForgotten(tb testing.TB, db *DB, chatID int64, ref string) {
	tb.Helper()
	ctx := tb.Context()
	_, err := db.Chat(ctx, chatID)
	wantErr(tb, err, ErrNotFound)
	s, err := db.Session(ctx, chatID)
	must(tb, err)
	assertSession(tb, s, Session{ChatID: chatID})
	if n, err := db.CountOrders(ctx, chatID); err != nil || n != 0 {
		tb.Errorf("chat %d: %d orders left (%v)", chatID, n, err)
	}
	_, err = db.Order(ctx, ref, 1000*chatID+1)
	wantErr(tb, err, ErrNotFound)
	if r, err := db.Refills(ctx, ref, 1000*chatID+2); err != nil || len(r) != 0 {
		tb.Errorf("chat %d: refills left: %v (%v)", chatID, r, err)
	}
}

// assertChatIntact checks that everything fillChat made for chatID is there.
func assertChatIntact(tb testing.TB, db *DB, chatID int64, ref, apiKey string) {
	tb.Helper()
	ctx := tb.Context()
	c, err := db.Chat(ctx, chatID)
	must(tb, err)
	if c.KeyRef != ref {
		tb.Errorf("chat %d = %+v", chatID, c)
	}
	if s, err := db.Session(ctx, chatID); err != nil || s.Version != 4 || s.State != StateConfirm {
		tb.Errorf("chat %d session = %+v, %v", chatID, s, err)
	}
	if n, err := db.CountOrders(ctx, chatID); err != nil || n != 2 {
		tb.Errorf("chat %d has %d orders (%v), want 2", chatID, n, err)
	}
	if r, err := db.Refills(ctx, ref, 1000*chatID+2); err != nil || len(r) != 1 {
		tb.Errorf("chat %d refills = %v, %v", chatID, r, err)
	}
	if got, err := db.Key(ctx, ref); err != nil || got != apiKey {
		tb.Errorf("chat %d key = %q, %v", chatID, got, err)
	}
}

func TestForgetDropsFavourites(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	if _, err := db.ToggleFavourite(ctx, 9, 42); err != nil {
		t.Fatal(err)
	}
	must(t, db.Forget(ctx, 9))
	ids, err := db.Favourites(ctx, 9)
	must(t, err)
	if len(ids) != 0 {
		t.Errorf("favourites after Forget = %v, want none", ids)
	}
}
