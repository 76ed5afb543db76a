package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestInlineCallbackQuery(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	id := s.PressInline(carol, "AgAAAInline1", "o:42")
	r := call(t, url, "getUpdates", map[string]any{})
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(r.Result, &raw); err != nil || len(raw) != 1 {
		t.Fatalf("updates %s: %v", r.Result, err)
	}
	var q map[string]json.RawMessage
	if err := json.Unmarshal(raw[0]["callback_query"], &q); err != nil {
		t.Fatalf("callback_query %s: %v", raw[0]["callback_query"], err)
	}
	if _, has := q["message"]; has || string(q["inline_message_id"]) != `"AgAAAInline1"` || string(q["data"]) != `"o:42"` {
		t.Errorf("callback_query = %s, want inline_message_id and data, no message", r.Result)
	}
	var us []models.Update
	if err := json.Unmarshal(r.Result, &us); err != nil || us[0].CallbackQuery.ID != id || us[0].CallbackQuery.From.ID != carol.ID {
		t.Errorf("decoded as %+v, %v", us, err)
	}
	if ok, err := b.AnswerCallbackQuery(t.Context(), &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: "Open me in private"}); !ok || err != nil {
		t.Errorf("answer: %v %v", ok, err)
	}
	err := send(b, carol.ID, "hi")
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "bot can't initiate conversation with a user") {
		t.Errorf("send to the tapper: %v, want 403 can't initiate conversation", err)
	}
	s.SendText(carol, "/start")
	if err := send(b, carol.ID, "hi"); err != nil {
		t.Errorf("send after /start: %v", err)
	}
}

func TestStrangersPress(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	p := &poller{url: url}
	group := s.NewGroup("Team", alice, bob)
	if err := s.AddBot(group, alice); err != nil {
		t.Fatal(err)
	}
	s.SendText(alice, "/start")
	menu := func(chat int64) int {
		m, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: chat, Text: "menu", ReplyMarkup: models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Order", CallbackData: "v1:order"}}}}})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	groupMenu, privateMenu := menu(group), menu(alice.ID)
	p.next(t)
	tests := []struct {
		name  string
		from  telegramtest.User
		chat  int64
		msgID int
		want  error
	}{
		{"a member taps alice's menu", bob, group, groupMenu, nil},
		{"a non-member", carol, group, groupMenu, telegramtest.ErrNotMember},
		{"someone else's private chat", bob, alice.ID, privateMenu, telegramtest.ErrNotMember},
		{"no such message", bob, group, 999, telegramtest.ErrNoMessage},
		{"no such chat", bob, -5, 1, telegramtest.ErrNoChat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.PressIn(tt.from, tt.chat, tt.msgID, "Order")
			if !errors.Is(err, tt.want) {
				t.Fatalf("PressIn: %v, want %v", err, tt.want)
			}
			if tt.want != nil {
				return
			}
			got := p.next(t)
			if len(got) != 1 || got[0].CallbackQuery == nil || got[0].CallbackQuery.From.ID != tt.from.ID ||
				got[0].CallbackQuery.Message.Message.Chat.ID != tt.chat || got[0].CallbackQuery.Data != "v1:order" {
				t.Errorf("updates %+v, want %d's callback query on the group's menu", got, tt.from.ID)
			}
		})
	}
}

func TestRawUpdates(t *testing.T) {
	tests := []struct {
		name, update string
	}{
		{"a field of the wrong type", `{"message": {"message_id": 1, "date": 1, "chat": {"id": "x", "type": "private"}}}`},
		{"a new ChatMember status", `{"my_chat_member": {"chat": {"id": 1, "type": "private"}, "from": {"id": 1, "is_bot": false, "first_name": "A"}, "date": 1,
			"old_chat_member": {"status": "member", "user": {"id": 2, "is_bot": true, "first_name": "B"}},
			"new_chat_member": {"status": "superadmin", "user": {"id": 2, "is_bot": true, "first_name": "B"}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := newServer(t, telegramtest.Options{})
			s.SendText(alice, "before")
			id, err := s.SendRaw(tt.update)
			if err != nil || id != 2 {
				t.Fatalf("SendRaw = %d, %v; want update 2", id, err)
			}
			s.SendText(alice, "after")
			r := call(t, url, "getUpdates", map[string]any{})
			var raw []json.RawMessage
			if err := json.Unmarshal(r.Result, &raw); err != nil || len(raw) != 3 {
				t.Fatalf("updates %s: %v", r.Result, err)
			}
			var u models.Update
			if err := json.Unmarshal(raw[1], &u); err == nil {
				t.Errorf("models.Update decoded %s", raw[1])
			}
			var head struct {
				ID int `json:"update_id"`
			}
			if err := json.Unmarshal(raw[1], &head); err != nil || head.ID != 2 {
				t.Errorf("raw update %s: update_id %d (%v), want 2", raw[1], head.ID, err)
			}
			if err := json.Unmarshal(raw[2], &u); err != nil || u.ID != 3 {
				t.Errorf("the update after: %v, id %d", err, u.ID)
			}
		})
	}
	s, _ := newServer(t, telegramtest.Options{})
	for _, bad := range []string{"", "[]", "null", "{}", `{"update_id": 5}`, "{not json"} {
		if _, err := s.SendRaw(bad); !errors.Is(err, telegramtest.ErrBadUpdate) {
			t.Errorf("SendRaw(%q): %v, want ErrBadUpdate", bad, err)
		}
	}
}

// TestRawUpdateStallsGoTelegramPolling documents go-telegram/bot: one
// update it cannot decode fails the whole getUpdates batch, again and
// again (the bot needs its own decoding to skip it).
func TestRawUpdateStallsGoTelegramPolling(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	rec := &recorder{}
	startBot(t, newBot(t, url, bot.WithErrorsHandler(rec.fail), bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { rec.add(u) })))
	if _, err := s.SendRaw(`{"message": {"message_id": 1, "date": 1, "chat": {"id": "x", "type": "private"}}}`); err != nil {
		t.Fatal(err)
	}
	s.SendText(alice, "after")
	waitFor(t, s, "two failed polls", func() bool { return s.Calls("getUpdates") >= 2 && len(rec.errors()) >= 1 })
	if rec.count() != 0 || s.Pending() != 2 {
		t.Errorf("handled %d, pending %d: want none handled, both pending", rec.count(), s.Pending())
	}
	if err := rec.errors()[0]; !strings.Contains(err.Error(), "error decode response result for method getUpdates") {
		t.Errorf("error %v", err)
	}
}
