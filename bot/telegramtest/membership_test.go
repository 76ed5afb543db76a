package telegramtest_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestSendsWhereTheBotIsNot(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	never := s.NewGroup("Never", alice)
	kickedGroup := s.NewGroup("Kicked", alice)
	kickedSuper := s.NewSupergroup("Kicked super", alice)
	left := s.NewGroup("Left", alice)
	for _, id := range []int64{kickedGroup, kickedSuper, left} {
		if err := s.AddBot(id, alice); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []int64{kickedGroup, kickedSuper} {
		if err := s.RemoveBot(id, alice); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := b.LeaveChat(t.Context(), &bot.LeaveChatParams{ChatID: left}); !ok || err != nil {
		t.Fatalf("leaveChat: %v %v", ok, err)
	}
	s.SendText(bob, "hi")
	s.Block(bob.ID)
	s.PressInline(carol, "AgAAAInline1", "x") // carol is met, never started the bot
	tests := []struct {
		name   string
		chatID int64
		want   string
		is     error
	}{
		{"unknown chat", -42, "Bad Request: chat not found", bot.ErrorBadRequest},
		{"group never joined", never, "Bad Request: chat not found", bot.ErrorBadRequest},
		{"kicked from a group", kickedGroup, "Forbidden: bot was kicked from the group chat", bot.ErrorForbidden},
		{"kicked from a supergroup", kickedSuper, "Forbidden: bot was kicked from the supergroup chat", bot.ErrorForbidden},
		{"left a group", left, "Forbidden: bot is not a member of the group chat", bot.ErrorForbidden},
		{"blocked", bob.ID, "Forbidden: bot was blocked by the user", bot.ErrorForbidden},
		{"user who never started the bot", carol.ID, "Forbidden: bot can't initiate conversation with a user", bot.ErrorForbidden},
		{"user never met", 1004, "Bad Request: chat not found", bot.ErrorBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Rejected())
			err := send(b, tt.chatID, "x")
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("send: %v, want %q", err, tt.want)
			}
			_, err = b.SendChatAction(t.Context(), &bot.SendChatActionParams{ChatID: tt.chatID, Action: models.ChatActionTyping})
			if !errors.Is(err, tt.is) {
				t.Errorf("sendChatAction: %v, want %v", err, tt.is)
			}
			rej := s.Rejected()[before:]
			if len(rej) != 2 || rej[0].Description != tt.want || rej[0].Method != "sendMessage" {
				t.Errorf("rejections %+v, want sendMessage and sendChatAction refused with %q", rej, tt.want)
			}
		})
	}
	if got := s.BotStatus(left); got != "left" {
		t.Errorf("BotStatus after leaveChat = %q, want left", got)
	}
}

func TestMyChatMemberOnBlock(t *testing.T) {
	tests := []struct {
		name    string
		allowed []string
		want    []string
	}{
		{"default", nil, []string{"my_chat_member", "my_chat_member", "my_chat_member", "my_chat_member", "message"}},
		{"asked", []string{"message", "my_chat_member"}, []string{"my_chat_member", "my_chat_member", "my_chat_member", "my_chat_member", "message"}},
		{"not asked", []string{"message"}, []string{"message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := newServer(t, telegramtest.Options{})
			s.SendText(alice, "/start")
			call(t, url, "getUpdates", map[string]any{"offset": 2, "allowed_updates": tt.allowed})
			s.Block(alice.ID)
			s.Unblock(alice.ID)
			s.Block(alice.ID)
			s.SendText(alice, "back") // writing again unblocks: my_chat_member first
			p := &poller{url: url, offset: 2}
			got := p.next(t)
			if k := kinds(got); !slices.Equal(k, tt.want) {
				t.Fatalf("updates %v, want %v", k, tt.want)
			}
			if cm := got[0].MyChatMember; cm != nil && (cm.From.ID != alice.ID || cm.NewChatMember.Type != models.ChatMemberTypeBanned) {
				t.Errorf("block = %+v, want from alice, new status kicked", cm)
			}
		})
	}
}

func TestDeleteMessageRights(t *testing.T) {
	clk := newClock()
	s, url := newServer(t, telegramtest.Options{Now: clk.Now})
	b := newBot(t, url)
	group := s.NewGroup("Team", alice)
	admin := s.NewSupergroup("Admins", alice)
	for _, add := range []func() error{func() error { return s.AddBot(group, alice) }, func() error { return s.AddBotAdmin(admin, alice) }} {
		if err := add(); err != nil {
			t.Fatal(err)
		}
	}
	s.SendText(alice, "hi")
	oldPrivate := s.SendText(alice, "key: secret")
	oldAdmin := must(s.SendIn(admin, alice, "old"))
	clk.Advance(49 * time.Hour)
	mine, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: group, Text: "menu"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		chatID int64
		msgID  int
		want   string // "" for success
	}{
		{"user's message, bot not admin", group, must(s.SendIn(group, alice, "x")), "Bad Request: message can't be deleted"},
		{"bot's own message in a group", group, mine.ID, ""},
		{"user's message in a private chat", alice.ID, s.SendText(alice, "my key"), ""},
		{"private message after 48 hours", alice.ID, oldPrivate, "Bad Request: message can't be deleted for everyone"},
		{"admin in a supergroup", admin, must(s.SendIn(admin, alice, "spam")), ""},
		{"admin, message past 48 hours", admin, oldAdmin, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := b.DeleteMessage(t.Context(), &bot.DeleteMessageParams{ChatID: tt.chatID, MessageID: tt.msgID})
			switch {
			case tt.want == "" && (err != nil || !ok):
				t.Errorf("delete: %v %v, want success", ok, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("delete: %v, want %q", err, tt.want)
			}
		})
	}
}

func must(id int, err error) int {
	if err != nil {
		panic(err)
	}
	return id
}

func TestGetChatMember(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	group := s.NewGroup("Team", alice)
	if err := s.AddBotAdmin(group, alice); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		user int64
		want models.ChatMemberType
	}{
		{"the bot", 123456, models.ChatMemberTypeAdministrator},
		{"a member", alice.ID, models.ChatMemberTypeMember},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := b.GetChatMember(t.Context(), &bot.GetChatMemberParams{ChatID: group, UserID: tt.user})
			if err != nil || m.Type != tt.want {
				t.Errorf("getChatMember = %+v, %v; want %s", m, err, tt.want)
			}
		})
	}
	c, err := b.GetChat(t.Context(), &bot.GetChatParams{ChatID: group})
	if err != nil || c.Title != "Team" || c.Type != models.ChatTypeGroup {
		t.Errorf("getChat = %+v, %v", c, err)
	}
}
