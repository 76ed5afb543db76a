package telegramtest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

// screen is a typical menu: HTML with escaped panel text and 8 buttons.
const screen = `<b>Instagram Followers</b> &amp; Likes
Service <code>1042</code>: Followers [Max 10K] &lt;30 days refill&gt;
Rate: <b>0.90</b> per 1000 · min 50 · max 10000
<i>Send the link to your profile.</i>`

func screenKeyboard() *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{}
	for i := range 4 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, []models.InlineKeyboardButton{
			{Text: "Service " + strings.Repeat("x", i), CallbackData: "svc:v3:104" + string(rune('0'+i))},
			{Text: "Next ▶", CallbackData: "page:v3:2"},
		})
	}
	return kb
}

func BenchmarkSendMessage(b *testing.B) {
	s, url := newServer(b, telegramtest.Options{})
	client := newBot(b, url)
	s.SendText(alice, "hi")
	p := &bot.SendMessageParams{ChatID: alice.ID, Text: screen, ParseMode: models.ParseModeHTML, ReplyMarkup: screenKeyboard()}
	b.ResetTimer()
	for b.Loop() {
		if _, err := client.SendMessage(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEcho is a user's message to the bot's reply: long polling,
// a handler, sendMessage, and the test seeing the reply.
func BenchmarkEcho(b *testing.B) {
	s, url := newServer(b, telegramtest.Options{})
	client := newBot(b, url, bot.WithDefaultHandler(func(ctx context.Context, c *bot.Bot, u *models.Update) {
		_, _ = c.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "echo"})
	}))
	startBot(b, client)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		s.SendText(alice, "ping")
		n++
		want := n
		waitFor(b, s, "the echo", func() bool { return s.Calls("sendMessage") == want })
	}
}
