package flows_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// The store fits what history and the bulk actions need of it.
var (
	_ flows.OrderBook = (*store.DB)(nil)
	_ flows.BulkBook  = (*store.DB)(nil)
	_ flows.BulkPanel = (*smm.Client)(nil)
)

const histKey = "history-key"

// book is a real store on a temporary file with a chat's orders.
type book struct {
	tb  testing.TB
	db  *store.DB
	ref string
	n   int64 // orders put so far
}

func newBook(tb testing.TB) *book {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "h.db"), store.Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	ref, err := db.PutKey(context.Background(), histKey)
	if err != nil {
		tb.Fatalf("put key: %v", err)
	}
	return &book{tb: tb, db: db, ref: ref}
}

// put records n orders with status (refill and cancel allowed) and
// returns their ids, oldest first.
func (b *book) put(n int, status string, link func(i int) string) []int64 {
	b.tb.Helper()
	var ids []int64
	for i := range n {
		b.n++
		id := 1000 + b.n
		o := store.Order{ChatID: testChat, KeyRef: b.ref, PanelID: id, Link: link(i), Quantity: 100,
			Service: store.ServiceSnapshot{ID: 1, Name: "Followers", Type: "Default", Refill: true, Cancel: true},
			Status:  status, Remains: 10, StartCount: 5, Final: smm.IsFinished(status),
			Created: testNow.Add(time.Duration(b.n) * time.Minute)}
		if err := b.db.PutOrder(context.Background(), o); err != nil {
			b.tb.Fatalf("put order: %v", err)
		}
		ids = append(ids, id)
	}
	return ids
}

func plainLink(i int) string { return "https://t.me/chan" + strconv.Itoa(i) }

// text renders a history screen in English, message arguments included.
func text(tb testing.TB, sc flows.Screen) string {
	tb.Helper()
	c, err := words()
	if err != nil {
		tb.Fatal(err)
	}
	one := func(m flows.Msg) string {
		args := map[string]any{}
		for k, v := range m.Args {
			if in, ok := v.(flows.Msg); ok {
				v = c.Text("en", in.ID, in.Args, in.Count)
			}
			args[k] = v
		}
		return c.Text("en", m.ID, args, m.Count)
	}
	var parts []string
	for _, m := range sc.Lines {
		parts = append(parts, one(m))
	}
	for _, row := range sc.Buttons {
		for _, b := range row {
			parts = append(parts, "["+one(b.Label)+"|"+b.Data+"]")
		}
	}
	return strings.Join(parts, "\n")
}

// dataOf is the data of the first button whose label renders with label.
func dataOf(tb testing.TB, sc flows.Screen, label string) string {
	tb.Helper()
	for _, row := range sc.Buttons {
		for _, b := range row {
			if strings.Contains(text(tb, flows.Screen{Lines: []flows.Msg{b.Label}}), label) {
				return b.Data
			}
		}
	}
	return ""
}

// listed are the order ids a list screen has buttons for.
func listed(sc flows.Screen) []int64 {
	var ids []int64
	for _, row := range sc.Buttons {
		for _, b := range row {
			if rest, ok := strings.CutPrefix(b.Data, flows.VerbCard+":"); ok {
				id, _, _ := strings.Cut(rest, ":")
				n, _ := strconv.ParseInt(id, 10, 64)
				ids = append(ids, n)
			}
		}
	}
	return ids
}

func checkHistory(tb testing.TB, sc flows.Screen) {
	tb.Helper()
	for _, row := range sc.Buttons {
		for _, b := range row {
			if len(b.Data) > 64 || b.Data == "" && b.Action == "" {
				tb.Errorf("button %q: data %q, want 1..64 bytes", text(tb, flows.Screen{Lines: []flows.Msg{b.Label}}), b.Data)
			}
		}
	}
	if s := text(tb, sc); strings.Contains(s, "<no value>") || strings.Contains(s, "{") {
		tb.Errorf("screen renders badly:\n%s", s)
	}
}

func TestHistoryFilters(t *testing.T) {
	b := newBook(t)
	active := b.put(10, "In progress", plainLink)
	completed := b.put(5, "Completed", plainLink)
	partial := b.put(3, "Partial", plainLink)
	canceled := b.put(2, "Cancelled", plainLink)
	h := &flows.History{Book: b.db}
	tests := []struct {
		code   string
		label  string // the filter's button, as the list shows it
		want   []int64
		bulk   string
		status string
	}{
		{"a", "Active (10)", active, "Cancel all", "In progress"},
		{"c", "Completed (5)", completed, "Refill all", "Completed"},
		{"p", "Partial (3)", partial, "Refill all", "Partial"},
		{"x", "Canceled (2)", canceled, "", "Cancelled"},
		{"A", "All (20)", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			v, sc, err := h.List(t.Context(), testChat, flows.ListView{Filter: tt.code})
			if err != nil {
				t.Fatal(err)
			}
			checkHistory(t, sc)
			got := text(t, sc)
			for _, f := range []string{"Active (10)", "Completed (5)", "Partial (3)", "Canceled (2)", "All (20)"} {
				if !strings.Contains(got, f) {
					t.Errorf("filter buttons lack %q:\n%s", f, got)
				}
			}
			if !strings.Contains(got, "• "+tt.label) {
				t.Errorf("the filter shown is not marked %q:\n%s", tt.label, got)
			}
			ids := listed(sc)
			if len(ids) != min(flows.HistoryPage, max(len(tt.want), 20*boolInt(tt.want == nil))) {
				t.Errorf("listed %d orders: %v", len(ids), ids)
			}
			for _, id := range ids {
				if tt.want != nil && !slices.Contains(tt.want, id) {
					t.Errorf("order %d is listed under %s", id, tt.label)
				}
			}
			if tt.status != "" && !strings.Contains(got, tt.status) {
				t.Errorf("lines lack the status %q:\n%s", tt.status, got)
			}
			if has := strings.Contains(got, "Refill all") || strings.Contains(got, "Cancel all"); has != (tt.bulk != "") ||
				tt.bulk != "" && !strings.Contains(got, tt.bulk) {
				t.Errorf("bulk action: want %q:\n%s", tt.bulk, got)
			}
			if v.Filter != tt.code {
				t.Errorf("view shown = %+v, want filter %q", v, tt.code)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestHistoryEmpty(t *testing.T) {
	b := newBook(t)
	h := &flows.History{Book: b.db}
	v, sc, err := h.List(t.Context(), testChat, flows.ListView{Filter: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if firstLine(sc) != "orders.none" || v != (flows.ListView{}) {
		t.Errorf("no orders: got %q, view %+v", firstLine(sc), v)
	}
	b.put(1, "Completed", plainLink)
	_, sc, err = h.List(t.Context(), testChat, flows.ListView{Filter: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if firstLine(sc) != "orders.none_filter" {
		t.Errorf("an empty filter: got %q", firstLine(sc))
	}
}

func TestHistorySearch(t *testing.T) {
	b := newBook(t)
	b.put(3, "Pending", func(i int) string { return "https://instagram.com/p/Shoe" + strconv.Itoa(i) })
	ids := b.put(12, "Completed", plainLink)
	h := &flows.History{Book: b.db}
	tests := []struct {
		name, query string
		want        int
		first       string
	}{
		{"link, any case", "  shoe ", 3, "orders.results"},
		{"an order id", strconv.FormatInt(ids[4], 10), 1, "orders.results"},
		{"part of ids", "10", 15, "orders.results"},
		{"no match", "tiktok", 0, "orders.no_match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, sc, err := h.List(t.Context(), testChat, flows.SearchView(tt.query))
			if err != nil {
				t.Fatal(err)
			}
			checkHistory(t, sc)
			if firstLine(sc) != tt.first {
				t.Fatalf("first line %q, want %q", firstLine(sc), tt.first)
			}
			if got := len(listed(sc)); got != min(tt.want, flows.HistoryPage) {
				t.Errorf("listed %d, want %d:\n%s", got, min(tt.want, flows.HistoryPage), text(t, sc))
			}
			if v.Search != strings.TrimSpace(tt.query) {
				t.Errorf("view %+v keeps no search %q", v, tt.query)
			}
			if tt.want > flows.HistoryPage {
				next := dataOf(t, sc, "Next")
				if !strings.HasPrefix(next, "hp:q:") {
					t.Fatalf("a search's Next = %q, want hp:q:...", next)
				}
				pv, ok := flows.PageView(strings.TrimPrefix(next, "hp:"), &v)
				if !ok || pv.Search != v.Search {
					t.Fatalf("page view of a search = %+v, %v", pv, ok)
				}
				_, sc2, err := h.List(t.Context(), testChat, pv)
				if err != nil {
					t.Fatal(err)
				}
				if n := len(listed(sc2)) + flows.HistoryPage; n != tt.want {
					t.Errorf("the two pages hold %d, want %d", n, tt.want)
				}
			}
		})
	}
	long := flows.SearchView(strings.Repeat("я", 500))
	if n := len([]rune(long.Search)); n > 64 {
		t.Errorf("a long search keeps %d runes", n)
	}
}

// TestHistoryPaging walks every page forward and back by the buttons'
// cursors, and reopens a page from the view it returned.
func TestHistoryPaging(t *testing.T) {
	b := newBook(t)
	all := b.put(21, "In progress", plainLink)
	h := &flows.History{Book: b.db}
	v, sc, err := h.List(t.Context(), testChat, flows.ListView{Filter: "a"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	var views []flows.ListView
	for page := 1; ; page++ {
		checkHistory(t, sc)
		if want := fmt.Sprintf("page %d of 3", page); !strings.Contains(text(t, sc), want) {
			t.Fatalf("page %d lacks %q:\n%s", page, want, text(t, sc))
		}
		for _, id := range listed(sc) {
			if seen[id] {
				t.Errorf("order %d listed twice", id)
			}
			seen[id] = true
		}
		views = append(views, v)
		next := dataOf(t, sc, "Next")
		if next == "" {
			break
		}
		pv, ok := flows.PageView(strings.TrimPrefix(next, flows.VerbPage+":"), &v)
		if !ok {
			t.Fatalf("page button %q does not parse", next)
		}
		if v, sc, err = h.List(t.Context(), testChat, pv); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != len(all) || len(views) != 3 {
		t.Fatalf("walked %d pages, saw %d of %d orders", len(views), len(seen), len(all))
	}
	// Back one page by Prev.
	prev := dataOf(t, sc, "Prev")
	pv, ok := flows.PageView(strings.TrimPrefix(prev, flows.VerbPage+":"), &v)
	if !ok {
		t.Fatalf("Prev %q does not parse", prev)
	}
	if _, sc, err = h.List(t.Context(), testChat, pv); err != nil || !strings.Contains(text(t, sc), "page 2 of 3") {
		t.Fatalf("Prev from page 3: %v\n%s", err, text(t, sc))
	}
	// A view shown reopens the same page, even after a newer order came.
	b.put(1, "Pending", plainLink)
	_, again, err := h.List(t.Context(), testChat, views[1])
	if err != nil {
		t.Fatal(err)
	}
	_, first, _ := h.List(t.Context(), testChat, views[0])
	if len(listed(first)) == 0 || !slices.Equal(listed(again)[:1], listedOf(t, h, views[1])[:1]) {
		t.Errorf("reopening page 2 moved it")
	}
	for _, bad := range []string{"z:", "a:garbage", "q:1.2.3"} {
		if _, ok := flows.PageView(bad, nil); ok {
			t.Errorf("PageView(%q) accepted", bad)
		}
	}
}

func listedOf(tb testing.TB, h *flows.History, v flows.ListView) []int64 {
	tb.Helper()
	_, sc, err := h.List(context.Background(), testChat, v)
	if err != nil {
		tb.Fatal(err)
	}
	return listed(sc)
}

// bulkPanel is a panel of bulk refills and cancels that refuses some
// orders and records every request's ids.
type bulkPanel struct {
	mu       sync.Mutex
	refuse   map[int64]error
	calls    [][]int64
	nextFill int64
}

func (p *bulkPanel) answer(ids []int64) map[int64]error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, slices.Clone(ids))
	out := map[int64]error{}
	for _, id := range ids {
		out[id] = p.refuse[id]
	}
	return out
}

func (p *bulkPanel) Refills(_ context.Context, _ string, ids []int64) (map[int64]smm.RefillResult, error) {
	out := map[int64]smm.RefillResult{}
	for id, err := range p.answer(ids) {
		p.mu.Lock()
		p.nextFill++
		out[id] = smm.RefillResult{Refill: 500 + p.nextFill, Err: err}
		p.mu.Unlock()
	}
	return out, nil
}

func (p *bulkPanel) Cancel(_ context.Context, _ string, ids []int64) (map[int64]error, error) {
	return p.answer(ids), nil
}

func TestBulkActions(t *testing.T) {
	refusal := &smm.APIError{Message: "Incorrect order ID"}
	tests := []struct {
		name, kind, filter string
		status             string
		n                  int
		calls              int
	}{
		{"refill all of 230 completed", flows.BulkRefill, "c", "Completed", 230, 3},
		{"cancel all of 130 active", flows.BulkCancel, "a", "In progress", 130, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBook(t)
			ids := b.put(tt.n, tt.status, plainLink)
			b.put(4, "Partial", plainLink) // in no batch of either
			p := &bulkPanel{refuse: map[int64]error{ids[7]: refusal, ids[100]: errors.Join(smm.ErrNotAllowed)}}
			h := &flows.History{Book: b.db, Bulk: b.db, Panel: p}
			f, _ := flows.ParseFilterCode(tt.filter)
			ask, err := h.AskBulk(t.Context(), testChat, tt.kind, f)
			if err != nil {
				t.Fatal(err)
			}
			checkHistory(t, ask)
			yes := dataOf(t, ask, "Confirm ("+strconv.Itoa(tt.n)+")")
			if yes == "" || len(p.calls) != 0 {
				t.Fatalf("ask: want Confirm (%d) and no panel call:\n%s", tt.n, text(t, ask))
			}
			kind, f2, ok := flows.ParseBulk(strings.TrimPrefix(yes, flows.VerbBulk+":"))
			if !ok || kind != tt.kind || f2 != f {
				t.Fatalf("confirm data %q parses to %q %v %v", yes, kind, f2, ok)
			}
			done, err := h.RunBulk(t.Context(), testChat, kind, f2)
			if err != nil {
				t.Fatal(err)
			}
			checkHistory(t, done)
			if len(p.calls) != tt.calls {
				t.Errorf("%d panel requests, want %d", len(p.calls), tt.calls)
			}
			sent := 0
			for _, c := range p.calls {
				if len(c) > flows.BulkBatch {
					t.Errorf("a request carries %d ids", len(c))
				}
				sent += len(c)
			}
			got := text(t, done)
			want := fmt.Sprintf("accepted <b>%d</b> of %d", tt.n-2, tt.n)
			for _, part := range []string{want, strconv.FormatInt(ids[7], 10), "does not know", strconv.FormatInt(ids[100], 10), "does not allow"} {
				if !strings.Contains(got, part) {
					t.Errorf("result lacks %q:\n%s", part, got)
				}
			}
			if sent != tt.n {
				t.Errorf("sent %d ids, want %d", sent, tt.n)
			}
			if tt.kind == flows.BulkRefill {
				r, err := b.db.Refills(t.Context(), b.ref, ids[0])
				if err != nil || len(r) != 1 {
					t.Errorf("refill of %d recorded: %v, %v", ids[0], r, err)
				}
				if r, _ := b.db.Refills(t.Context(), b.ref, ids[7]); len(r) != 0 {
					t.Errorf("a refused refill was recorded: %v", r)
				}
			}
		})
	}
}

func TestBulkNone(t *testing.T) {
	b := newBook(t)
	b.put(3, "Canceled", plainLink)
	h := &flows.History{Book: b.db, Bulk: b.db, Panel: &bulkPanel{}}
	for _, kind := range []string{flows.BulkRefill, flows.BulkCancel} {
		sc, err := h.AskBulk(t.Context(), testChat, kind, store.FilterCanceled)
		if err != nil || firstLine(sc) != "bulk.none_"+kind {
			t.Errorf("%s of nothing: %q, %v", kind, firstLine(sc), err)
		}
	}
	for _, bad := range []string{"", "r", "r:z", "q:a", "r:a:x"} {
		if _, _, ok := flows.ParseBulk(bad); ok {
			t.Errorf("ParseBulk(%q) accepted", bad)
		}
	}
}

// TestBulkManyReasons: refusals with many different reasons are listed up
// to a bound, the rest counted, so the result fits a message.
func TestBulkManyReasons(t *testing.T) {
	b := newBook(t)
	ids := b.put(40, "Completed", plainLink)
	p := &bulkPanel{refuse: map[int64]error{}}
	for i, id := range ids[:30] {
		p.refuse[id] = &smm.APIError{Message: "odd refusal number " + strconv.Itoa(i)}
	}
	h := &flows.History{Book: b.db, Bulk: b.db, Panel: p}
	sc, err := h.RunBulk(t.Context(), testChat, flows.BulkRefill, store.FilterCompleted)
	if err != nil {
		t.Fatal(err)
	}
	got := text(t, sc)
	if !strings.Contains(got, "accepted <b>10</b> of 40") || !strings.Contains(got, "22 more") || len(got) > 4096 {
		t.Errorf("result:\n%s", got)
	}
	if !strings.Contains(got, "odd refusal number 0") {
		t.Errorf("the lowest id's reason is not first:\n%s", got)
	}
}
