package flows_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
)

// The fakes' Panel and Ledger fit the conversation's interfaces.
var (
	_ flows.Panel  = (*fakePanel)(nil)
	_ flows.Ledger = (*fakeLedger)(nil)
)

const (
	testKey  = "test-key"
	testChat = int64(42)
	testLink = "https://instagram.com/p/abc"
)

// testNow is the clock of every conversation under test.
var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// The services of the test catalogue. Categories in panel order:
// 0 Instagram, 1 YouTube, 2 Twitter, 3 Bulk (20 services), 4..9 fillers:
// ten categories, two pages.
var (
	svcDefault = smm.Service{ID: 1, Name: "Instagram Followers [Real]", Type: "Default", Category: "Instagram",
		Rate: dec("0.90"), Min: 100, Max: 10000, Refill: true, Description: "Real-looking accounts, fast start."}
	svcPackage = smm.Service{ID: 2, Name: "Instagram Likes Package 1000", Type: "Package", Category: "Instagram",
		Rate: dec("2.50"), Min: 1, Max: 1}
	svcComments = smm.Service{ID: 3, Name: "Instagram Custom Comments", Type: "Custom Comments", Category: "Instagram",
		Rate: dec("15"), Min: 2, Max: 5}
	svcDrip = smm.Service{ID: 4, Name: "YouTube Views Drip-feed", Type: "Default", Category: "YouTube",
		Rate: dec("1.20"), Min: 500, Max: 100000, Dripfeed: true}
	svcOdd = smm.Service{ID: 5, Name: "Twitter Story Votes", Type: "Story Votes", Category: "Twitter",
		Rate: dec("3"), Min: 10, Max: 1000}
	svcPackageDrip = smm.Service{ID: 6, Name: "Instagram Story Package Drip", Type: "Package", Category: "Instagram",
		Rate: dec("4"), Min: 1, Max: 1, Dripfeed: true}
)

// typeServices are a service of every type of the table (ids 301...), in
// the Twitter category.
var typeServices = func() []smm.Service {
	var list []smm.Service
	for i, t := range flows.ServiceTypes() {
		svc := smm.Service{ID: int64(301 + i), Name: "Twitter " + t.Name, Type: t.Name, Category: "Twitter",
			Rate: dec("0.90"), Min: 2, Max: 5000}
		switch t.Name {
		case "Package", "Custom Comments Package":
			svc.Rate, svc.Min, svc.Max = dec("2.50"), 1, 1
		case "Subscriptions":
			svc.Rate, svc.Min, svc.Max = dec("1.20"), 50, 1000
		}
		list = append(list, svc)
	}
	return list
}()

// svcSubscription is the Subscriptions service of typeServices.
var svcSubscription = typeService("Subscriptions")

func typeService(name string) smm.Service {
	for _, s := range typeServices {
		if s.Type == name {
			return s
		}
	}
	panic("no test service of type " + name)
}

const longCategory = "TikTok Followers — Premium Worldwide High Quality Accounts"

func testServices() []smm.Service {
	list := []smm.Service{svcDefault, svcPackage, svcComments, svcDrip, svcOdd, svcPackageDrip}
	list = append(list, typeServices...)
	for i := range 20 {
		list = append(list, smm.Service{ID: int64(101 + i), Name: "Bulk Service " + itoa(i+1), Type: "Default",
			Category: "Bulk", Rate: dec("0.5"), Min: 10, Max: 1000})
	}
	for i, name := range []string{"Filler A", "Filler B", "Filler C", "Filler D", "Filler E", longCategory} {
		list = append(list, smm.Service{ID: int64(201 + i), Name: name + " service", Type: "Default",
			Category: name, Rate: dec("1"), Min: 1, Max: 100})
	}
	return list
}

func itoa(n int) string { return strconv.Itoa(n) }

// testCatalogue is shared: a Catalogue is not changed after NewCatalogue.
var testCatalogue = sync.OnceValue(func() *smm.Catalogue { return smm.NewCatalogue(testServices()) })

// fakePanel is an in-memory panel: a fixed catalogue, a balance, and an
// add that records its requests.
type fakePanel struct {
	mu      sync.Mutex
	cat     *smm.Catalogue
	catErr  error // returned by Catalogue while set
	balance smm.Balance
	balErr  error
	addID   int64
	addErr  error
	adds    []smm.AddRequest
	keys    []string
}

func newFakePanel() *fakePanel {
	return &fakePanel{
		cat:     testCatalogue(),
		balance: smm.Balance{Amount: dec("100"), Currency: "USD"},
		addID:   23501,
	}
}

func (p *fakePanel) Catalogue(_ context.Context, key string) (*smm.Catalogue, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append(p.keys, key)
	if p.catErr != nil {
		return nil, p.catErr
	}
	return p.cat, nil
}

func (p *fakePanel) Balance(_ context.Context, key string) (smm.Balance, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append(p.keys, key)
	if p.balErr != nil {
		return smm.Balance{}, p.balErr
	}
	return p.balance, nil
}

func (p *fakePanel) Add(_ context.Context, key string, req smm.AddRequest) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append(p.keys, key)
	p.adds = append(p.adds, req)
	if p.addErr != nil {
		return 0, p.addErr
	}
	return p.addID, nil
}

func (p *fakePanel) addCalls() []smm.AddRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.adds)
}

// fakeLedger records the placing guard's calls; beginErr and finishErr
// are what they return.
type fakeLedger struct {
	mu        sync.Mutex
	beginErr  error
	finishErr error
	begins    []beginCall
	finishes  []finishCall
}

type beginCall struct{ chatID, version int64 }

type finishCall struct {
	placed *flows.Placed
	next   flows.Session
}

func (l *fakeLedger) BeginPlacing(_ context.Context, chatID, version int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.begins = append(l.begins, beginCall{chatID, version})
	return l.beginErr
}

func (l *fakeLedger) FinishPlacing(_ context.Context, p *flows.Placed, next flows.Session) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var cp *flows.Placed
	if p != nil {
		c := *p
		cp = &c
	}
	l.finishes = append(l.finishes, finishCall{cp, next})
	return l.finishErr
}

func (l *fakeLedger) finishCalls() []finishCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.finishes)
}

// harness drives one chat's conversation the way the bot does: it keeps
// the session between inputs and gives the menu a message id.
type harness struct {
	tb     testing.TB
	panel  *fakePanel
	ledger *fakeLedger
	order  *flows.Order
	s      flows.Session
	msgs   int  // message ids handed out
	fast   bool // screens are not checked (benchmarks)
}

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	p, l := newFakePanel(), &fakeLedger{}
	o := flows.NewOrder(p, l)
	o.Now = func() time.Time { return testNow }
	return &harness{tb: tb, panel: p, ledger: l, order: o, s: flows.Session{ChatID: testChat, Version: 3}}
}

// try runs one input and returns what Handle returned, checking the screen.
func (h *harness) try(in flows.Input) (flows.Screen, error) {
	h.tb.Helper()
	before := h.s.MenuID
	next, sc, err := h.order.Handle(h.tb.Context(), testKey, h.s, in)
	if !h.fast {
		checkScreen(h.tb, sc)
	}
	h.s = next
	// As the bot presents a screen: a tap edits its menu, anything else
	// sends a new one; a receipt is detached from the conversation.
	if !sc.Empty() && !sc.Keep {
		if !(in.Kind == flows.KindPress && in.MessageID == before && before != 0) {
			h.msgs++
			h.s.MenuID = 100 + h.msgs
		}
		if sc.Detach {
			h.s.MenuID = 0
		}
	}
	return sc, err
}

// do runs one input that must not fail.
func (h *harness) do(in flows.Input) flows.Screen {
	h.tb.Helper()
	sc, err := h.try(in)
	if err != nil {
		h.tb.Fatalf("Handle(state %q, %+v): unexpected error %v", h.s.State, in, err)
	}
	return sc
}

func (h *harness) text(s string) flows.Screen { h.tb.Helper(); return h.do(flows.Text(s)) }
func (h *harness) start() flows.Screen {
	h.tb.Helper()
	return h.do(flows.Input{Kind: flows.KindStart})
}
func (h *harness) press(action string) flows.Screen {
	h.tb.Helper()
	return h.do(flows.Press(h.s.Version, h.s.MenuID, action))
}

// wantState fails the test now unless the conversation is in state.
func (h *harness) wantState(state string) {
	h.tb.Helper()
	if h.s.State != state {
		h.tb.Fatalf("state = %q, want %q", h.s.State, state)
	}
}

// The ways into the conversation's steps.

func (h *harness) toLink(svc smm.Service) flows.Screen {
	h.tb.Helper()
	h.start()
	sc := h.text("#" + strconv.FormatInt(svc.ID, 10))
	h.wantState(flows.StateLink)
	return sc
}

func (h *harness) toQuantity() flows.Screen {
	h.tb.Helper()
	h.toLink(svcDefault)
	sc := h.text(testLink)
	h.wantState(flows.StateQuantity)
	return sc
}

func (h *harness) toComments() flows.Screen {
	h.tb.Helper()
	h.toLink(svcComments)
	sc := h.text(testLink)
	h.wantState(flows.StateComments)
	return sc
}

// toRuns orders 1000 of the drip-feed service and taps Drip-feed on the
// summary.
func (h *harness) toRuns() flows.Screen {
	h.tb.Helper()
	h.toLink(svcDrip)
	h.text(testLink)
	h.text("1000")
	h.wantState(flows.StateConfirm)
	sc := h.press("df")
	h.wantState(flows.StateRuns)
	return sc
}

func (h *harness) toInterval() flows.Screen {
	h.tb.Helper()
	h.toRuns()
	sc := h.text("5")
	h.wantState(flows.StateInterval)
	return sc
}

func (h *harness) toConfirm(qty string) flows.Screen {
	h.tb.Helper()
	h.toQuantity()
	sc := h.text(qty)
	h.wantState(flows.StateConfirm)
	return sc
}

// Reading screens.

func lineIDs(sc flows.Screen) []string {
	var ids []string
	for _, m := range sc.Lines {
		ids = append(ids, m.ID)
	}
	return ids
}

func findLine(sc flows.Screen, id string) (flows.Msg, bool) {
	for _, m := range sc.Lines {
		if m.ID == id {
			return m, true
		}
	}
	return flows.Msg{}, false
}

func actions(sc flows.Screen) []string {
	var as []string
	for _, row := range sc.Buttons {
		for _, b := range row {
			as = append(as, b.Action)
		}
	}
	return as
}

func hasAction(sc flows.Screen, action string) bool { return slices.Contains(actions(sc), action) }

// firstLine is the id of the screen's first line ("" when none).
func firstLine(sc flows.Screen) string {
	if len(sc.Lines) == 0 {
		return ""
	}
	return sc.Lines[0].ID
}

// Checking screens against the locales and Telegram's limits.

var words = sync.OnceValues(locales.Load)

// pluralIDs are the English messages with plural forms.
var pluralIDs = sync.OnceValues(func() (map[string]bool, error) {
	b, err := os.ReadFile("../locales/en.json")
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for id, v := range raw {
		if strings.HasPrefix(strings.TrimSpace(string(v)), "{") {
			ids[id] = true
		}
	}
	return ids, nil
})

// englishIDs are the message ids of locales/en.json.
var englishIDs = sync.OnceValues(func() (map[string]bool, error) {
	c, err := words()
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, id := range c.IDs("en") {
		ids[id] = true
	}
	return ids, nil
})

func knownIDs(tb testing.TB) map[string]bool {
	tb.Helper()
	ids, err := englishIDs()
	if err != nil {
		tb.Fatalf("locales.Load: %v", err)
	}
	return ids
}

// render is a screen in English, as plain text (buttons after a "|").
func render(tb testing.TB, sc flows.Screen) string {
	tb.Helper()
	c, err := words()
	if err != nil {
		tb.Fatalf("locales.Load: %v", err)
	}
	var parts []string
	for _, m := range append(slices.Clone(sc.Lines), sc.Notice) {
		if m.ID != "" {
			parts = append(parts, c.Text("en", m.ID, m.Args, m.Count))
		}
	}
	for _, row := range sc.Buttons {
		for _, b := range row {
			if b.Raw != "" {
				parts = append(parts, "| "+b.Raw)
			} else {
				parts = append(parts, "| "+c.Text("en", b.Label.ID, b.Label.Args, b.Label.Count))
			}
		}
	}
	return strings.Join(parts, "\n")
}

// checkScreen holds every screen to what the bot can draw: message ids the
// English file has, filled templates, and buttons Telegram takes.
func checkScreen(tb testing.TB, sc flows.Screen) {
	tb.Helper()
	ids := knownIDs(tb)
	msg := func(where string, m flows.Msg) {
		if !ids[m.ID] {
			tb.Errorf("%s: message id %q is not in locales/en.json", where, m.ID)
		}
	}
	for i, m := range sc.Lines {
		msg("line "+itoa(i), m)
	}
	if sc.Keep && sc.Notice.ID == "" {
		tb.Errorf("screen keeps the menu but has no notice: %+v", sc)
	}
	if sc.Notice.ID != "" {
		msg("notice", sc.Notice)
	}
	n := 0
	for _, row := range sc.Buttons {
		for _, b := range row {
			n++
			switch {
			case b.Raw == "" && b.Label.ID == "":
				tb.Errorf("button %+v has no label", b)
			case b.Raw == "":
				msg("button "+b.Action+b.Data, b.Label)
			}
			switch {
			case (b.Action == "") == (b.Data == ""):
				tb.Errorf("button %+v: want exactly one of Action and Data", b)
			case len(b.Action) > 40:
				tb.Errorf("button action %q is %d bytes, want <= 40", b.Action, len(b.Action))
			case len(b.Data) > 64:
				tb.Errorf("button data %q is %d bytes, want <= 64", b.Data, len(b.Data))
			case !isASCII(b.Action + b.Data):
				tb.Errorf("button action/data %q is not ASCII", b.Action+b.Data)
			}
		}
	}
	if n > 100 {
		tb.Errorf("screen has %d buttons, want <= 100", n)
	}
	if text := render(tb, sc); strings.Contains(text, "<no value>") {
		tb.Errorf("screen renders a missing template argument:\n%s", text)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] < ' ' {
			return false
		}
	}
	return true
}
