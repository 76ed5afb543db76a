package telegramtest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func send(b *bot.Bot, chat int64, text string) error {
	_, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: chat, Text: text})
	return err
}

// retryAfter is the retry_after of a 429, or -1 for any other outcome.
func retryAfter(err error) int {
	var tooMany *bot.TooManyRequestsError
	if errors.As(err, &tooMany) {
		return tooMany.RetryAfter
	}
	return -1
}

func TestFail429(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	s.Fail429(2, 7)
	for i := range 2 {
		if got := retryAfter(send(b, alice.ID, "x")); got != 7 {
			t.Errorf("send %d: retry_after %d, want 7", i, got)
		}
	}
	if err := send(b, alice.ID, "x"); err != nil {
		t.Errorf("third send: %v, want success", err)
	}
	rej := s.Rejected()
	if len(rej) != 2 || rej[0] != (telegramtest.Rejection{Method: "sendMessage", Code: 429, Description: "Too Many Requests: retry after 7"}) {
		t.Errorf("Rejected = %+v", rej)
	}
	if got := len(s.BotMessages(alice.ID)); got != 1 {
		t.Errorf("%d bot messages, want 1: a 429 sends nothing", got)
	}
}

func TestFail429SparesOtherMethods(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.Fail429(1, 3)
	if _, err := b.GetMe(t.Context()); err != nil {
		t.Errorf("getMe: %v", err)
	}
	s.SendText(alice, "hi")
	s.PressData(alice, 1, "x")
	_, err := b.AnswerCallbackQuery(t.Context(), &bot.AnswerCallbackQueryParams{CallbackQueryID: s.Unanswered()[0]})
	if got := retryAfter(err); got != 3 {
		t.Errorf("answerCallbackQuery: retry_after %d, want 3", got)
	}
}

func TestBlock(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	m, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: alice.ID, Text: "menu"})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	s.Block(alice.ID)
	err = send(b, alice.ID, "news")
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
		t.Errorf("send to a blocked chat: %v, want 403 bot was blocked by the user", err)
	}
	_, err = b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "edited"})
	if !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("edit in a blocked chat: %v, want 403", err)
	}
	if err := send(b, bob.ID, "x"); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("send to an unknown chat: %v, want 400", err)
	}
	s.SendText(alice, "I'm back")
	if err := send(b, alice.ID, "welcome back"); err != nil {
		t.Errorf("send after the user wrote again: %v", err)
	}
}

func TestFailNext(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	s.FailNext("sendmessage", http.StatusBadGateway, "Bad Gateway")
	s.FailNext("sendMessage", http.StatusBadRequest, "Bad Request: chat not found")
	if err := send(b, alice.ID, "x"); err == nil || !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Errorf("first send: %v, want the 502", err)
	}
	if err := send(b, alice.ID, "x"); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("second send: %v, want the 400", err)
	}
	if err := send(b, alice.ID, "x"); err != nil {
		t.Errorf("third send: %v", err)
	}
	if got := s.Calls("sendMessage"); got != 3 {
		t.Errorf("Calls = %d, want 3", got)
	}
}

func TestLimitsPerChat(t *testing.T) {
	clock := newClock()
	s, url := newServer(t, telegramtest.Options{Limits: true, Now: clock.Now})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	s.SendText(bob, "hi")
	var got []int
	for range 5 {
		got = append(got, retryAfter(send(b, alice.ID, "burst")))
	}
	if want := []int{-1, -1, -1, 1, 1}; !equalInts(got, want) {
		t.Errorf("burst to one chat: retry_after %v, want %v (-1 = sent)", got, want)
	}
	if err := send(b, bob.ID, "other chat"); err != nil {
		t.Errorf("another chat during the burst: %v", err)
	}
	m, _ := s.LastBotMessage(alice.ID)
	_, err := b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "edit"})
	if retryAfter(err) != 1 {
		t.Errorf("edit during the burst: %v, want 429: edits count per chat", err)
	}
	clock.Advance(time.Second)
	if err := send(b, alice.ID, "a second later"); err != nil {
		t.Errorf("a second later: %v", err)
	}
	if err := send(b, alice.ID, "again"); retryAfter(err) != 1 {
		t.Errorf("right after: %v, want 429", err)
	}
}

func TestChatBurstOption(t *testing.T) {
	clock := newClock()
	s, url := newServer(t, telegramtest.Options{Limits: true, ChatBurst: 1, Now: clock.Now})
	b := newBot(t, url)
	s.SendText(alice, "hi")
	if err := send(b, alice.ID, "one"); err != nil {
		t.Fatalf("first send: %v", err)
	}
	if got := retryAfter(send(b, alice.ID, "two")); got != 1 {
		t.Errorf("second send in the same second: retry_after %d, want 1", got)
	}
	clock.Advance(500 * time.Millisecond)
	if got := retryAfter(send(b, alice.ID, "two")); got != 1 {
		t.Errorf("half a second later: retry_after %d, want 1", got)
	}
	clock.Advance(500 * time.Millisecond)
	if err := send(b, alice.ID, "two"); err != nil {
		t.Errorf("a second later: %v", err)
	}
}

func TestLimitsOverall(t *testing.T) {
	clock := newClock()
	s, url := newServer(t, telegramtest.Options{Limits: true, Now: clock.Now})
	b := newBot(t, url)
	for i := range 31 {
		s.SendText(telegramtest.User{ID: int64(2000 + i), FirstName: "U"}, "hi")
	}
	for i := range 30 {
		if err := send(b, int64(2000+i), "notice"); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if got := retryAfter(send(b, 2030, "notice")); got != 1 {
		t.Errorf("31st message in a second: retry_after %d, want 1", got)
	}
	clock.Advance(100 * time.Millisecond)
	if err := send(b, 2030, "notice"); err != nil {
		t.Errorf("after 100ms (3 tokens back): %v", err)
	}
}

func equalInts(a, b []int) bool {
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

func TestUnauthorizedAndUnknownMethod(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	_, err := bot.New("999:WRONG", bot.WithServerURL(url))
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("bot.New with a wrong token: %v, want Unauthorized", err)
	}
	r := call(t, url, "sendSticker", map[string]any{"chat_id": 1})
	if r.OK || r.ErrorCode != 404 || r.Description != "Not Found" {
		t.Errorf("unknown method: %+v, want 404 Not Found", r)
	}
	want := []telegramtest.Rejection{
		{Method: "getMe", Code: 401, Description: "Unauthorized"},
		{Method: "sendSticker", Code: 404, Description: "Not Found"},
	}
	if got := s.Rejected(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Rejected = %+v, want %+v", got, want)
	}
	if s.Calls("sendSticker") != 1 {
		t.Errorf("unknown method not counted")
	}
}
