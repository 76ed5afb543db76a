package flows_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
)

// fuzzStart is a session at one of the conversation's steps.
type fuzzStart struct {
	name string
	s    flows.Session
}

func fuzzStarts(tb testing.TB) []fuzzStart {
	tb.Helper()
	at := func(name string, to func(h *harness)) fuzzStart {
		h := newHarness(tb)
		to(h)
		return fuzzStart{name, h.s}
	}
	starts := []fuzzStart{
		{"idle", flows.Session{ChatID: testChat, Version: 1}},
		{"key", flows.Session{ChatID: testChat, Version: 1, State: flows.StateKey}},
		{"placing", leftPlacing()},
		at("categories page 2", func(h *harness) { h.start(); h.press("cp:1") }),
		at("services page 2", func(h *harness) { h.start(); h.press("c:3"); h.press("sp:1") }),
		at("search results", func(h *harness) { h.start(); h.text("instagram") }),
		at("link Package", func(h *harness) { h.toLink(svcPackage) }),
		at("link drip-feed", func(h *harness) { h.toLink(svcDrip) }),
		at("confirm Package", func(h *harness) { h.toLink(svcPackage); h.text(testLink) }),
		at("confirm comments", func(h *harness) { h.toComments(); h.text("a\nb\nc") }),
		at("confirm drip-feed", func(h *harness) { h.toInterval(); h.text("30") }),
	}
	for _, svc := range typeServices {
		for _, f := range fieldsOf(svc) {
			starts = append(starts, at(svc.Type+" "+f, func(h *harness) { h.toField(svc, f) }))
		}
		starts = append(starts, at(svc.Type+" confirm", func(h *harness) { h.toField(svc, flows.StateConfirm) }))
	}
	for _, r := range everyStep() {
		starts = append(starts, at(r.name, func(h *harness) { r.to(h) }))
	}
	return starts
}

func cloneSession(s flows.Session) flows.Session {
	if s.Draft.Service != nil {
		svc := *s.Draft.Service
		s.Draft.Service = &svc
	}
	return s
}

// refusals are the first lines of a screen that refuses the input and
// changes nothing.
var refusals = map[string]bool{
	"order.no_results": true, "order.no_such_service": true, "order.unsupported": true, "order.use_buttons": true,
}

// FuzzHandleText sends random text at every step: never a panic, never an
// error with these fakes, never an invalid session, never an order, and a
// refused input changes nothing.
func FuzzHandleText(f *testing.F) {
	for _, s := range []string{"", " ", "1000", "1,000", "١٠٠٠", "abc", "#1", "#5", "1", "2", "60", "999", "+1", "-1", "#",
		"instagram", "bulk service 1", testLink, "@user", "a\nb\nc", "a\n\n\nb", "<script>", "\x00", "\xff",
		strings.Repeat("9", 30), strings.Repeat("x", 1001), "10080", "ok", "/cancel"} {
		f.Add(s)
	}
	starts := fuzzStarts(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, st := range starts {
			h := newHarness(t)
			h.s = cloneSession(st.s)
			for i := range 2 { // the text, then the same text at the step it led to
				before := cloneSession(h.s)
				sc, err := h.try(flows.Text(text))
				if err != nil {
					t.Fatalf("%s, text %d %q: error %v", st.name, i, text, err)
				}
				if p := sessionProblem(h.s); p != "" {
					t.Fatalf("%s, text %d %q: invalid session (%s): %+v draft %+v", st.name, i, text, p, h.s, h.s.Draft)
				}
				if h.s.State == flows.StatePlacing && before.State != flows.StatePlacing {
					t.Fatalf("%s, text %d %q: typing moved the session to placing", st.name, i, text)
				}
				if id := firstLine(sc); strings.HasPrefix(id, "err.") || refusals[id] || sc.Keep {
					before.MenuID = h.s.MenuID
					if !reflect.DeepEqual(h.s, before) {
						t.Fatalf("%s, text %d %q: refused with %s but the session changed:\n%+v\nwant %+v", st.name, i, text, id, h.s, before)
					}
				}
			}
			if n := len(h.panel.addCalls()); n != 0 {
				t.Fatalf("%s, text %q: typing placed %d orders", st.name, text, n)
			}
		}
	})
}

// fieldsOf are the names of the fields a service's type asks in turn.
func fieldsOf(svc smm.Service) []string {
	t, _ := flows.TypeOf(svc)
	var names []string
	for _, f := range t.Fields {
		if f.Name != "expiry" { // offered on the summary, not asked in turn
			names = append(names, f.Name)
		}
	}
	return names
}
