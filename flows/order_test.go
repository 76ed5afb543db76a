package flows_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
)

// step is one input of a conversation: typed text, or a tap on press.
type step struct {
	text  string
	press string
	want  string // the state after it
}

func (h *harness) run(st step) flows.Screen {
	h.tb.Helper()
	var sc flows.Screen
	if st.press != "" {
		sc = h.press(st.press)
	} else {
		sc = h.text(st.text)
	}
	if h.s.State != st.want {
		h.tb.Fatalf("after %+v: state = %q, want %q (screen %v)", st, h.s.State, st.want, lineIDs(sc))
	}
	return sc
}

func TestOrderEachType(t *testing.T) {
	tests := []struct {
		name      string
		category  string // the category button
		service   string // the service button
		afterLink string // the state the link leads to
		steps     []step // after the link
		wantLines []string
		wantReq   smm.AddRequest
		wantQty   int64 // the Placed record's quantity
		wantPrice string
	}{
		{
			name: "Default", category: "c:0", service: "s:1", afterLink: flows.StateQuantity,
			steps:     []step{{text: "1500", want: flows.StateConfirm}},
			wantLines: []string{"order.summary_quantity"},
			wantReq:   smm.AddRequest{Service: 1, Link: testLink, Quantity: 1500},
			wantQty:   1500, wantPrice: "1.35",
		},
		{
			name: "Default quick quantity button", category: "c:0", service: "s:1", afterLink: flows.StateQuantity,
			steps:     []step{{press: "v:1000", want: flows.StateConfirm}},
			wantLines: []string{"order.summary_quantity"},
			wantReq:   smm.AddRequest{Service: 1, Link: testLink, Quantity: 1000},
			wantQty:   1000, wantPrice: "0.90",
		},
		{
			name: "Package asks no quantity", category: "c:0", service: "s:2", afterLink: flows.StateConfirm,
			wantReq: smm.AddRequest{Service: 2, Link: testLink, Quantity: 0},
			wantQty: 0, wantPrice: "2.50",
		},
		{
			name: "Custom Comments", category: "c:0", service: "s:3", afterLink: flows.StateComments,
			steps:     []step{{text: "Great post!\n\n   nice one  \r\n\n\nwow\n", want: flows.StateConfirm}},
			wantLines: []string{"order.summary_quantity"},
			wantReq:   smm.AddRequest{Service: 3, Link: testLink, Comments: "Great post!\nnice one\nwow"},
			wantQty:   3, wantPrice: "0.045",
		},
		{
			name: "drip-feed with runs and typed interval", category: "c:1", service: "s:4", afterLink: flows.StateQuantity,
			steps: []step{
				{text: "1000", want: flows.StateConfirm},
				{press: "df", want: flows.StateRuns},
				{text: "5", want: flows.StateInterval},
				{text: "60", want: flows.StateConfirm},
			},
			wantLines: []string{"order.summary_quantity_run", "order.summary_dripfeed"},
			wantReq:   smm.AddRequest{Service: 4, Link: testLink, Quantity: 1000, Runs: 5, Interval: 60},
			wantQty:   1000, wantPrice: "6.00",
		},
		{
			name: "drip-feed with interval button", category: "c:1", service: "s:4", afterLink: flows.StateQuantity,
			steps: []step{
				{text: "1000", want: flows.StateConfirm},
				{press: "df", want: flows.StateRuns},
				{text: "3", want: flows.StateInterval},
				{press: "v:1440", want: flows.StateConfirm},
			},
			wantLines: []string{"order.summary_dripfeed"},
			wantReq:   smm.AddRequest{Service: 4, Link: testLink, Quantity: 1000, Runs: 3, Interval: 1440},
			wantQty:   1000, wantPrice: "3.60",
		},
		{
			name: "drip-feed service ordered at once", category: "c:1", service: "s:4", afterLink: flows.StateQuantity,
			steps:     []step{{text: "1000", want: flows.StateConfirm}},
			wantLines: []string{"order.summary_quantity"},
			wantReq:   smm.AddRequest{Service: 4, Link: testLink, Quantity: 1000},
			wantQty:   1000, wantPrice: "1.20",
		},
		{
			name: "drip-feed set, then taken back", category: "c:1", service: "s:4", afterLink: flows.StateQuantity,
			steps: []step{
				{text: "1000", want: flows.StateConfirm},
				{press: "df", want: flows.StateRuns},
				{press: "nd", want: flows.StateConfirm},
			},
			wantLines: []string{"order.summary_quantity"},
			wantReq:   smm.AddRequest{Service: 4, Link: testLink, Quantity: 1000},
			wantQty:   1000, wantPrice: "1.20",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.start()
			h.wantState(flows.StateCategory)
			h.press(tt.category)
			h.wantState(flows.StateService)
			sc := h.press(tt.service)
			h.wantState(flows.StateLink)
			if _, ok := findLine(sc, "order.ask_link"); !ok {
				t.Errorf("link prompt lines = %v, want order.ask_link", lineIDs(sc))
			}
			if text := strings.ToLower(render(t, sc)); !strings.Contains(text, "link") {
				t.Errorf("link prompt %q does not say link", text)
			}
			sc = h.run(step{text: testLink, want: tt.afterLink})
			for _, st := range tt.steps {
				sc = h.run(st)
			}

			// The summary.
			priceID := "order.summary_price"
			if tt.service == "s:2" {
				priceID = "order.summary_price_package"
			}
			for _, id := range append([]string{"order.summary_service", "order.summary_link", priceID, "order.summary_balance"}, tt.wantLines...) {
				if _, ok := findLine(sc, id); !ok {
					t.Errorf("summary lines = %v, want %s", lineIDs(sc), id)
				}
			}
			if tt.wantReq.Quantity == 0 && tt.wantReq.Comments == "" {
				if _, ok := findLine(sc, "order.summary_quantity"); ok {
					t.Errorf("summary of a Package shows a quantity: %v", lineIDs(sc))
				}
			}
			if m, _ := findLine(sc, priceID); priceText(m) != tt.wantPrice {
				t.Errorf("summary price = %v, want %s", m.Args["Price"], tt.wantPrice)
			}
			text := render(t, sc)
			for _, want := range []string{"Confirm", "Cancel", tt.wantPrice, testLink} {
				if !strings.Contains(text, want) {
					t.Errorf("summary does not contain %q:\n%s", want, text)
				}
			}

			// Confirm.
			version := h.s.Version
			sc = h.press("ok")
			h.wantState(flows.StateIdle)
			if got := h.panel.addCalls(); !reflect.DeepEqual(got, []smm.AddRequest{tt.wantReq}) {
				t.Errorf("panel got add requests %+v, want exactly %+v", got, tt.wantReq)
			}
			if !sc.Detach || firstLine(sc) != "order.placed" {
				t.Errorf("placed screen = %+v, want a detached order.placed", sc)
			}
			if text := render(t, sc); !strings.Contains(text, "23501") {
				t.Errorf("placed screen does not show the panel's order id:\n%s", text)
			}
			if !reflect.DeepEqual(h.s.Draft, flows.Draft{}) || h.s.Version != version {
				t.Errorf("session after placing = %+v, want an empty draft at version %d", h.s, version)
			}
			fin := h.ledger.finishCalls()
			if len(fin) != 1 || fin[0].placed == nil {
				t.Fatalf("FinishPlacing calls = %+v, want one with the placed order", fin)
			}
			p := fin[0].placed
			want := flows.Placed{ChatID: testChat, OrderID: 23501, Link: testLink, Quantity: tt.wantQty,
				Comments: tt.wantReq.Comments, Runs: tt.wantReq.Runs, Interval: tt.wantReq.Interval, Created: testNow}
			got := *p
			got.Service, got.Price = smm.Service{}, want.Price
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Placed = %+v, want %+v", got, want)
			}
			if p.Service.ID != tt.wantReq.Service {
				t.Errorf("Placed.Service.ID = %d, want %d", p.Service.ID, tt.wantReq.Service)
			}
			if got := moneyText(p.Price); got != tt.wantPrice {
				t.Errorf("Placed.Price = %s, want %s", got, tt.wantPrice)
			}
			if next := fin[0].next; next.State != flows.StateIdle || next.ChatID != testChat || next.Version != version ||
				!reflect.DeepEqual(next.Draft, flows.Draft{}) {
				t.Errorf("FinishPlacing next session = %+v, want idle, empty, version %d", next, version)
			}
		})
	}
}

func TestPromptsMentionBounds(t *testing.T) {
	tests := []struct {
		name   string
		reach  func(h *harness) flows.Screen
		prompt string
		bounds []string
	}{
		{"quantity", (*harness).toQuantity, "order.ask_quantity", []string{"100", "10000"}},
		{"comments", (*harness).toComments, "order.ask_comments", []string{"2", "5"}},
		{"runs", (*harness).toRuns, "order.ask_runs", []string{"2", "100"}},
		{"interval", (*harness).toInterval, "order.ask_interval", []string{"1", "10080"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			sc := tt.reach(h)
			if firstLine(sc) != tt.prompt {
				t.Errorf("lines = %v, want %s first", lineIDs(sc), tt.prompt)
			}
			text := render(t, flows.Screen{Lines: sc.Lines[:1]})
			for _, b := range tt.bounds {
				if !strings.Contains(text, b) {
					t.Errorf("prompt %q does not mention %s", text, b)
				}
			}
		})
	}
}

func TestUnsupportedType(t *testing.T) {
	tests := []struct {
		name  string
		reach func(h *harness)
		in    func(h *harness) flows.Input
		want  string // the state, unchanged
		after string // the screen below the line that says so
	}{
		{
			name:  "service button",
			reach: func(h *harness) { h.start(); h.press("c:2") },
			in:    func(h *harness) flows.Input { return flows.Press(h.s.Version, h.s.MenuID, "s:5") },
			want:  flows.StateService, after: "order.services",
		},
		{
			name:  "service id typed at the category step",
			reach: func(h *harness) { h.start() },
			in:    func(h *harness) flows.Input { return flows.Text("#5") },
			want:  flows.StateCategory, after: "order.categories",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.reach(h)
			before := h.s
			sc := h.do(tt.in(h))
			if got := lineIDs(sc); len(got) < 2 || got[0] != "order.unsupported" || got[1] != tt.after {
				t.Errorf("lines = %v, want order.unsupported then %s", got, tt.after)
			}
			if m := sc.Lines[0]; m.Args["Type"] != "Story Votes" || m.Args["Name"] != svcOdd.Name {
				t.Errorf("unsupported line args = %v, want the service's name and type Story Votes", m.Args)
			}
			before.MenuID = h.s.MenuID
			if !reflect.DeepEqual(h.s, before) {
				t.Errorf("session = %+v, want unchanged %+v", h.s, before)
			}
			if len(h.panel.addCalls()) != 0 {
				t.Errorf("add was called for an unsupported service")
			}
		})
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name        string
		balance     smm.Balance
		balErr      error
		wantLines   []string
		wantMissing []string
		wantText    []string
	}{
		{
			name:        "enough balance",
			balance:     smm.Balance{Amount: dec("100"), Currency: "USD"},
			wantLines:   []string{"order.summary_price", "order.summary_balance"},
			wantMissing: []string{"order.low_balance", "order.balance_unknown"},
			wantText:    []string{"1.35 USD", "100.00 USD", "Instagram Followers [Real]", testLink, "1500"},
		},
		{
			name:        "balance exactly the price",
			balance:     smm.Balance{Amount: dec("1.35"), Currency: "USD"},
			wantLines:   []string{"order.summary_balance"},
			wantMissing: []string{"order.low_balance"},
			wantText:    []string{"1.35 USD"},
		},
		{
			name:        "low balance",
			balance:     smm.Balance{Amount: dec("1.3499"), Currency: "USD"},
			wantLines:   []string{"order.summary_balance", "order.low_balance"},
			wantMissing: []string{"order.balance_unknown"},
			wantText:    []string{"1.35", "1.3499 USD"},
		},
		{
			name:        "balance error",
			balErr:      fmt.Errorf("balance: %w", errors.New("connection refused")),
			wantLines:   []string{"order.summary_price", "order.balance_unknown"},
			wantMissing: []string{"order.summary_balance", "order.low_balance"},
			wantText:    []string{"1.35", "Confirm"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.panel.balance, h.panel.balErr = tt.balance, tt.balErr
			sc := h.toConfirm("1500")
			for _, id := range tt.wantLines {
				if _, ok := findLine(sc, id); !ok {
					t.Errorf("summary lines = %v, want %s", lineIDs(sc), id)
				}
			}
			for _, id := range tt.wantMissing {
				if _, ok := findLine(sc, id); ok {
					t.Errorf("summary lines = %v, want no %s", lineIDs(sc), id)
				}
			}
			if m, _ := findLine(sc, "order.summary_price"); priceText(m) != "1.35" {
				t.Errorf("price = %v, want 1.35 (0.90 × 1500 / 1000)", m.Args["Price"])
			}
			text := render(t, sc)
			for _, w := range tt.wantText {
				if !strings.Contains(text, w) {
					t.Errorf("summary does not contain %q:\n%s", w, text)
				}
			}
			for _, a := range []string{"ok", "b", "x"} {
				if !hasAction(sc, a) {
					t.Errorf("summary actions = %v, want %q", actions(sc), a)
				}
			}
		})
	}
}

func TestCost(t *testing.T) {
	t.Run("rate 0.90 × 1500 / 1000", func(t *testing.T) {
		if p, ok := flows.Cost(svcDefault, 1500); !ok || moneyText(p) != "1.35" {
			t.Errorf("Cost(rate 0.90, 1500) = %s, %v; want 1.35", p, ok)
		}
	})
	t.Run("a Package costs its rate", func(t *testing.T) {
		if p, ok := flows.Cost(svcPackage, 0); !ok || moneyText(p) != "2.50" {
			t.Errorf("Cost(Package rate 2.50) = %s, %v; want 2.50", p, ok)
		}
	})
}

func TestPlace(t *testing.T) {
	apiErr := func(msg string) error {
		return fmt.Errorf("add: %w", &smm.APIError{Action: "add", Message: msg, StatusCode: 200})
	}
	tests := []struct {
		name       string
		beginErr   error
		addErr     error
		wantAdds   int
		wantState  string
		wantNotice string // a notice, the menu kept
		wantFirst  string // else the first line
		wantWords  string // the panel's words on it, when any
		wantFinish int    // FinishPlacing calls
	}{
		{name: "placed", wantAdds: 1, wantState: flows.StateIdle, wantFirst: "order.placed", wantFinish: 1},
		{name: "ledger: already placing", beginErr: flows.ErrAlreadyPlacing, wantState: flows.StateConfirm, wantNotice: "order.already_placing"},
		{name: "ledger: stale", beginErr: fmt.Errorf("begin: %w", flows.ErrStale), wantState: flows.StateConfirm, wantNotice: "menu.expired"},
		{name: "panel: not enough funds", addErr: apiErr("Not enough funds on balance"), wantAdds: 1,
			wantState: flows.StateConfirm, wantFirst: "err.funds"},
		{name: "panel: unknown words", addErr: apiErr("Service is under maintenance"), wantAdds: 1,
			wantState: flows.StateConfirm, wantFirst: "err.panel", wantWords: "Service is under maintenance"},
		{name: "panel: bad link", addErr: apiErr("Incorrect link"), wantAdds: 1,
			wantState: flows.StateConfirm, wantFirst: "err.bad_link"},
		{name: "unknown outcome", addErr: fmt.Errorf("add: %w: %w", smm.ErrUnknownOutcome, errors.New("HTTP 502")), wantAdds: 1,
			wantState: flows.StateIdle, wantFirst: "order.unknown", wantFinish: 1},
		{name: "network error", addErr: errors.New("dial tcp 10.0.0.1:443: connect: connection refused"), wantAdds: 1,
			wantState: flows.StateIdle, wantFirst: "order.unknown", wantFinish: 1},
		{name: "timeout", addErr: fmt.Errorf("add: %w", context.DeadlineExceeded), wantAdds: 1,
			wantState: flows.StateIdle, wantFirst: "order.unknown", wantFinish: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.toConfirm("1500")
			h.ledger.beginErr, h.panel.addErr = tt.beginErr, tt.addErr
			before := h.s
			sc := h.press("ok")
			if len(h.ledger.begins) != 1 || h.ledger.begins[0] != (beginCall{testChat, before.Version}) {
				t.Errorf("BeginPlacing calls = %+v, want one for chat %d version %d", h.ledger.begins, testChat, before.Version)
			}
			if got := len(h.panel.addCalls()); got != tt.wantAdds {
				t.Errorf("add called %d times, want %d", got, tt.wantAdds)
			}
			h.wantState(tt.wantState)
			if tt.wantNotice != "" {
				if !sc.Keep || sc.Notice.ID != tt.wantNotice {
					t.Errorf("screen = %+v, want notice %s", sc, tt.wantNotice)
				}
				if !reflect.DeepEqual(h.s, before) {
					t.Errorf("session = %+v, want unchanged %+v", h.s, before)
				}
			} else if firstLine(sc) != tt.wantFirst {
				t.Errorf("lines = %v, want %s first", lineIDs(sc), tt.wantFirst)
			}
			if tt.addErr != nil && tt.wantState == flows.StateConfirm {
				if want := flows.Explain(tt.addErr); !reflect.DeepEqual(sc.Lines[0], want) {
					t.Errorf("refusal line = %+v, want Explain(err) = %+v", sc.Lines[0], want)
				}
				if tt.wantWords != "" && sc.Lines[0].Args["Words"] != tt.wantWords {
					t.Errorf("refusal words = %v, want the panel's %q", sc.Lines[0].Args["Words"], tt.wantWords)
				}
				if _, ok := findLine(sc, "order.summary_price"); !ok || !hasAction(sc, "ok") {
					t.Errorf("refusal screen = %v %v, want the summary again with Confirm", lineIDs(sc), actions(sc))
				}
				if !reflect.DeepEqual(h.s.Draft, before.Draft) {
					t.Errorf("draft after a refusal = %+v, want kept %+v", h.s.Draft, before.Draft)
				}
			}
			fin := h.ledger.finishCalls()
			if len(fin) != tt.wantFinish {
				t.Errorf("FinishPlacing called %d times, want %d", len(fin), tt.wantFinish)
			}
			if tt.wantFirst == "order.unknown" {
				if len(fin) == 1 && (fin[0].placed != nil || fin[0].next.State != flows.StateIdle) {
					t.Errorf("FinishPlacing(%+v, %+v), want (nil, idle session)", fin[0].placed, fin[0].next)
				}
				if !reflect.DeepEqual(h.s.Draft, flows.Draft{}) {
					t.Errorf("draft after an unknown outcome = %+v, want empty", h.s.Draft)
				}
			}

			// Whatever happened, a second tap on the same Confirm adds
			// nothing more unless the panel refused the first.
			h.ledger.beginErr = nil
			adds := len(h.panel.addCalls())
			h.do(flows.Press(before.Version, before.MenuID, "ok"))
			wantMore := 0
			if tt.wantState == flows.StateConfirm {
				wantMore = 1 // still at the summary: Confirm again is a new try
			}
			if got := len(h.panel.addCalls()) - adds; got != wantMore {
				t.Errorf("second Confirm: add called %d more times, want %d", got, wantMore)
			}
		})
	}
}

func TestPlaceAfterRefusalPlaces(t *testing.T) {
	h := newHarness(t)
	h.toConfirm("1500")
	h.panel.addErr = &smm.APIError{Action: "add", Message: "Not enough funds on balance"}
	h.press("ok")
	h.wantState(flows.StateConfirm)
	h.panel.addErr = nil
	sc := h.press("ok")
	h.wantState(flows.StateIdle)
	if firstLine(sc) != "order.placed" {
		t.Errorf("lines = %v, want order.placed", lineIDs(sc))
	}
	want := smm.AddRequest{Service: 1, Link: testLink, Quantity: 1500}
	if got := h.panel.addCalls(); !reflect.DeepEqual(got, []smm.AddRequest{want, want}) {
		t.Errorf("add requests = %+v, want the same request twice", got)
	}
}

func TestSecondConfirmFromSameSnapshot(t *testing.T) {
	// Two taps on Confirm read the same stored session; the ledger lets
	// only the first one place.
	h := newHarness(t)
	h.toConfirm("1500")
	snap := h.s
	h.press("ok")
	h.ledger.beginErr = flows.ErrAlreadyPlacing
	_, sc, err := h.order.Handle(t.Context(), testKey, snap, flows.Press(snap.Version, snap.MenuID, "ok"))
	checkScreen(t, sc)
	if err != nil || !sc.Keep || sc.Notice.ID != "order.already_placing" {
		t.Errorf("second tap = %+v, %v; want notice order.already_placing", sc, err)
	}
	if got := len(h.panel.addCalls()); got != 1 {
		t.Errorf("add called %d times, want 1", got)
	}
}

func TestPlacedButNotRecorded(t *testing.T) {
	h := newHarness(t)
	h.toConfirm("1500")
	h.ledger.finishErr = errors.New("disk full")
	sc, err := h.try(flows.Press(h.s.Version, h.s.MenuID, "ok"))
	if err == nil {
		t.Errorf("Handle: no error, want the ledger's failure")
	}
	if got := lineIDs(sc); len(got) < 2 || got[0] != "order.placed" || got[1] != "order.not_recorded" {
		t.Errorf("lines = %v, want order.placed, order.not_recorded first", got)
	}
	if text := render(t, sc); !strings.Contains(text, "23501") {
		t.Errorf("screen hides the placed order's id:\n%s", text)
	}
	if got := len(h.panel.addCalls()); got != 1 {
		t.Errorf("add called %d times, want 1", got)
	}
}

func TestExplain(t *testing.T) {
	api := func(msg string, status int) error {
		return &smm.APIError{Action: "add", Message: msg, StatusCode: status}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"invalid key", api("Invalid API key", 200), "err.invalid_key"},
		{"funds", api("neworder.error.not_enough_funds", 200), "err.funds"},
		{"quantity", api("Quantity less than minimal 100", 200), "err.panel_quantity"},
		{"duplicate", api("You have active order with this link. Please wait until order being completed.", 200), "err.duplicate_link"},
		{"rate limited", api("Too many requests", 429), "err.rate_limited"},
		{"other words", api("Something odd", 200), "err.panel"},
		{"timeout", fmt.Errorf("balance: %w", context.DeadlineExceeded), "err.timeout"},
		{"bad reply", &smm.ResponseError{Action: "services", StatusCode: 502, Reason: "HTML page"}, "err.panel_down"},
		{"network", errors.New("connection refused"), "err.unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flows.Explain(tt.err)
			if got.ID != tt.want {
				t.Errorf("Explain(%v) = %q, want %q", tt.err, got.ID, tt.want)
			}
			if got.ID != "" {
				checkScreen(t, flows.Screen{Lines: []flows.Msg{got}})
			}
		})
	}
}
