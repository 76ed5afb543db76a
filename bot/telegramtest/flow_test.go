package telegramtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

// menuBot answers /start with a menu and a tap on it by editing the menu.
func menuBot(tb testing.TB, url string, rec *recorder) *bot.Bot {
	tb.Helper()
	b := newBot(tb, url)
	b.RegisterHandler(bot.HandlerTypeMessageText, "start", bot.MatchTypeCommand, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		rec.add(u)
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{
			ChatID:    u.Message.Chat.ID,
			Text:      "Hello <b>" + u.Message.From.FirstName + "</b> &amp; welcome",
			ParseMode: models.ParseModeHTML,
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
				{{Text: "🛒 New order", CallbackData: "order:new"}, {Text: "Site", URL: "https://example.com"}},
				{{Text: "My orders", CallbackData: "orders"}},
			}},
		})
		if err != nil {
			rec.fail(err)
		}
	})
	b.RegisterHandler(bot.HandlerTypeCallbackQueryData, "order:", bot.MatchTypePrefix, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		rec.add(u)
		q := u.CallbackQuery
		if _, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "Got it"}); err != nil {
			rec.fail(err)
		}
		_, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{
			ChatID:    q.Message.Message.Chat.ID,
			MessageID: q.Message.Message.ID,
			Text:      "Pick a <i>category</i>",
			ParseMode: models.ParseModeHTML,
		})
		if err != nil {
			rec.fail(err)
		}
	})
	return b
}

func TestFlowTextMenuPressEdit(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	rec := &recorder{}
	startBot(t, menuBot(t, url, rec))

	s.SendText(alice, "/start")
	waitFor(t, s, "the menu", func() bool { return len(s.BotMessages(alice.ID)) == 1 })
	menu, _ := s.LastBotMessage(alice.ID)
	if want := "Hello Alice & welcome"; menu.Text != want {
		t.Errorf("menu text = %q, want %q", menu.Text, want)
	}
	if menu.ParseMode != "HTML" || len(menu.Entities) != 1 || menu.Entities[0].Type != models.MessageEntityTypeBold {
		t.Errorf("menu parse mode %q, entities %+v; want HTML with one bold", menu.ParseMode, menu.Entities)
	}
	if len(menu.Buttons) != 2 || menu.Buttons[0][0].Data != "order:new" || menu.Buttons[0][1].URL != "https://example.com" {
		t.Errorf("menu buttons = %+v", menu.Buttons)
	}

	if err := s.Press(alice, "New order"); err != nil {
		t.Fatalf("Press: %v", err)
	}
	waitFor(t, s, "the edit", func() bool {
		m, _ := s.LastBotMessage(alice.ID)
		return m.Edits == 1
	})
	edited, _ := s.LastBotMessage(alice.ID)
	if edited.ID != menu.ID || edited.Text != "Pick a category" || edited.Buttons != nil {
		t.Errorf("edited = %+v; want message %d, text %q, keyboard gone", edited, menu.ID, "Pick a category")
	}
	answers := s.CallbackAnswers()
	if len(answers) != 1 || answers[0].Text != "Got it" {
		t.Errorf("answers = %+v, want one with %q", answers, "Got it")
	}
	if u := s.Unanswered(); len(u) != 0 {
		t.Errorf("Unanswered = %v, want none", u)
	}
	if errs := rec.errors(); len(errs) != 0 {
		t.Errorf("handler errors: %v", errs)
	}
	msgs := s.Messages(alice.ID)
	if len(msgs) != 2 || msgs[0].FromBot || msgs[0].Text != "/start" || !msgs[1].FromBot {
		t.Errorf("transcript = %+v; want /start then the menu", msgs)
	}
	for method, want := range map[string]int{"sendMessage": 1, "answerCallbackQuery": 1, "editMessageText": 1} {
		if got := s.Calls(method); got != want {
			t.Errorf("Calls(%s) = %d, want %d", method, got, want)
		}
	}
	q := rec.all()[1].CallbackQuery // the press came after the menu was there
	if q.From.ID != alice.ID || q.ChatInstance == "" || q.Message.Message == nil || q.Message.Message.ID != menu.ID {
		t.Errorf("callback query = %+v; want from Alice, chat_instance, the menu message", q)
	}
}

func TestPressErrors(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	rec := &recorder{}
	startBot(t, menuBot(t, url, rec))
	s.SendText(alice, "/start")
	waitFor(t, s, "the menu", func() bool { return len(s.BotMessages(alice.ID)) == 1 })
	menu, _ := s.LastBotMessage(alice.ID)

	tests := []struct {
		name  string
		press func() error
		want  error
	}{
		{"no such label", func() error { return s.Press(alice, "Refill") }, telegramtest.ErrNoButton},
		{"url button", func() error { return s.Press(alice, "Site") }, telegramtest.ErrNotCallbackButton},
		{"other user's chat", func() error { return s.Press(bob, "New order") }, telegramtest.ErrNoButton},
		{"user message", func() error { return s.PressOn(alice, menu.ID-1, "New order") }, telegramtest.ErrNoButton},
		{"unknown message", func() error { return s.PressOn(alice, 999, "New order") }, telegramtest.ErrNoMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.press(); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	if err := s.PressOn(alice, menu.ID, "orders"); err != nil {
		t.Errorf("PressOn: %v", err)
	}
}

func TestPressDataForgedAndStale(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	rec := &recorder{}
	b := newBot(t, url, bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
		rec.add(u)
		if u.CallbackQuery != nil {
			_, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "expired", ShowAlert: true})
			if err != nil {
				rec.fail(err)
			}
		}
	}))
	startBot(t, b)
	s.SendText(alice, "hi")
	id := s.PressData(alice, 77, "order:v1:confirm")
	waitFor(t, s, "the answer", func() bool { return len(s.CallbackAnswers()) == 1 })
	var u *models.Update
	for _, x := range rec.all() {
		if x.CallbackQuery != nil {
			u = x
		}
	}
	if u == nil {
		t.Fatal("the bot saw no callback query")
	}
	if int(u.ID) != id || u.CallbackQuery.Data != "order:v1:confirm" {
		t.Errorf("update %d with data %q, want %d with the forged data", u.ID, u.CallbackQuery.Data, id)
	}
	m := u.CallbackQuery.Message
	if m.Type != models.MaybeInaccessibleMessageTypeInaccessibleMessage || m.InaccessibleMessage.MessageID != 77 {
		t.Errorf("message = %+v, want inaccessible message 77", m)
	}
	if a := s.CallbackAnswers()[0]; !a.ShowAlert || a.Text != "expired" {
		t.Errorf("answer = %+v", a)
	}
}

func TestUserMessagesOfEveryKind(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	rec := &recorder{}
	startBot(t, newBot(t, url, bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { rec.add(u) })))

	s.SendSticker(alice)
	s.SendPhoto(alice, "proof /start")
	group := models.Chat{ID: -100123, Type: models.ChatTypeSupergroup, Title: "Team"}
	s.SendUpdate(models.Update{Message: &models.Message{Chat: group, From: &models.User{ID: alice.ID, FirstName: "Alice"}, Text: "hello group"}})
	s.SendUpdate(models.Update{EditedMessage: &models.Message{ID: 1, Chat: group, Text: "hello, group"}})
	waitFor(t, s, "four updates", func() bool { return rec.count() == 4 })

	got := rec.byID()
	if got[0].Message.Sticker == nil || got[1].Message.Photo == nil || got[1].Message.Caption != "proof /start" {
		t.Errorf("sticker and photo updates = %+v, %+v", got[0].Message, got[1].Message)
	}
	if got[2].Message.Chat.ID != group.ID || got[2].Message.ID != 1 || got[3].EditedMessage == nil {
		t.Errorf("group updates = %+v, %+v", got[2], got[3])
	}
	kinds := []string{}
	for _, m := range s.Messages(alice.ID) {
		kinds = append(kinds, m.Media+":"+m.Text)
	}
	if want := []string{"sticker:", "photo:proof /start"}; len(kinds) != 2 || kinds[0] != want[0] || kinds[1] != want[1] {
		t.Errorf("alice's transcript = %q, want %q", kinds, want)
	}
	if g := s.Messages(group.ID); len(g) != 1 || g[0].Text != "hello, group" || g[0].Edits != 1 {
		t.Errorf("group transcript = %+v, want the edited message", g)
	}
	b := newBot(t, url)
	if _, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: group.ID, Text: "hi team"}); err != nil {
		t.Errorf("send to a group that wrote: %v", err)
	}
}
