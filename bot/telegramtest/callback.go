package telegramtest

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// maxAnswerText is the limit on answerCallbackQuery's text, in characters.
const maxAnswerText = 200

// CallbackAnswer is one accepted answerCallbackQuery.
type CallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
	URL       string
}

// callback is a callback query the bot may answer once.
type callback struct {
	answered bool
}

// nextCallbackIDLocked is a fresh callback query id, numeric like
// Telegram's. Caller holds s.mu.
func (s *Server) nextCallbackIDLocked() string {
	s.lastCallback++
	return strconv.FormatInt(4_000_000_000_000_000_000+s.lastCallback, 10)
}

// trackCallbackLocked makes id answerable once. Caller holds s.mu.
func (s *Server) trackCallbackLocked(id string) {
	if _, ok := s.callbacks[id]; ok {
		return
	}
	s.callbacks[id] = &callback{}
	s.callbackOrder = append(s.callbackOrder, id)
}

// Press makes from press the inline button whose text contains label, on
// the newest live bot message of from's private chat that has one: the
// callback query (fresh id, the message, chat_instance, the button's
// data) is queued as an update. It returns ErrNoButton when no
// message has such a button, ErrNotCallbackButton when the button is not
// a callback button.
func (s *Server) Press(from User, label string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chatLocked(from.ID); c != nil {
		for i := len(c.msgs) - 1; i >= 0; i-- {
			msg := c.msgs[i]
			if btn, ok := findButton(msg, label); ok {
				return s.pressLocked(from, c, msg, btn)
			}
		}
	}
	return fmt.Errorf("press %q in chat %d: %w", label, from.ID, ErrNoButton)
}

// PressOn is Press on the message with messageID. It returns ErrNoMessage
// when the chat has no such live message, and Press's errors.
func (s *Server) PressOn(from User, messageID int, label string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(from.ID)
	var msg *message
	if c != nil {
		msg = c.live(messageID)
	}
	if msg == nil {
		return fmt.Errorf("press %q on message %d in chat %d: %w", label, messageID, from.ID, ErrNoMessage)
	}
	btn, ok := findButton(msg, label)
	if !ok {
		return fmt.Errorf("press %q on message %d in chat %d: %w", label, messageID, from.ID, ErrNoButton)
	}
	return s.pressLocked(from, c, msg, btn)
}

// findButton is the first button of a live bot message whose text
// contains label.
func findButton(msg *message, label string) (models.InlineKeyboardButton, bool) {
	if !msg.fromBot || msg.deleted || msg.m.ReplyMarkup == nil {
		return models.InlineKeyboardButton{}, false
	}
	for _, row := range msg.m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b, true
			}
		}
	}
	return models.InlineKeyboardButton{}, false
}

// pressLocked queues the callback query of btn. Caller holds s.mu.
func (s *Server) pressLocked(from User, c *chat, msg *message, btn models.InlineKeyboardButton) error {
	if btn.CallbackData == "" {
		return fmt.Errorf("press %q on message %d: %w", btn.Text, msg.m.ID, ErrNotCallbackButton)
	}
	s.queueCallbackLocked(from, c, msg, msg.m.ID, btn.CallbackData)
	return nil
}

// PressData is a callback query with any data on any message id of from's
// chat: a forged or stale press. A message that is not there comes as an
// inaccessible message. It returns the update_id.
func (s *Server) PressData(from User, messageID int, data string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.ensureChatLocked(from.privateChat())
	return int(s.queueCallbackLocked(from, c, c.live(messageID), messageID, data))
}

// queueCallbackLocked queues a callback query; msg may be nil. Caller
// holds s.mu.
func (s *Server) queueCallbackLocked(from User, c *chat, msg *message, messageID int, data string) int64 {
	q := &models.CallbackQuery{
		ID:           s.nextCallbackIDLocked(),
		From:         from.model(),
		ChatInstance: c.instance,
		Data:         data,
	}
	if msg != nil {
		m := msg.m
		q.Message = models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &m}
	} else {
		q.Message = models.MaybeInaccessibleMessage{
			Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: c.info, MessageID: messageID},
		}
	}
	id := s.enqueueLocked(models.Update{CallbackQuery: q})
	if id != 0 { // not left out by allowed_updates
		s.trackCallbackLocked(q.ID)
	}
	return id
}

// answerCallbackQuery accepts one answer per query; an unknown or already
// answered id gets Telegram's "query is too old" error.
func (s *Server) answerCallbackQuery(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := p["callback_query_id"]
	cb := s.callbacks[id]
	if cb == nil || cb.answered {
		return nil, badRequest(descQueryInvalid)
	}
	if utf16Count(p["text"]) > maxAnswerText {
		return nil, badRequest(descAnswerTooLong)
	}
	cb.answered = true
	s.answers = append(s.answers, CallbackAnswer{QueryID: id, Text: p["text"], ShowAlert: p.bool("show_alert"), URL: p["url"]})
	s.notifyLocked()
	return true, nil
}

// CallbackAnswers is every accepted answerCallbackQuery, in order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Unanswered is the ids of the callback queries never answered, oldest
// first.
func (s *Server) Unanswered() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.callbackOrder {
		if !s.callbacks[id].answered {
			out = append(out, id)
		}
	}
	return out
}
