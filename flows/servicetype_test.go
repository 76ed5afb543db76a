package flows_test

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
)

// promptWords are the English words each field's prompt contains
// (DESIGN.md's "Order types" table).
var promptWords = map[string]string{
	"link": "link", "quantity": "quantity", "comments": "comments", "usernames": "usernames",
	"hashtags": "hashtags", "hashtag": "hashtag", "username": "username", "media": "media",
	"answer_number": "answer", "groups": "groups", "keywords": "keywords", "min": "minimum",
	"max": "maximum", "posts": "posts", "delay": "delay", "expiry": "expiry",
	"runs": "runs", "interval": "interval",
}

// goodInputs are valid answers to each field for the typeServices.
var goodInputs = map[string]step{
	"link":          {text: testLink},
	"quantity":      {text: "1000"},
	"comments":      {text: "nice\n great \n\nwow"},
	"usernames":     {text: "alice\nbob\r\n@carol"},
	"hashtags":      {text: "#sun\n#sea"},
	"hashtag":       {text: "#sunset"},
	"username":      {text: "@nasa"},
	"media":         {text: "https://instagram.com/p/media1"},
	"answer_number": {text: "2"},
	"groups":        {text: "t.me/groupa\nt.me/groupb"},
	"keywords":      {text: "buy shoes\nred shoes"},
	"min":           {text: "100"},
	"max":           {text: "500"},
	"posts":         {text: "10"},
	"delay":         {press: "v:30"},
	"expiry":        {text: "31/12/2027"},
}

// toField starts a conversation about svc (by its id) and answers every
// field with its good input until the conversation stands at state.
func (h *harness) toField(svc smm.Service, state string) flows.Screen {
	h.tb.Helper()
	h.start()
	sc := h.text("#" + strconv.FormatInt(svc.ID, 10))
	for range 20 {
		if h.s.State == state {
			return sc
		}
		in, ok := goodInputs[h.s.State]
		if !ok {
			h.tb.Fatalf("toField(%s, %s): stuck at %q", svc.Type, state, h.s.State)
		}
		if in.press != "" {
			sc = h.press(in.press)
		} else {
			sc = h.text(in.text)
		}
	}
	h.tb.Fatalf("toField(%s, %s): never reached, at %q", svc.Type, state, h.s.State)
	return sc
}

// TestEveryType walks a service of every type through its steps: each
// prompt says its field's word (and has Skip when optional), the summary
// follows the last required field with the price as the type is charged,
// and the add request carries exactly the type's fields.
func TestEveryType(t *testing.T) {
	const (
		comments  = "nice\ngreat\nwow"
		usernames = "alice\nbob\n@carol"
	)
	tests := []struct {
		typ    string
		states []string // the fields asked, in order
		skip   bool     // Skip the optional field asked
		req    smm.AddRequest
		qty    int64
		price  string // "" for a type charged per post
		extra  map[string]string
	}{
		{"Default", []string{"link", "quantity"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000}, 1000, "0.90", nil},
		{"Package", []string{"link"}, false, smm.AddRequest{Link: testLink}, 0, "2.50", nil},
		{"Custom Comments", []string{"link", "comments"}, false,
			smm.AddRequest{Link: testLink, Comments: comments}, 3, "0.0027", nil},
		{"Custom Comments Package", []string{"link", "comments"}, false,
			smm.AddRequest{Link: testLink, Comments: comments}, 0, "2.50", nil},
		{"Mentions", []string{"link", "quantity", "usernames"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Usernames: usernames}, 1000, "0.90",
			map[string]string{"usernames": usernames}},
		{"Mentions with Hashtags", []string{"link", "quantity", "usernames", "hashtags"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Usernames: usernames, Hashtags: "#sun\n#sea"}, 1000, "0.90",
			map[string]string{"usernames": usernames, "hashtags": "#sun\n#sea"}},
		{"Mentions Custom List", []string{"link", "usernames"}, false,
			smm.AddRequest{Link: testLink, Usernames: usernames}, 3, "0.0027", map[string]string{"usernames": usernames}},
		{"Mentions Hashtag", []string{"link", "quantity", "hashtag"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Hashtag: "#sunset"}, 1000, "0.90", map[string]string{"hashtag": "#sunset"}},
		{"Mentions User Followers", []string{"link", "quantity", "username"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Username: "@nasa"}, 1000, "0.90", map[string]string{"username": "@nasa"}},
		{"Mentions Media Likers", []string{"link", "quantity", "media"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Media: "https://instagram.com/p/media1"}, 1000, "0.90",
			map[string]string{"media": "https://instagram.com/p/media1"}},
		{"Comment Likes", []string{"link", "quantity", "username"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Username: "@nasa"}, 1000, "0.90", map[string]string{"username": "@nasa"}},
		{"Comment Replies", []string{"link", "username", "comments"}, false,
			smm.AddRequest{Link: testLink, Username: "@nasa", Comments: comments}, 3, "0.0027", map[string]string{"username": "@nasa"}},
		{"Poll", []string{"link", "quantity", "answer_number"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, AnswerNumber: 2}, 1000, "0.90", map[string]string{"answer_number": "2"}},
		{"Invites from Groups", []string{"link", "quantity", "groups"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Groups: "t.me/groupa\nt.me/groupb"}, 1000, "0.90",
			map[string]string{"groups": "t.me/groupa\nt.me/groupb"}},
		{"SEO", []string{"link", "quantity", "keywords"}, false,
			smm.AddRequest{Link: testLink, Quantity: 1000, Keywords: "buy shoes\nred shoes"}, 1000, "0.90",
			map[string]string{"keywords": "buy shoes\nred shoes"}},
		{"Subscriptions", []string{"username", "min", "max", "posts", "delay"}, false,
			smm.AddRequest{Username: "@nasa", Min: 100, Max: 500, Posts: 10, Delay: 30}, 0, "",
			map[string]string{"username": "@nasa", "min": "100", "max": "500", "posts": "10", "delay": "30"}},
		{"Subscriptions", []string{"username", "min", "max", "posts", "delay"}, true,
			smm.AddRequest{Username: "@nasa", Min: 100, Max: 500, Delay: 30}, 0, "",
			map[string]string{"username": "@nasa", "min": "100", "max": "500", "delay": "30"}},
	}
	for _, tt := range tests {
		name := tt.typ
		if tt.skip {
			name += " skipping"
		}
		t.Run(name, func(t *testing.T) {
			svc := typeService(tt.typ)
			tt.req.Service = svc.ID
			h := newHarness(t)
			h.start()
			sc := h.text("#" + strconv.FormatInt(svc.ID, 10))
			for _, state := range tt.states {
				h.wantState(state)
				checkPrompt(t, sc, state)
				in := goodInputs[state]
				switch {
				case tt.skip && state == "posts":
					sc = h.press("sk")
				case in.press != "":
					sc = h.press(in.press)
				default:
					sc = h.text(in.text)
				}
			}
			h.wantState(flows.StateConfirm)
			checkSummary(t, sc, tt.price)
			h.press("ok")
			if got := h.panel.addCalls(); len(got) != 1 || !reflect.DeepEqual(got[0], tt.req) {
				t.Errorf("add requests = %+v\nwant exactly %+v", got, tt.req)
			}
			fin := h.ledger.finishCalls()
			if len(fin) != 1 || fin[0].placed == nil {
				t.Fatalf("FinishPlacing calls = %+v, want one with the order", fin)
			}
			p := fin[0].placed
			if p.Quantity != tt.qty || !reflect.DeepEqual(p.Extra, tt.extra) || p.Link != tt.req.Link {
				t.Errorf("Placed quantity %d, link %q, extra %v; want %d, %q, %v", p.Quantity, p.Link, p.Extra, tt.qty, tt.req.Link, tt.extra)
			}
			if tt.price != "" && moneyText(p.Price) != tt.price || tt.price == "" && !p.Price.IsZero() {
				t.Errorf("Placed price = %s, want %q", p.Price, tt.price)
			}
		})
	}
}

// checkPrompt: a field's prompt says the field's word; an optional one
// has Skip, a required one has not.
func checkPrompt(tb testing.TB, sc flows.Screen, field string) {
	tb.Helper()
	text := strings.ToLower(render(tb, sc))
	if !strings.Contains(text, promptWords[field]) {
		tb.Errorf("prompt of %s does not say %q:\n%s", field, promptWords[field], text)
	}
	optional := field == "posts" || field == "expiry"
	if got := hasAction(sc, "sk") && strings.Contains(text, "skip"); got != optional {
		tb.Errorf("prompt of %s: Skip button %v, want %v (actions %v)", field, got, optional, actions(sc))
	}
}

// checkSummary: Confirm and Cancel, and the price as the type is charged.
func checkSummary(tb testing.TB, sc flows.Screen, price string) {
	tb.Helper()
	text := render(tb, sc)
	for _, want := range []string{"Confirm", "Cancel"} {
		if !strings.Contains(text, want) {
			tb.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	if price == "" {
		if _, ok := findLine(sc, "order.summary_price_post"); !ok || strings.Contains(text, "Total") {
			tb.Errorf("summary of a subscription: want how the panel charges it, no total:\n%s", text)
		}
		return
	}
	if !strings.Contains(text, price) {
		tb.Errorf("summary lacks the price %s:\n%s", price, text)
	}
	if hasAction(sc, "df") {
		tb.Errorf("summary of a service without drip-feed offers it: %v", actions(sc))
	}
}

// TestPackagePrice: a package's rate is its price, and nothing says "per
// 1000" of it.
func TestPackagePrice(t *testing.T) {
	h := newHarness(t)
	sc := h.toLink(svcPackage)
	if text := render(t, sc); strings.Contains(text, "per 1000") || !strings.Contains(text, "2.50") {
		t.Errorf("a Package's prompt:\n%s\nwant its price and no \"per 1000\"", text)
	}
	sc = h.text(testLink)
	if text := render(t, sc); !strings.Contains(text, "one package") || strings.Contains(text, "per 1000") {
		t.Errorf("a Package's summary:\n%s\nwant \"one package\" and no \"per 1000\"", text)
	}
}

// TestSubscriptionExpiry: the summary offers the optional expiry (the
// last field, after the last required one); it comes back to the summary
// and goes into the add request; Back from it changes nothing.
func TestSubscriptionExpiry(t *testing.T) {
	h := newHarness(t)
	sc := h.toField(svcSubscription, flows.StateConfirm)
	if !hasAction(sc, "o:expiry") || !strings.Contains(strings.ToLower(render(t, sc)), "expiry") {
		t.Fatalf("summary actions %v: want the expiry button", actions(sc))
	}
	sc = h.press("o:expiry")
	h.wantState("expiry")
	checkPrompt(t, sc, "expiry")
	before := h.s
	sc = h.text("2027-12-31")
	if firstLine(sc) != "err.date" || !reflect.DeepEqual(h.s.Draft, before.Draft) || h.s.State != before.State {
		t.Errorf("a malformed date: lines %v, session %+v, was %+v", lineIDs(sc), h.s, before)
	}
	sc = h.text("1/2/2028")
	h.wantState(flows.StateConfirm)
	if m, ok := findLine(sc, "order.summary_expiry"); !ok || m.Args["Value"] != "01/02/2028" {
		t.Errorf("summary expiry line = %+v, want 01/02/2028", m)
	}
	h.press("ok")
	want := smm.AddRequest{Service: svcSubscription.ID, Username: "@nasa", Min: 100, Max: 500, Posts: 10, Delay: 30, Expiry: "01/02/2028"}
	if got := h.panel.addCalls(); len(got) != 1 || got[0] != want {
		t.Errorf("add requests = %+v, want %+v", got, want)
	}
}

// TestDelayButtons: the delay is offered as buttons of the common values,
// and delay 0 is sent as 0.
func TestDelayButtons(t *testing.T) {
	h := newHarness(t)
	sc := h.toField(svcSubscription, "delay")
	var got []string
	for _, a := range actions(sc) {
		if v, ok := strings.CutPrefix(a, "v:"); ok {
			got = append(got, v)
		}
	}
	want := strings.Fields("0 5 10 15 20 30 40 50 60 90 120 150 180 210 240 270 300 360 420 480 540 600")
	if !slices.Equal(got, want) {
		t.Errorf("delay buttons = %v, want %v", got, want)
	}
	h.press("v:0")
	h.wantState(flows.StateConfirm)
	h.press("ok")
	if adds := h.panel.addCalls(); len(adds) != 1 || adds[0].Delay != 0 || adds[0].Max != 500 {
		t.Errorf("add requests = %+v, want delay 0", adds)
	}
}

// TestBadFieldInput: every field's bad inputs get a reply that says what
// is wrong, under the same prompt, and change nothing.
func TestBadFieldInput(t *testing.T) {
	tests := []struct {
		typ, field, in, want string
	}{
		{"Default", "link", "two words", "err.link_invalid"},
		{"Default", "quantity", "1", "err.out_of_range"},
		{"Default", "quantity", "5001", "err.out_of_range"},
		{"Default", "quantity", "1e3", "err.not_number"},
		{"Custom Comments", "comments", "only one", "err.comment_count"},
		{"Custom Comments", "comments", " \n \n", "err.blank"},
		{"Custom Comments", "comments", strings.Repeat("x", 501) + "\nok", "err.item_long"},
		{"Custom Comments Package", "comments", "a\x07b", "err.control"},
		{"Mentions", "usernames", "alice bob\ncarol", "err.item_word"},
		{"Mentions Custom List", "usernames", "solo", "err.line_count"},
		{"Mentions with Hashtags", "hashtags", "", "err.blank"},
		{"Mentions Hashtag", "hashtag", "two words", "err.one_word"},
		{"Mentions User Followers", "username", "  ", "err.blank"},
		{"Comment Likes", "username", strings.Repeat("u", 201), "err.item_long"},
		{"Mentions Media Likers", "media", "<script>", "err.link_invalid"},
		{"Comment Replies", "comments", "one", "err.comment_count"},
		{"Poll", "answer_number", "0", "err.out_of_range"},
		{"Poll", "answer_number", "101", "err.out_of_range"},
		{"Poll", "answer_number", "first", "err.not_number"},
		{"Invites from Groups", "groups", "group a", "err.item_word"},
		{"SEO", "keywords", "\n\n", "err.blank"},
		{"Subscriptions", "username", "two words", "err.one_word"},
		{"Subscriptions", "min", "10", "err.out_of_range"},
		{"Subscriptions", "min", "1001", "err.out_of_range"},
		{"Subscriptions", "max", "99", "err.out_of_range"},
		{"Subscriptions", "posts", "0", "err.out_of_range"},
		{"Subscriptions", "delay", "7", "err.choice"},
		{"Subscriptions", "delay", "601", "err.out_of_range"},
		{"Subscriptions", "expiry", "31/02/2027", "err.date"},
		{"Subscriptions", "expiry", "1/1/2020", "err.date_past"},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.field+" "+strconv.Quote(tt.in), func(t *testing.T) {
			h := newHarness(t)
			svc := typeService(tt.typ)
			if tt.field == "expiry" {
				h.toField(svc, flows.StateConfirm)
				h.press("o:expiry")
			} else {
				h.toField(svc, tt.field)
			}
			before := cloneSession(h.s)
			sc := h.text(tt.in)
			if firstLine(sc) != tt.want {
				t.Errorf("lines = %v, want %s first", lineIDs(sc), tt.want)
			}
			if _, ok := findLine(sc, "order.ask_"+tt.field); !ok {
				t.Errorf("lines = %v, want the prompt again", lineIDs(sc))
			}
			if !reflect.DeepEqual(h.s.Draft, before.Draft) || h.s.State != before.State {
				t.Errorf("a bad input changed the session: %+v, was %+v", h.s, before)
			}
			if n := len(h.panel.addCalls()); n != 0 {
				t.Errorf("%d add calls", n)
			}
		})
	}
}

// TestUnknownTypeMarked: a type the bot does not know is marked in the
// service list and in search results, and tapping it asks nothing.
func TestUnknownTypeMarked(t *testing.T) {
	for _, reach := range []struct {
		name string
		to   func(h *harness) flows.Screen
	}{
		{"list", func(h *harness) flows.Screen { h.start(); return h.press("c:2") }},
		{"search", func(h *harness) flows.Screen { h.start(); return h.text("story votes") }},
	} {
		t.Run(reach.name, func(t *testing.T) {
			h := newHarness(t)
			sc := reach.to(h)
			var marked bool
			for _, row := range sc.Buttons {
				for _, b := range row {
					if b.Action == "s:5" {
						marked = strings.HasPrefix(b.Raw, "🚫")
					} else if strings.HasPrefix(b.Raw, "🚫") {
						t.Errorf("orderable service %q is marked", b.Raw)
					}
				}
			}
			if m, ok := findLine(sc, "order.service_line_unorderable"); !marked || !ok || m.Args["ID"] != svcOdd.ID {
				t.Errorf("service #5 (unknown type) not marked: lines %v, buttons %v", lineIDs(sc), actions(sc))
			}
			before := cloneSession(h.s)
			sc = h.press("s:5")
			if firstLine(sc) != "order.unsupported" || h.s.State != before.State {
				t.Errorf("tap on an unknown type: lines %v, state %s; want order.unsupported, %s", lineIDs(sc), h.s.State, before.State)
			}
		})
	}
}

// TestEveryFieldHasItsWords: every field of the table has its prompt
// and summary line (and an optional field the summary offers, its
// button) in every language.
func TestEveryFieldHasItsWords(t *testing.T) {
	c, err := words()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Languages() {
		ids := c.IDs(l.Code)
		for _, typ := range flows.ServiceTypes() {
			last := 0
			for i, f := range typ.Fields {
				if !f.Optional {
					last = i
				}
			}
			for i, f := range typ.Fields {
				want := []string{f.Prompt(), "order.summary_" + f.Name}
				if i > last {
					want = append(want, "btn.opt_"+f.Name)
				}
				for _, id := range want {
					if !slices.Contains(ids, id) {
						t.Errorf("%s: %s (%s) lacks %s", l.Code, typ.Name, f.Name, id)
					}
				}
			}
		}
	}
}

// FuzzParseList: a list is never lost or invented: every item is one
// trimmed, non-empty line of the text, within the limit, and parsing the
// items again gives them back.
func FuzzParseList(f *testing.F) {
	for _, seed := range []string{"a\nb", " a \r\n\n b ", "", "\n\n", "one two\nthree", "x\x00y", "٣\n#tag\n@user", "\xff"} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, text string, words bool) {
		items, problem := flows.ParseList(text, words, 50)
		if problem != "" {
			if items != nil {
				t.Errorf("ParseList(%q) = %q with problem %s", text, items, problem)
			}
			return
		}
		if len(items) == 0 {
			t.Fatalf("ParseList(%q): no items and no problem", text)
		}
		for _, it := range items {
			if it == "" || it != strings.TrimSpace(it) || strings.ContainsAny(it, "\r\n") ||
				utf8.RuneCountInString(it) > 50 || !utf8.ValidString(it) || strings.IndexFunc(it, unicode.IsControl) >= 0 ||
				(words && strings.IndexFunc(it, unicode.IsSpace) >= 0) || !strings.Contains(text, it) {
				t.Errorf("ParseList(%q): bad item %q", text, it)
			}
		}
		again, problem := flows.ParseList(strings.Join(items, "\n"), words, 50)
		if problem != "" || !slices.Equal(again, items) {
			t.Errorf("ParseList(join(%q)) = %q, %s", items, again, problem)
		}
	})
}
