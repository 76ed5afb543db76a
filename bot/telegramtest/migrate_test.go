package telegramtest_test

import (
	"errors"
	"testing"

	"github.com/go-telegram/bot"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestMigrateToSupergroup(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	p := &poller{url: url}
	group := s.NewGroup("Team", alice, bob)
	if err := s.AddBot(group, alice); err != nil {
		t.Fatal(err)
	}
	p.next(t)
	super, err := s.Migrate(group, alice)
	if err != nil {
		t.Fatal(err)
	}
	got := p.next(t)
	if len(got) != 2 || got[0].Message == nil || got[0].Message.MigrateToChatID != super || got[0].Message.Chat.ID != group ||
		got[1].Message == nil || got[1].Message.MigrateFromChatID != group || got[1].Message.Chat.ID != super {
		t.Fatalf("updates %+v, want migrate_to_chat_id in the group, then migrate_from_chat_id in the supergroup", got)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"sendMessage", func() error { return send(b, group, "x") }},
		{"sendChatAction", func() error {
			_, err := b.SendChatAction(t.Context(), &bot.SendChatActionParams{ChatID: group, Action: "typing"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var me *bot.MigrateError
			if err := tt.call(); !errors.As(err, &me) || int64(me.MigrateToChatID) != super {
				t.Errorf("error %v, want a MigrateError to %d", err, super)
			}
		})
	}
	r := call(t, url, "sendMessage", map[string]any{"chat_id": group, "text": "x"})
	if r.Description != "Bad Request: group chat was upgraded to a supergroup chat" {
		t.Errorf("description %q", r.Description)
	}
	if err := send(b, super, "hello again"); err != nil {
		t.Errorf("send to the supergroup: %v", err)
	}
	if _, err := s.SendIn(super, bob, "/order"); err != nil {
		t.Errorf("bob in the supergroup: %v", err)
	}
	if _, err := s.SendIn(group, bob, "x"); !errors.Is(err, telegramtest.ErrUpgraded) {
		t.Errorf("bob in the old group: %v, want ErrUpgraded", err)
	}
}
