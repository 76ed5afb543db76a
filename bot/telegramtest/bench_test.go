package telegramtest_test

import (
	"context"
	"io"
	"net/http"
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

// BenchmarkDocumentDownload is getFile and the download of a 1 MB
// document, as the bot reads a mass order file.
func BenchmarkDocumentDownload(b *testing.B) {
	s, url := newServer(b, telegramtest.Options{})
	client := newBot(b, url)
	data := []byte(strings.Repeat("5|https://example.com/p/1|1000\n", 1<<20/31))
	s.SendDocument(alice, telegramtest.Document{Name: "orders.txt", MIME: "text/plain", Data: data})
	doc := (&poller{url: url}).next(b)[0].Message.Document
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := client.GetFile(context.Background(), &bot.GetFileParams{FileID: doc.FileID})
		if err != nil {
			b.Fatal(err)
		}
		resp, err := http.Get(client.FileDownloadLink(f))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n != int64(len(data)) {
			b.Fatalf("downloaded %d bytes, want %d", n, len(data))
		}
	}
}
