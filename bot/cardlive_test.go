package bot_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

// TestCardFollowsItsOrder: a card on screen is redrawn in place when its
// order changes status (a cancel taking effect later, say): it then shows
// the new status and no longer offers Cancel.
func TestCardFollowsItsOrder(t *testing.T) {
	h := newHarness(t)
	id := h.dialectOrder(t)
	h.say("/orders")
	card := h.press(strconv.FormatInt(id, 10))
	if !hasButton(card, "Cancel order") {
		t.Fatalf("the card of an order under way lacks Cancel:\n%s", h.transcript())
	}
	h.panel.SetStatus(id, "Canceled", 100)
	h.poll()
	h.wait("the card redrawn", func() bool {
		m, ok := h.botMessage(card.ID)
		return ok && strings.Contains(m.Text, "Canceled") && !hasButton(m, "Cancel order")
	})
	if len(h.notifications(h.user.ID)) != 1 {
		t.Errorf("notifications = %d, want 1 (a new message besides the redrawn card)", len(h.notifications(h.user.ID)))
	}
	h.noRejections()
}

// botMessage is the bot's message id in the user's chat, as it is now.
func (h *harness) botMessage(id int) (telegramtest.Message, bool) {
	for _, m := range h.tg.BotMessages(h.user.ID) {
		if m.ID == id {
			return m, true
		}
	}
	return telegramtest.Message{}, false
}
