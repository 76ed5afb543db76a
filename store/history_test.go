package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var fixtureStatuses = []string{"", "In progress", "Completed", "Partial", "canceled", "Refunded", "Pending", "Cancelled", "Fail", "Weird"}

// historyOrders is n orders of chat 1 under two keys, every status of
// fixtureStatuses, one a second with ties, plus a few of chats 0 and 2.
func historyOrders(base time.Time, n int) []Order {
	var out []Order
	for i := range n {
		st := fixtureStatuses[i%len(fixtureStatuses)]
		o := Order{ChatID: 1, KeyRef: "aaaaaaaaaaaaaaaa", PanelID: int64(10000000 + i), Status: st,
			Created: base.Add(time.Duration(i/2) * time.Second),
			Link:    fmt.Sprintf("https://Insta.com/p/Post%d", i)}
		if i%3 == 0 {
			o.KeyRef = "bbbbbbbbbbbbbbbb"
		}
		o.Final = st != "" && st != "In progress" && st != "Pending"
		o.Gone = st == "Weird"
		out = append(out, o)
		if i%(n/5+1) == 0 {
			for _, other := range []int64{0, 2} {
				out = append(out, Order{ChatID: other, KeyRef: "aaaaaaaaaaaaaaaa", PanelID: int64(90000000+10*i) + other, Created: o.Created, Link: o.Link})
			}
		}
	}
	return out
}

// expected is the chat's orders that keep, newest first.
func expected(orders []Order, chatID int64, keep func(Order) bool) []string {
	var sel []Order
	for _, o := range orders {
		if o.ChatID == chatID && keep(o) {
			sel = append(sel, o)
		}
	}
	slices.SortFunc(sel, func(a, b Order) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		if a.PanelID != b.PanelID {
			return int(b.PanelID - a.PanelID)
		}
		return strings.Compare(b.KeyRef, a.KeyRef)
	})
	ids := make([]string, len(sel))
	for i, o := range sel {
		ids[i] = fmt.Sprintf("%s/%d", o.KeyRef, o.PanelID)
	}
	return ids
}

type lister func(cur Cursor) (Page, error)

// walkPages follows Next from the newest page, then Prev back, through
// cursors as strings, checking numbers, This and the order of every item.
func walkPages(tb testing.TB, list lister, want []string, limit int) {
	tb.Helper()
	pages := max(1, (len(want)+limit-1)/limit)
	var got []string
	var last Page
	for cur, n := (Cursor{}), 1; ; n++ {
		p := listVia(tb, list, cur)
		checkPage(tb, p, n, pages, len(want))
		again := listVia(tb, list, p.This)
		if again.Number != p.Number || len(again.Orders) != len(p.Orders) || (len(p.Orders) > 0 && again.Orders[0].PanelID != p.Orders[0].PanelID) {
			tb.Fatalf("page %d reopened as page %d", n, again.Number)
		}
		got = append(got, ids(p)...)
		last = p
		if p.Next.IsZero() {
			break
		}
		cur = p.Next
	}
	if !slices.Equal(got, want) {
		tb.Fatalf("forward walk gave %d orders, want %d (first diff at %d)", len(got), len(want), firstDiff(got, want))
	}
	var back []string
	for p := last; ; {
		back = append(ids(p), back...)
		if p.Prev.IsZero() {
			break
		}
		n := p.Number - 1
		p = listVia(tb, list, p.Prev)
		checkPage(tb, p, n, pages, len(want))
	}
	if !slices.Equal(back, want) {
		tb.Fatalf("backward walk gave %d orders, want %d (first diff at %d)", len(back), len(want), firstDiff(back, want))
	}
}

func listVia(tb testing.TB, list lister, cur Cursor) Page {
	tb.Helper()
	c, err := ParseCursor(cur.String())
	must(tb, err)
	p, err := list(c)
	must(tb, err)
	return p
}

func checkPage(tb testing.TB, p Page, number, pages, total int) {
	tb.Helper()
	if p.Number != number || p.Pages != pages || p.Total != total {
		tb.Fatalf("page %d of %d (%d orders) reads as page %d of %d (%d)", number, pages, total, p.Number, p.Pages, p.Total)
	}
	if p.Prev.IsZero() != (number == 1) || p.Next.IsZero() != (number == pages) {
		tb.Fatalf("page %d of %d: prev zero %v, next zero %v", number, pages, p.Prev.IsZero(), p.Next.IsZero())
	}
}

func ids(p Page) []string {
	out := make([]string, len(p.Orders))
	for i, o := range p.Orders {
		out[i] = fmt.Sprintf("%s/%d", o.KeyRef, o.PanelID)
	}
	return out
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestFilterOrders(t *testing.T) {
	db, clk := testDB(t)
	orders := historyOrders(clk.Now(), 300)
	bulkOrders(t, db, orders)
	checkIndexes(t, db)
	for _, f := range Filters {
		for _, limit := range []int{1, 7, 8, 300, 1000} {
			t.Run(fmt.Sprintf("%s/%d", f, limit), func(t *testing.T) {
				list := func(cur Cursor) (Page, error) { return db.FilterOrders(t.Context(), 1, f, cur, limit) }
				walkPages(t, list, expected(orders, 1, f.Matches), limit)
			})
		}
	}
	counts, err := db.OrderCounts(t.Context(), 1)
	must(t, err)
	// 300 orders, 30 of each status: "" In progress Pending are active,
	// canceled Refunded Cancelled Fail are canceled, Weird is gone.
	if want := (Counts{All: 300, Active: 90, Completed: 30, Partial: 30, Canceled: 120}); counts != want {
		t.Errorf("OrderCounts = %+v, want %+v", counts, want)
	}
}

func TestFilterOrdersFollowsStatusChanges(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	for i := range int64(5) {
		must(t, db.PutOrder(ctx, Order{ChatID: 1, KeyRef: "k", PanelID: i + 1, Created: clk.Now().Add(time.Duration(i) * time.Second)}))
	}
	n, err := db.UpdateOrders(ctx, "k", []int64{2, 4}, func(o *Order) (bool, []byte, error) {
		o.Status, o.Final = "Completed", true
		return true, nil, nil
	})
	must(t, err)
	if n != 2 {
		t.Fatalf("UpdateOrders wrote %d, want 2", n)
	}
	counts, err := db.OrderCounts(ctx, 1)
	must(t, err)
	if counts != (Counts{All: 5, Active: 3, Completed: 2}) {
		t.Errorf("counts = %+v", counts)
	}
	p, err := db.FilterOrders(ctx, 1, FilterCompleted, Cursor{}, 10)
	must(t, err)
	if got := ids(p); !slices.Equal(got, []string{"k/4", "k/2"}) {
		t.Errorf("completed = %v", got)
	}
	checkIndexes(t, db)
}

func TestSearchOrders(t *testing.T) {
	db, clk := testDB(t)
	orders := historyOrders(clk.Now(), 300)
	sub := Order{ChatID: 1, KeyRef: "cccccccccccccccc", PanelID: 77, Created: clk.Now(), Extra: map[string]string{"username": "NightOwl"}}
	orders = append(orders, sub)
	bulkOrders(t, db, orders)
	tests := []struct {
		text string
		keep func(Order) bool
	}{
		{"post1", func(o Order) bool { return strings.Contains(strings.ToLower(o.Link), "post1") }},
		{"INSTA.COM/P/POST29", func(o Order) bool { return strings.Contains(o.Link, "Post29") }},
		{"1000012", func(o Order) bool { return strings.Contains(fmt.Sprint(o.PanelID), "1000012") }},
		{"owl", func(o Order) bool { return o.PanelID == 77 }},
		{"nothing like it", func(Order) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			list := func(cur Cursor) (Page, error) { return db.SearchOrders(t.Context(), 1, tt.text, cur, 9) }
			walkPages(t, list, expected(orders, 1, tt.keep), 9)
		})
	}
	for _, text := range []string{"", "  "} {
		_, err := db.SearchOrders(t.Context(), 1, text, Cursor{}, 9)
		wantErr(t, err, ErrInvalid)
	}
}

func TestFilterOrdersInvalid(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	_, err := db.FilterOrders(ctx, 1, Filter(99), Cursor{}, 10)
	wantErr(t, err, ErrInvalid)
	_, err = db.FilterOrders(ctx, 1, FilterAll, Cursor{}, 0)
	wantErr(t, err, ErrInvalid)
	_, err = ParseFilter("sideways")
	wantErr(t, err, ErrInvalid)
	for _, f := range Filters {
		if back, err := ParseFilter(f.String()); err != nil || back != f {
			t.Errorf("ParseFilter(%q) = %v, %v", f, back, err)
		}
	}
	p, err := db.FilterOrders(ctx, 1, FilterActive, Cursor{}, 10)
	must(t, err)
	if p.Number != 1 || p.Pages != 1 || len(p.Orders) != 0 || !p.Next.IsZero() || !p.Prev.IsZero() {
		t.Errorf("empty history = %+v", p)
	}
}

// TestHistory100k pages through 100,000 orders of one chat by filter and
// checks the counts against a count by hand.
func TestHistory100k(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 orders")
	}
	db, clk := testDB(t)
	orders := historyOrders(clk.Now(), 100000)
	bulkOrders(t, db, orders)
	counts, err := db.OrderCounts(t.Context(), 1)
	must(t, err)
	for _, f := range Filters {
		want := expected(orders, 1, f.Matches)
		if counts.Of(f) != len(want) {
			t.Errorf("count of %s = %d, want %d", f, counts.Of(f), len(want))
		}
	}
	for _, f := range []Filter{FilterAll, FilterCompleted} {
		list := func(cur Cursor) (Page, error) { return db.FilterOrders(t.Context(), 1, f, cur, 200) }
		walkPages(t, list, expected(orders, 1, f.Matches), 200)
	}
}

// TestPageStaysWhenOrdersArrive reopens page 3 through its This cursor
// after new orders arrived: it shows the same orders, still as page 3.
func TestPageStaysWhenOrdersArrive(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	bulkOrders(t, db, historyOrders(clk.Now(), 100))
	var p Page
	var err error
	for range 3 {
		p, err = db.FilterOrders(ctx, 1, FilterAll, p.Next, 10)
		must(t, err)
	}
	for i := range int64(5) {
		must(t, db.PutOrder(ctx, Order{ChatID: 1, KeyRef: "k", PanelID: 99000000 + i, Created: clk.Now().Add(time.Hour)}))
	}
	again, err := db.FilterOrders(ctx, 1, FilterAll, p.This, 10)
	must(t, err)
	if again.Number != 3 || !slices.Equal(ids(again), ids(p)) {
		t.Errorf("page 3 reopened as page %d with %v, want %v", again.Number, ids(again), ids(p))
	}
	if again.Total != 105 || again.Pages != 11 {
		t.Errorf("total %d in %d pages, want 105 in 11", again.Total, again.Pages)
	}
}
