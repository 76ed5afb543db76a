package bot_test

import (
	"testing"
	"time"
)

// TestConversationCommits counts the store's commits over one whole order
// conversation, /order to the placed order (6 updates): at most one an
// update, two for placing, none for what changes nothing durable. (An
// update slower than ConfirmWait costs an inbox write and a delete besides:
// the test gives its updates the time a loaded machine needs.)
func TestConversationCommits(t *testing.T) {
	h := newHarness(t, func(h *harness) { h.cfg.ConfirmWait = 10 * time.Second })
	h.say("/help") // the chat is made; /help itself changes nothing durable
	before := h.db.Commits()
	h.say("/help")
	if got := h.db.Commits() - before; got != 0 {
		t.Errorf("/help made %d commits, want 0", got)
	}
	before = h.db.Commits()
	h.say("/order")
	h.press("First Category")
	h.press("Followers")
	h.say("https://instagram.com/dana")
	h.say("1500")
	m := h.press("Confirm")
	expect(t, m, "placed")
	got := h.db.Commits() - before
	t.Logf("a whole conversation: %d commits", got)
	if got > 8 {
		t.Errorf("a whole conversation made %d commits, want at most 8", got)
	}
}
