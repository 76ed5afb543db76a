package flows_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
)

// regionalIndicators counts the runes of flags' halves in s.
func regionalIndicators(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1F1E6 && r <= 0x1F1FF {
			n++
		}
	}
	return n
}

func TestShorten(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "Followers", 20, "Followers"},
		{"spaces collapsed", "  Instagram \n Followers\t[Real] ", 40, "Instagram Followers [Real]"},
		{"cut with a mark", "Instagram Followers Real Fast", 12, "Instagram F…"},
		{"flags kept whole", "🇺🇸🇬🇧🇩🇪🇫🇷🇪🇸", 4, "🇺🇸…"},
		{"flag at the cut left out", "Followers 🇺🇸🇬🇧", 12, "Followers…"},
		{"family emoji whole or not at all", "Likes 👨‍👩‍👧‍👦 fast", 10, "Likes…"},
		{"accents stay on their letter", "Cafe\u0301 Cafe\u0301 Cafe\u0301", 6, "Cafe\u0301…"},
		{"an accent is not cut from its letter", "Cafe\u0301 Cafe\u0301", 5, "Caf…"},
		{"Arabic", "متابعين انستقرام حقيقيين", 9, "متابعين…"},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flows.Shorten(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if utf8.RuneCountInString(got) > tt.n {
				t.Errorf("Shorten(%q, %d) = %q: %d runes, want <= %d", tt.in, tt.n, got, utf8.RuneCountInString(got), tt.n)
			}
			if regionalIndicators(got)%2 != 0 {
				t.Errorf("Shorten(%q, %d) = %q cuts a flag in half", tt.in, tt.n, got)
			}
		})
	}
}

func TestDescription(t *testing.T) {
	long := strings.Repeat("🇺🇸", 400)
	tests := []struct {
		name, in, want string
	}{
		{"one line", "Real accounts.", "Real accounts."},
		{"line breaks kept", "Start: 0-1h\nSpeed: 10k/day\nRefill: 30 days", "Start: 0-1h\nSpeed: 10k/day\nRefill: 30 days"},
		{"CRLF", "a\r\nb", "a\nb"},
		{"HTML breaks", "a<br>b<br />c<BR/>d", "a\nb\nc\nd"},
		{"blank lines collapsed to one", "a\n\n\n\n   \nb", "a\n\nb"},
		{"spaces inside a line collapsed", "  a    b  \n\t c ", "a b\nc"},
		{"blank lines at the ends dropped", "\n\n  a\n\n\n", "a"},
		{"nothing but space", " \n \r\n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := flows.Description(tt.in); got != tt.want {
				t.Errorf("Description(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("capped on a grapheme boundary", func(t *testing.T) {
		got := flows.Description(long)
		if n := utf8.RuneCountInString(got); n > 600 || !strings.HasSuffix(got, "…") {
			t.Errorf("Description of %d runes = %d runes, want <= 600 ending in …", utf8.RuneCountInString(long), n)
		}
		if regionalIndicators(got)%2 != 0 {
			t.Error("the cut description has half a flag")
		}
	})
}

// TestServiceButtons: a service's button carries its id and its name (cut
// at most after 20 characters); an unorderable one is marked, in its
// category and in search results.
func TestServiceButtons(t *testing.T) {
	for _, tt := range []struct {
		name string
		to   func(h *harness) flows.Screen
	}{
		{"category", func(h *harness) flows.Screen { h.start(); return h.press("c:2") }},
		{"search", func(h *harness) flows.Screen { h.start(); return h.text("Twitter") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			sc := tt.to(h)
			seen := 0
			for _, row := range sc.Buttons {
				for _, b := range row {
					id, ok := strings.CutPrefix(b.Action, "s:")
					if !ok {
						continue
					}
					seen++
					svc, _ := testCatalogue().Service(int64(atoi(id)))
					want := "#" + id + " " + string([]rune(svc.Name)[:min(20, utf8.RuneCountInString(svc.Name))])
					if !flows.Orderable(svc) {
						want = "🚫 " + want
					}
					if !strings.HasPrefix(b.Raw, want) {
						t.Errorf("button %q, want it to start with %q", b.Raw, want)
					}
				}
			}
			if seen == 0 {
				t.Fatalf("no service buttons: %v", actions(sc))
			}
			if text := render(t, sc); !strings.Contains(text, "🚫 #5 Twitter Story Votes") || !strings.Contains(text, "not orderable") {
				t.Errorf("the unorderable service is not marked in the list:\n%s", text)
			}
		})
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// TestListTitles: service lists and search results say how many matched
// and the page, like the categories do.
func TestListTitles(t *testing.T) {
	many := testServices()
	for i := range 250 {
		many = append(many, smm.Service{ID: int64(1000 + i), Name: "Mass Likes " + itoa(i), Type: "Default",
			Category: "Mass", Rate: dec("0.1"), Min: 10, Max: 100})
	}
	tests := []struct {
		name      string
		to        func(h *harness) flows.Screen
		id        string
		count     int
		page      int
		pages     int
		wantMore  bool
		wantInTxt string
	}{
		{"category page 1", func(h *harness) flows.Screen { h.start(); return h.press("c:3") }, "order.services", 20, 1, 3, false,
			"(20 services, page 1 of 3)"},
		{"category page 3", func(h *harness) flows.Screen { h.start(); h.press("c:3"); return h.press("sp:2") }, "order.services", 20, 3, 3, false,
			"page 3 of 3"},
		{"search", func(h *harness) flows.Screen { h.start(); return h.text("bulk service 1") }, "order.results", 11, 1, 2, false,
			"(11 found, page 1 of 2)"},
		{"one match", func(h *harness) flows.Screen { h.start(); return h.text("drip-feed") }, "order.results", 1, 1, 1, false,
			"(1 found, page 1 of 1)"},
		{"more than are listed", func(h *harness) flows.Screen {
			h.panel.cat = smm.NewCatalogue(many)
			h.start()
			return h.text("mass likes")
		}, "order.results", 250, 1, 25, true, "250 found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			sc := tt.to(h)
			m := sc.Lines[0]
			if m.ID != tt.id || m.Count != tt.count || m.Args["Page"] != tt.page || m.Args["Pages"] != tt.pages {
				t.Errorf("title = %s count %v page %v of %v; want %s count %d page %d of %d",
					m.ID, m.Count, m.Args["Page"], m.Args["Pages"], tt.id, tt.count, tt.page, tt.pages)
			}
			if _, more := findLine(sc, "order.results_more"); more != tt.wantMore {
				t.Errorf("results_more shown = %v, want %v", more, tt.wantMore)
			}
			if text := render(t, sc); !strings.Contains(text, tt.wantInTxt) {
				t.Errorf("screen lacks %q:\n%s", tt.wantInTxt, text)
			}
		})
	}
}

// TestBackReturnsToThePage: a service opened from page 2 of a list goes
// back to page 2 of that list.
func TestBackReturnsToThePage(t *testing.T) {
	tests := []struct {
		name     string
		to       func(h *harness) flows.Screen
		svc      string
		wantPage int
	}{
		{"category page 2", func(h *harness) flows.Screen { h.start(); h.press("c:3"); return h.press("sp:1") }, "s:110", 2},
		{"search page 2", func(h *harness) flows.Screen { h.start(); h.text("bulk"); return h.press("sp:1") }, "s:110", 2},
		{"service id typed on page 3", func(h *harness) flows.Screen { h.start(); h.press("c:3"); return h.press("sp:2") }, "", 3},
		{"category page 1", func(h *harness) flows.Screen { h.start(); return h.press("c:3") }, "s:101", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			list := tt.to(h)
			if tt.svc == "" {
				h.text("#1")
			} else {
				h.press(tt.svc)
			}
			h.wantState(flows.StateLink)
			sc := h.press("b")
			h.wantState(flows.StateService)
			if m := sc.Lines[0]; m.Args["Page"] != tt.wantPage {
				t.Errorf("Back led to page %v, want %d", m.Args["Page"], tt.wantPage)
			}
			if got, want := listActions(sc), listActions(list); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("Back listed %v, want the list it came from %v", got, want)
			}
		})
	}
}

// TestAmountsCarryTheCurrency: every amount of the conversation is money
// in the panel's currency: list rates, the chosen service's rate, the
// summary's price and balance, the receipt's price.
func TestAmountsCarryTheCurrency(t *testing.T) {
	h := newHarness(t)
	h.panel.balance.Currency = "EUR"
	h.start()
	var amounts []flows.Msg
	amounts = append(amounts, h.press("c:0").Lines[1:]...)
	amounts = append(amounts, h.press("s:1").Lines[0])
	h.text(testLink)
	sc := h.text("1500")
	for _, id := range []string{"order.summary_price", "order.summary_balance"} {
		m, _ := findLine(sc, id)
		amounts = append(amounts, m)
	}
	amounts = append(amounts, h.press("ok").Lines[0])
	for _, m := range amounts {
		n := 0
		for _, v := range m.Args {
			if money, ok := v.(locales.Money); ok {
				n++
				if money.Currency != "EUR" {
					t.Errorf("%s: %v has currency %q, want EUR", m.ID, money.Amount, money.Currency)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s has no amount: %v", m.ID, m.Args)
		}
	}
	if text := render(t, sc); !strings.Contains(text, "1.35 EUR") || !strings.Contains(text, "1,500") && !strings.Contains(text, "1500") {
		t.Errorf("summary:\n%s\nwant 1.35 EUR and the quantity", text)
	}
}

// TestPackagesNeverSayPerThousand: in every language a package's list
// line, chosen line, summary and receipt say what one package costs.
func TestPackagesNeverSayPerThousand(t *testing.T) {
	c, err := words()
	if err != nil {
		t.Fatal(err)
	}
	perThousand := map[string]string{"en": "per 1000", "ru": "за 1000", "ar": "لكل 1000"}
	for _, svc := range []smm.Service{svcPackage, typeService("Custom Comments Package")} {
		h := newHarness(t)
		h.start()
		var screens []flows.Screen
		screens = append(screens, h.text(svc.Name)) // search results listing it
		screens = append(screens, h.text("#"+itoa(int(svc.ID))))
		h.text(testLink)
		if h.s.State != flows.StateConfirm {
			h.text("one\ntwo")
		}
		h.wantState(flows.StateConfirm)
		screens = append(screens, h.s2())
		screens = append(screens, h.press("ok"))
		for lang, phrase := range perThousand {
			for _, sc := range screens {
				for _, m := range sc.Lines {
					if m.ID == "order.service_line" || m.ID == "order.chosen" {
						continue // other services of the search results
					}
					if text := c.Text(lang, m.ID, m.Args, m.Count); strings.Contains(text, phrase) {
						t.Errorf("%s %s (%s): %q says %q", svc.Type, m.ID, lang, text, phrase)
					}
				}
			}
		}
	}
}

// s2 redraws the current step (the summary) as the bot's Continue does.
func (h *harness) s2() flows.Screen {
	h.tb.Helper()
	return h.do(flows.Input{Kind: flows.KindResume})
}

// TestReceiptPromise: the receipt promises what the chat's notification
// setting will send.
func TestReceiptPromise(t *testing.T) {
	for _, tt := range []struct {
		finishedOnly bool
		want         string
	}{{false, "order.promise_all"}, {true, "order.promise_finished"}} {
		h := newHarness(t)
		h.order.FinishedOnly = tt.finishedOnly
		h.toConfirm("1500")
		sc := h.press("ok")
		if _, ok := findLine(sc, tt.want); !ok {
			t.Errorf("FinishedOnly %v: receipt lines %v, want %s", tt.finishedOnly, lineIDs(sc), tt.want)
		}
	}
}

// TestResume: /start's Continue shows the step under way again and
// changes nothing; Resumable says when there is one.
func TestResume(t *testing.T) {
	h := newHarness(t)
	if flows.Resumable(h.s) {
		t.Error("an idle session is resumable")
	}
	prompt := h.toQuantity()
	before := h.s
	if !flows.Resumable(before) {
		t.Errorf("a session at %q is not resumable", before.State)
	}
	sc := h.s2()
	if render(t, sc) != render(t, prompt) {
		t.Errorf("Continue showed\n%s\nwant the prompt\n%s", render(t, sc), render(t, prompt))
	}
	if h.s.State != before.State || h.s.Version != before.Version {
		t.Errorf("Continue changed the session: %+v, was %+v", h.s, before)
	}
	for _, s := range []flows.Session{{State: flows.StatePlacing}, {State: flows.StateKey}, {State: flows.StateIdle}, {}} {
		if flows.Resumable(s) {
			t.Errorf("state %q is resumable", s.State)
		}
	}
}

// BenchmarkServicesPage draws a page of a category's services: eight
// buttons cut on grapheme boundaries and their lines.
func BenchmarkServicesPage(b *testing.B) {
	h := newBenchHarness(b)
	h.start()
	h.press("c:3")
	b.ReportAllocs()
	for b.Loop() {
		h.press("sp:1")
	}
}

// BenchmarkShorten cuts a long name with emoji and flags.
func BenchmarkShorten(b *testing.B) {
	name := "Instagram Followers 🇺🇸🇬🇧 [Real] 👨‍👩‍👧‍👦 Lifetime Refill — Max 1M — Start 0-1h"
	b.ReportAllocs()
	for b.Loop() {
		_ = flows.Shorten(name, 36)
	}
}
