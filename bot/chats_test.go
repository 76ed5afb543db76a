package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/store"
)

var eve = telegramtest.User{ID: 777001, FirstName: "Eve", LanguageCode: "en"}

// botSays is the bot's messages in a chat.
func botSays(h *harness, chat int64) []telegramtest.Message { return h.tg.BotMessages(chat) }

// quiet waits until every update sent so far is confirmed and handled and
// every tap answered, then for the answer to a private /help.
func (h *harness) quiet() {
	h.t.Helper()
	h.eventually("every update handled", func() bool {
		return h.tg.Pending() == 0 && h.bot.InHand() == 0 && len(h.tg.Unanswered()) == 0
	})
	h.say("/help")
}

// TestGroupIsPrivateOnly: in a group the bot answers a /start or /order
// addressed to it with one message and a button to the private chat, in
// the message's topic; it is silent otherwise, calls no panel and stores
// nothing for the group.
func TestGroupIsPrivateOnly(t *testing.T) {
	for _, kind := range []string{"group", "supergroup", "forum"} {
		t.Run(kind, func(t *testing.T) {
			h := newHarness(t)
			var chat int64
			switch kind {
			case "group":
				chat = h.tg.NewGroup("Team", h.user, eve)
			case "supergroup":
				chat = h.tg.NewSupergroup("Team", h.user, eve)
			default:
				chat = h.tg.NewForum("Team", h.user, eve)
			}
			if err := h.tg.AddBot(chat, h.user); err != nil {
				t.Fatal(err)
			}
			thread := 0
			if kind == "forum" {
				var err error
				if thread, err = h.tg.CreateTopic(chat, h.user, "Orders"); err != nil {
					t.Fatal(err)
				}
			}
			say := func(from telegramtest.User, text string) {
				var err error
				if thread != 0 {
					_, err = h.tg.SendInTopic(chat, thread, from, text)
				} else {
					_, err = h.tg.SendIn(chat, from, text)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			for _, text := range []string{"/balance", "/orders", "/key SOMEKEY12345", "hello", "/order@OtherBot", "/start@OtherBot"} {
				say(h.user, text)
			}
			say(eve, "/balance")
			say(h.user, "/order@smmbot_test_bot")
			h.eventually("the group's updates handled", func() bool { return len(botSays(h, chat)) >= 1 && h.tg.Pending() == 0 })
			h.quiet()
			msgs := botSays(h, chat)
			if len(msgs) != 1 {
				t.Fatalf("bot messages in the %s = %d (%v), want one answer to /order", kind, len(msgs), msgs)
			}
			m := msgs[0]
			if m.Thread != thread {
				t.Errorf("answer in topic %d, want %d (where /order was asked)", m.Thread, thread)
			}
			if len(m.Buttons) != 1 || !strings.Contains(m.Buttons[0][0].URL, "t.me/smmbot_test_bot") {
				t.Errorf("answer buttons %+v, want one URL button to the private chat", m.Buttons)
			}
			if got := h.panelRequests(); got != 0 {
				t.Errorf("panel requests = %d, want 0", got)
			}
			if _, err := h.db.Chat(context.Background(), chat); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the group's chat record: err = %v, want ErrNotFound (nothing stored)", err)
			}
			h.noRejections()
		})
	}
}

// TestStrangerAddsBotToGroup: the bot leaves a group it was added to by
// someone who may not use it, and says nothing there.
func TestStrangerAddsBotToGroup(t *testing.T) {
	h := newHarness(t)
	chat := h.tg.NewGroup("Eve's", eve)
	if err := h.tg.AddBot(chat, eve); err != nil {
		t.Fatal(err)
	}
	h.eventually("the bot gone", func() bool { return h.tg.BotStatus(chat) == "left" })
	if n := len(botSays(h, chat)); n != 0 {
		t.Errorf("bot messages in the stranger's group = %d, want 0", n)
	}
	mine := h.tg.NewGroup("Dana's", h.user)
	if err := h.tg.AddBot(mine, h.user); err != nil {
		t.Fatal(err)
	}
	h.quiet()
	if s := h.tg.BotStatus(mine); s != "member" {
		t.Errorf("in a group an allowed user added it to the bot is %q, want member", s)
	}
	h.noRejections()
}

// TestCommandsForOtherBots: /cmd@OtherBot is not for us; /cmd@us is.
func TestCommandsForOtherBots(t *testing.T) {
	h := newHarness(t)
	h.tg.SendText(h.user, "/order@OtherBot")
	h.tg.SendText(h.user, "/balance@OtherBot")
	m := h.say("/help@smmbot_test_bot")
	expect(t, m, "What I can do")
	if n := len(botSays(h, h.user.ID)); n != 1 {
		t.Errorf("bot messages = %d, want only the help", n)
	}
	if got := h.panelRequests(); got != 0 {
		t.Errorf("panel requests = %d, want 0", got)
	}
}

// TestBlockAndUnblock: my_chat_member marks the chat blocked (no more
// notifications) and unblocked.
func TestBlockAndUnblock(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	blocked := func() bool {
		c, err := h.db.Chat(context.Background(), h.user.ID)
		return err == nil && c.Blocked
	}
	h.tg.Block(h.user.ID)
	h.eventually("the chat marked blocked", blocked)
	h.tg.Unblock(h.user.ID)
	h.eventually("the chat marked unblocked", func() bool { return !blocked() })
	h.noRejections()
}

// TestEditReplacesTheLastInput: editing the link just typed replaces it
// and redraws the step; editing an older message does nothing.
func TestEditReplacesTheLastInput(t *testing.T) {
	h := newHarness(t)
	first := h.say("/order")
	h.press("First Category")
	h.press("Followers")
	h.say("https://instagram.com/typo")
	link := lastUserMessage(h)
	mk := h.mark()
	if err := h.tg.EditText(h.user, h.user.ID, link, "https://instagram.com/dana"); err != nil {
		t.Fatal(err)
	}
	m := h.settled(mk)
	expect(t, m, "quantity")
	balances := h.panel.Count("balance") // the currency of the list's amounts
	if err := h.tg.EditText(h.user, h.user.ID, first.ID-1, "/balance"); err != nil {
		t.Fatal(err)
	}
	m = h.say("1500")
	expect(t, m, "instagram.com/dana", "1.35")
	if strings.Contains(m.Text, "typo") {
		t.Errorf("summary %q still has the link before the edit", m.Text)
	}
	if got := h.panel.Count("balance") - balances; got != 1 { // the summary's, not the edited /order's
		t.Errorf("balance requests after the edit = %d, want 1: an older edit is ignored", got)
	}
	h.noRejections()
}

func lastUserMessage(h *harness) int {
	msgs := h.tg.Messages(h.user.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if !msgs[i].FromBot {
			return msgs[i].ID
		}
	}
	h.t.Fatal("no user message")
	return 0
}

// undecodable is an update of a shape go-telegram/bot cannot decode (as a
// kind Telegram adds later would be).
func undecodable(h *harness, id int) string {
	return fmt.Sprintf(`{"update_id": %d, "message": {"message_id": "x", "date": %d, "chat": {"id": %d, "type": "private"}, "text": 5}}`,
		id, time.Now().Unix(), h.user.ID)
}

// TestUndecodableUpdateIsSkipped: in both modes, an update that cannot
// be decoded is skipped and the ones after it are handled.
func TestUndecodableUpdateIsSkipped(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			opts := []option{}
			if mode == "webhook" {
				opts = append(opts, withWebhook)
			}
			h := newHarness(t, opts...)
			if _, err := h.tg.SendRaw(undecodable(h, 0)); err != nil {
				t.Fatal(err)
			}
			m := h.say("/help")
			expect(t, m, "What I can do")
			h.eventually("everything confirmed", func() bool { return h.tg.Pending() == 0 })
		})
	}
}

// TestTapOnAnInlineMessage: a tap on a message sent in inline mode (no
// chat) from a stranger is answered with an alert; nothing is sent.
func TestTapOnAnInlineMessage(t *testing.T) {
	h := newHarness(t)
	n := len(h.tg.CallbackAnswers())
	h.tg.PressInline(eve, "AgAAAEZpbmQ", "o:1:ok")
	h.wait("the tap answered", func() bool { return len(h.tg.CallbackAnswers()) > n && len(h.tg.Unanswered()) == 0 })
	if a := h.tg.CallbackAnswers()[n]; !a.ShowAlert {
		t.Errorf("answer %+v, want an alert", a)
	}
	if c := h.tg.Calls("sendMessage"); c != 0 {
		t.Errorf("sendMessage calls = %d, want 0", c)
	}
	h.noRejections()
}

// TestMigratedGroupIsNotRetried: an update from a group that has since
// become a supergroup is answered once; the refusal is neither retried nor
// apologised for.
func TestMigratedGroupIsNotRetried(t *testing.T) {
	h := newHarness(t)
	chat := h.tg.NewGroup("Team", h.user)
	if err := h.tg.AddBot(chat, h.user); err != nil {
		t.Fatal(err)
	}
	h.quiet()
	if _, err := h.tg.Migrate(chat, h.user); err != nil {
		t.Fatal(err)
	}
	h.quiet()
	sends := h.tg.Calls("sendMessage")
	h.tg.SendUpdate(models.Update{Message: &models.Message{ID: 99, Date: int(time.Now().Unix()), Text: "/start",
		Chat: models.Chat{ID: chat, Type: models.ChatTypeGroup}, From: &models.User{ID: h.user.ID, FirstName: "Dana"},
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 6}}}})
	h.quiet()
	if got := h.tg.Calls("sendMessage") - sends; got != 2 { // the refused one, and /help's answer
		t.Errorf("sendMessage calls after the stale update = %d, want 2 (one try to the old group, no retry, no apology)", got)
	}
	h.noRejections("upgraded to a supergroup")
}

// TestStartDeepLinks: /start s_ID opens that service's first step, /start
// order the order conversation, and an unknown payload the welcome.
func TestStartDeepLinks(t *testing.T) {
	h := newHarness(t)
	m := h.say("/start s_1")
	expect(t, m, "Followers", "link")
	m = h.say("/start order")
	expect(t, m, "Choose a category")
	m = h.say("/start whatever")
	expect(t, m, "Hello")
	m = h.say("/start s_999999")
	if strings.Contains(m.Text, "Send the link") {
		t.Errorf("/start with an unknown service opened a step: %q", m.Text)
	}
	h.noRejections()
}
