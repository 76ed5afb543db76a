package flows_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/flows"
)

// wantUnchanged fails unless the session is what it was, but for the id of
// the menu the screen was shown in.
func wantUnchanged(tb testing.TB, got, before flows.Session) {
	tb.Helper()
	before.MenuID = got.MenuID
	if !reflect.DeepEqual(got, before) {
		tb.Errorf("session = %+v\nwant unchanged %+v", got, before)
		if got.Draft.Service != nil && before.Draft.Service != nil {
			tb.Errorf("draft = %+v, want %+v", got.Draft, before.Draft)
		}
	}
}

func TestBadQuantity(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"abc", "err.not_number"},
		{"-5", "err.not_number"},
		{"+5", "err.not_number"},
		{"0", "err.out_of_range"},
		{"1.5", "err.not_number"},
		{"1e9", "err.not_number"},
		{"0x10", "err.not_number"},
		{strings.Repeat("9", 30), "err.out_of_range"},
		{"9223372036854775808", "err.out_of_range"},
		{"99", "err.out_of_range"},
		{"10001", "err.out_of_range"},
		{"1,000,000", "err.out_of_range"},
		{"", "err.blank"},
		{"   \n ", "err.blank"},
		{"<script>", "err.not_number"},
		{"1000 followers", "err.not_number"},
		{"١٠٠٠٠٠", "err.out_of_range"},
		{"1000\x00", "err.not_number"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			h.toQuantity()
			before := h.s
			sc := h.text(tt.text)
			if got := lineIDs(sc); len(got) < 2 || got[0] != tt.want || got[1] != "order.ask_quantity" {
				t.Errorf("lines = %v, want %s then the prompt", got, tt.want)
			}
			if m := sc.Lines[0]; m.Args["Min"] != int64(100) || m.Args["Max"] != int64(10000) {
				t.Errorf("problem args = %v, want Min 100 and Max 10000", m.Args)
			}
			if text := render(t, sc); !strings.Contains(text, "100") || !strings.Contains(text, "10000") {
				t.Errorf("quantity error does not mention min and max:\n%s", text)
			}
			if tt.want != "err.blank" {
				if text := render(t, flows.Screen{Lines: sc.Lines[:1]}); !strings.Contains(text, "100") || !strings.Contains(text, "10000") {
					t.Errorf("problem line %q does not mention min and max", text)
				}
			}
			wantUnchanged(t, h.s, before)
		})
	}
}

func TestQuantityAccepted(t *testing.T) {
	tests := []struct {
		text string
		want int64
	}{
		{"1000", 1000},
		{"1,000", 1000},
		{"1 000", 1000},
		{"1_000", 1000},
		{"1\u00a0000", 1000},
		{"  2500\n", 2500},
		{"0100", 100},
		{"١٠٠٠", 1000},
		{"۱۵۰۰", 1500},
		{"10000", 10000},
		{"100", 100},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			h.toQuantity()
			h.text(tt.text)
			h.wantState(flows.StateConfirm)
			if h.s.Draft.Quantity != tt.want {
				t.Errorf("quantity = %d, want %d", h.s.Draft.Quantity, tt.want)
			}
		})
	}
}

func TestBadLink(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"5000 characters", "https://instagram.com/" + strings.Repeat("a", 5000), "err.link_long"},
		{"spaces", "https://instagram.com/p/a b", "err.link_invalid"},
		{"two links on two lines", "https://a.com/x\nhttps://b.com/y", "err.link_invalid"},
		{"control characters", "https://instagram.com/\x00p\x07", "err.control"},
		{"escape character", "https://instagram.com/\x1b[31m", "err.control"},
		{"invalid UTF-8", "https://instagram.com/\xff\xfe", "err.control"},
		{"blank", "   ", "err.link_blank"},
		{"empty", "", "err.link_blank"},
		{"markup", "<script>alert(1)</script>", "err.link_invalid"},
		{"quote", `https://a.com/"onmouseover`, "err.link_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.toLink(svcDefault)
			before := h.s
			sc := h.text(tt.text)
			if got := lineIDs(sc); len(got) < 2 || got[0] != tt.want || got[len(got)-1] != "order.ask_link" {
				t.Errorf("lines = %v, want %s then the link prompt", got, tt.want)
			}
			wantUnchanged(t, h.s, before)
		})
	}
}

func TestLinkAccepted(t *testing.T) {
	for _, link := range []string{testLink, "@username", "instagram.com/p/abc?igshid=x&y=1", "https://t.me/канал", "  https://x.com/a  "} {
		t.Run(link, func(t *testing.T) {
			h := newHarness(t)
			h.toLink(svcDefault)
			h.text(link)
			h.wantState(flows.StateQuantity)
			if want := strings.TrimSpace(link); h.s.Draft.Link != want {
				t.Errorf("link = %q, want %q", h.s.Draft.Link, want)
			}
		})
	}
}

func TestBadComments(t *testing.T) {
	tests := []struct {
		name, text, want string
		count            any
	}{
		{"one comment, min 2", "just one", "err.comment_count", 1},
		{"six comments, max 5", "a\nb\nc\nd\ne\nf", "err.comment_count", 6},
		{"blank lines only", "\n  \n\n", "err.blank", nil},
		{"a comment too long", "ok\n" + strings.Repeat("x", 501), "err.item_long", nil},
		{"control character", "fine\nbad\x07one", "err.control", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.toComments()
			before := h.s
			sc := h.text(tt.text)
			if got := lineIDs(sc); len(got) < 2 || got[0] != tt.want || got[1] != "order.ask_comments" {
				t.Errorf("lines = %v, want %s then the prompt", got, tt.want)
			}
			if tt.count != nil && sc.Lines[0].Args["Count"] != tt.count {
				t.Errorf("problem count = %v, want %v", sc.Lines[0].Args["Count"], tt.count)
			}
			wantUnchanged(t, h.s, before)
		})
	}
}

func TestBadDripfeed(t *testing.T) {
	tests := []struct {
		name  string
		reach func(h *harness) flows.Screen
		text  string
		want  string
	}{
		{"runs 1", (*harness).toRuns, "1", "err.out_of_range"},
		{"runs 101", (*harness).toRuns, "101", "err.out_of_range"},
		{"runs abc", (*harness).toRuns, "abc", "err.not_number"},
		{"interval 0", (*harness).toInterval, "0", "err.out_of_range"},
		{"interval a week and a minute", (*harness).toInterval, "10081", "err.out_of_range"},
		{"interval 1.5", (*harness).toInterval, "1.5", "err.not_number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.reach(h)
			before := h.s
			sc := h.text(tt.text)
			if firstLine(sc) != tt.want {
				t.Errorf("lines = %v, want %s first", lineIDs(sc), tt.want)
			}
			wantUnchanged(t, h.s, before)
		})
	}
}

func TestNotText(t *testing.T) {
	for _, r := range everyStep() {
		t.Run(r.name, func(t *testing.T) {
			h := newHarness(t)
			r.to(h)
			before := h.s
			sc := h.do(flows.Input{Kind: flows.KindOther})
			if got := lineIDs(sc); len(got) < 2 || got[0] != "err.not_text" {
				t.Errorf("lines = %v, want err.not_text above the step's screen", got)
			}
			wantUnchanged(t, h.s, before)
		})
	}
	t.Run("idle", func(t *testing.T) {
		h := newHarness(t)
		sc := h.do(flows.Input{Kind: flows.KindOther})
		if firstLine(sc) != "idle.hint" {
			t.Errorf("lines = %v, want idle.hint", lineIDs(sc))
		}
	})
}

func TestTextAtConfirm(t *testing.T) {
	h := newHarness(t)
	h.toConfirm("1500")
	before := h.s
	sc := h.text("yes please")
	if got := lineIDs(sc); len(got) < 2 || got[0] != "order.use_buttons" || got[1] != "order.summary_title" {
		t.Errorf("lines = %v, want order.use_buttons above the summary", got)
	}
	wantUnchanged(t, h.s, before)
	if len(h.panel.addCalls()) != 0 {
		t.Errorf("typing at the summary placed an order")
	}
}

func TestStalePress(t *testing.T) {
	tests := []struct {
		name  string
		reach func(h *harness) flows.Screen
		in    func(s flows.Session) flows.Input
	}{
		{"older version", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version-1, s.MenuID, "v:1000") }},
		{"newer version", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version+1, s.MenuID, "v:1000") }},
		{"another message", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID+1, "v:1000") }},
		{"older version, Cancel", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version-1, s.MenuID, "x") }},
		{"another message, Confirm", func(h *harness) flows.Screen { return h.toConfirm("1500") },
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID-1, "ok") }},
		{"Confirm at the link step", func(h *harness) flows.Screen { return h.toLink(svcDefault) },
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "ok") }},
		{"category at the quantity step", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "c:0") }},
		{"service at the category step", (*harness).start,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "s:1") }},
		{"services page at the category step", (*harness).start,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "sp:1") }},
		{"quantity at the confirm step", func(h *harness) flows.Screen { return h.toConfirm("1500") },
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "v:5000") }},
		{"interval at the runs step", (*harness).toRuns,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "v:15") }},
		{"no drip-feed at the quantity step", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "nd") }},
		{"unknown verb", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "zz:1") }},
		{"empty action", (*harness).toQuantity,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "") }},
		{"bad page", (*harness).start,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "cp:x") }},
		{"bad category", (*harness).start,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "c:-1") }},
		{"bad service", func(h *harness) flows.Screen { h.start(); return h.press("c:0") },
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "s:abc") }},
		{"Back at the category step", (*harness).start,
			func(s flows.Session) flows.Input { return flows.Press(s.Version, s.MenuID, "b") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.reach(h)
			before := h.s
			sc := h.do(tt.in(h.s))
			if !sc.Keep || sc.Notice.ID != "menu.expired" {
				t.Errorf("screen = %+v, want notice menu.expired", sc)
			}
			wantUnchanged(t, h.s, before)
			if len(h.panel.addCalls()) != 0 || len(h.ledger.begins) != 0 {
				t.Errorf("a stale tap reached the ledger or the panel")
			}
		})
	}
}

func TestConfirmAfterPlaced(t *testing.T) {
	h := newHarness(t)
	h.toConfirm("1500")
	summary := h.s
	h.press("ok")
	h.wantState(flows.StateIdle)
	placed := h.s
	for _, in := range []flows.Input{
		flows.Press(summary.Version, summary.MenuID, "ok"), // the summary's button, tapped again
		flows.Press(h.s.Version, h.s.MenuID, "ok"),
	} {
		sc := h.do(in)
		if !sc.Keep || sc.Notice.ID != "menu.expired" {
			t.Errorf("Confirm after the order was placed = %+v, want notice menu.expired", sc)
		}
	}
	wantUnchanged(t, h.s, placed)
	if got := len(h.panel.addCalls()); got != 1 {
		t.Errorf("add called %d times, want 1", got)
	}
	if got := len(h.ledger.begins); got != 1 {
		t.Errorf("BeginPlacing called %d times, want 1", got)
	}
}
