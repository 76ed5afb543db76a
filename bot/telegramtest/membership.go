package telegramtest

import (
	"context"
	"fmt"

	"github.com/go-telegram/bot/models"
)

// in reports whether the bot is in the group, supergroup or channel.
func (c *chat) in() bool {
	return c.bot == models.ChatMemberTypeMember || c.bot == models.ChatMemberTypeAdministrator
}

// refusal is Telegram's answer to a send or edit in c, or nil when the
// bot may write there.
func (c *chat) refusal() *apiError {
	switch {
	case c.migratedTo != 0:
		return upgraded(c.migratedTo)
	case c.info.Type == models.ChatTypePrivate && c.blocked:
		return errBlocked
	case c.info.Type == models.ChatTypePrivate, c.in():
		return nil
	case c.bot == models.ChatMemberTypeBanned:
		return kicked(c.info.Type)
	case c.bot == models.ChatMemberTypeLeft:
		return notMember(c.info.Type)
	}
	return badRequest(descChatNotFound) // never added
}

// targetLocked is the chat a send or edit goes to, if the bot may write
// there: a started, unblocked private chat or a group the bot is in.
// Caller holds s.mu.
func (s *Server) targetLocked(p params) (*chat, *apiError) {
	id, apiErr := p.chatID()
	if apiErr != nil {
		return nil, apiErr
	}
	c := s.chatLocked(id)
	if c == nil {
		if s.met[id] {
			return nil, errCantInitiate
		}
		return nil, badRequest(descChatNotFound)
	}
	if apiErr := c.refusal(); apiErr != nil {
		return nil, apiErr
	}
	return c, nil
}

// meetLocked notes that the bot saw u in an update: a private message to
// u then gets "can't initiate conversation" rather than "chat not found".
// Caller holds s.mu.
func (s *Server) meetLocked(u models.User) {
	if u.ID != s.bot.ID {
		s.met[u.ID] = true
	}
}

// botMember is the bot's ChatMember of a status; an administrator may
// delete messages.
func (s *Server) botMember(status models.ChatMemberType) models.ChatMember {
	return memberOf(s.bot, status)
}

// ptr is a pointer to m: models.ChatMember marshals through its pointer.
func ptr(m models.ChatMember) *models.ChatMember { return &m }

func memberOf(u models.User, status models.ChatMemberType) models.ChatMember {
	m := models.ChatMember{Type: status}
	switch status {
	case models.ChatMemberTypeOwner:
		m.Owner = &models.ChatMemberOwner{User: &u}
	case models.ChatMemberTypeAdministrator:
		m.Administrator = &models.ChatMemberAdministrator{
			User: u, CanManageChat: true, CanDeleteMessages: true, CanInviteUsers: true,
			CanPostMessages: true, CanEditMessages: true, CanPinMessages: true,
		}
	case models.ChatMemberTypeMember:
		m.Member = &models.ChatMemberMember{User: &u}
	case models.ChatMemberTypeBanned:
		m.Banned = &models.ChatMemberBanned{User: &u}
	default:
		m.Type, m.Left = models.ChatMemberTypeLeft, &models.ChatMemberLeft{User: &u}
	}
	return m
}

// myChatMemberLocked queues the bot's status change in c, made by by.
// Caller holds s.mu.
func (s *Server) myChatMemberLocked(c *chat, by models.User, from, to models.ChatMemberType) {
	s.meetLocked(by)
	s.enqueueLocked(models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat: c.info, From: by, Date: int(s.now().Unix()),
		OldChatMember: s.botMember(from), NewChatMember: s.botMember(to),
	}})
}

// Block is the user of a private chat blocking the bot: sends and edits
// to the chat get 403 "Forbidden: bot was blocked by the user" until the
// user writes again (SendText and the like) or Unblock. The bot gets a
// my_chat_member update (member to kicked) if it asked for them.
func (s *Server) Block(chatID int64) {
	s.setBlocked(chatID, true)
}

// Unblock is the user allowing the bot again (a my_chat_member update,
// kicked to member).
func (s *Server) Unblock(chatID int64) {
	s.setBlocked(chatID, false)
}

func (s *Server) setBlocked(chatID int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil && c.info.Type == models.ChatTypePrivate {
		s.blockLocked(c, blocked)
	}
}

// blockLocked sets a private chat's block and tells the bot of a change.
// Caller holds s.mu.
func (s *Server) blockLocked(c *chat, blocked bool) {
	if c.blocked == blocked {
		return
	}
	c.blocked = blocked
	user := models.User{ID: c.info.ID, FirstName: c.info.FirstName, Username: c.info.Username}
	if blocked {
		s.myChatMemberLocked(c, user, models.ChatMemberTypeMember, models.ChatMemberTypeBanned)
	} else {
		s.myChatMemberLocked(c, user, models.ChatMemberTypeBanned, models.ChatMemberTypeMember)
	}
	s.notifyLocked()
}

// AddBot is by adding the bot to a group or supergroup as a member (to a
// channel as an administrator, the only way bots join channels): the bot
// gets a my_chat_member update from by and, in groups, a new_chat_members
// message. It returns ErrNoChat, ErrNotGroup for a private chat,
// ErrUpgraded, or ErrNotMember when by is not in the chat.
func (s *Server) AddBot(chatID int64, by User) error {
	return s.setBotStatus(chatID, by, models.ChatMemberTypeMember)
}

// AddBotAdmin is AddBot as an administrator that may delete messages; on
// a bot already in the chat it is a promotion (my_chat_member only).
func (s *Server) AddBotAdmin(chatID int64, by User) error {
	return s.setBotStatus(chatID, by, models.ChatMemberTypeAdministrator)
}

// RemoveBot is by removing the bot from the chat: sends then get 403
// "Forbidden: bot was kicked from the group chat" (supergroup, channel),
// and the bot gets a my_chat_member update (new status kicked).
func (s *Server) RemoveBot(chatID int64, by User) error {
	return s.setBotStatus(chatID, by, models.ChatMemberTypeBanned)
}

// BotStatus is the bot's status in a chat as getChatMember would say it:
// "member", "administrator", "left", "kicked", or "" when never added or
// for a private chat.
func (s *Server) BotStatus(chatID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		return string(c.bot)
	}
	return ""
}

func (s *Server) setBotStatus(chatID int64, by User, to models.ChatMemberType) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.groupLocked(chatID, by)
	if err != nil {
		return fmt.Errorf("set the bot's status in chat %d: %w", chatID, err)
	}
	if c.info.Type == models.ChatTypeChannel && to == models.ChatMemberTypeMember {
		to = models.ChatMemberTypeAdministrator
	}
	from := c.bot
	if from == "" {
		from = models.ChatMemberTypeLeft
	}
	if from == to {
		return nil
	}
	c.bot = to
	s.myChatMemberLocked(c, by.model(), from, to)
	if c.info.Type == models.ChatTypeChannel {
		return nil
	}
	switch {
	case to == models.ChatMemberTypeBanned:
		bot := s.bot
		s.postLocked(c, by.model(), models.Message{LeftChatMember: &bot})
	case from == models.ChatMemberTypeLeft || from == models.ChatMemberTypeBanned:
		s.postLocked(c, by.model(), models.Message{NewChatMembers: []models.User{s.bot}})
	}
	return nil
}

// leaveChat is the bot leaving a group: my_chat_member (from the bot,
// new status left); sends then get 403 "bot is not a member".
func (s *Server) leaveChat(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.targetLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	if c.info.Type == models.ChatTypePrivate {
		return nil, badRequest("chat member status can't be changed in private chats")
	}
	from := c.bot
	c.bot = models.ChatMemberTypeLeft
	s.myChatMemberLocked(c, s.bot, from, models.ChatMemberTypeLeft)
	if c.info.Type != models.ChatTypeChannel {
		bot := s.bot
		s.postLocked(c, s.bot, models.Message{LeftChatMember: &bot})
	}
	return true, nil
}

// getChat answers a chat the bot may see.
func (s *Server) getChat(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.targetLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	return models.ChatFullInfo{ID: c.info.ID, Type: c.info.Type, Title: c.info.Title,
		Username: c.info.Username, FirstName: c.info.FirstName, IsForum: c.info.IsForum}, nil
}

// getChatMember answers a user's status in a chat the bot is in: the bot,
// the private chat's user, or a group's members (others have left).
func (s *Server) getChatMember(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.targetLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	uid, ok := p.int64("user_id")
	switch {
	case !ok:
		return nil, badRequest("user_id is empty")
	case uid == s.bot.ID && c.info.Type == models.ChatTypePrivate:
		return ptr(s.botMember(models.ChatMemberTypeMember)), nil
	case uid == s.bot.ID:
		return ptr(s.botMember(c.bot)), nil
	case c.info.Type == models.ChatTypePrivate && uid == c.info.ID:
		return ptr(memberOf(models.User{ID: uid, FirstName: c.info.FirstName, Username: c.info.Username}, models.ChatMemberTypeMember)), nil
	}
	if u, ok := c.members[uid]; ok {
		return ptr(memberOf(u.model(), models.ChatMemberTypeMember)), nil
	}
	if !s.met[uid] {
		return nil, badRequest(descUserNotFound)
	}
	return ptr(memberOf(models.User{ID: uid}, models.ChatMemberTypeLeft)), nil
}
