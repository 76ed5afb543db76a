package telegramtest

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// First ids of made chats: basic groups are small negative numbers,
// supergroups and channels -100 followed by ten digits, as in Telegram.
const (
	firstGroupID      = -4_000_000_000
	firstSupergroupID = -1_002_000_000_000
)

// NewGroup makes a basic group with title whose members are the users
// given (the first is its creator). The bot is not in it until AddBot.
// It returns the chat id.
func (s *Server) NewGroup(title string, members ...User) int64 {
	return s.newChat(models.ChatTypeGroup, title, false, members)
}

// NewSupergroup makes a supergroup, like NewGroup.
func (s *Server) NewSupergroup(title string, members ...User) int64 {
	return s.newChat(models.ChatTypeSupergroup, title, false, members)
}

// NewForum makes a supergroup with topics (is_forum), like NewGroup; see
// CreateTopic and SendInTopic.
func (s *Server) NewForum(title string, members ...User) int64 {
	return s.newChat(models.ChatTypeSupergroup, title, true, members)
}

// NewChannel makes a channel owned by owner; see AddBot and ChannelPost.
func (s *Server) NewChannel(title string, owner User) int64 {
	return s.newChat(models.ChatTypeChannel, title, false, []User{owner})
}

func (s *Server) newChat(kind models.ChatType, title string, forum bool, members []User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastChat++
	info := models.Chat{ID: firstSupergroupID - s.lastChat, Type: kind, Title: title, IsForum: forum}
	if kind == models.ChatTypeGroup {
		info.ID = firstGroupID - s.lastChat
	}
	c := newChat(info)
	for _, u := range members {
		c.members[u.ID] = u
	}
	s.chats[info.ID] = c
	s.notifyLocked()
	return info.ID
}

// groupLocked is the group, supergroup or channel with id, if by is in
// it. Caller holds s.mu.
func (s *Server) groupLocked(id int64, by User) (*chat, error) {
	c := s.chats[id]
	switch {
	case c == nil:
		return nil, ErrNoChat
	case c.info.Type == models.ChatTypePrivate:
		return nil, ErrNotGroup
	case c.migratedTo != 0:
		return nil, ErrUpgraded
	}
	if _, ok := c.members[by.ID]; !ok {
		return nil, ErrNotMember
	}
	return c, nil
}

// AddUser is by adding u to a group or supergroup (by == u: u joins):
// a new_chat_members message. It returns ErrNoChat, ErrNotGroup,
// ErrUpgraded, or ErrNotMember when by is not in the chat (unless
// joining).
func (s *Server) AddUser(chatID int64, by, u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil && by.ID == u.ID {
		c.members[u.ID] = u // joining by link: not yet a member
	}
	c, err := s.groupLocked(chatID, by)
	if err != nil {
		return fmt.Errorf("add user %d to chat %d: %w", u.ID, chatID, err)
	}
	c.members[u.ID] = u
	if c.info.Type != models.ChatTypeChannel {
		s.postLocked(c, by.model(), models.Message{NewChatMembers: []models.User{u.model()}})
	}
	return nil
}

// RemoveUser is by removing u from a group or supergroup (by == u: u
// leaves): a left_chat_member message. It returns AddUser's errors, and
// ErrNotMember when u is not in the chat.
func (s *Server) RemoveUser(chatID int64, by, u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(chatID, by)
	if err == nil {
		if _, ok := c.members[u.ID]; !ok {
			err = ErrNotMember
		}
	}
	if err != nil {
		return fmt.Errorf("remove user %d from chat %d: %w", u.ID, chatID, err)
	}
	if c.info.Type != models.ChatTypeChannel {
		lm := u.model()
		s.postLocked(c, by.model(), models.Message{LeftChatMember: &lm})
	}
	delete(c.members, u.ID)
	return nil
}

// SendIn is from's text message in a group or supergroup (General, in a
// forum): commands get bot_command entities, /cmd@name included. The bot
// gets it if it is in the chat (the fake is a bot with privacy mode off).
// It returns the message id, or AddUser's errors.
func (s *Server) SendIn(chatID int64, from User, text string) (int, error) {
	return s.SendInTopic(chatID, 0, from, text)
}

// SendInTopic is SendIn in a forum topic (thread 0: General). The message
// carries message_thread_id and is_topic_message, and replies to the
// topic's first message, as in Telegram. It returns ErrNoTopic for a
// thread that is no topic of the chat.
func (s *Server) SendInTopic(chatID int64, thread int, from User, text string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(chatID, from)
	if err == nil && c.info.Type == models.ChatTypeChannel {
		err = ErrNotGroup
	}
	if err != nil {
		return 0, fmt.Errorf("send in chat %d: %w", chatID, err)
	}
	m := models.Message{Text: text, Entities: withCommands(text, nil)}
	if thread != 0 {
		if err := c.inTopic(&m, thread); err != nil {
			return 0, fmt.Errorf("send in topic %d of chat %d: %w", thread, chatID, err)
		}
	}
	return s.postLocked(c, from.model(), m).m.ID, nil
}

// ReplyIn is from's text reply to message replyTo of a group or
// supergroup (in that message's topic, in a forum). It returns SendIn's
// errors, and ErrNoMessage when the chat has no such live message.
func (s *Server) ReplyIn(chatID int64, from User, replyTo int, text string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(chatID, from)
	if err == nil && c.info.Type == models.ChatTypeChannel {
		err = ErrNotGroup
	}
	var target *message
	if err == nil {
		if target = c.live(replyTo); target == nil {
			err = ErrNoMessage
		}
	}
	if err != nil {
		return 0, fmt.Errorf("reply to message %d in chat %d: %w", replyTo, chatID, err)
	}
	r := target.m
	r.ReplyToMessage = nil
	m := models.Message{Text: text, Entities: withCommands(text, nil), ReplyToMessage: &r}
	if r.MessageThreadID != 0 {
		m.MessageThreadID, m.IsTopicMessage = r.MessageThreadID, true
	}
	return s.postLocked(c, from.model(), m).m.ID, nil
}

// inTopic puts m in a forum topic.
func (c *chat) inTopic(m *models.Message, thread int) error {
	if _, ok := c.topics[thread]; !ok {
		return ErrNoTopic
	}
	m.MessageThreadID, m.IsTopicMessage = thread, true
	if m.ReplyToMessage == nil {
		if first := c.byID[thread]; first != nil {
			top := first.m
			m.ReplyToMessage = &top
		}
	}
	return nil
}

// CreateTopic is by creating a topic in a forum: a forum_topic_created
// message, whose id is the topic's message_thread_id (returned). It
// returns ErrNotGroup for a chat that is no forum, and AddUser's errors.
func (s *Server) CreateTopic(chatID int64, by User, name string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(chatID, by)
	if err == nil && !c.info.IsForum {
		err = ErrNotGroup
	}
	if err != nil {
		return 0, fmt.Errorf("create topic in chat %d: %w", chatID, err)
	}
	id := c.nextID
	c.topics[id] = name
	msg := s.postLocked(c, by.model(), models.Message{
		MessageThreadID: id, IsTopicMessage: true,
		ForumTopicCreated: &models.ForumTopicCreated{Name: name, IconColor: 0x6FB9F0},
	})
	return msg.m.ID, nil
}

// ChannelPost is a post in a channel by its owner, delivered as a
// channel_post if the bot is in the channel. It returns the message id,
// ErrNoChat, or ErrNotGroup for a chat that is no channel.
func (s *Server) ChannelPost(chatID int64, text string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	switch {
	case c == nil:
		return 0, fmt.Errorf("post in chat %d: %w", chatID, ErrNoChat)
	case c.info.Type != models.ChatTypeChannel:
		return 0, fmt.Errorf("post in chat %d: %w", chatID, ErrNotGroup)
	}
	m := models.Message{Text: text, Entities: withCommands(text, nil)}
	return s.postLocked(c, models.User{}, m).m.ID, nil
}

// postLocked stores m as from's message in c (from is empty in channels;
// the bot, for a service message of its own doing)
// and queues it (message, or channel_post) if the bot is in c or c is a
// private chat. Caller holds s.mu.
func (s *Server) postLocked(c *chat, from models.User, m models.Message) *message {
	now := s.now()
	m.Date = int(now.Unix())
	if from.ID != 0 {
		m.From = &from
	} else {
		sender := c.info
		m.SenderChat = &sender
	}
	msg := &message{m: m, date: now}
	c.add(msg)
	queued := msg.m // the queue gets a copy: msg.m changes on edits
	switch {
	case c.info.Type == models.ChatTypeChannel && c.in():
		s.enqueueLocked(models.Update{ChannelPost: &queued})
	case c.info.Type == models.ChatTypePrivate || (c.in() && s.seesLocked(c, m)):
		s.enqueueLocked(models.Update{Message: &queued})
		s.meetLocked(from) // the bot has seen from
	}
	s.emitLocked(EventNew, msg)
	return msg
}

// seesLocked reports whether the bot, in group c, gets m under its
// privacy mode. Caller holds s.mu.
func (s *Server) seesLocked(c *chat, m models.Message) bool {
	if !s.privacy || c.bot == models.ChatMemberTypeAdministrator || isService(m) {
		return true
	}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == s.bot.ID {
		return true
	}
	text, ents := m.Text, m.Entities
	if m.Text == "" {
		text, ents = m.Caption, m.CaptionEntities
	}
	for _, e := range ents {
		if e.Type != models.MessageEntityTypeBotCommand {
			continue
		}
		_, to, addressed := strings.Cut(utf16Slice(text, e.Offset, e.Length), "@")
		if !addressed || strings.EqualFold(to, s.bot.Username) {
			return true
		}
	}
	return false
}

// utf16Slice is the part of text at a Telegram entity's offset and
// length, counted in UTF-16 code units.
func utf16Slice(text string, offset, length int) string {
	units := utf16.Encode([]rune(text))
	if offset < 0 || length < 0 || offset+length > len(units) {
		return ""
	}
	return string(utf16.Decode(units[offset : offset+length]))
}

// isService reports whether m is a service message.
func isService(m models.Message) bool {
	return len(m.NewChatMembers) > 0 || m.LeftChatMember != nil || m.MigrateToChatID != 0 ||
		m.MigrateFromChatID != 0 || m.ForumTopicCreated != nil || m.GroupChatCreated ||
		m.SupergroupChatCreated
}
