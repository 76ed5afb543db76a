package bot_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

// userKey and otherKey are per-user panel keys.
const (
	userKey  = "USERKEY-0123456789abcdef"
	otherKey = "USERKEY-fedcba9876543210"
)

// written reports whether s is written in script: at least five of its
// letters are (commands and quoted names aside, the rest may be Latin).
func written(s string, script *unicode.RangeTable) bool {
	n := 0
	for _, r := range s {
		if unicode.Is(script, r) {
			n++
		}
	}
	return n >= 5
}

func TestStartHelpBalance(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.say("/start")
	expect(t, m, "Hello, Dana", "/order")
	m = h.say("/help")
	expect(t, m, "What I can do", "/order", "/orders", "/balance", "/language", "/cancel")
	m = h.say("/balance")
	expect(t, m, "100.00 USD")
	m = h.say("/nosuchcommand")
	expect(t, m, "/order")
	if got := h.botMessagesWith("/key followed by"); got != 0 {
		t.Errorf("operator mode: %d messages ask for a key, want none:\n%s", got, h.transcript())
	}
	h.noRejections()
}

func TestStartPerUserAsksForKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, perUser)
	h.say("/start")
	h.waitText("Hello, Dana")
	h.waitText("/key", "API key")
	m := h.say("/order")
	expect(t, m, "/key")
	m = h.say("/balance")
	expect(t, m, "/key")
	if got := h.panelRequests(); got != 0 {
		t.Errorf("panel requests without a key = %d, want 0", got)
	}
	h.noRejections()
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.say("/language")
	for _, name := range []string{"English", "العربية", "Русский"} {
		if !hasButton(m, name) {
			t.Errorf("language menu lacks %q:\n%s", name, h.transcript())
		}
	}
	m = h.press("Русский")
	if !written(m.Text, unicode.Cyrillic) {
		t.Errorf("choosing Русский answered %q, want Russian", m.Text)
	}
	for _, cmd := range []string{"/help", "/balance", "/order"} {
		m = h.say(cmd)
		if !written(m.Text, unicode.Cyrillic) {
			t.Errorf("%s after choosing Русский: %q, want Russian", cmd, m.Text)
		}
	}
	if got := h.chat().Lang; got != "ru" {
		t.Errorf("stored language = %q, want ru", got)
	}
	// A language the bot does not have is refused without a change.
	h.pressData(m.ID, "l:xx")
	if got := h.chat().Lang; got != "ru" {
		t.Errorf("stored language after a forged l:xx = %q, want ru", got)
	}
	h.say("/language")
	h.press("English")
	m = h.say("/help")
	expect(t, m, "What I can do")
	h.noRejections()
}

func TestCancel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.say("/cancel")
	expect(t, m, "nothing to cancel")
	prompt := h.toQuantity()
	m = h.say("/cancel")
	expect(t, m, "cancelled", "Nothing was placed")
	if s := h.session(); s.State != "" || len(s.Data) != 0 {
		t.Errorf("session after /cancel = %+v, want idle and no draft", s)
	}
	// The prompt of the cancelled conversation is dead.
	n := len(h.tg.CallbackAnswers())
	if err := h.tg.PressOn(h.user, prompt.ID, "1000"); err != nil {
		t.Fatalf("press 1000 on the old prompt: %v", err)
	}
	h.wait("the old tap answered", func() bool { return len(h.tg.CallbackAnswers()) > n && len(h.tg.Unanswered()) == 0 })
	if a := h.tg.CallbackAnswers()[n]; !strings.Contains(a.Text, "expired") {
		t.Errorf("tap on the cancelled prompt: answer %q, want expired", a.Text)
	}
	m = h.press("New order")
	if !hasButton(m, "First Category") {
		t.Errorf("New order after /cancel: %q, want the categories", m.Text)
	}
	m = h.press("Cancel")
	expect(t, m, "cancelled")
	m = h.say("/cancel")
	expect(t, m, "nothing to cancel")
	if got := h.panel.Count("add"); got != 0 {
		t.Errorf("add calls = %d, want 0", got)
	}
	h.noRejections()
}

func TestForget(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toSummary()
	h.press("Confirm")
	h.toQuantity() // a conversation under way

	m := h.say("/forget")
	if !hasButton(m, "Yes") || !hasButton(m, "No") {
		t.Fatalf("/forget does not ask with Yes/No buttons:\n%s", h.transcript())
	}
	m = h.press("No")
	expect(t, m, "Nothing was deleted")
	m = h.say("/orders")
	expect(t, m, "23501")

	h.say("/forget")
	m = h.press("Yes")
	expect(t, m, "deleted")
	m = h.say("/orders")
	expect(t, m, "no orders")
	if strings.Contains(m.Text, "23501") {
		t.Errorf("/orders after /forget still lists 23501: %q", m.Text)
	}
	if s := h.session(); s.State != "" || s.MenuID != 0 || len(s.Data) != 0 {
		t.Errorf("session after /forget = %+v, want none", s)
	}
	// The conversation that was under way is gone: a quantity is no
	// quantity now.
	m = h.say("1500")
	expect(t, m, "/order")
	if got := h.panel.Count("add"); got != 1 {
		t.Errorf("add calls = %d, want 1", got)
	}
	h.noRejections()
}

func TestCommandMenus(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name    string
		opts    []option
		withKey bool
	}{{"operator", nil, false}, {"per-user", []option{perUser}, true}} {
		t.Run(mode.name, func(t *testing.T) {
			h := newHarness(t, mode.opts...)
			h.wait("the command menus", func() bool {
				return len(h.tg.Commands("")) > 0 && len(h.tg.Commands("ru")) > 0 && len(h.tg.Commands("ar")) > 0
			})
			scripts := map[string]*unicode.RangeTable{"": unicode.Latin, "ru": unicode.Cyrillic, "ar": unicode.Arabic}
			for lang, script := range scripts {
				cmds := h.tg.Commands(lang)
				var names []string
				for _, c := range cmds {
					names = append(names, c.Command)
					if !written(c.Description, script) {
						t.Errorf("lang %q: /%s is described %q, not in the language", lang, c.Command, c.Description)
					}
				}
				for _, want := range []string{"start", "help", "order", "orders", "balance", "cancel", "language"} {
					if !slices.Contains(names, want) {
						t.Errorf("lang %q: menu %v lacks /%s", lang, names, want)
					}
				}
				if got := slices.Contains(names, "key"); got != mode.withKey {
					t.Errorf("lang %q: /key in the menu = %v, want %v", lang, got, mode.withKey)
				}
			}
			h.noRejections()
		})
	}
}

// sendKey types a message that carries a key and waits for the bot's
// answer; the message must then be deleted.
func (h *harness) sendKey(text string) telegramtest.Message {
	h.t.Helper()
	mk := h.mark()
	id := h.tg.SendText(h.user, text)
	m := h.settled(mk)
	h.wait("the key's message deleted", func() bool {
		for _, msg := range h.tg.Messages(h.user.ID) {
			if msg.ID == id {
				return msg.Deleted
			}
		}
		return false
	})
	return m
}

func TestKeyPerUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t, perUser)
	rec := h.record()
	h.panel.AddKey(userKey, decimal.RequireFromString("50"))
	h.panel.AddKey(otherKey, decimal.RequireFromString("7"))

	// An unknown key: the panel's words, nothing stored.
	m := h.say("/key")
	expect(t, m, "API key")
	m = h.sendKey("UNKNOWNKEY-55555555")
	expect(t, m, "did not accept", "Invalid API key")
	if got := h.chat().KeyRef; got != "" {
		t.Errorf("a refused key was stored: KeyRef %q", got)
	}
	if got := h.panel.Count("balance"); got != 1 {
		t.Errorf("balance calls = %d, want 1 (the check)", got)
	}
	m = h.sendKey("/key not a key!")
	expect(t, m, "does not look like an API key")

	// A good key in one message.
	m = h.sendKey("/key " + userKey)
	expect(t, m, "Key connected", "50.00")
	if h.chat().KeyRef == "" {
		t.Fatalf("the key was not stored")
	}
	m = h.say("/balance")
	expect(t, m, "50.00 USD")
	h.toSummary()
	m = h.press("Confirm")
	expect(t, m, "23501")
	if got := len(h.panel.Orders(userKey)); got != 1 {
		t.Errorf("orders under the user's key = %d, want 1", got)
	}

	// Another key, in the message after /key, replaces it.
	ref := h.chat().KeyRef
	h.say("/key")
	m = h.sendKey(otherKey)
	expect(t, m, "Key connected", "7.00")
	if got := h.chat().KeyRef; got == ref || got == "" {
		t.Errorf("KeyRef after a new key = %q, want a new one (was %q)", got, ref)
	}
	m = h.say("/balance")
	expect(t, m, "7.00 USD")
	h.say("/order")
	h.say("1")
	h.say("https://instagram.com/dana")
	h.say("100")
	m = h.press("Confirm")
	expect(t, m, "23502")
	if got := len(h.panel.Orders(otherKey)); got != 1 {
		t.Errorf("orders under the new key = %d, want 1", got)
	}
	m = h.say("/orders")
	expect(t, m, "23501", "23502")

	rec.caughtUp(h)
	for _, msg := range rec.messages() {
		for _, key := range []string{userKey, otherKey, "UNKNOWNKEY-55555555"} {
			if strings.Contains(msg.Text, key) {
				t.Errorf("bot message %d shows a key: %q", msg.ID, msg.Text)
			}
		}
	}
	for _, msg := range h.tg.Messages(h.user.ID) {
		if !msg.Deleted && (strings.Contains(msg.Text, userKey) || strings.Contains(msg.Text, otherKey)) {
			t.Errorf("message %d carrying a key is still in the chat", msg.ID)
		}
	}
	h.noRejections()
}

// TestReceiptAfterKeyChange: the "Order NNN" button of a receipt opens the
// order after the chat connected another key: the order is still in its
// history (/orders lists it).
func TestReceiptAfterKeyChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t, perUser)
	h.panel.AddKey(userKey, decimal.RequireFromString("50"))
	h.panel.AddKey(otherKey, decimal.RequireFromString("7"))
	h.sendKey("/key " + userKey)
	h.say("/order")
	h.say("1")
	h.say("https://instagram.com/dana")
	h.say("1500")
	receipt := h.press("Confirm")
	expect(t, receipt, "23501")
	h.sendKey("/key " + otherKey)

	n := len(h.tg.CallbackAnswers())
	mk := h.mark()
	if err := h.tg.PressOn(h.user, receipt.ID, "Order 23501"); err != nil {
		t.Fatalf("press Order 23501 on the receipt: %v", err)
	}
	h.wait("the receipt's tap answered", func() bool { return len(h.tg.CallbackAnswers()) > n && len(h.tg.Unanswered()) == 0 })
	if a := h.tg.CallbackAnswers()[n]; a.Text != "" {
		// The receipt's button must carry the key reference: under the
		// chat's current key the order is not to be found.
		t.Errorf("Order 23501 on the receipt after /key: answered %q, want the order's card", a.Text)
		return
	}
	m := h.settled(mk)
	expect(t, m, "Order 23501")
}

// TestNewOrderAfterIdleReply: the "New order" button of a receipt still
// starts an order after the bot answered something else in between.
func TestNewOrderAfterIdleReply(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toSummary()
	receipt := h.press("Confirm")
	expect(t, receipt, "23501")
	for _, text := range []string{"thanks!", "/cancel"} {
		h.say(text)
		n := len(h.tg.CallbackAnswers())
		mk := h.mark()
		if err := h.tg.PressOn(h.user, receipt.ID, "New order"); err != nil {
			t.Fatalf("press New order on the receipt: %v", err)
		}
		h.wait("the tap answered", func() bool { return len(h.tg.CallbackAnswers()) > n && len(h.tg.Unanswered()) == 0 })
		if a := h.tg.CallbackAnswers()[n]; a.Text != "" {
			// bot.(*Bot).present makes every screen the session's menu,
			// also the idle hint and "nothing to cancel", which have no
			// buttons: the receipt (Detach, MenuID 0) loses its buttons.
			t.Errorf("New order on the receipt after %q: answered %q, want the categories", text, a.Text)
			continue
		}
		if m := h.settled(mk); !hasButton(m, "First Category") {
			t.Errorf("New order on the receipt after %q: %q, want the categories", text, m.Text)
		}
		h.say("/cancel")
	}
	h.noRejections()
}

func TestKeyOperatorMode(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.say("/key")
	expect(t, m, "no key of your own is needed")
	m = h.sendKey("/key SOMEKEY-1234567890")
	expect(t, m, "no key of your own is needed")
	if strings.Contains(m.Text, "SOMEKEY") {
		t.Errorf("reply shows the key: %q", m.Text)
	}
	if got := h.panel.Count("balance"); got != 0 {
		t.Errorf("balance calls = %d, want 0", got)
	}
	h.noRejections()
}
