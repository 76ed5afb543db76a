package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/store"
)

// A shared harness walks these tables without t.Run: the harness fails
// through its own test, which a subtest must not do.

// TestBadQuantity: every bad quantity gets a reply with min and max and
// changes nothing; the next good one still works.
func TestBadQuantity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toQuantity()
	before := h.session()
	inputs := []string{
		"abc", "-5", "0", "1.5", "1e9", "123456789012345678901234567890", "49", "10001",
		"   ", "a\x00b", "\x1b[31m", "<script>alert(1)</script>",
	}
	for _, in := range inputs {
		m := h.say(in)
		if !strings.Contains(m.Text, "50") || !strings.Contains(m.Text, "10000") {
			t.Errorf("quantity %q: reply %q does not say min 50 and max 10000", in, m.Text)
		}
		if hasButton(m, "Confirm") {
			t.Errorf("quantity %q: reply offers Confirm:\n%s", in, m.Text)
		}
		if strings.Contains(m.Text, "script") {
			t.Errorf("quantity %q: reply echoes the input: %q", in, m.Text)
		}
	}
	if after := h.session(); !sameStep(before, after) {
		t.Errorf("session after bad quantities = %+v, want as before %+v", after, before)
	}
	m := h.say("1500")
	expect(t, m, "1500", "1.35")
	if got := h.panel.Count("add"); got != 0 {
		t.Errorf("add calls = %d, want 0", got)
	}
	h.noRejections()
}

// TestBadLink: every bad link gets a clear reply and changes nothing.
func TestBadLink(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	h.press("First Category")
	h.press("Followers")
	before := h.session()
	tests := []struct{ in, want string }{
		{"https://x.com/" + strings.Repeat("a", 4986), "too long"},
		{"  \t ", "send a link"},
		{"a\x00b", "control characters"},
		{"\x1b[31m", "control characters"},
		{"<script>alert(1)</script>", "does not look like a link"},
		{"two words", "does not look like a link"},
	}
	for _, tt := range tests {
		m := h.say(tt.in)
		if !strings.Contains(m.Text, tt.want) || !strings.Contains(m.Text, "link") {
			t.Errorf("link %.40q: reply %q, want %q and the link prompt", tt.in, m.Text, tt.want)
		}
	}
	if after := h.session(); !sameStep(before, after) {
		t.Errorf("session after bad links = %+v, want as before %+v", after, before)
	}
	m := h.say("https://instagram.com/dana")
	expect(t, m, "50", "10000")
	h.noRejections()
}

// TestBadSearch: blank, control characters, markup and very long text at
// the category step are refused or shown as text, never as markup.
func TestBadSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	before := h.session()
	tests := []struct{ in, want string }{
		{"   ", "empty"},
		{"a\x00b", "control characters"},
		{"\x1b[31m", "control characters"},
		{strings.Repeat("x", 5000), "too long"},
		{"<script>alert(1)</script>", "No service matches <script>alert(1)</script>"},
	}
	for _, tt := range tests {
		m := h.say(tt.in)
		if !strings.Contains(m.Text, tt.want) || !hasButton(m, "First Category") {
			t.Errorf("search %.40q: reply %q, want %q and the categories", tt.in, m.Text, tt.want)
		}
	}
	if after := h.session(); !sameStep(before, after) {
		t.Errorf("session after bad searches = %+v, want as before %+v", after, before)
	}
	m := h.press("First Category")
	if !hasButton(m, "Followers") {
		t.Errorf("categories no longer work after bad searches:\n%s", h.transcript())
	}
	h.noRejections()
}

// TestNotText: stickers and photos at the link and quantity steps get
// "Please send text" and the step's prompt.
func TestNotText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	h.press("First Category")
	h.press("Followers")
	before := h.session()
	for _, m := range []telegramtest.Message{h.sticker(), h.photo("https://instagram.com/dana")} {
		expect(t, m, "Please send text", "link")
	}
	if after := h.session(); !sameStep(before, after) {
		t.Errorf("session after a sticker = %+v, want as before %+v", after, before)
	}
	h.say("https://instagram.com/dana")
	before = h.session()
	for _, m := range []telegramtest.Message{h.sticker(), h.photo("1500")} {
		expect(t, m, "Please send text", "50", "10000")
	}
	if after := h.session(); !sameStep(before, after) {
		t.Errorf("session after a photo = %+v, want as before %+v", after, before)
	}
	m := h.say("1500")
	expect(t, m, "1.35")
	h.noRejections()
}

// TestStranger: a user outside the allowlist is told their id, a tap of
// theirs gets an alert, and nothing reaches the panel or the store.
func TestStranger(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	stranger := telegramtest.User{ID: 777001, FirstName: "Eve", LanguageCode: "en"}
	for _, text := range []string{"/start", "/order", "/balance", "hello", "/key SOMEKEY12345"} {
		m := h.sayAs(stranger, text)
		if !strings.Contains(m.Text, "777001") || hasButton(m, "") {
			t.Errorf("%q from a stranger: reply %q with %d button rows, want the refusal with the user id", text, m.Text, len(m.Buttons))
		}
	}
	n := len(h.tg.CallbackAnswers())
	h.tg.PressData(stranger, 0, "o:1:ok")
	h.wait("the stranger's tap answered", func() bool {
		return len(h.tg.CallbackAnswers()) > n && len(h.tg.Unanswered()) == 0
	})
	if a := h.tg.CallbackAnswers()[n]; !a.ShowAlert || a.Text == "" {
		t.Errorf("the stranger's tap is answered %+v, want an alert", a)
	}
	if got := len(h.tg.BotMessages(stranger.ID)); got != 5 {
		t.Errorf("bot messages to the stranger = %d, want 5 (a tap gets an alert, never a message)", got)
	}
	if got := h.panelRequests(); got != 0 {
		t.Errorf("panel requests = %d, want 0", got)
	}
	if _, err := h.db.Chat(context.Background(), stranger.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("stranger's chat: err = %v, want ErrNotFound (nothing stored)", err)
	}
	h.noRejections()
}

// TestForgedCallbacks: made-up callback data is answered and does nothing,
// even at the summary where a real Confirm would place.
func TestForgedCallbacks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := h.say("/order")
	h.press("First Category")
	h.press("Followers")
	h.say("https://instagram.com/dana")
	sum := h.say("1500")
	confirm := buttonData(sum, "Confirm")
	if confirm == "" {
		t.Fatalf("summary lacks Confirm:\n%s", h.transcript())
	}
	before := h.session()
	forged := []struct {
		msg  int
		data string
	}{
		{sum.ID, "o:999:ok"},
		{sum.ID, "o:x:y"},
		{sum.ID, "o:"},
		{sum.ID, "zz:1"},
		{sum.ID, "v:99999:abcdef0123456789"},
		{sum.ID, "v:23501"},
		{sum.ID, "cy:1:x"},
		{sum.ID, strings.Repeat("Zq9-", 16)},
		{first.ID, confirm}, // the right version on another message
		{999999, confirm},   // a message that is not there
	}
	for _, f := range forged {
		a := h.pressData(f.msg, f.data)
		if !strings.Contains(a.Text, "expired") && !strings.Contains(a.Text, "not in your history") {
			t.Errorf("forged %q on message %d: answer %q, want expired or not in your history", f.data, f.msg, a.Text)
		}
	}
	if got := h.panel.Count("add"); got != 0 {
		t.Errorf("add calls after forged taps = %d, want 0", got)
	}
	if after := h.session(); !sameStep(before, after) || after.MenuID != before.MenuID {
		t.Errorf("session after forged taps = %+v, want as before %+v", after, before)
	}
	m := h.press("Confirm")
	expect(t, m, "23501")
	h.noRejections()
}

// TestStaleMenu: a menu of an earlier /order is answered "expired" and
// does nothing, even its Confirm.
func TestStaleMenu(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	old := h.say("/order")
	h.press("First Category")
	h.press("Followers")
	h.say("https://instagram.com/dana")
	sum := h.say("1500")
	h.say("/order")
	before := h.session()
	for _, tap := range []struct {
		msg   int
		label string
	}{{sum.ID, "Confirm"}, {sum.ID, "Back"}, {sum.ID, "Cancel"}, {old.ID, "Back"}} {
		n := len(h.tg.CallbackAnswers())
		if err := h.tg.PressOn(h.user, tap.msg, tap.label); err != nil {
			t.Errorf("press %q on message %d: %v", tap.label, tap.msg, err)
			continue
		}
		h.wait("the stale tap answered", func() bool { return len(h.tg.CallbackAnswers()) > n && len(h.tg.Unanswered()) == 0 })
		if a := h.tg.CallbackAnswers()[n]; !strings.Contains(a.Text, "expired") {
			t.Errorf("stale %q on message %d: answer %q, want expired", tap.label, tap.msg, a.Text)
		}
	}
	if got := h.panel.Count("add"); got != 0 {
		t.Errorf("add calls after stale taps = %d, want 0", got)
	}
	if after := h.session(); !sameStep(before, after) || after.MenuID != before.MenuID {
		t.Errorf("session after stale taps = %+v, want as before %+v", after, before)
	}
	m := h.press("First Category")
	if !hasButton(m, "Followers") {
		t.Errorf("the new menu does not work after stale taps:\n%s", h.transcript())
	}
	h.noRejections()
}
