package telegramtest

import (
	"context"
	"time"

	"github.com/go-telegram/bot/models"
)

// deleteWindow is how long after sending a message can be deleted.
const deleteWindow = 48 * time.Hour

// editTargetLocked is the bot's live text message an edit names.
// Caller holds s.mu.
func (s *Server) editTargetLocked(p params) (*chat, *message, *apiError) {
	if p.has("inline_message_id") {
		return nil, nil, badRequest(descInlineMessage)
	}
	c, apiErr := s.targetLocked(p)
	if apiErr != nil {
		return nil, nil, apiErr
	}
	id, ok := p.int64("message_id")
	if !ok {
		return nil, nil, badRequest(descNoMessageID)
	}
	msg := c.live(int(id))
	switch {
	case msg == nil:
		return nil, nil, badRequest(descEditNotFound)
	case !msg.fromBot:
		return nil, nil, badRequest(descCantEdit)
	}
	return c, msg, nil
}

// editMessageText replaces a bot message's text and keyboard: without
// reply_markup the keyboard goes, as in Telegram. The same text and
// keyboard again is "message is not modified".
func (s *Server) editMessageText(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, msg, apiErr := s.editTargetLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	if msg.m.Text == "" {
		return nil, badRequest(descNoText)
	}
	cont, apiErr := parseContent(p)
	if apiErr != nil {
		return nil, apiErr
	}
	mk, apiErr := parseMarkup(p, true)
	if apiErr != nil {
		return nil, apiErr
	}
	if cont.equal(msg.m.Text, msg.m.Entities) && sameJSON(mk.inline, msg.m.ReplyMarkup) {
		return nil, badRequest(descNotModified)
	}
	if apiErr := s.floodLocked(c, false); apiErr != nil {
		return nil, apiErr
	}
	msg.m.Text, msg.m.Entities, msg.parseMode = cont.text, cont.entities, cont.parseMode
	return s.editedLocked(msg, mk.inline), nil
}

// editMessageReplyMarkup replaces a bot message's keyboard; without
// reply_markup the keyboard goes.
func (s *Server) editMessageReplyMarkup(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, msg, apiErr := s.editTargetLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	mk, apiErr := parseMarkup(p, true)
	if apiErr != nil {
		return nil, apiErr
	}
	if sameJSON(mk.inline, msg.m.ReplyMarkup) {
		return nil, badRequest(descNotModified)
	}
	if apiErr := s.floodLocked(c, false); apiErr != nil {
		return nil, apiErr
	}
	return s.editedLocked(msg, mk.inline), nil
}

// editedLocked finishes an edit: keyboard, edit date, count, event. It
// returns the message as the API answers. Caller holds s.mu.
func (s *Server) editedLocked(msg *message, kb *models.InlineKeyboardMarkup) models.Message {
	msg.m.ReplyMarkup = kb
	msg.m.EditDate = int(s.now().Unix())
	msg.edits++
	s.emitLocked(EventEdit, msg)
	return msg.m
}

// deleteMessage deletes a message of the chat, the bot's or the user's,
// sent less than 48 hours ago.
func (s *Server) deleteMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, apiErr := p.chatID()
	if apiErr != nil {
		return nil, apiErr
	}
	c := s.chatLocked(id)
	if c == nil {
		return nil, badRequest(descChatNotFound)
	}
	mid, ok := p.int64("message_id")
	if !ok {
		return nil, badRequest(descNoMessageID)
	}
	msg := c.live(int(mid))
	if msg == nil {
		return nil, badRequest(descDeleteNotFound)
	}
	if s.now().Sub(msg.date) >= deleteWindow {
		return nil, badRequest(descCantDelete)
	}
	msg.deleted = true
	s.emitLocked(EventDelete, msg)
	return true, nil
}
