package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// TestUpdatesOfOneChatInOrder sends a whole conversation without waiting
// between messages: handled out of order, the link would be taken for a
// search or the quantity for a link.
func TestUpdatesOfOneChatInOrder(t *testing.T) {
	h := newHarness(t)
	for _, text := range []string{"/order", "1", "https://instagram.com/dana", "1500"} {
		h.tg.SendText(h.user, text)
	}
	h.wait("the summary", func() bool {
		m, ok := h.tg.LastBotMessage(h.user.ID)
		return ok && strings.Contains(m.Text, "Total price") && strings.Contains(m.Text, "1.35")
	})
	h.noRejections()
}

// TestShutdownFinishesUpdatesInHand stops the bot while an update waits on
// a slow panel: the update is finished and answered before Run returns.
func TestShutdownFinishesUpdatesInHand(t *testing.T) {
	h := newHarness(t)
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "balance", Delay: 500 * time.Millisecond})
	h.tg.SendText(h.user, "/balance")
	h.eventually("the balance request in flight", func() bool { return h.panel.Count("balance") == 1 })
	h.stop()
	m, ok := h.tg.LastBotMessage(h.user.ID)
	if !ok || !strings.Contains(m.Text, "100.00") {
		t.Fatalf("after shutdown the chat ends with %q, want the balance", m.Text)
	}
}

// panicky is a panel whose balance call panics.
type panicky struct{ bot.Panel }

func (panicky) Balance(context.Context, string) (smm.Balance, error) { panic("boom") }

// TestPanicIsRecovered: a panic in a handler reaches the user as an
// apology, and the bot goes on.
func TestPanicIsRecovered(t *testing.T) {
	h := newHarness(t, func(h *harness) { h.wrap = func(p bot.Panel) bot.Panel { return panicky{p} } })
	m := h.say("/balance")
	expect(t, m, "Sorry, something went wrong")
	m = h.say("/help")
	expect(t, m, "What I can do")
}
