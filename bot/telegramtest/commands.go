package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/go-telegram/bot/models"
)

// Command is one bot command as setMyCommands recorded it.
type Command struct {
	Command     string
	Description string
}

// commandKey is a command list's scope ("default", "all_private_chats",
// "chat:42", ...) and language code ("" for all).
type commandKey struct {
	scope, lang string
}

const maxCommands = 100

var (
	commandName  = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	languageCode = regexp.MustCompile(`^[a-z]{2}$`)
)

// Commands is the command list set for the default scope and
// languageCode ("" for users of any language).
func (s *Server) Commands(languageCode string) []Command {
	return s.CommandsIn("default", languageCode)
}

// CommandsIn is the command list set for a scope, named by its type and
// ids: "default", "all_private_chats", "all_group_chats",
// "all_chat_administrators", "chat:<chat_id>", "chat_administrators:<chat_id>",
// "chat_member:<chat_id>:<user_id>".
func (s *Server) CommandsIn(scope, languageCode string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[commandKey{scope, languageCode}]...)
}

// commandKeyOf reads the scope and language_code fields.
func commandKeyOf(p params) (commandKey, *apiError) {
	k := commandKey{scope: "default", lang: p["language_code"]}
	if k.lang != "" && !languageCode.MatchString(k.lang) {
		return k, badRequest("LANG_CODE_INVALID")
	}
	if !p.has("scope") {
		return k, nil
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if err := p.decode("scope", &sc); err != nil {
		return k, badRequest("can't parse BotCommandScope JSON object")
	}
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		k.scope = sc.Type
	case "chat", "chat_administrators":
		k.scope = fmt.Sprintf("%s:%s", sc.Type, trimQuotes(sc.ChatID))
	case "chat_member":
		k.scope = fmt.Sprintf("%s:%s:%d", sc.Type, trimQuotes(sc.ChatID), sc.UserID)
	default:
		return k, badRequest("unsupported bot command scope type")
	}
	return k, nil
}

func trimQuotes(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// setMyCommands records the list for a scope and language; an empty list
// deletes it.
func (s *Server) setMyCommands(_ context.Context, p params) (any, *apiError) {
	k, apiErr := commandKeyOf(p)
	if apiErr != nil {
		return nil, apiErr
	}
	var cmds []models.BotCommand
	if err := p.decode("commands", &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > maxCommands {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	list := make([]Command, 0, len(cmds))
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Count(c.Description); n == 0 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
		list = append(list, Command{Command: c.Command, Description: c.Description})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(list) == 0 {
		delete(s.commands, k)
	} else {
		s.commands[k] = list
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) deleteMyCommands(_ context.Context, p params) (any, *apiError) {
	k, apiErr := commandKeyOf(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, k)
	s.notifyLocked()
	return true, nil
}

func (s *Server) getMyCommands(_ context.Context, p params) (any, *apiError) {
	k, apiErr := commandKeyOf(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []models.BotCommand{}
	for _, c := range s.commands[k] {
		out = append(out, models.BotCommand{Command: c.Command, Description: c.Description})
	}
	return out, nil
}
