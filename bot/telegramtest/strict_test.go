package telegramtest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func keyboard(rows ...[]models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func manyButtons(n int) *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{}
	for i := 0; i < n; i += 5 {
		var row []models.InlineKeyboardButton
		for j := i; j < min(i+5, n); j++ {
			row = append(row, models.InlineKeyboardButton{Text: "b", CallbackData: "x"})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	return kb
}

// wantAPIError checks err is a Bad Request ending with desc ("" = success).
func wantAPIError(tb testing.TB, err error, desc string) {
	tb.Helper()
	switch {
	case desc == "" && err != nil:
		tb.Errorf("got error %v, want success", err)
	case desc == "":
	case !errors.Is(err, bot.ErrorBadRequest):
		tb.Errorf("got %v, want Bad Request: %s", err, desc)
	case !strings.HasSuffix(err.Error(), "Bad Request: "+desc):
		tb.Errorf("got %q, want description %q", err.Error(), "Bad Request: "+desc)
	}
}

func TestSendMessageStrictness(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	html := models.ParseModeHTML
	tests := []struct {
		name string
		p    bot.SendMessageParams
		want string
	}{
		{"plain", bot.SendMessageParams{Text: "a < b & c"}, ""},
		{"bare <", bot.SendMessageParams{Text: "a < b", ParseMode: html}, `can't parse entities: Unsupported start tag "" at byte offset 2`},
		{"< before a digit", bot.SendMessageParams{Text: "qty<100 left", ParseMode: html}, `can't parse entities: Unsupported start tag "100" at byte offset 3`},
		{"< at the end", bot.SendMessageParams{Text: "x <", ParseMode: html}, "can't parse entities: Unclosed start tag at byte offset 2"},
		{"bare &", bot.SendMessageParams{Text: "Likes & Followers", ParseMode: html}, `can't parse entities: Character "&" at byte offset 6 must be escaped as "&amp;"`},
		{"unknown entity", bot.SendMessageParams{Text: "a &nbsp; b", ParseMode: html}, `can't parse entities: Character "&" at byte offset 2 must be escaped as "&amp;"`},
		{"unsupported tag", bot.SendMessageParams{Text: "a<br>b", ParseMode: html}, `can't parse entities: Unsupported start tag "br" at byte offset 1`},
		{"unclosed tag", bot.SendMessageParams{Text: "<b>bold", ParseMode: html}, `can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"misnested", bot.SendMessageParams{Text: "<b><i>x</b></i>", ParseMode: html}, `can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"stray end tag", bot.SendMessageParams{Text: "x</b>", ParseMode: html}, "can't parse entities: Unexpected end tag at byte offset 1"},
		{"escaped html", bot.SendMessageParams{Text: "a &lt; b &amp; c &#34;d&#x27;", ParseMode: html}, ""},
		{"unsupported parse mode", bot.SendMessageParams{Text: "x", ParseMode: "XML"}, "unsupported parse_mode"},
		{"empty", bot.SendMessageParams{Text: ""}, "message text is empty"},
		{"blank", bot.SendMessageParams{Text: " \n\t "}, "message text is empty"},
		{"empty after tags", bot.SendMessageParams{Text: "<b></b>", ParseMode: html}, "message text is empty"},
		{"4096", bot.SendMessageParams{Text: strings.Repeat("a", 4096)}, ""},
		{"4097", bot.SendMessageParams{Text: strings.Repeat("a", 4097)}, "message is too long"},
		{"4096 inside tags", bot.SendMessageParams{Text: "<b>" + strings.Repeat("a", 4096) + "</b>", ParseMode: html}, ""},
		{"4096 after entities", bot.SendMessageParams{Text: strings.Repeat("&amp;", 4096), ParseMode: html}, ""},
		{"2048 emoji", bot.SendMessageParams{Text: strings.Repeat("😀", 2048)}, ""},
		{"2049 emoji", bot.SendMessageParams{Text: strings.Repeat("😀", 2049)}, "message is too long"},
		{"64-byte data", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "b", CallbackData: strings.Repeat("d", 64)}})}, ""},
		{"65-byte data", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "b", CallbackData: strings.Repeat("d", 65)}})}, "BUTTON_DATA_INVALID"},
		{"multibyte data", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "b", CallbackData: strings.Repeat("я", 33)}})}, "BUTTON_DATA_INVALID"},
		{"text button", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "b"}})}, "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"empty label", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "", CallbackData: "d"}})}, "text must be non-empty"},
		{"bad url", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "b", URL: "not a url"}})}, "BUTTON_URL_INVALID"},
		{"100 buttons", bot.SendMessageParams{Text: "x", ReplyMarkup: manyButtons(100)}, ""},
		{"101 buttons", bot.SendMessageParams{Text: "x", ReplyMarkup: manyButtons(101)}, "REPLY_MARKUP_TOO_LONG"},
		{"empty row dropped", bot.SendMessageParams{Text: "x", ReplyMarkup: keyboard(manyButtons(2).InlineKeyboard[0], []models.InlineKeyboardButton{})}, ""},
		{"remove keyboard", bot.SendMessageParams{Text: "x", ReplyMarkup: &models.ReplyKeyboardRemove{RemoveKeyboard: true}}, ""},
		{"force reply", bot.SendMessageParams{Text: "x", ReplyMarkup: &models.ForceReply{ForceReply: true}}, ""},
		{"reply to unknown", bot.SendMessageParams{Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 999}}, "message to be replied not found"},
		{"reply to known", bot.SendMessageParams{Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 1}}, ""},
		{"link preview", bot.SendMessageParams{Text: "https://example.com", LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.ChatID = alice.ID
			_, err := b.SendMessage(t.Context(), &p)
			wantAPIError(t, err, tt.want)
		})
	}
	t.Run("chat not found", func(t *testing.T) {
		_, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: bob.ID, Text: "x"})
		wantAPIError(t, err, "chat not found")
	})
	t.Run("username chat", func(t *testing.T) {
		_, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: "@alice", Text: "x"})
		wantAPIError(t, err, "chat not found")
	})
}

func TestRowOfNineIsRefused(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	row := make([]models.InlineKeyboardButton, 9)
	for i := range row {
		row[i] = models.InlineKeyboardButton{Text: "b", CallbackData: "x"}
	}
	_, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: alice.ID, Text: "x", ReplyMarkup: keyboard(row)})
	wantAPIError(t, err, "REPLY_MARKUP_TOO_LONG")
}

func TestSentMessageAsTelegramReturnsIt(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	m, err := b.SendMessage(t.Context(), &bot.SendMessageParams{
		ChatID: alice.ID, Text: "  <b>Order</b> <code>42</code>: see /orders  \n", ParseMode: models.ParseModeHTML,
		ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "Refill", CallbackData: "refill:42"}}),
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	if m.ID != 2 || m.Chat.ID != alice.ID || m.From == nil || !m.From.IsBot || m.Date == 0 {
		t.Errorf("message = %+v; want id 2 in Alice's chat from the bot, dated", m)
	}
	if m.Text != "Order 42: see /orders" {
		t.Errorf("text = %q, want trimmed and without tags", m.Text)
	}
	wantEntities := []models.MessageEntity{
		{Type: models.MessageEntityTypeBold, Offset: 0, Length: 5},
		{Type: models.MessageEntityTypeCode, Offset: 6, Length: 2},
		{Type: models.MessageEntityTypeBotCommand, Offset: 14, Length: 7},
	}
	if !sameEntities(m.Entities, wantEntities) {
		t.Errorf("entities = %+v, want %+v", m.Entities, wantEntities)
	}
	if m.ReplyMarkup == nil || m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "refill:42" {
		t.Errorf("reply_markup = %+v", m.ReplyMarkup)
	}
}

func sameEntities(a, b []models.MessageEntity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
