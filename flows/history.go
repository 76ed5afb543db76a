package flows

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/smmbot/smmbot/store"
)

// OrderBook is what the order history reads of the store.
type OrderBook interface {
	FilterOrders(ctx context.Context, chatID int64, f store.Filter, cur store.Cursor, limit int) (store.Page, error)
	SearchOrders(ctx context.Context, chatID int64, text string, cur store.Cursor, limit int) (store.Page, error)
	OrderCounts(ctx context.Context, chatID int64) (store.Counts, error)
}

// HistoryPage is how many orders a page of the history lists.
const HistoryPage = 8

// maxSearchRunes bounds the text a search looks for.
const maxSearchRunes = 64

// The verbs of the history's buttons (callback data outside the
// conversation).
const (
	VerbFilter  = "hf" // hf:F: the newest page of filter F
	VerbPage    = "hp" // hp:F:CURSOR: a page of filter F, or of the search shown (F = "q")
	VerbList    = "hl" // the list last shown, on the page it was on
	VerbAskBulk = "hb" // hb:KIND:F: ask before acting on every order of filter F that allows it
	VerbBulk    = "hB" // hB:KIND:F: act, confirmed
)

// searchCode stands for "the search shown" where a filter code goes.
const searchCode = "q"

// filterCodes are the filters' one-letter codes in callback data.
var filterCodes = map[store.Filter]string{
	store.FilterAll: "A", store.FilterActive: "a", store.FilterCompleted: "c",
	store.FilterPartial: "p", store.FilterCanceled: "x",
}

// FilterCode is f's code in callback data.
func FilterCode(f store.Filter) string { return filterCodes[f] }

// ParseFilterCode reads a filter code; ok is false for anything else.
func ParseFilterCode(code string) (store.Filter, bool) {
	for f, c := range filterCodes {
		if c == code {
			return f, true
		}
	}
	return 0, false
}

// ListView is a history list as a chat sees it: a filter, or a search,
// and the page on screen (a store cursor, "" for the newest page).
type ListView struct {
	Filter string `json:"f,omitempty"` // a filter code; "" = all
	Search string `json:"q,omitempty"` // set: the orders whose id or link contains it
	At     string `json:"at,omitempty"`
	// Ask is the bulk action asked about and not yet confirmed ("KIND:F"):
	// only that question's Confirm acts, and only once.
	Ask string `json:"ask,omitempty"`
}

// Searches reports whether text typed now searches the history: the
// history list was shown last and no order is under way.
func Searches(s Session) bool { return s.Draft.List != nil && s.Idle() }

// SearchView is the view of a search for text (typed, or after /orders).
func SearchView(text string) ListView {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > maxSearchRunes {
		text = string([]rune(text)[:maxSearchRunes])
	}
	return ListView{Search: text}
}

// PageView reads the arguments of a page button, "F:CURSOR", against the
// list last shown (nil: none), whose search a page of results keeps.
func PageView(arg string, shown *ListView) (ListView, bool) {
	code, at, _ := strings.Cut(arg, ":")
	if _, err := store.ParseCursor(at); err != nil {
		return ListView{}, false
	}
	if code == searchCode {
		if shown == nil || shown.Search == "" {
			return ListView{}, true // the search is gone: the newest page of all
		}
		return ListView{Search: shown.Search, At: at}, true
	}
	if _, ok := ParseFilterCode(code); !ok {
		return ListView{}, false
	}
	return ListView{Filter: code, At: at}, true
}

// History decides the screens of the order history: lists by filter or
// search, paged by cursor, and the bulk actions on a filter's orders.
type History struct {
	Book   OrderBook
	Bulk   BulkBook  // bulk actions only
	Panel  BulkPanel // bulk actions only
	Offers Offers    // what the panel offers at all
}

// List shows the page of the list v names, with each order's button, the
// filters with their counts, the pages and the bulk actions that apply.
// It returns the view as shown: At is then the page's own cursor, so the
// way back from a card returns to this page. A malformed view shows the
// newest page of all orders.
func (h *History) List(ctx context.Context, chatID int64, v ListView) (ListView, Screen, error) {
	f, ok := ParseFilterCode(v.Filter)
	cur, err := store.ParseCursor(v.At)
	if !ok && v.Filter != "" || err != nil {
		v, f, cur = ListView{}, store.FilterAll, store.Cursor{}
	}
	counts, err := h.Book.OrderCounts(ctx, chatID)
	if err != nil {
		return v, Screen{}, fmt.Errorf("show history: %w", err)
	}
	if counts.All == 0 {
		return ListView{}, Screen{Lines: []Msg{M("orders.none")}, Buttons: [][]Button{{btn("btn.new_order", "new")}}}, nil
	}
	var p store.Page
	if v.Search != "" {
		p, err = h.Book.SearchOrders(ctx, chatID, v.Search, cur, HistoryPage)
	} else {
		p, err = h.Book.FilterOrders(ctx, chatID, f, cur, HistoryPage)
	}
	if err != nil {
		return v, Screen{}, fmt.Errorf("show history: %w", err)
	}
	v.At = p.This.String()
	if v.Filter == "" && v.Search == "" {
		v.Filter = FilterCode(store.FilterAll)
	}
	return v, listScreen(v, f, counts, p, h.Offers), nil
}

// listScreen draws a page of the history.
func listScreen(v ListView, f store.Filter, counts store.Counts, p store.Page, offers Offers) Screen {
	code := v.Filter
	var lines []Msg
	switch {
	case v.Search != "" && len(p.Orders) == 0:
		lines = append(lines, M("orders.no_match", "Query", v.Search))
	case v.Search != "":
		code = searchCode
		lines = append(lines, M("orders.results", "Query", v.Search, "Page", p.Number, "Pages", p.Pages).WithCount(p.Total))
	case len(p.Orders) == 0:
		lines = append(lines, M("orders.none_filter", "Filter", M("filter."+f.String())))
	default:
		lines = append(lines, M("history.title", "Filter", M("filter."+f.String()), "Page", p.Number, "Pages", p.Pages).WithCount(p.Total))
	}
	var rows [][]Button
	for _, o := range p.Orders {
		lines = append(lines, M("orders.line", "ID", o.PanelID, "Name", o.Service.Name, "Status", StatusOf(o)))
		rows = append(rows, []Button{dataBtn("btn.order", ButtonData(VerbCard, o), "ID", o.PanelID, "Status", StatusOf(o))})
	}
	var nav []Button
	if !p.Prev.IsZero() {
		nav = append(nav, dataBtn("btn.prev", VerbPage+":"+code+":"+p.Prev.String()))
	}
	if !p.Next.IsZero() {
		nav = append(nav, dataBtn("btn.next", VerbPage+":"+code+":"+p.Next.String()))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	if v.Search == "" {
		if b, ok := bulkButton(f, counts, offers); ok {
			rows = append(rows, []Button{b})
		}
	}
	return Screen{Lines: append(lines, M("orders.search_hint")), Buttons: append(rows, filterRows(v, f, counts)...)}
}

// filterRows are the filter buttons with their counts; the one shown is
// marked (none while a search is shown).
func filterRows(v ListView, shown store.Filter, counts store.Counts) [][]Button {
	var rows [][]Button
	var r []Button
	for _, f := range []store.Filter{store.FilterActive, store.FilterCompleted, store.FilterPartial, store.FilterCanceled, store.FilterAll} {
		mark := ""
		if v.Search == "" && f == shown {
			mark = "• "
		}
		r = append(r, dataBtn("btn.filter_"+f.String(), VerbFilter+":"+FilterCode(f), "Mark", mark, "Count", counts.Of(f)))
		if len(r) == 3 {
			rows, r = append(rows, r), nil
		}
	}
	return append(rows, r)
}
