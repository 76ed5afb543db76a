package telegramtest

import (
	"context"
	"slices"

	"github.com/go-telegram/bot/models"
)

// chatActions are sendChatAction's valid actions.
var chatActions = []string{
	"typing", "upload_photo", "record_video", "upload_video", "record_voice",
	"upload_voice", "upload_document", "choose_sticker", "find_location",
	"record_video_note", "upload_video_note",
}

// sendMessage checks the chat, the text (HTML parsed, 4096 limit) and the
// keyboard, then flood limits, and stores the bot's message.
func (s *Server) sendMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.targetLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	cont, apiErr := parseContent(p)
	if apiErr != nil {
		return nil, apiErr
	}
	mk, apiErr := parseMarkup(p, false)
	if apiErr != nil {
		return nil, apiErr
	}
	if p.has("link_preview_options") {
		var lp models.LinkPreviewOptions
		if err := p.decode("link_preview_options", &lp); err != nil {
			return nil, badRequest("can't parse link preview options JSON object")
		}
	}
	reply, thread, apiErr := placeIn(c, p)
	if apiErr != nil {
		return nil, apiErr
	}
	if apiErr := s.floodLocked(c, true); apiErr != nil {
		return nil, apiErr
	}
	now := s.now()
	bot := s.bot
	msg := &message{fromBot: true, parseMode: cont.parseMode, date: now, m: models.Message{
		From: &bot, Date: int(now.Unix()), Text: cont.text, Entities: cont.entities,
		ReplyMarkup: mk.inline, ReplyToMessage: reply,
		MessageThreadID: thread, IsTopicMessage: thread != 0,
	}}
	c.add(msg)
	s.emitLocked(EventNew, msg)
	return msg.m, nil
}

// placeIn is where a send goes in c: the message it replies to, and the
// forum topic.
func placeIn(c *chat, p params) (*models.Message, int, *apiError) {
	reply, apiErr := replyTarget(c, p)
	if apiErr != nil {
		return nil, 0, apiErr
	}
	thread, apiErr := c.thread(p)
	return reply, thread, apiErr
}

// thread is the forum topic a send names in message_thread_id; 0 is
// General, where a message without one lands even when it replies to a
// message in a topic.
func (c *chat) thread(p params) (int, *apiError) {
	id := p.int("message_thread_id")
	if id == 0 {
		return 0, nil
	}
	if _, ok := c.topics[id]; !ok || !c.info.IsForum {
		return 0, badRequest(descNoThread)
	}
	return id, nil
}

// replyTarget is the message a send replies to (reply_parameters or the
// older reply_to_message_id), without its own reply.
func replyTarget(c *chat, p params) (*models.Message, *apiError) {
	var rp models.ReplyParameters
	if p.has("reply_parameters") {
		if err := p.decode("reply_parameters", &rp); err != nil {
			return nil, badRequest("can't parse reply parameters JSON object")
		}
	} else {
		rp.MessageID = p.int("reply_to_message_id")
		rp.AllowSendingWithoutReply = p.bool("allow_sending_without_reply")
	}
	if rp.MessageID == 0 {
		return nil, nil
	}
	target := c.live(rp.MessageID)
	if target == nil {
		if rp.AllowSendingWithoutReply {
			return nil, nil
		}
		return nil, badRequest(descReplyNotFound)
	}
	m := target.m
	m.ReplyToMessage = nil
	return &m, nil
}

// sendChatAction checks the chat and the action; the fake shows nothing.
func (s *Server) sendChatAction(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, apiErr := s.targetLocked(p); apiErr != nil {
		return nil, apiErr
	}
	if !slices.Contains(chatActions, p["action"]) {
		return nil, badRequest(descChatAction)
	}
	return true, nil
}
