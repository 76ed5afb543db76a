package bot

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
)

// update rewrites the golden files of the screens from what the code
// renders now: go test ./bot -run TestGolden -update
var update = flag.Bool("update", false, "rewrite bot/testdata/golden from the screens rendered now")

// The conversation's panel remembers each key's currency.
var _ flows.CurrencyTeller = panelView{}

// goldenVersion is the session version the conversation buttons carry.
const goldenVersion = 7

// goldenPanel is a panel with a fixed catalogue: a service of every
// type, a category of three pages, names with emoji, flags, markup and
// Cyrillic or Arabic, a type the bot does not know; a balance in USD.
type goldenPanel struct{ cat *smm.Catalogue }

func (p goldenPanel) Catalogue(context.Context, string) (*smm.Catalogue, error) { return p.cat, nil }
func (p goldenPanel) Balance(context.Context, string) (smm.Balance, error) {
	return smm.Balance{Amount: decimal.RequireFromString("12345.6789"), Currency: "USD"}, nil
}
func (p goldenPanel) Add(context.Context, string, smm.AddRequest) (int64, error) { return 23501, nil }

// goldenLedger accepts every placing.
type goldenLedger struct{}

func (goldenLedger) BeginPlacing(context.Context, int64, int64) error                  { return nil }
func (goldenLedger) FinishPlacing(context.Context, *flows.Placed, flows.Session) error { return nil }

func goldenServices() []smm.Service {
	var list []smm.Service
	for i, t := range flows.ServiceTypes() {
		svc := smm.Service{ID: int64(301 + i), Name: "Type " + t.Name, Type: t.Name, Category: "Every Type",
			Rate: decimal.RequireFromString("0.90"), Min: 2, Max: 50000}
		switch t.Name {
		case "Default":
			svc.Name, svc.Rate, svc.Dripfeed, svc.Refill = "Instagram Followers [Real] 🇺🇸🇬🇧 <b>&", decimal.RequireFromString("1.2345"), true, true
			svc.Description = "Start: 0-1h\r\nSpeed: 10k/day<br>\n\n\n\nRefill: 30 days"
		case "Package", "Custom Comments Package":
			svc.Rate, svc.Min, svc.Max = decimal.RequireFromString("2500"), 1, 1
		case "Subscriptions":
			svc.Rate, svc.Min, svc.Max = decimal.RequireFromString("1.20"), 50, 1000
		}
		list = append(list, svc)
	}
	list = append(list,
		smm.Service{ID: 401, Name: "Story Votes [New]", Type: "Story Votes", Category: "Every Type", Rate: decimal.RequireFromString("3"), Min: 10, Max: 1000},
		smm.Service{ID: 402, Name: "Подписчики Telegram — живые 👨‍👩‍👧‍👦 с гарантией 30 дней", Type: "Default", Category: "Telegram",
			Rate: decimal.RequireFromString("0.00125"), Min: 100, Max: 1000000},
		smm.Service{ID: 403, Name: "متابعين انستقرام حقيقيين 🇸🇦 ضمان مدى الحياة", Type: "Default", Category: "Telegram",
			Rate: decimal.RequireFromString("15"), Min: 1000, Max: 250000})
	for i := range 20 {
		list = append(list, smm.Service{ID: int64(501 + i), Name: fmt.Sprintf("Bulk Likes %02d", i+1), Type: "Default",
			Category: "Bulk", Rate: decimal.RequireFromString("0.5"), Min: 10, Max: 10000})
	}
	return list
}

// goldenValues are what the walk types at each field.
var goldenValues = map[string]string{
	"link": "https://instagram.com/p/golden", "quantity": "15000", "comments": "Nice!\nGreat <post> & more",
	"usernames": "alice\nbob", "hashtags": "#one\n#two", "hashtag": "#golden", "username": "golden_user",
	"media": "https://instagram.com/p/media", "answer_number": "2", "groups": "group_one\ngroup_two",
	"keywords": "smm panel\nbest", "min": "100", "max": "200", "posts": "5", "delay": "30",
}

// golden drives the order conversation and keeps each screen by name.
type golden struct {
	tb      testing.TB
	o       *flows.Order
	s       flows.Session
	screens map[string]flows.Screen
}

func newGolden(tb testing.TB) *golden {
	o := &flows.Order{Panel: goldenPanel{smm.NewCatalogue(goldenServices())}, Ledger: goldenLedger{}, KeyRef: "ref1",
		Now: func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }}
	return &golden{tb: tb, o: o, s: flows.Session{ChatID: 42, Version: goldenVersion - 1}, screens: map[string]flows.Screen{}}
}

func (g *golden) do(name string, in flows.Input) flows.Screen {
	g.tb.Helper()
	if in.Kind == flows.KindPress {
		in.Version, in.MessageID = g.s.Version, g.s.MenuID
	}
	next, sc, err := g.o.Handle(g.tb.Context(), "key", g.s, in)
	if err != nil {
		g.tb.Fatalf("%s: %v", name, err)
	}
	g.s = next
	if name != "" {
		g.screens[name] = sc
	}
	return sc
}

func (g *golden) press(name, action string) flows.Screen {
	return g.do(name, flows.Input{Kind: flows.KindPress, Action: action})
}
func (g *golden) text(name, text string) flows.Screen { return g.do(name, flows.Text(text)) }
func (g *golden) start(name string) flows.Screen {
	return g.do(name, flows.Input{Kind: flows.KindStart})
}

// walk orders svc: its prompts up to the summary (kept as
// "summary_TYPE"), typing goldenValues.
func (g *golden) walk(svc smm.Service) {
	g.tb.Helper()
	g.start("")
	typ := strings.ReplaceAll(strings.ToLower(svc.Type), " ", "_")
	g.text("prompt_"+typ+"_first", fmt.Sprintf("#%d", svc.ID))
	for range 10 {
		if g.s.State == flows.StateConfirm {
			g.screens["summary_"+typ] = g.do("", flows.Input{Kind: flows.KindResume})
			return
		}
		v, ok := goldenValues[g.s.State]
		if !ok {
			g.tb.Fatalf("%s: no golden value for %q", svc.Type, g.s.State)
		}
		g.text("", v)
	}
	g.tb.Fatalf("%s: no summary after 10 steps (at %q)", svc.Type, g.s.State)
}

// conversationScreens are the order conversation's screens: lists,
// prompts, the summary of each type, the receipt.
func conversationScreens(tb testing.TB) map[string]flows.Screen {
	g := newGolden(tb)
	g.start("categories")
	g.press("services_bulk_page1", "c:2")
	g.press("services_bulk_page3", "sp:2")
	g.start("")
	g.press("services_every_type", "c:0")
	g.press("services_every_type_page2", "sp:1")
	g.start("")
	g.text("search_results", "followers")
	g.text("search_unorderable", "votes")
	g.start("")
	g.text("search_nothing", "zzzz")
	g.press("services_telegram", "c:1")
	g.press("prompt_link_cyrillic", "s:402")
	g.text("prompt_quantity", "https://t.me/golden")
	g.text("error_quantity", "5")
	for _, svc := range goldenServices()[:len(flows.ServiceTypes())] {
		g.walk(svc)
	}
	g.walk(goldenServices()[0])
	g.press("summary_dripfeed_runs", "df")
	g.text("", "4")
	g.text("summary_dripfeed", "60")
	g.press("receipt_dripfeed", "ok")
	g.o.FinishedOnly = true
	g.walk(goldenServices()[1])
	g.press("receipt_package_finished_only", "ok")
	return g.screens
}

// goldenNotes are a notification of each kind.
var goldenNotes = map[string]track.Note{
	"notify_status":         {Kind: track.KindStatus, Order: 23501, KeyRef: "ref1", Name: "Instagram <Followers> & more", Old: "Pending", New: "In progress", Remains: 12500},
	"notify_status_final":   {Kind: track.KindStatus, Order: 23501, KeyRef: "ref1", Name: "Likes", Old: "In progress", New: "Completed", Final: true},
	"notify_refill":         {Kind: track.KindRefill, Order: 23501, KeyRef: "ref1", Refill: 77, New: "Completed", Final: true},
	"notify_gone":           {Kind: track.KindGone, Order: 23501, KeyRef: "ref1", Name: "Likes"},
	"notify_stalled":        {Kind: track.KindStalled, Order: 23501, KeyRef: "ref1", Name: "Likes"},
	"notify_stalled_refill": {Kind: track.KindStalled, Order: 23501, KeyRef: "ref1", Refill: 77},
}

// TestGolden renders every screen in every language through the bot's
// render path (escaping, money and numbers, buttons and their callback
// data) and compares it with bot/testdata/golden/LANG/NAME.txt.
func TestGolden(t *testing.T) {
	words, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	op := &Bot{words: words, cfg: Config{OperatorKey: "operator-key"}}
	perUser := &Bot{words: words}
	screens := conversationScreens(t)
	for _, l := range words.Languages() {
		t.Run(l.Code, func(t *testing.T) {
			for name, sc := range screens {
				checkGolden(t, l.Code, name, renderScreen(op, l.Code, sc))
			}
			for name, nt := range goldenNotes {
				text, kb := op.renderNote(l.Code, nt)
				checkGolden(t, l.Code, name, text+renderKeyboard(kb))
			}
			for name, fin := range map[string]bool{"notify_menu_all": false, "notify_menu_finished": true} {
				text, kb := op.notifyMenu(l.Code, fin)
				checkGolden(t, l.Code, name, text+renderKeyboard(kb))
			}
			checkGolden(t, l.Code, "help_operator", op.helpText(l.Code))
			checkGolden(t, l.Code, "help_per_user", perUser.helpText(l.Code))
			for _, tail := range []string{"start.first_order", "start.next_order", "start.resume", "start.need_key"} {
				text := op.line(l.Code, flows.M("start.welcome", "Name", "Dana <3")) + "\n\n" + op.line(l.Code, flows.M(tail))
				checkGolden(t, l.Code, strings.ReplaceAll(tail, ".", "_"), text)
			}
			checkGolden(t, l.Code, "balance", op.line(l.Code, flows.M("balance.show", "Balance",
				flows.Money(decimal.RequireFromString("1234567.891"), "<USD>"))))
		})
	}
}

// renderScreen is a screen as the chat shows it: its text, its toast and
// its buttons with their callback data.
func renderScreen(b *Bot, lang string, sc flows.Screen) string {
	var out strings.Builder
	out.WriteString(b.text(lang, sc.Lines))
	if sc.Notice.ID != "" {
		out.WriteString("\n[toast] " + b.line(lang, sc.Notice))
	}
	out.WriteString(renderKeyboard(b.keyboard(lang, goldenVersion, sc.Buttons)))
	return out.String()
}

func renderKeyboard(kb *models.InlineKeyboardMarkup) string {
	if kb == nil {
		return ""
	}
	var out strings.Builder
	out.WriteString("\n---")
	for _, row := range kb.InlineKeyboard {
		out.WriteString("\n")
		for i, btn := range row {
			if i > 0 {
				out.WriteString(" ")
			}
			out.WriteString("[" + btn.Text + " | " + btn.CallbackData + "]")
		}
	}
	return out.String()
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(tb testing.TB, lang, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", "golden", lang, name+".txt")
	got += "\n"
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Errorf("%s: %v (run go test ./bot -run TestGolden -update)", path, err)
		return
	}
	if string(want) != got {
		tb.Errorf("%s differs (run go test ./bot -run TestGolden -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}
