package bot_test

import (
	"strconv"
	"strings"
	"testing"
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
		for _, m := range h.tg.BotMessages(h.user.ID) {
			if m.ID == card.ID {
				return strings.Contains(m.Text, "Canceled") && !hasButton(m, "Cancel order")
			}
		}
		return false
	})
	if len(h.notifications(h.user.ID)) != 1 {
		t.Errorf("notifications = %d, want 1 (a new message besides the redrawn card)", len(h.notifications(h.user.ID)))
	}
	h.noRejections()
}
