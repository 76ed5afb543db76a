package telegramtest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestEditStrictness(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	s.SendText(bob, "hi")
	kb := keyboard([]models.InlineKeyboardButton{{Text: "Next ▶", CallbackData: "page:2"}})
	menu, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: alice.ID, Text: "Page <b>1</b>", ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	edit := func(chat int64, id int, text string, mk models.ReplyMarkup) error {
		_, err := b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: chat, MessageID: id, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: mk})
		return err
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"same text and keyboard", edit(alice.ID, menu.ID, "Page <b>1</b>", kb), "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"},
		{"same text, other markup", edit(alice.ID, menu.ID, "Page <b>1</b>", keyboard([]models.InlineKeyboardButton{{Text: "Prev", CallbackData: "page:0"}})), ""},
		{"same again", edit(alice.ID, menu.ID, "Page <b>1</b>", keyboard([]models.InlineKeyboardButton{{Text: "Prev", CallbackData: "page:0"}})), "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"},
		{"unknown message", edit(alice.ID, 999, "x", nil), "message to edit not found"},
		{"another chat's message", edit(bob.ID, menu.ID, "x", nil), "message to edit not found"},
		{"user's message", edit(alice.ID, 1, "x", nil), "message can't be edited"},
		{"bad html", edit(alice.ID, menu.ID, "1 < 2", nil), `can't parse entities: Unsupported start tag "" at byte offset 2`},
		{"empty", edit(alice.ID, menu.ID, "", nil), "message text is empty"},
		{"reply keyboard", edit(alice.ID, menu.ID, "x", &models.ReplyKeyboardRemove{RemoveKeyboard: true}), "inline keyboard expected"},
		{"chat not found", edit(999, menu.ID, "x", nil), "chat not found"},
		{"no keyboard drops it", edit(alice.ID, menu.ID, "Page <b>1</b>", nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.err, tt.want) })
	}
	got, _ := s.LastBotMessage(alice.ID)
	if got.Edits != 2 || got.Buttons != nil || got.Text != "Page 1" {
		t.Errorf("menu = %+v; want 2 edits, text %q, no keyboard", got, "Page 1")
	}
}

func TestEditReplyMarkup(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	kb := keyboard([]models.InlineKeyboardButton{{Text: "Cancel", CallbackData: "cancel:7"}})
	m, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: alice.ID, Text: "Order 7", ReplyMarkup: kb})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	set := func(mk models.ReplyMarkup) error {
		_, err := b.EditMessageReplyMarkup(t.Context(), &bot.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: m.ID, ReplyMarkup: mk})
		return err
	}
	wantAPIError(t, set(kb), "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	wantAPIError(t, set(nil), "")
	wantAPIError(t, set(nil), "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	wantAPIError(t, set(keyboard([]models.InlineKeyboardButton{{Text: "Refill", CallbackData: "refill:7"}})), "")
	got, _ := s.LastBotMessage(alice.ID)
	if got.Text != "Order 7" || len(got.Buttons) != 1 || got.Buttons[0][0].Text != "Refill" || got.Edits != 2 {
		t.Errorf("message = %+v", got)
	}
}

func TestDeleteMessage(t *testing.T) {
	clock := newClock()
	s, url := newServer(t, telegramtest.Options{Now: clock.Now})
	b := newBot(t, url)
	keyMsg := s.SendText(alice, "/key SECRET")
	m, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: alice.ID, Text: "Key saved"})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	del := func(chat int64, id int) error {
		_, err := b.DeleteMessage(t.Context(), &bot.DeleteMessageParams{ChatID: chat, MessageID: id})
		return err
	}
	wantAPIError(t, del(alice.ID, keyMsg), "")
	wantAPIError(t, del(alice.ID, keyMsg), "message to delete not found")
	wantAPIError(t, del(alice.ID, 999), "message to delete not found")
	wantAPIError(t, del(bob.ID, m.ID), "chat not found")
	clock.Advance(48 * time.Hour)
	wantAPIError(t, del(alice.ID, m.ID), "message can't be deleted for everyone")

	msgs := s.Messages(alice.ID)
	if !msgs[0].Deleted || msgs[0].Text != "" || msgs[1].Deleted {
		t.Errorf("transcript = %+v; want the key message deleted and emptied", msgs)
	}
}

func TestAnswerCallbackQueryOnce(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	s.PressData(alice, 1, "x")
	id := s.Unanswered()[0]
	answer := func(id, text string) error {
		_, err := b.AnswerCallbackQuery(t.Context(), &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
		return err
	}
	long := strings.Repeat("я", 201)
	wantAPIError(t, answer(id, long), "MESSAGE_TOO_LONG")
	wantAPIError(t, answer(id, ""), "")
	wantAPIError(t, answer(id, ""), "query is too old and response timeout expired or query ID is invalid")
	wantAPIError(t, answer("12345", ""), "query is too old and response timeout expired or query ID is invalid")
	if got := len(s.CallbackAnswers()); got != 1 {
		t.Errorf("%d answers recorded, want 1", got)
	}
}

func TestChatAction(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	act := func(chat int64, a models.ChatAction) error {
		_, err := b.SendChatAction(t.Context(), &bot.SendChatActionParams{ChatID: chat, Action: a})
		return err
	}
	wantAPIError(t, act(alice.ID, models.ChatActionTyping), "")
	wantAPIError(t, act(alice.ID, "dancing"), "wrong parameter action in request")
	wantAPIError(t, act(bob.ID, models.ChatActionTyping), "chat not found")
}
