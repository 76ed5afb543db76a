package bot_test

import (
	"context"
	"strconv"
	"testing"

	tg "github.com/go-telegram/bot"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm"
)

func addReq(i int) smm.AddRequest {
	return smm.AddRequest{Service: 1, Link: "https://t.me/b" + strconv.Itoa(i), Quantity: 100}
}

// rawAPI is a go-telegram/bot client for driving the fake directly.
type rawAPI struct{ b *tg.Bot }

func newRawAPI(tb testing.TB, url string) rawAPI {
	tb.Helper()
	b, err := tg.New(telegramtest.DefaultToken, tg.WithServerURL(url), tg.WithSkipGetMe())
	if err != nil {
		tb.Fatal(err)
	}
	return rawAPI{b}
}

func (a rawAPI) send(ctx context.Context, chat int64, text string) error {
	_, err := a.b.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: text})
	return err
}
