package flows_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
)

// sameDraft compares drafts, the service's rate as a number.
func sameDraft(a, b flows.Draft) bool {
	if (a.Service == nil) != (b.Service == nil) {
		return false
	}
	if a.Service != nil {
		if !a.Service.Rate.Equal(b.Service.Rate) {
			return false
		}
		sa, sb := *a.Service, *b.Service
		sa.Rate = sb.Rate
		if sa != sb {
			return false
		}
	}
	a.Service, b.Service = nil, nil
	return reflect.DeepEqual(a, b)
}

func TestDraftJSON(t *testing.T) {
	svc := svcDrip
	svc.Description = "Views <b>fast</b> \"quoted\"\nsecond line"
	tests := []struct {
		name  string
		draft flows.Draft
	}{
		{"empty", flows.Draft{}},
		{"browsing", flows.Draft{Category: 4, Page: 2}},
		{"search", flows.Draft{Search: "instagram \"likes\"", Page: 1}},
		{"full drip-feed", flows.Draft{Category: 2, Service: &svc, Link: testLink, Quantity: 1000, Runs: 5, Interval: 60}},
		{"comments", flows.Draft{Service: &svcComments, Link: "@user", Quantity: 2, Comments: "first\nsecond ✓"}},
		{"subscription", flows.Draft{Service: &svcSubscription, Extra: map[string]string{"username": "nasa", "min": "100", "delay": "0"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := flows.MarshalDraft(tt.draft)
			if err != nil {
				t.Fatalf("MarshalDraft: %v", err)
			}
			if tt.draft.IsZero() && b != nil {
				t.Errorf("MarshalDraft(empty) = %q, want nil", b)
			}
			got, err := flows.UnmarshalDraft(b)
			if err != nil {
				t.Fatalf("UnmarshalDraft(%s): %v", b, err)
			}
			if !sameDraft(got, tt.draft) {
				t.Errorf("round trip = %+v, want %+v (JSON %s)", got, tt.draft, b)
			}
		})
	}
	t.Run("garbage", func(t *testing.T) {
		if _, err := flows.UnmarshalDraft([]byte("{not json")); err == nil {
			t.Errorf("UnmarshalDraft(garbage): no error")
		}
	})
	t.Run("nil", func(t *testing.T) {
		if d, err := flows.UnmarshalDraft(nil); err != nil || !d.IsZero() {
			t.Errorf("UnmarshalDraft(nil) = %+v, %v; want the empty draft", d, err)
		}
	})
}

// TestConversationSurvivesRestart stores the session as the bot does after
// every step and carries on from the stored copy.
func TestConversationSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	h.toLink(svcDrip)
	for _, st := range []step{
		{text: testLink, want: flows.StateQuantity},
		{text: "1000", want: flows.StateConfirm},
		{press: "df", want: flows.StateRuns},
		{text: "4", want: flows.StateInterval},
		{press: "v:15", want: flows.StateConfirm},
		{press: "ok", want: flows.StateIdle},
	} {
		b, err := flows.MarshalDraft(h.s.Draft)
		if err != nil {
			t.Fatalf("MarshalDraft: %v", err)
		}
		d, err := flows.UnmarshalDraft(b)
		if err != nil {
			t.Fatalf("UnmarshalDraft: %v", err)
		}
		h.s.Draft = d
		h.run(st)
	}
	want := smm.AddRequest{Service: 4, Link: testLink, Quantity: 1000, Runs: 4, Interval: 15}
	if got := h.panel.addCalls(); !reflect.DeepEqual(got, []smm.AddRequest{want}) {
		t.Errorf("add requests = %+v, want %+v", got, want)
	}
}

func leftPlacing() flows.Session {
	svc := svcDefault
	return flows.Session{ChatID: testChat, State: flows.StatePlacing, Version: 7, MenuID: 55,
		Draft: flows.Draft{Service: &svc, Link: testLink, Quantity: 1500}}
}

func TestStartWhileLeftPlacing(t *testing.T) {
	h := newHarness(t)
	h.s = leftPlacing()
	sc := h.start()
	h.wantState(flows.StateIdle)
	if firstLine(sc) != "order.unknown" {
		t.Errorf("lines = %v, want order.unknown", lineIDs(sc))
	}
	if !reflect.DeepEqual(h.s.Draft, flows.Draft{}) {
		t.Errorf("draft = %+v, want empty", h.s.Draft)
	}
	if len(h.panel.addCalls()) != 0 {
		t.Errorf("add was called again for an order of unknown outcome")
	}
	fin := h.ledger.finishCalls()
	if len(fin) != 1 || fin[0].placed != nil || fin[0].next.State != flows.StateIdle {
		t.Errorf("FinishPlacing calls = %+v, want one (nil, idle session)", fin)
	}
	if !hasAction(sc, "new") {
		t.Errorf("actions = %v, want a new order button", actions(sc))
	}
	// Then /order starts a new conversation as usual.
	h.start()
	h.wantState(flows.StateCategory)
}

func TestInputWhileLeftPlacing(t *testing.T) {
	tests := []struct {
		name string
		in   flows.Input
	}{
		{"text", flows.Text("1500")},
		{"Confirm", flows.Press(7, 55, "ok")},
		{"retry", flows.Press(7, 55, "retry")},
		{"repeat", flows.Input{Kind: flows.KindRepeat, Service: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.s = leftPlacing()
			before := h.s
			sc := h.do(tt.in)
			if !sc.Keep || (sc.Notice.ID != "order.already_placing" && sc.Notice.ID != "menu.expired") {
				t.Errorf("screen = %+v, want a notice that the order is being placed", sc)
			}
			wantUnchanged(t, h.s, before)
			if len(h.panel.addCalls()) != 0 {
				t.Errorf("add was called")
			}
		})
	}
}

// TestCancelWhileLeftPlacing: a session found in placing belongs to an
// add whose outcome is unknown (a crash between BeginPlacing and
// FinishPlacing). /order says so (order.unknown); /cancel must not tell the
// user that nothing was placed.
func TestCancelWhileLeftPlacing(t *testing.T) {
	for _, in := range []flows.Input{{Kind: flows.KindCancel}, flows.Press(7, 55, "x")} {
		t.Run(fmt.Sprint(in.Kind), func(t *testing.T) {
			h := newHarness(t)
			h.s = leftPlacing()
			sc := h.do(in)
			h.wantState(flows.StateIdle)
			if got := firstLine(sc); got == "order.cancelled" {
				t.Errorf("BUG: %+v on a session left placing answers %q (%q): the order may have been placed; want order.unknown as /order gives",
					in, got, render(t, flows.Screen{Lines: sc.Lines[:1]}))
			}
		})
	}
}

// catch runs f and turns a panic into an error.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	f()
	return nil
}

// TestStartWhilePanelDown: /order in the middle of a conversation while the
// panel cannot give its catalogue. The session must stay usable.
func TestStartWhilePanelDown(t *testing.T) {
	h := newHarness(t)
	h.toQuantity()
	h.panel.catErr = fmt.Errorf("services: %w", errors.New("connection refused"))
	sc := h.start()
	if firstLine(sc) != "err.unreachable" || !hasAction(sc, "new") {
		t.Errorf("screen = %v %v, want err.unreachable with Try again (a new start)", lineIDs(sc), actions(sc))
	}
	if !validSession(h.s) {
		t.Errorf("BUG: after /order failed to load the catalogue the session is state %q with draft %+v: "+
			"a mid-conversation state without a service", h.s.State, h.s.Draft)
	}
	h.panel.catErr = nil
	for _, in := range []flows.Input{flows.Text("1000"), flows.Press(h.s.Version, h.s.MenuID, "retry")} {
		s := h.s
		if err := catch(func() { _, _, _ = h.order.Handle(t.Context(), testKey, s, in) }); err != nil {
			t.Errorf("BUG: %+v after the failed /order: %v", in, err)
		}
	}
}

// TestRetryAfterStartFailed: the Try again button of a failed /order shows
// the categories once the panel answers.
func TestRetryAfterStartFailed(t *testing.T) {
	h := newHarness(t)
	h.panel.catErr = errors.New("connection refused")
	h.start()
	h.panel.catErr = nil
	sc := h.press("new") // the Try again button of a failed start
	if h.s.State != flows.StateCategory || firstLine(sc) != "order.categories" {
		t.Errorf("BUG: Try again after a failed /order: state %q, lines %v; want the categories",
			h.s.State, lineIDs(sc))
	}
}

// TestRepeatUnsupportedMidConversation: ordering again a service whose type
// the panel has since changed to one the bot cannot order, while another
// conversation is under way.
func TestRepeatUnsupportedMidConversation(t *testing.T) {
	for _, r := range everyStep() {
		switch r.name {
		case "category", "service", "quantity", "runs", "confirm Default":
		default:
			continue
		}
		t.Run(r.name, func(t *testing.T) {
			h := newHarness(t)
			r.to(h)
			var sc flows.Screen
			err := catch(func() { sc = h.do(flows.Input{Kind: flows.KindRepeat, Service: svcOdd.ID, Link: testLink}) })
			if err != nil {
				t.Fatalf("BUG: repeat of unsupported service #%d at state %s: %v", svcOdd.ID, r.state, err)
			}
			if firstLine(sc) != "order.unsupported" {
				t.Errorf("lines = %v, want order.unsupported first", lineIDs(sc))
			}
			if !validSession(h.s) {
				t.Errorf("BUG: session left at state %q with draft %+v", h.s.State, h.s.Draft)
			}
		})
	}
}

// TestBackFromPackageDripfeedSummary: for a Package the link leads straight
// to the summary, drip-feed or not, so Back from the summary must lead to
// the link again.
func TestBackFromPackageDripfeedSummary(t *testing.T) {
	h := newHarness(t)
	h.toLink(svcPackageDrip)
	h.text(testLink)
	h.wantState(flows.StateConfirm) // no drip-feed step on the way
	sc := h.press("b")
	if h.s.State != flows.StateLink {
		t.Errorf("BUG: Back from the summary of a drip-feed Package: state %q (lines %v), want %q, the step it came from",
			h.s.State, lineIDs(sc), flows.StateLink)
	}
}

// TestPluralMessagesCarryCount: a message with plural forms needs its
// Msg.Count set, else every language renders its "other" form.
func TestPluralMessagesCarryCount(t *testing.T) {
	plural, err := pluralIDs()
	if err != nil {
		t.Fatalf("read en.json: %v", err)
	}
	tests := []struct {
		name  string
		reach func(h *harness) flows.Screen
		want  string // rendered English the count must give
	}{
		{"one comment", func(h *harness) flows.Screen { h.toComments(); return h.text("only one") }, "You sent 1 comment;"},
		{"one category", func(h *harness) flows.Screen {
			h.panel.cat = smm.NewCatalogue([]smm.Service{svcDefault})
			return h.start()
		}, "(1 category,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			sc := tt.reach(h)
			for _, m := range sc.Lines {
				if plural[m.ID] && m.Count == nil {
					t.Errorf("BUG: %s has plural forms but Msg.Count is nil (Args %v): use WithCount", m.ID, m.Args)
				}
			}
			if text := render(t, sc); !strings.Contains(text, tt.want) {
				t.Errorf("BUG: screen does not contain %q:\n%s", tt.want, text)
			}
		})
	}
}

// validSession holds the invariants of the conversation's states.
func validSession(s flows.Session) bool {
	return sessionProblem(s) == ""
}

func sessionProblem(s flows.Session) string {
	d := s.Draft
	switch s.State {
	case "", flows.StateIdle, flows.StateCategory, flows.StateService, flows.StateKey:
		return ""
	}
	if d.Service == nil {
		return "no service"
	}
	t, ok := flows.TypeOf(*d.Service)
	if !ok {
		return "unsupported service"
	}
	asked := -1
	for i, f := range t.Fields {
		if f.Name == s.State {
			asked = i
		}
	}
	switch {
	case s.State == flows.StateRuns || s.State == flows.StateInterval:
		if !d.Service.Dripfeed || !t.Dripfeed {
			return "drip-feed step for a service without drip-feed"
		}
		asked = len(t.Fields)
	case s.State == flows.StateConfirm || s.State == flows.StatePlacing:
		asked = len(t.Fields)
	case asked < 0:
		return "unknown state"
	}
	// Every required field before the step has a good value.
	for _, f := range t.Fields[:asked] {
		if p := fieldProblem(d, f); p != "" && !f.Optional {
			return p
		}
	}
	if !slices.Contains(fieldNames(t), "quantity") && d.Runs != 0 {
		return "drip-feed without a quantity"
	}
	if s.State != flows.StateConfirm && s.State != flows.StatePlacing {
		return ""
	}
	if d.Runs != 0 && (d.Runs < flows.MinRuns || d.Runs > flows.MaxRuns || d.Interval < flows.MinInterval || d.Interval > flows.MaxInterval) {
		return "drip-feed out of range"
	}
	if (d.Runs == 0) != (d.Interval == 0) {
		return "runs without interval"
	}
	return ""
}

func fieldNames(t *flows.ServiceType) []string {
	var names []string
	for _, f := range t.Fields {
		names = append(names, f.Name)
	}
	return names
}

// fieldProblem says what is wrong with the draft's value of a field.
func fieldProblem(d flows.Draft, f flows.Field) string {
	switch f.Name {
	case "link":
		if d.Link == "" || strings.ContainsAny(d.Link, " \n\t<>\"") {
			return "bad link"
		}
	case "quantity":
		if d.Quantity < d.Service.Min || d.Quantity > d.Service.Max {
			return "quantity out of range"
		}
	case "comments":
		if d.Comments == "" || strings.Contains(d.Comments, "\n\n") {
			return "bad comments"
		}
	default:
		if d.Extra[f.Name] == "" {
			return "no " + f.Name
		}
	}
	return ""
}
