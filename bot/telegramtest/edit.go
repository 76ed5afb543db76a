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

// deleteMessage deletes a message sent less than 48 hours ago: the bot's
// own anywhere, the user's in a private chat, anyone's in a group where
// the bot is an administrator (with no time limit in supergroups and
// channels, as Telegram allows admins with can_delete_messages).
func (s *Server) deleteMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, apiErr := p.chatID()
	if apiErr != nil {
		return nil, apiErr
	}
	c := s.chatLocked(id)
	switch {
	case c == nil:
		return nil, badRequest(descChatNotFound)
	case c.info.Type != models.ChatTypePrivate && c.refusal() != nil:
		return nil, c.refusal()
	}
	mid, ok := p.int64("message_id")
	if !ok {
		return nil, badRequest(descNoMessageID)
	}
	msg := c.live(int(mid))
	if msg == nil {
		return nil, badRequest(descDeleteNotFound)
	}
	if apiErr := c.mayDelete(msg, s.now()); apiErr != nil {
		return nil, apiErr
	}
	msg.deleted = true
	s.emitLocked(EventDelete, msg)
	return true, nil
}

// mayDelete is nil when the bot may delete msg of c at now.
func (c *chat) mayDelete(msg *message, now time.Time) *apiError {
	admin := c.bot == models.ChatMemberTypeAdministrator
	private := c.info.Type == models.ChatTypePrivate
	switch {
	case !msg.fromBot && !private && !admin:
		return badRequest(descCantDeleteThat)
	case admin && c.info.Type != models.ChatTypeGroup:
		return nil
	case now.Sub(msg.date) >= deleteWindow:
		return badRequest(descCantDelete)
	}
	return nil
}
