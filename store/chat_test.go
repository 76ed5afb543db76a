package store

import (
	"testing"
	"time"
)

func TestChatRoundTrip(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	_, err := db.Chat(ctx, 42)
	wantErr(t, err, ErrNotFound)

	want := Chat{
		ID: -100123, Lang: "ru", KeyRef: "0123456789abcdef", Blocked: true, FinishedOnly: true,
		FirstSeen: clk.Now().Add(-time.Hour), LastSeen: clk.Now(),
	}
	must(t, db.SaveChat(ctx, want))
	got, err := db.Chat(ctx, want.ID)
	must(t, err)
	assertChat(t, got, want)

	want.KeyRef, want.Blocked = "", false
	must(t, db.SaveChat(ctx, want))
	got, err = db.Chat(ctx, want.ID)
	must(t, err)
	assertChat(t, got, want)
	checkChatKeyIndex(t, db, map[string]int64{})

	err = db.SaveChat(ctx, Chat{ID: 1, KeyRef: string(make([]byte, 300))})
	wantErr(t, err, ErrInvalid)
}

func TestTouchChat(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	first := clk.Now()
	c, err := db.TouchChat(ctx, 7, "de")
	must(t, err)
	assertChat(t, c, Chat{ID: 7, Lang: "de", FirstSeen: first, LastSeen: first})

	_, err = db.SetBlocked(ctx, 7)
	must(t, err)
	clk.Add(time.Minute)
	c, err = db.TouchChat(ctx, 7, "en")
	must(t, err)
	want := Chat{ID: 7, Lang: "de", FirstSeen: first, LastSeen: clk.Now()}
	assertChat(t, c, want)
	stored, err := db.Chat(ctx, 7)
	must(t, err)
	assertChat(t, stored, want)
}

func TestSetBlocked(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	for _, chat := range []int64{1, 2, 1, 3, 1} {
		_, err := db.Enqueue(ctx, chat, []byte("hello"))
		must(t, err)
	}
	_, err := db.TouchChat(ctx, 1, "en")
	must(t, err)

	dropped, err := db.SetBlocked(ctx, 1)
	must(t, err)
	if dropped != 3 {
		t.Errorf("dropped = %d, want 3", dropped)
	}
	c, err := db.Chat(ctx, 1)
	must(t, err)
	if !c.Blocked || c.Lang != "en" {
		t.Errorf("chat after SetBlocked = %+v, want blocked with its language kept", c)
	}
	entries, err := db.DueEntries(ctx, time.Now().Add(time.Hour), 10)
	must(t, err)
	for _, e := range entries {
		if e.ChatID == 1 {
			t.Errorf("entry %d of the blocked chat survived", e.ID)
		}
	}
	if len(entries) != 2 {
		t.Errorf("%d entries left, want 2", len(entries))
	}

	dropped, err = db.SetBlocked(ctx, 99)
	must(t, err)
	c, err = db.Chat(ctx, 99)
	must(t, err)
	if dropped != 0 || !c.Blocked {
		t.Errorf("unknown chat: dropped %d, chat %+v; want 0 and a blocked chat", dropped, c)
	}
	c, err = db.TouchChat(ctx, 99, "fr")
	must(t, err)
	if c.Blocked || c.Lang != "fr" {
		t.Errorf("returning chat = %+v, want unblocked with the language it brought", c)
	}
}

func assertChat(tb testing.TB, got, want Chat) {
	tb.Helper()
	if got.ID != want.ID || got.Lang != want.Lang || got.KeyRef != want.KeyRef ||
		got.Blocked != want.Blocked || got.FinishedOnly != want.FinishedOnly ||
		!got.FirstSeen.Equal(want.FirstSeen) || !got.LastSeen.Equal(want.LastSeen) {
		tb.Errorf("chat = %+v\nwant   %+v", got, want)
	}
}
