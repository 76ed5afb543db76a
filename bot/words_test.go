package bot_test

import (
	"strings"
	"testing"
)

// TestHelpAndMenuFitTheMode: /help and the command menu list only what
// works in the bot's mode (no /key in operator mode), include /notify and
// /mass, and /forget says what it deletes in that mode.
func TestHelpAndMenuFitTheMode(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name       string
		opts       []option
		withKey    bool
		forgetHelp string // what /help says /forget deletes
		forgetAsk  string // what /forget asks
	}{
		{"operator", nil, false, "operator's key stays", "so does the operator's key"},
		{"per-user", []option{perUser}, true, "delete your key", "deletes your key"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			h := newHarness(t, mode.opts...)
			m := h.say("/help")
			expect(t, m, "/order", "/orders", "/balance", "/notify", "/mass", "/forget", mode.forgetHelp)
			if got := strings.Contains(m.Text, "/key"); got != mode.withKey {
				t.Errorf("/help lists /key = %v, want %v:\n%s", got, mode.withKey, m.Text)
			}
			h.wait("the command menu", func() bool { return len(h.tg.Commands("")) > 0 })
			names := map[string]string{}
			for _, c := range h.tg.Commands("") {
				names[c.Command] = c.Description
			}
			for _, want := range []string{"notify", "mass", "forget"} {
				if _, ok := names[want]; !ok {
					t.Errorf("menu %v lacks /%s", names, want)
				}
			}
			if _, ok := names["key"]; ok != mode.withKey {
				t.Errorf("menu has /key = %v, want %v", ok, mode.withKey)
			}
			if got := strings.Contains(names["forget"], "key"); got != mode.withKey {
				t.Errorf("/forget is described %q: mentions a key = %v, want %v", names["forget"], got, mode.withKey)
			}
			m = h.say("/forget")
			expect(t, m, mode.forgetAsk)
			h.noRejections()
		})
	}
}

// TestNotifyMarksTheChoice: /notify marks the current setting, and the
// receipt of an order promises what the setting will send.
func TestNotifyMarksTheChoice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.say("/notify")
	if !hasButton(m, "✓ Every status change") || hasButton(m, "✓ Only when finished") {
		t.Fatalf("/notify does not mark the default (every change):\n%s", h.transcript())
	}
	h.summaryReceipt("when its status changes")
	h.press("Only when finished")
	m = h.say("/notify")
	if !hasButton(m, "✓ Only when finished") || hasButton(m, "✓ Every status change") {
		t.Fatalf("/notify does not mark the choice made:\n%s", h.transcript())
	}
	h.summaryReceipt("when it finishes")
	h.noRejections()
}

// summaryReceipt places an order and expects its receipt to promise
// promise.
func (h *harness) summaryReceipt(promise string) {
	h.t.Helper()
	h.toSummary()
	m := h.press("Confirm")
	expect(h.t, m, promise)
}

// TestStartOffersToContinue: /start in the middle of an order offers to
// continue it; Continue shows the step again as the menu, and the order
// goes on from there.
func TestStartOffersToContinue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toQuantity()
	m := h.say("/start")
	expect(t, m, "Hello, Dana", "in progress")
	if !hasButton(m, "Continue") || !hasButton(m, "New order") {
		t.Fatalf("/start mid-order offers no Continue and New order:\n%s", h.transcript())
	}
	if strings.Contains(m.Text, "first order") {
		t.Errorf("/start mid-order says %q", m.Text)
	}
	m = h.press("Continue")
	expect(t, m, "quantity", "50", "10000")
	m = h.say("1500")
	expect(t, m, "1.35")
	if !hasButton(m, "Confirm") {
		t.Errorf("the quantity after Continue led to %q, want the summary", m.Text)
	}
	h.noRejections()
}

// TestStartAfterOrders: /start says "your first order" only to a user
// who has none.
func TestStartAfterOrders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.say("/start")
	expect(t, m, "first order")
	h.toSummary()
	h.press("Confirm")
	m = h.say("/start")
	expect(t, m, "Hello, Dana", "/orders")
	if strings.Contains(m.Text, "first order") || hasButton(m, "Continue") {
		t.Errorf("/start to a user with an order and none under way:\n%s", m.Text)
	}
	h.noRejections()
}

// TestListCurrencyAskedOnce: the amounts of a list carry the panel's
// currency, learnt from one balance call per key, not one per
// conversation (nor one after /balance told it).
func TestListCurrencyAskedOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	m := h.press("First Category")
	expect(t, m, "0.90 USD per 1000")
	for range 2 {
		h.say("/order")
		m = h.press("First Category")
		expect(t, m, "0.90 USD per 1000")
	}
	if got := h.panel.Count("balance"); got != 1 {
		t.Errorf("balance requests for three lists = %d, want 1", got)
	}
	h.noRejections()
}
