package bot_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// pick is the first service of list that fits, or fails the test.
func pick(tb testing.TB, list []smm.Service, what string, fits func(smm.Service) bool) smm.Service {
	tb.Helper()
	for _, s := range list {
		if fits(s) {
			return s
		}
	}
	tb.Fatalf("the catalogue has no %s", what)
	return smm.Service{}
}

// affordable: the service's smallest order costs little of the balance.
func affordable(s smm.Service) bool {
	return s.Min >= 1 && s.Price(s.Min).LessThan(decimal.NewFromInt(5))
}

// pressBySuffix taps the button of m whose data ends in suffix, by its
// whole label, and returns the bot's reply.
func (h *harness) pressBySuffix(m telegramtest.Message, suffix string) telegramtest.Message {
	h.t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.HasSuffix(b.Data, suffix) {
				return h.press(b.Text)
			}
		}
	}
	h.t.Fatalf("message %d has no button with data ending %q:\n%s", m.ID, suffix, h.transcript())
	return telegramtest.Message{}
}

// buttonsData is every callback data of m, space-separated.
func buttonsData(m telegramtest.Message) string {
	var b strings.Builder
	for _, row := range m.Buttons {
		for _, btn := range row {
			b.WriteString(btn.Data + " ")
		}
	}
	return b.String()
}

// TestKeyboards draws every screen of a long session over a big catalogue
// and checks each keyboard as it was sent or edited.
func TestKeyboards(t *testing.T) {
	t.Parallel()
	services := smmtest.GenerateCatalogue(1200, 1)
	last := services[len(services)-1]
	services = append(services, smm.Service{ID: last.ID + 1, Name: "Story Votes", Type: "Story Votes",
		Category: last.Category, Rate: decimal.NewFromInt(1), Min: 10, Max: 1000})
	h := newHarness(t, withServices(services))
	rec := h.record()
	cat := smm.NewCatalogue(services)
	if len(cat.Categories) < 25 {
		t.Fatalf("catalogue has %d categories, want at least 25 (four pages)", len(cat.Categories))
	}
	drip := pick(t, services, "affordable drip-feed Default", func(s smm.Service) bool {
		return s.Type == "Default" && s.Dripfeed && affordable(s)
	})
	comments := pick(t, services, "Custom Comments with few lines", func(s smm.Service) bool {
		return s.Type == "Custom Comments" && s.Min >= 1 && s.Min <= 10 && affordable(s)
	})
	pkg := pick(t, services, "affordable Package", func(s smm.Service) bool {
		return s.Type == "Package" && s.Rate.LessThan(decimal.NewFromInt(5))
	})
	odd := pick(t, services, "unsupported type", func(s smm.Service) bool { return !flows.Orderable(s) })
	cancellable := pick(t, services, "affordable cancellable Default", func(s smm.Service) bool {
		return s.Type == "Default" && s.Cancel && !s.Dripfeed && affordable(s)
	})
	id := func(s smm.Service) string { return strconv.FormatInt(s.ID, 10) }

	// Categories, paged both ways, and a category's services.
	m := h.say("/order")
	expect(t, m, "page 1 of")
	for page := 2; page <= 4; page++ {
		m = h.press("Next")
		expect(t, m, "page "+strconv.Itoa(page)+" of")
	}
	m = h.press("Prev")
	expect(t, m, "page 3 of")
	m = h.pressBySuffix(m, ":c:17")
	expect(t, m, cat.Categories[17].Name)
	if hasButton(m, "Next") {
		h.press("Next")
		h.press("Prev")
	}
	m = h.press("Back")
	expect(t, m, "page 3 of")

	// A search, an unsupported service, then every prompt of a drip-feed.
	m = h.say("Followers")
	if hasButton(m, "Next") {
		h.press("Next")
	}
	m = h.say(id(odd))
	expect(t, m, "cannot order")
	h.say(id(drip))
	h.press("Add to favourites")
	h.say("https://instagram.com/p/kb")
	h.say(strconv.FormatInt(drip.Min, 10))
	h.press("Drip-feed")
	h.say("3")
	m = h.press("60")
	expect(t, m, "3 runs")
	h.press("Drip-feed")
	m = h.press("all at once")
	if !hasButton(m, "Confirm") {
		t.Fatalf("all at once did not lead to the summary:\n%s", h.transcript())
	}
	h.press("Cancel")

	// Comments, then a Package placed (/order shows the favourite first).
	m = h.say("/order")
	if !hasButton(m, "⭐") {
		t.Errorf("/order lacks the favourite:\n%s", h.transcript())
	}
	h.say(id(comments))
	h.say("https://instagram.com/p/kb")
	lines := make([]string, comments.Min)
	for i := range lines {
		lines[i] = "comment number " + strconv.Itoa(i+1)
	}
	m = h.say(strings.Join(lines, "\n"))
	if !hasButton(m, "Confirm") {
		t.Fatalf("%d comments did not lead to the summary:\n%s", len(lines), h.transcript())
	}
	h.press("Cancel")
	h.say("/order")
	h.say(id(pkg))
	h.say("https://instagram.com/p/kb")
	m = h.press("Confirm")
	expect(t, m, "23501")

	// A cancellable order, its card and the cancel question.
	h.say("/order")
	h.say(id(cancellable))
	h.say("https://instagram.com/p/kb2")
	h.say(strconv.FormatInt(cancellable.Min, 10))
	m = h.press("Confirm")
	expect(t, m, "23502")
	m = h.press("Order 23502")
	expect(t, m, "Order 23502")
	m = h.press("Cancel order")
	if !hasButton(m, "Yes") {
		t.Errorf("cancel question lacks Yes:\n%s", h.transcript())
	}
	h.press("Back")
	h.press("Refresh")

	// The other screens.
	m = h.say("/orders")
	expect(t, m, "23501", "23502")
	h.press("Active (")
	h.press("Cancel all")
	h.press("Back")
	h.press("Completed (")
	h.press("All (")
	h.say("/orders 2350")
	h.press("23501")
	h.say("/language")
	h.press("English")
	h.say("/forget")
	h.press("No")
	h.say("/notify")
	h.press("Every status change")
	h.say("/balance")
	h.say("/help")
	h.say("/start")

	rec.caughtUp(h)
	seen := rec.messages()
	var categories, servicesShown, keyboards int
	for _, msg := range seen {
		checkKeyboard(t, msg)
		if len(msg.Buttons) > 0 {
			keyboards++
		}
		for _, row := range msg.Buttons {
			for _, b := range row {
				parts := strings.Split(b.Data, ":")
				if len(parts) != 4 || parts[0] != "o" {
					continue
				}
				n, err := strconv.ParseInt(parts[3], 10, 64)
				if err != nil {
					continue
				}
				var name string
				switch parts[2] {
				case "c":
					if n < 0 || int(n) >= len(cat.Categories) {
						t.Errorf("button %q: category %d out of range", b.Text, n)
						continue
					}
					name = cat.Categories[n].Name
					categories++
				case "s":
					svc, ok := cat.Service(n)
					if !ok {
						t.Errorf("button %q: no service %d", b.Text, n)
						continue
					}
					name = svc.Name
					servicesShown++
				default:
					continue
				}
				if !strings.Contains(b.Text, prefix(name, 20)) {
					t.Errorf("button %q does not show the first 20 characters of %q", b.Text, name)
				}
			}
		}
	}
	if categories < 4*8 || servicesShown < 8 || keyboards < 30 {
		t.Errorf("checked %d category buttons, %d service buttons, %d keyboards: the walk missed screens", categories, servicesShown, keyboards)
	}
	var tricky bool
	for _, msg := range seen {
		if strings.ContainsAny(msg.Text, "<&") {
			tricky = true
		}
	}
	if !tricky {
		t.Errorf("no screen showed a panel name with < or &: the catalogue did not test escaping")
	}
	h.noRejections()
}

// arabicIndic writes n in Arabic-Indic digits.
func arabicIndic(n int64) string {
	var b strings.Builder
	for _, r := range strconv.FormatInt(n, 10) {
		b.WriteRune('٠' + (r - '0'))
	}
	return b.String()
}

// TestArabicUser: a user whose Telegram speaks Arabic is answered in
// Arabic through a whole order, and panel names with '&' and '<' show as
// they are.
func TestArabicUser(t *testing.T) {
	t.Parallel()
	services := smmtest.GenerateCatalogue(120, 1)
	h := newHarness(t, speaking("ar"), withServices(services))
	svc := pick(t, services, "affordable Default with < or & in its name", func(s smm.Service) bool {
		return s.Type == "Default" && !s.Dripfeed && strings.ContainsAny(s.Name, "<&") && affordable(s)
	})
	arabic := func(what string, m telegramtest.Message) {
		t.Helper()
		if !written(strings.ReplaceAll(m.Text, svc.Name, ""), unicode.Arabic) {
			t.Errorf("%s: %q, want Arabic", what, m.Text)
		}
	}
	m := h.say("/start")
	arabic("/start", m)
	m = h.say("/help")
	arabic("/help", m)
	m = h.say("/order")
	arabic("/order", m)
	if strings.Contains(m.Text, "Choose a category") {
		t.Errorf("/order answered in English: %q", m.Text)
	}
	m = h.say(strconv.FormatInt(svc.ID, 10))
	expect(t, m, svc.Name)
	arabic("link prompt", m)
	m = h.press("‹") // Back, whatever its word: to the categories
	arabic("categories", m)
	cat := smm.NewCatalogue(services)
	for i, c := range cat.Categories {
		if c.Name == svc.Category {
			m = h.pressBySuffix(m, ":c:"+strconv.Itoa(i))
		}
	}
	expect(t, m, svc.Category)
	for hasButton(m, "›") && !strings.Contains(buttonsData(m), ":s:"+strconv.FormatInt(svc.ID, 10)) {
		m = h.press("›") // Next
	}
	expect(t, m, svc.Name)
	m = h.pressBySuffix(m, ":s:"+strconv.FormatInt(svc.ID, 10))
	expect(t, m, svc.Name)
	h.say("https://instagram.com/p/ar")
	m = h.say(arabicIndic(svc.Min)) // digits as an Arabic keyboard types them
	arabic("summary", m)
	if !hasButton(m, "✅") {
		t.Fatalf("a quantity in Arabic-Indic digits did not lead to the summary:\n%s", h.transcript())
	}
	expect(t, m, svc.Name, "https://instagram.com/p/ar")
	m = h.press("✅")
	expect(t, m, "23501")
	arabic("receipt", m)
	m = h.say("/orders")
	arabic("/orders", m)
	m = h.press("23501")
	arabic("card", m)
	expect(t, m, svc.Name)
	m = h.say("abc")
	arabic("idle hint", m)
	h.noRejections()
}

// TestBlankServiceName: a panel service without a name still gets a
// button a user can read, and its category can be browsed.
func TestBlankServiceName(t *testing.T) {
	t.Parallel()
	list := smmtest.DefaultServices()
	list = append(list, smm.Service{ID: 90, Name: "   ", Type: "Default", Category: "First Category",
		Rate: decimal.NewFromInt(1), Min: 10, Max: 100})
	h := newHarness(t, withServices(list))
	h.say("/order")
	m := h.press("First Category")
	checkKeyboard(t, m)
	if !hasButton(m, "Followers") {
		// flows.(*Order).services labels the button Shorten(svc.Name),
		// "" for a blank name; Telegram refuses the whole edit ("text
		// must be non-empty") and the user gets the generic apology.
		t.Errorf("a category with a nameless service shows %q, want its services:\n%s", m.Text, h.transcript())
	}
	h.noRejections()
}
