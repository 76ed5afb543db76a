package flows_test

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
)

// priceText is the Price argument of m as English writes it, without
// its currency.
func priceText(m flows.Msg) string {
	p, ok := m.Args["Price"].(locales.Money)
	if !ok {
		return fmt.Sprintf("%v (not money)", m.Args["Price"])
	}
	return moneyText(p.Amount)
}

// moneyText is an amount as English writes it, without a currency.
func moneyText(d decimal.Decimal) string {
	c, err := words()
	if err != nil {
		return err.Error()
	}
	return c.FormatMoney("en", locales.Money{Amount: d})
}

// listActions are the actions of the list buttons (categories or services)
// of a screen, without navigation, Back and Cancel.
func listActions(sc flows.Screen) []string {
	var as []string
	for _, a := range actions(sc) {
		if strings.HasPrefix(a, "c:") || strings.HasPrefix(a, "s:") {
			as = append(as, a)
		}
	}
	return as
}

func TestPaging(t *testing.T) {
	h := newHarness(t)
	type page struct {
		name      string
		in        func() flows.Screen
		wantState string
		wantList  []string
		wantNav   []string // navigation actions, in order
		wantPage  int      // the draft's page
	}
	pages := []page{
		{
			name: "categories page 1", in: h.start, wantState: flows.StateCategory,
			wantList: []string{"c:0", "c:1", "c:2", "c:3", "c:4", "c:5", "c:6", "c:7"},
			wantNav:  []string{"cp:1"},
		},
		{
			name: "categories last page", in: func() flows.Screen { return h.press("cp:1") }, wantState: flows.StateCategory,
			wantList: []string{"c:8", "c:9"}, wantNav: []string{"cp:0"}, wantPage: 1,
		},
		{
			name: "categories Prev", in: func() flows.Screen { return h.press("cp:0") }, wantState: flows.StateCategory,
			wantList: []string{"c:0", "c:1", "c:2", "c:3", "c:4", "c:5", "c:6", "c:7"}, wantNav: []string{"cp:1"},
		},
		{
			name: "the category of 20 services", in: func() flows.Screen { return h.press("c:3") }, wantState: flows.StateService,
			wantList: []string{"s:101", "s:102", "s:103", "s:104", "s:105", "s:106", "s:107", "s:108"},
			wantNav:  []string{"sp:1"},
		},
		{
			name: "services page 2", in: func() flows.Screen { return h.press("sp:1") }, wantState: flows.StateService,
			wantList: []string{"s:109", "s:110", "s:111", "s:112", "s:113", "s:114", "s:115", "s:116"},
			wantNav:  []string{"sp:0", "sp:2"}, wantPage: 1,
		},
		{
			name: "services last page", in: func() flows.Screen { return h.press("sp:2") }, wantState: flows.StateService,
			wantList: []string{"s:117", "s:118", "s:119", "s:120"}, wantNav: []string{"sp:1"}, wantPage: 2,
		},
		{
			name: "a page past the end shows the last", in: func() flows.Screen { return h.press("sp:9") }, wantState: flows.StateService,
			wantList: []string{"s:117", "s:118", "s:119", "s:120"}, wantNav: []string{"sp:1"}, wantPage: 2,
		},
		{
			name: "Back to the categories, at the category's page", in: func() flows.Screen { return h.press("b") },
			wantState: flows.StateCategory,
			wantList:  []string{"c:0", "c:1", "c:2", "c:3", "c:4", "c:5", "c:6", "c:7"}, wantNav: []string{"cp:1"},
		},
		{
			name: "a category of the last page", in: func() flows.Screen { h.press("cp:1"); return h.press("c:9") },
			wantState: flows.StateService, wantList: []string{"s:206"},
		},
		{
			name: "Back returns to the last page", in: func() flows.Screen { return h.press("b") }, wantState: flows.StateCategory,
			wantList: []string{"c:8", "c:9"}, wantNav: []string{"cp:0"}, wantPage: 1,
		},
	}
	for _, p := range pages {
		// Sequential steps of one conversation: each depends on the last.
		ok := t.Run(p.name, func(t *testing.T) {
			h.tb = t
			sc := p.in()
			h.wantState(p.wantState)
			if got := listActions(sc); !slices.Equal(got, p.wantList) {
				t.Errorf("list = %v, want %v", got, p.wantList)
			}
			var nav []string
			for _, a := range actions(sc) {
				if strings.HasPrefix(a, "cp:") || strings.HasPrefix(a, "sp:") {
					nav = append(nav, a)
				}
			}
			if !slices.Equal(nav, p.wantNav) {
				t.Errorf("navigation = %v, want %v", nav, p.wantNav)
			}
			if h.s.Draft.Page != p.wantPage {
				t.Errorf("draft page = %d, want %d", h.s.Draft.Page, p.wantPage)
			}
			text := render(t, sc)
			next := strconv.Itoa(p.wantPage + 1)
			if (hasAction(sc, "cp:"+next) || hasAction(sc, "sp:"+next)) && !strings.Contains(text, "Next") {
				t.Errorf("a page with a next page has no Next button:\n%s", text)
			}
			if !hasAction(sc, "x") {
				t.Errorf("actions = %v, want Cancel", actions(sc))
			}
			if p.wantState == flows.StateService && !hasAction(sc, "b") {
				t.Errorf("actions = %v, want Back", actions(sc))
			}
		})
		if !ok {
			t.FailNow()
		}
	}
}

func TestListLabels(t *testing.T) {
	h := newHarness(t)
	h.start()
	sc := h.press("cp:1")
	var label string
	for _, row := range sc.Buttons {
		for _, b := range row {
			if b.Action == "c:9" {
				label = b.Raw
			}
		}
	}
	name := []rune(longCategory)
	if !strings.HasPrefix(label, string(name[:20])) {
		t.Errorf("category button %q does not start with the first 20 characters of %q", label, longCategory)
	}
	if utf8.RuneCountInString(label) >= len(name)+4 {
		t.Errorf("category button %q is not shortened", label)
	}
	sc = h.press("c:9")
	for _, row := range sc.Buttons {
		for _, b := range row {
			if b.Action == "s:206" && !strings.HasPrefix(b.Raw, "#206 "+string([]rune(longCategory + " service")[:20])) {
				t.Errorf("service button %q does not start with the service's id and name", b.Raw)
			}
		}
	}
	if m := sc.Lines[0]; m.ID != "order.services" || m.Args["Category"] != longCategory {
		t.Errorf("title = %+v, want order.services of %q", m, longCategory)
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		name      string
		at        string // the state the text is typed in
		text      string
		wantState string
		wantList  []string // the listed services, when the result is a list
		wantNav   bool     // the list has a next page
		wantSvc   int64    // the chosen service, when the result is the link step
		wantFirst string   // the first line
	}{
		{name: "word", at: flows.StateCategory, text: "instagram", wantState: flows.StateService,
			wantList: []string{"s:1", "s:2", "s:3", "s:6"}, wantFirst: "order.results"},
		{name: "words in any case", at: flows.StateCategory, text: "FOLLOWERS real", wantState: flows.StateService,
			wantList: []string{"s:1"}, wantFirst: "order.results"},
		{name: "many results are paged", at: flows.StateCategory, text: "bulk service 1", wantState: flows.StateService,
			wantList: []string{"s:101", "s:110", "s:111", "s:112", "s:113", "s:114", "s:115", "s:116"}, wantNav: true,
			wantFirst: "order.results"},
		{name: "while a service list shows", at: flows.StateService, text: "views", wantState: flows.StateService,
			wantList: []string{"s:4"}, wantFirst: "order.results"},
		{name: "service id", at: flows.StateCategory, text: "1", wantState: flows.StateLink, wantSvc: 1, wantFirst: "order.chosen"},
		{name: "service #id", at: flows.StateCategory, text: "#4", wantState: flows.StateLink, wantSvc: 4, wantFirst: "order.chosen"},
		{name: "service #id with spaces", at: flows.StateCategory, text: "  #3 ", wantState: flows.StateLink, wantSvc: 3, wantFirst: "order.chosen"},
		{name: "service id from a service list", at: flows.StateService, text: "#2", wantState: flows.StateLink, wantSvc: 2, wantFirst: "order.chosen_package"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.start()
			if tt.at == flows.StateService {
				h.press("c:3")
			}
			sc := h.text(tt.text)
			h.wantState(tt.wantState)
			if firstLine(sc) != tt.wantFirst {
				t.Errorf("lines = %v, want %s first", lineIDs(sc), tt.wantFirst)
			}
			if tt.wantList != nil {
				if got := listActions(sc); !slices.Equal(got, tt.wantList) {
					t.Errorf("results = %v, want %v", got, tt.wantList)
				}
				if got := hasAction(sc, "sp:1"); got != tt.wantNav {
					t.Errorf("next page button = %v, want %v", got, tt.wantNav)
				}
				if h.s.Draft.Search == "" {
					t.Errorf("draft = %+v, want the search kept", h.s.Draft)
				}
			}
			if tt.wantSvc != 0 && (h.s.Draft.Service == nil || h.s.Draft.Service.ID != tt.wantSvc) {
				t.Errorf("draft service = %+v, want #%d", h.s.Draft.Service, tt.wantSvc)
			}
		})
	}
}

func TestSearchRefused(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		wantFirst string
		wantArg   any
	}{
		{"no results", "zzzz nothing", "order.no_results", "zzzz nothing"},
		{"unknown id", "999", "order.no_such_service", int64(999)},
		{"unknown #id", "#999", "order.no_such_service", int64(999)},
		{"unsupported id", "#5", "order.unsupported", "Story Votes"},
		{"blank", "   ", "err.blank", nil},
		{"control characters", "insta\x00gram", "err.control", nil},
		{"too long", strings.Repeat("a", 101), "err.too_long", nil},
	}
	for _, at := range []string{flows.StateCategory, flows.StateService} {
		for _, tt := range tests {
			t.Run(at+"/"+tt.name, func(t *testing.T) {
				h := newHarness(t)
				h.start()
				if at == flows.StateService {
					h.press("c:3")
					h.press("sp:1")
				}
				before := h.s
				sc := h.text(tt.text)
				if firstLine(sc) != tt.wantFirst {
					t.Errorf("lines = %v, want %s first", lineIDs(sc), tt.wantFirst)
				}
				if tt.wantArg != nil && !slices.Contains(valuesOf(sc.Lines[0].Args), tt.wantArg) {
					t.Errorf("problem args = %v, want %v among them", sc.Lines[0].Args, tt.wantArg)
				}
				if len(sc.Lines) < 2 || len(listActions(sc)) == 0 {
					t.Errorf("screen = %v, want the list shown again under the problem", lineIDs(sc))
				}
				before.MenuID = h.s.MenuID
				if !reflect.DeepEqual(h.s, before) {
					t.Errorf("session = %+v, want unchanged %+v", h.s, before)
				}
			})
		}
	}
}

func valuesOf(m map[string]any) []any {
	var vs []any
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

// reach drives a new conversation to one of its steps.
type reach struct {
	name     string
	to       func(h *harness) flows.Screen
	state    string
	back     string // the state Back leads to ("" when there is no Back)
	backLine string // the first line after Back
}

func everyStep() []reach {
	return []reach{
		{"category", (*harness).start, flows.StateCategory, "", ""},
		{"service", func(h *harness) flows.Screen { h.start(); return h.press("c:0") },
			flows.StateService, flows.StateCategory, "order.categories"},
		{"search results", func(h *harness) flows.Screen { h.start(); return h.text("instagram") },
			flows.StateService, flows.StateCategory, "order.categories"},
		{"link from a list", func(h *harness) flows.Screen { h.start(); h.press("c:0"); return h.press("s:1") },
			flows.StateLink, flows.StateService, "order.services"},
		{"link from search results", func(h *harness) flows.Screen { h.start(); h.text("instagram"); return h.press("s:1") },
			flows.StateLink, flows.StateService, "order.results"},
		{"link from an id", func(h *harness) flows.Screen { return h.toLink(svcDefault) },
			flows.StateLink, flows.StateCategory, "order.categories"},
		{"quantity", (*harness).toQuantity, flows.StateQuantity, flows.StateLink, "order.chosen"},
		{"comments", (*harness).toComments, flows.StateComments, flows.StateLink, "order.chosen"},
		{"runs", (*harness).toRuns, flows.StateRuns, flows.StateConfirm, "order.summary_title"},
		{"interval", (*harness).toInterval, flows.StateInterval, flows.StateRuns, "order.ask_runs"},
		{"confirm Default", func(h *harness) flows.Screen { return h.toConfirm("1500") },
			flows.StateConfirm, flows.StateQuantity, "order.ask_quantity"},
		{"confirm Package", func(h *harness) flows.Screen { h.toLink(svcPackage); return h.text(testLink) },
			flows.StateConfirm, flows.StateLink, "order.chosen_package"},
		{"confirm Custom Comments", func(h *harness) flows.Screen { h.toComments(); return h.text("a\nb") },
			flows.StateConfirm, flows.StateComments, "order.ask_comments"},
		{"confirm drip-feed", func(h *harness) flows.Screen { h.toInterval(); return h.press("v:60") },
			flows.StateConfirm, flows.StateQuantity, "order.ask_quantity"},
		{"confirm drip-feed service without drip-feed", func(h *harness) flows.Screen { h.toRuns(); return h.press("nd") },
			flows.StateConfirm, flows.StateQuantity, "order.ask_quantity"},
		{"optional posts", func(h *harness) flows.Screen { return h.toField(svcSubscription, "posts") },
			"posts", "max", "order.ask_max"},
		{"optional expiry from the summary", func(h *harness) flows.Screen {
			h.toField(svcSubscription, "confirm")
			return h.press("o:expiry")
		}, "expiry", flows.StateConfirm, "order.summary_title"},
	}
}

func TestBackAndCancelAtEveryStep(t *testing.T) {
	for _, r := range everyStep() {
		t.Run(r.name, func(t *testing.T) {
			t.Run("buttons", func(t *testing.T) {
				h := newHarness(t)
				sc := r.to(h)
				h.wantState(r.state)
				if !hasAction(sc, "x") {
					t.Errorf("actions = %v, want Cancel (x)", actions(sc))
				}
				if got, want := hasAction(sc, "b"), r.back != ""; got != want {
					t.Errorf("Back button = %v, want %v (actions %v)", got, want, actions(sc))
				}
			})
			if r.back != "" {
				t.Run("Back", func(t *testing.T) {
					h := newHarness(t)
					r.to(h)
					draft := h.s.Draft
					sc := h.press("b")
					h.wantState(r.back)
					if firstLine(sc) != r.backLine {
						t.Errorf("lines = %v, want %s first", lineIDs(sc), r.backLine)
					}
					if h.s.Draft.Service != draft.Service && !reflect.DeepEqual(h.s.Draft.Service, draft.Service) {
						t.Errorf("Back changed the chosen service: %+v, want %+v", h.s.Draft.Service, draft.Service)
					}
				})
			}
			cancels := []struct {
				name string
				in   func(h *harness) flows.Input
			}{
				{"Cancel button", func(h *harness) flows.Input { return flows.Press(h.s.Version, h.s.MenuID, "x") }},
				{"/cancel", func(*harness) flows.Input { return flows.Input{Kind: flows.KindCancel} }},
			}
			for _, c := range cancels {
				t.Run(c.name, func(t *testing.T) {
					h := newHarness(t)
					r.to(h)
					sc := h.do(c.in(h))
					h.wantState(flows.StateIdle)
					if firstLine(sc) != "order.cancelled" {
						t.Errorf("lines = %v, want order.cancelled", lineIDs(sc))
					}
					if !reflect.DeepEqual(h.s.Draft, flows.Draft{}) {
						t.Errorf("draft = %+v, want empty", h.s.Draft)
					}
					if len(h.panel.addCalls()) != 0 {
						t.Errorf("cancel placed an order")
					}
					// The cancelled menu's buttons are dead now.
					sc = h.press("b")
					if !sc.Keep || sc.Notice.ID != "menu.expired" {
						t.Errorf("Back after cancel = %+v, want notice menu.expired", sc)
					}
				})
			}
		})
	}
}

func TestCancelWhenIdle(t *testing.T) {
	h := newHarness(t)
	before := h.s
	sc := h.do(flows.Input{Kind: flows.KindCancel})
	if firstLine(sc) != "order.nothing_to_cancel" {
		t.Errorf("lines = %v, want order.nothing_to_cancel", lineIDs(sc))
	}
	before.State = flows.StateIdle
	before.MenuID = h.s.MenuID
	if !reflect.DeepEqual(h.s, before) {
		t.Errorf("session = %+v, want unchanged", h.s)
	}
}

func TestNewOrderAfterCancel(t *testing.T) {
	h := newHarness(t)
	h.toQuantity()
	v := h.s.Version
	sc := h.press("x")
	if !hasAction(sc, "new") {
		t.Fatalf("cancelled screen actions = %v, want new", actions(sc))
	}
	sc = h.press("new")
	h.wantState(flows.StateCategory)
	if h.s.Version <= v {
		t.Errorf("version = %d, want a new one past %d", h.s.Version, v)
	}
	if firstLine(sc) != "order.categories" {
		t.Errorf("lines = %v, want order.categories", lineIDs(sc))
	}
}

func TestStartBumpsVersion(t *testing.T) {
	h := newHarness(t)
	h.toQuantity()
	old := h.s
	h.start()
	h.wantState(flows.StateCategory)
	if h.s.Version != old.Version+1 || !reflect.DeepEqual(h.s.Draft, flows.Draft{}) {
		t.Errorf("session after /order = %+v, want version %d and an empty draft", h.s, old.Version+1)
	}
	sc := h.do(flows.Press(old.Version, h.s.MenuID, "v:1000"))
	if !sc.Keep || sc.Notice.ID != "menu.expired" {
		t.Errorf("tap on the older conversation's menu = %+v, want menu.expired", sc)
	}
}

func TestRepeat(t *testing.T) {
	tests := []struct {
		name      string
		service   int64
		wantState string
		wantFirst string
	}{
		{"a Default service", 1, flows.StateLink, "order.chosen"},
		{"a service gone", 777, flows.StateIdle, "order.service_gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			sc := h.do(flows.Input{Kind: flows.KindRepeat, Service: tt.service, Link: testLink})
			h.wantState(tt.wantState)
			if firstLine(sc) != tt.wantFirst {
				t.Errorf("lines = %v, want %s first", lineIDs(sc), tt.wantFirst)
			}
		})
	}
}

func TestCatalogueTrouble(t *testing.T) {
	h := newHarness(t)
	h.panel.catErr = &smm.APIError{Action: "services", Message: "Invalid API key"}
	sc := h.start()
	if firstLine(sc) != "err.invalid_key" || !hasAction(sc, "new") || !hasAction(sc, "x") {
		t.Errorf("screen = %v %v, want err.invalid_key with Try again (a new start) and cancel", lineIDs(sc), actions(sc))
	}
}
