package telegramtest_test

import (
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestCommands(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	en := []models.BotCommand{{Command: "start", Description: "Start"}, {Command: "order", Description: "New order"}}
	ru := []models.BotCommand{{Command: "start", Description: "Начать"}}
	set := func(cmds []models.BotCommand, lang string, scope models.BotCommandScope) error {
		_, err := b.SetMyCommands(t.Context(), &bot.SetMyCommandsParams{Commands: cmds, LanguageCode: lang, Scope: scope})
		return err
	}
	wantAPIError(t, set(en, "", nil), "")
	wantAPIError(t, set(ru, "ru", &models.BotCommandScopeDefault{}), "")
	wantAPIError(t, set(en[:1], "", &models.BotCommandScopeChat{ChatID: 1001}), "")
	wantAPIError(t, set([]models.BotCommand{{Command: "Start", Description: "x"}}, "", nil), "BOT_COMMAND_INVALID")
	wantAPIError(t, set([]models.BotCommand{{Command: "start", Description: ""}}, "", nil), "BOT_COMMAND_DESCRIPTION_INVALID")
	wantAPIError(t, set(en, "russian", nil), "LANG_CODE_INVALID")

	if got := s.Commands(""); len(got) != 2 || got[1] != (telegramtest.Command{Command: "order", Description: "New order"}) {
		t.Errorf("Commands(\"\") = %+v", got)
	}
	if got := s.Commands("ru"); len(got) != 1 || got[0].Description != "Начать" {
		t.Errorf("Commands(ru) = %+v", got)
	}
	if got := s.CommandsIn("chat:1001", ""); len(got) != 1 {
		t.Errorf("CommandsIn(chat:1001) = %+v", got)
	}
	got, err := b.GetMyCommands(t.Context(), &bot.GetMyCommandsParams{LanguageCode: "ru"})
	if err != nil || len(got) != 1 || got[0].Command != "start" {
		t.Errorf("GetMyCommands(ru) = %+v, %v", got, err)
	}
	if _, err := b.DeleteMyCommands(t.Context(), &bot.DeleteMyCommandsParams{LanguageCode: "ru"}); err != nil {
		t.Fatal(err)
	}
	if got := s.Commands("ru"); len(got) != 0 {
		t.Errorf("Commands(ru) after delete = %+v", got)
	}
	for _, m := range []string{"setMyCommands", "getMyCommands", "deleteMyCommands"} {
		if s.Calls(m) == 0 {
			t.Errorf("Calls(%s) = 0", m)
		}
	}
}

func TestGetMe(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{BotUsername: "panel_bot", BotName: "Panel"})
	b := newBot(t, url)
	me, err := b.GetMe(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != 123456 || !me.IsBot || me.Username != "panel_bot" || me.FirstName != "Panel" {
		t.Errorf("getMe = %+v", me)
	}
	if u := s.BotUser(); u.ID != me.ID || u.Username != me.Username {
		t.Errorf("BotUser = %+v, want the getMe user", u)
	}
	for _, m := range []string{"close", "logOut"} {
		if r := call(t, url, m, nil); !r.OK {
			t.Errorf("%s: %+v", m, r)
		}
	}
}
