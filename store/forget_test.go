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

	for _, chat := range []int64{1, 3} {
		_, err = db.Chat(ctx, chat)
		wantErr(t, err, ErrNotFound)
		s, err := db.Session(ctx, chat)
		must(t, err)
		assertSession(t, s, Session{ChatID: chat})
		if n, err := db.CountOrders(ctx, chat); err != nil || n != 0 {
			t.Errorf("chat %d: %d orders left (%v)", chat, n, err)
		}
	}
	_, err = db.Order(ctx, ref1, 1001)
	wantErr(t, err, ErrNotFound)
	if r, err := db.Refills(ctx, ref1, 1002); err != nil || len(r) != 0 {
		t.Errorf("refills of chat 1 left: %v (%v)", r, err)
	}
	_, err = db.Key(ctx, ref1)
	wantErr(t, err, ErrNotFound)
	if got, err := db.Key(ctx, shared); err != nil || got != "shared-key" {
		t.Errorf("key shared with chat 4 = %q, %v; want it kept", got, err)
	}

	// Chat 2 is untouched.
	c, err := db.Chat(ctx, 2)
	must(t, err)
	if c.KeyRef != ref2 {
		t.Errorf("chat 2 = %+v", c)
	}
	if s, err := db.Session(ctx, 2); err != nil || s.Version != 4 || s.State != StateConfirm {
		t.Errorf("chat 2 session = %+v, %v", s, err)
	}
	if n, err := db.CountOrders(ctx, 2); err != nil || n != 2 {
		t.Errorf("chat 2 has %d orders (%v), want 2", n, err)
	}
	if r, err := db.Refills(ctx, ref2, 2002); err != nil || len(r) != 1 {
		t.Errorf("chat 2 refills = %v, %v", r, err)
	}
	if got, err := db.Key(ctx, ref2); err != nil || got != "key-of-two" {
		t.Errorf("chat 2 key = %q, %v", got, err)
	}
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
