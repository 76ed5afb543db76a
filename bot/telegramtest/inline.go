package telegramtest

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/go-telegram/bot/models"
)

// PressIn is from pressing the inline button whose text contains label
// on message messageID of any chat: in a group any member may press a
// menu that was meant for someone else, as in Telegram. It returns
// ErrNoChat, ErrNotMember when from is not in the chat (or it is someone
// else's private chat), ErrNoMessage, and Press's errors.
func (s *Server) PressIn(from User, chatID int64, messageID int, label string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	var err error
	switch {
	case c == nil:
		err = ErrNoChat
	case c.info.Type == models.ChatTypePrivate && chatID != from.ID:
		err = ErrNotMember
	case c.info.Type != models.ChatTypePrivate:
		if _, ok := c.members[from.ID]; !ok {
			err = ErrNotMember
		}
	}
	var msg *message
	if err == nil {
		if msg = c.live(messageID); msg == nil {
			err = ErrNoMessage
		}
	}
	if err != nil {
		return fmt.Errorf("press %q on message %d in chat %d: %w", label, messageID, chatID, err)
	}
	btn, ok := findButton(msg, label)
	if !ok {
		return fmt.Errorf("press %q on message %d in chat %d: %w", label, messageID, chatID, ErrNoButton)
	}
	s.meetLocked(from.model())
	return s.pressLocked(from, c, msg, btn)
}

// PressInline is from pressing a callback button with data on a message
// sent via the bot in inline mode (inlineMessageID): the callback query
// has inline_message_id and no message. Answering it works; the bot has
// met from, so a sendMessage to from's private chat that from never
// started gets 403 "bot can't initiate conversation with a user". It
// returns the callback query's id.
func (s *Server) PressInline(from User, inlineMessageID, data string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextCallbackIDLocked()
	q, _ := json.Marshal(inlineQuery{ // strings and a User: cannot fail
		ID: id, From: from.model(), InlineMessageID: inlineMessageID,
		ChatInstance: strconv.FormatInt(-7_000_000_000_000_000_000+from.ID, 10), Data: data,
	})
	if n, _ := s.enqueueRawLocked("callback_query", map[string]json.RawMessage{"callback_query": q}); n != 0 {
		s.trackCallbackLocked(id)
		s.meetLocked(from.model())
	}
	return id
}

// inlineQuery is a callback query from an inline message: unlike
// models.CallbackQuery, it encodes without a message field.
type inlineQuery struct {
	ID              string      `json:"id"`
	From            models.User `json:"from"`
	InlineMessageID string      `json:"inline_message_id"`
	ChatInstance    string      `json:"chat_instance"`
	Data            string      `json:"data,omitempty"`
}
