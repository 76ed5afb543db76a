package flows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
)

var _ flows.MassLedger = (*fakeMassLedger)(nil)

func TestParseMassLine(t *testing.T) {
	tests := []struct {
		name, line string
		want       flows.MassFields
		problem    string
	}{
		{"plain", "1|https://x.com/a|100", flows.MassFields{Service: 1, Fields: []string{"https://x.com/a", "100"}}, ""},
		{"spaces around bars", "  12 | https://x.com/a |  1 000 ", flows.MassFields{Service: 12, Fields: []string{"https://x.com/a", "1 000"}}, ""},
		{"tab separated", "3\thttps://x.com/a\t500", flows.MassFields{Service: 3, Fields: []string{"https://x.com/a", "500"}}, ""},
		{"semicolons", "3;https://x.com/a;500", flows.MassFields{Service: 3, Fields: []string{"https://x.com/a", "500"}}, ""},
		{"hash before id", "#7|l|5", flows.MassFields{Service: 7, Fields: []string{"l", "5"}}, ""},
		{"package, two fields", "2|https://x.com/a", flows.MassFields{Service: 2, Fields: []string{"https://x.com/a"}}, ""},
		{"empty field kept", "1||100", flows.MassFields{Service: 1, Fields: []string{"", "100"}}, ""},
		{"blank", "   ", flows.MassFields{}, "err.blank"},
		{"no separator", "1 https://x.com/a 100", flows.MassFields{}, "mass.err_format"},
		{"id only", "5|", flows.MassFields{}, ""},
		{"id not a number", "abc|https://x.com|100", flows.MassFields{}, "mass.err_service_id"},
		{"id zero", "0|https://x.com|100", flows.MassFields{}, "mass.err_service_id"},
		{"id negative", "-1|https://x.com|100", flows.MassFields{}, "mass.err_service_id"},
		{"id too long", "1234567890123456|l|1", flows.MassFields{}, "mass.err_service_id"},
		{"control character", "1|l\x00|100", flows.MassFields{}, "err.control"},
		{"too long", "1|" + strings.Repeat("a", 1300) + "|100", flows.MassFields{}, "mass.err_long"},
		{"invalid utf-8", "1|\xff|100", flows.MassFields{}, "err.control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problem := flows.ParseMassLine(tt.line)
			if problem.ID != tt.problem {
				t.Fatalf("ParseMassLine(%q) problem = %q, want %q", tt.line, problem.ID, tt.problem)
			}
			if tt.name == "id only" {
				if got.Service != 5 || !slices.Equal(got.Fields, []string{""}) {
					t.Errorf("got %+v", got)
				}
				return
			}
			if problem.ID == "" && (got.Service != tt.want.Service || !slices.Equal(got.Fields, tt.want.Fields)) {
				t.Errorf("ParseMassLine(%q) = %+v, want %+v", tt.line, got, tt.want)
			}
		})
	}
}

func FuzzParseMassLine(f *testing.F) {
	for _, s := range []string{"1|https://x.com/a|100", " 2 | l ", "3\tl\t5", "x|y|z", "", "|||", "9;a;b;c", "#1|\u200b|1"} {
		f.Add(s)
	}
	ids := knownIDs(f)
	cat := testCatalogue()
	f.Fuzz(func(t *testing.T, line string) {
		got, problem := flows.ParseMassLine(line)
		if problem.ID != "" {
			if !ids[problem.ID] {
				t.Fatalf("problem %q is not a locale message", problem.ID)
			}
			return
		}
		if got.Service <= 0 || len(got.Fields) == 0 {
			t.Fatalf("ParseMassLine(%q) = %+v: a line read must have a service and a field", line, got)
		}
		for _, fl := range got.Fields {
			if fl != strings.TrimSpace(fl) {
				t.Fatalf("field %q is not trimmed", fl)
			}
		}
		chk := flows.CheckMass(cat, []string{line}, testNow)
		if len(chk.Orders)+len(chk.Bad) != 1 {
			t.Fatalf("CheckMass(%q) = %+v: want one order or one bad line", line, chk)
		}
		for _, b := range chk.Bad {
			if !ids[b.Reason.ID] {
				t.Fatalf("reason %q is not a locale message", b.Reason.ID)
			}
		}
		for _, o := range chk.Orders {
			if o.Draft.Service == nil || o.Draft.Link == "" || strings.ContainsAny(o.Draft.Link, " |<>") {
				t.Fatalf("CheckMass(%q) took %+v", line, o.Draft)
			}
		}
	})
}

func TestCheckMassValidatesLikeAGuidedOrder(t *testing.T) {
	poll := typeService("Poll")
	mentions := typeService("Mentions")
	subs := typeService("Subscriptions")
	tests := []struct {
		line   string
		reason string // "" = valid
		price  string
	}{
		{"1|https://instagram.com/a|1500", "", "1.35"},
		{"1 | https://instagram.com/a | 1,500", "", "1.35"},
		{"1|https://instagram.com/a|99", "mass.err_quantity", ""},
		{"1|https://instagram.com/a|10001", "mass.err_quantity", ""},
		{"1|https://instagram.com/a|ten", "mass.err_quantity", ""},
		{"1|https://instagram.com/a b|100", "mass.err_link", ""},
		{"1||100", "mass.err_link", ""},
		{"1|https://instagram.com/a", "mass.err_fields", ""},
		{"1|https://instagram.com/a|100|extra", "mass.err_fields", ""},
		{"2|https://instagram.com/a", "", "2.50"},   // a package: its rate
		{"2|https://instagram.com/a|1", "", "2.50"}, // a quantity given to a package is one package
		{"2|https://instagram.com/a|many", "mass.err_fields", ""},
		{"3|https://instagram.com/a|3", "mass.err_not_mass", ""},
		{"5|https://instagram.com/a|100", "mass.err_unorderable", ""},
		{"999|https://instagram.com/a|100", "mass.err_no_service", ""},
		{fmt.Sprintf("%d|https://t.me/poll/1|100|2", poll.ID), "", "0.09"},
		{fmt.Sprintf("%d|https://t.me/poll/1|100|0", poll.ID), "mass.err_number", ""},
		{fmt.Sprintf("%d|https://t.me/poll/1|100", poll.ID), "mass.err_fields", ""},
		{fmt.Sprintf("%d|https://x.com/a|100|bob", mentions.ID), "mass.err_not_mass", ""},
		{fmt.Sprintf("%d|bob|100|200", subs.ID), "mass.err_not_mass", ""},
		{"garbage", "mass.err_format", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			chk := flows.CheckMass(testCatalogue(), []string{tt.line}, testNow)
			if tt.reason != "" {
				if len(chk.Bad) != 1 || chk.Bad[0].Reason.ID != tt.reason || chk.Bad[0].N != 1 {
					t.Fatalf("CheckMass = %+v, want bad line 1 with %s", chk, tt.reason)
				}
				checkMassScreen(t, flows.MassScreen{Items: []flows.MassItem{{Line: flows.M("mass.line_bad", "N", 1), Reason: chk.Bad[0].Reason}}})
				return
			}
			if len(chk.Orders) != 1 {
				t.Fatalf("CheckMass = %+v, want one order", chk)
			}
			if got := chk.Orders[0].Price; !got.Equal(dec(tt.price)) || !chk.Total.Equal(dec(tt.price)) {
				t.Errorf("price = %s (total %s), want %s", got, chk.Total, tt.price)
			}
		})
	}
}

func TestMassFormFollowsTheTypeTable(t *testing.T) {
	want := map[string]string{
		"Default": "service_id|link|quantity", "Package": "service_id|link", "Poll": "service_id|link|quantity|answer_number",
		"Mentions Hashtag": "service_id|link|quantity|hashtag", "Custom Comments": "", "Subscriptions": "",
	}
	for _, st := range flows.ServiceTypes() {
		if w, ok := want[st.Name]; ok {
			if got := flows.MassForm(&st); got != w {
				t.Errorf("MassForm(%s) = %q, want %q", st.Name, got, w)
			}
		}
	}
}

func TestSplitMassText(t *testing.T) {
	got := flows.SplitMassText("\uFEFF1|a|100\r\n\r\n  2|b|200  \n\n")
	if !slices.Equal(got, []string{"1|a|100", "2|b|200"}) {
		t.Errorf("SplitMassText = %q", got)
	}
}

// massLines are 20 lines, bad ones mixed in: 3, 7, 12 and 18.
func massLines() string {
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		switch i {
		case 3:
			b.WriteString("1|https://instagram.com/u3|5\n") // below min
		case 7:
			b.WriteString("999|https://instagram.com/u7|100\n") // no such service
		case 12:
			b.WriteString("not a line\n")
		case 18:
			b.WriteString("3|https://instagram.com/u18|3\n") // comments: not in mass order
		default:
			fmt.Fprintf(&b, "1 | https://instagram.com/u%d | 1000\n", i)
		}
	}
	return b.String()
}

func newMass() (*flows.Mass, *fakePanel) {
	p := newFakePanel()
	return &flows.Mass{Panel: p, Now: func() time.Time { return testNow }}, p
}

func TestMassSummary(t *testing.T) {
	m, _ := newMass()
	ctx := t.Context()
	s := flows.MassSession{ChatID: testChat}
	sc, err := m.Begin(ctx, testKey, &s, 4, "")
	must(t, err)
	checkMassScreen(t, sc)
	if s.State != flows.MassCollecting || s.Version != 4 {
		t.Fatalf("after Begin: %+v", s)
	}
	sc, err = m.Take(ctx, testKey, &s, massLines())
	must(t, err)
	checkMassScreen(t, sc)
	text := renderMass(t, sc)
	for _, want := range []string{"Valid lines: <b>16</b> of 20", "14.40", "Line 3:", "Line 7:", "Line 12:", "Line 18:", "Confirm", "Cancel"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	// A second message adds its lines, numbered after the first's.
	sc, err = m.Take(ctx, testKey, &s, "1|https://instagram.com/x|100\nbad")
	must(t, err)
	text = renderMass(t, sc)
	if !strings.Contains(text, "<b>17</b> of 22") || !strings.Contains(text, "Line 22:") {
		t.Errorf("after a second message:\n%s", text)
	}
	// Too many lines change nothing.
	before := slices.Clone(s.Lines)
	sc, err = m.Take(ctx, testKey, &s, strings.Repeat("1|https://instagram.com/x|100\n", flows.MaxMassLines))
	must(t, err)
	if !slices.Equal(s.Lines, before) || sc.Lines[0].ID != "mass.err_too_many" {
		t.Errorf("too many lines: %d lines kept, screen %+v", len(s.Lines), sc.Lines[0])
	}
	sc, err = m.Cancel(ctx, &s)
	must(t, err)
	if s.State != flows.MassDone || s.Lines != nil || sc.Lines[0].ID != "mass.cancelled" {
		t.Errorf("after Cancel: %+v %+v", s, sc)
	}
}

func TestMassSummaryNamesEveryInvalidLine(t *testing.T) {
	m, _ := newMass()
	s := flows.MassSession{ChatID: testChat}
	_, err := m.Begin(t.Context(), testKey, &s, 1, "")
	must(t, err)
	var b strings.Builder
	for i := 1; i <= flows.MaxMassLines; i++ {
		if i%2 == 0 || i > 400 {
			b.WriteString("bad line\n")
		} else {
			b.WriteString("1|https://instagram.com/a|100\n")
		}
	}
	sc, err := m.Take(t.Context(), testKey, &s, b.String())
	must(t, err)
	text := renderMass(t, sc)
	if n := len([]rune(text)); n > 4096 {
		t.Fatalf("summary is %d characters, more than a Telegram message", n)
	}
	for i := 2; i < 400; i += 2 {
		if !strings.Contains(text, fmt.Sprint(i)) {
			t.Fatalf("summary does not name invalid line %d:\n%s", i, text)
		}
	}
	if !strings.Contains(text, "400-500") {
		t.Errorf("summary does not name lines 400-500 as a range:\n%s", text)
	}
}

func TestMassPlace(t *testing.T) {
	m, p := newMass()
	ctx := t.Context()
	s := flows.MassSession{ChatID: testChat}
	_, err := m.Begin(ctx, testKey, &s, 1, massLines())
	must(t, err)
	l := &fakeMassLedger{}
	var progress []flows.MassScreen
	sc, err := m.Place(ctx, testKey, &s, l, func(sc flows.MassScreen) { progress = append(progress, sc) })
	must(t, err)
	checkMassScreen(t, sc)
	if got := len(p.addCalls()); got != 16 {
		t.Errorf("add called %d times, want 16", got)
	}
	if len(progress) != 16 || s.State != flows.MassDone {
		t.Errorf("progress %d times, state %s", len(progress), s.State)
	}
	if len(l.placed) != 16 || l.placed[0].Link != "https://instagram.com/u1" || !l.placed[0].Price.Equal(dec("0.9")) {
		t.Errorf("placed = %+v", l.placed)
	}
	text := renderMass(t, sc)
	if !strings.Contains(text, "placed 16") || strings.Count(text, "23501") != 16 {
		t.Errorf("result:\n%s", text)
	}
	// A second Confirm places nothing.
	sc, err = m.Place(ctx, testKey, &s, l, nil)
	must(t, err)
	if !sc.Keep || len(p.addCalls()) != 16 {
		t.Errorf("second Place: %+v, %d adds", sc, len(p.addCalls()))
	}
}

func TestMassPlaceOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		addErr error
		status string
	}{
		{"refused", &smm.APIError{Message: "Not enough funds on balance"}, flows.LineRefused},
		{"unknown", fmt.Errorf("add: %w", smm.ErrUnknownOutcome), flows.LineUnknown},
		{"timeout", context.DeadlineExceeded, flows.LineUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, p := newMass()
			p.addErr = tt.addErr
			s := flows.MassSession{ChatID: testChat}
			_, err := m.Begin(t.Context(), testKey, &s, 1, "1|https://instagram.com/a|100\n1|https://instagram.com/b|100")
			must(t, err)
			l := &fakeMassLedger{}
			sc, err := m.Place(t.Context(), testKey, &s, l, nil)
			must(t, err)
			checkMassScreen(t, sc)
			if len(p.addCalls()) != 2 {
				t.Errorf("add called %d times, want 2 (never retried)", len(p.addCalls()))
			}
			for i, o := range l.outcomes {
				if o.Status != tt.status {
					t.Errorf("line %d: %s, want %s", i, o.Status, tt.status)
				}
			}
		})
	}
}

func TestMassPlaceStopsWhenCancelled(t *testing.T) {
	m, p := newMass()
	s := flows.MassSession{ChatID: testChat}
	_, err := m.Begin(t.Context(), testKey, &s, 1, massLines())
	must(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	l := &fakeMassLedger{}
	sc, err := m.Place(ctx, testKey, &s, l, func(flows.MassScreen) { cancel() })
	must(t, err)
	if len(p.addCalls()) != 1 {
		t.Errorf("add called %d times after the stop, want 1", len(p.addCalls()))
	}
	if got := renderMass(t, sc); !strings.Contains(got, "not sent 15") {
		t.Errorf("result:\n%s", got)
	}
}

func TestMassPlaceRefusedByTheGuard(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{{flows.ErrAlreadyPlacing, "mass.already_placing"}, {flows.ErrStale, "menu.expired"}} {
		m, p := newMass()
		s := flows.MassSession{ChatID: testChat}
		_, err := m.Begin(t.Context(), testKey, &s, 1, massLines())
		must(t, err)
		sc, err := m.Place(t.Context(), testKey, &s, &fakeMassLedger{beginErr: tt.err}, nil)
		must(t, err)
		if sc.Notice.ID != tt.want || len(p.addCalls()) != 0 {
			t.Errorf("%v: notice %q, %d adds", tt.err, sc.Notice.ID, len(p.addCalls()))
		}
	}
}

// fakeMassLedger keeps a mass order's record in memory, as the store does.
type fakeMassLedger struct {
	mu       sync.Mutex
	beginErr error
	outcomes []flows.MassOutcome
	placed   []flows.Placed
}

func (l *fakeMassLedger) BeginMass(_ context.Context, _, _ int64, orders []flows.MassOrder) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.beginErr != nil {
		return l.beginErr
	}
	if l.outcomes != nil {
		return flows.ErrAlreadyPlacing
	}
	for _, o := range orders {
		l.outcomes = append(l.outcomes, flows.MassOutcome{N: o.N, Link: o.Draft.Link})
	}
	return nil
}

func (l *fakeMassLedger) MassSending(_ context.Context, _ int64, i int) error {
	return l.set(i, flows.LineWaiting, func(o *flows.MassOutcome) { o.Status = flows.LineSending })
}

func (l *fakeMassLedger) MassPlaced(_ context.Context, _ int64, i int, p flows.Placed) error {
	l.mu.Lock()
	l.placed = append(l.placed, p)
	l.mu.Unlock()
	return l.set(i, flows.LineSending, func(o *flows.MassOutcome) { o.Status, o.OrderID = flows.LinePlaced, p.OrderID })
}

func (l *fakeMassLedger) MassFailed(_ context.Context, _ int64, i int, unknown bool, why flows.Msg) error {
	return l.set(i, flows.LineSending, func(o *flows.MassOutcome) {
		o.Status, o.Reason = flows.LineRefused, why
		if unknown {
			o.Status = flows.LineUnknown
		}
	})
}

func (l *fakeMassLedger) EndMass(context.Context, int64) ([]flows.MassOutcome, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.outcomes {
		switch l.outcomes[i].Status {
		case flows.LineSending:
			l.outcomes[i].Status = flows.LineUnknown
		case flows.LineWaiting:
			l.outcomes[i].Status = flows.LineNotSent
		}
	}
	return slices.Clone(l.outcomes), nil
}

func (l *fakeMassLedger) set(i int, from string, fn func(o *flows.MassOutcome)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i >= len(l.outcomes) || l.outcomes[i].Status != from {
		return errors.New("line not in the state the change needs")
	}
	fn(&l.outcomes[i])
	return nil
}

// renderMass is a mass screen in English, as the bot joins it.
func renderMass(tb testing.TB, sc flows.MassScreen) string {
	tb.Helper()
	parts := []string{render(tb, flows.Screen{Lines: sc.Lines, Notice: sc.Notice})}
	for _, it := range sc.Items {
		parts = append(parts, render(tb, flows.Screen{Lines: []flows.Msg{it.Line, it.Reason}}))
	}
	parts = append(parts, render(tb, flows.Screen{Lines: sc.Foot, Buttons: sc.Buttons}))
	return strings.Join(parts, "\n")
}

// checkMassScreen holds a mass screen to what the bot can draw.
func checkMassScreen(tb testing.TB, sc flows.MassScreen) {
	tb.Helper()
	lines := slices.Clone(sc.Lines)
	for _, it := range sc.Items {
		lines = append(lines, it.Line)
		if it.Reason.ID != "" {
			lines = append(lines, it.Reason)
		}
	}
	checkScreen(tb, flows.Screen{Lines: append(lines, sc.Foot...), Buttons: sc.Buttons, Notice: sc.Notice, Keep: sc.Keep})
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
