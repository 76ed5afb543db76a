package store

import (
	"path/filepath"
	"testing"
)

func TestInboxKeepsUpdatesUntilDeleted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbox.db")
	db := openAt(t, path, Options{})
	ctx := t.Context()
	items, err := db.Inbox(ctx)
	must(t, err)
	if len(items) != 0 {
		t.Fatalf("new store: got %d inbox items, want 0", len(items))
	}
	must(t, db.WriteInbox(ctx, []InboxItem{{UpdateID: 7, Raw: []byte(`{"update_id":7}`)}, {UpdateID: 3, Raw: []byte(`{"update_id":3}`)}}, nil))
	must(t, db.WriteInbox(ctx, []InboxItem{{UpdateID: 9, Raw: []byte(`{"update_id":9}`)}}, []int64{7, 100}))
	must(t, db.Close())

	db = openAt(t, path, Options{})
	items, err = db.Inbox(ctx)
	must(t, err)
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.UpdateID)
	}
	if len(ids) != 2 || ids[0] != 3 || ids[1] != 9 || string(items[1].Raw) != `{"update_id":9}` {
		t.Fatalf("after reopen: got ids %v, want [3 9] in order with their raw JSON", ids)
	}
}

func TestInboxWriteOfNothingCommitsNothing(t *testing.T) {
	db, _ := testDB(t)
	stats := db.bolt.Stats()
	before := stats.TxStats.GetWrite()
	must(t, db.WriteInbox(t.Context(), nil, nil))
	stats = db.bolt.Stats()
	if after := stats.TxStats.GetWrite(); after != before {
		t.Fatalf("empty WriteInbox wrote %d pages, want none", after-before)
	}
}
