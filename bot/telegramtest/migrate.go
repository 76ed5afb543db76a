package telegramtest

import (
	"fmt"

	"github.com/go-telegram/bot/models"
)

// Migrate is by upgrading a basic group to a supergroup, which gets a new
// chat id (returned) and the group's members and bot. The bot, if in the
// group, gets a message with migrate_to_chat_id in the old chat and one
// with migrate_from_chat_id in the new; requests naming the old id then
// get 400 "Bad Request: group chat was upgraded to a supergroup chat"
// with parameters.migrate_to_chat_id. It returns ErrNoChat, ErrNotGroup
// for a chat that is no basic group, ErrUpgraded, or ErrNotMember.
func (s *Server) Migrate(groupID int64, by User) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.groupLocked(groupID, by)
	if err == nil && old.info.Type != models.ChatTypeGroup {
		err = ErrNotGroup
	}
	if err != nil {
		return 0, fmt.Errorf("migrate chat %d: %w", groupID, err)
	}
	s.lastChat++
	info := models.Chat{ID: firstSupergroupID - s.lastChat, Type: models.ChatTypeSupergroup, Title: old.info.Title}
	c := newChat(info)
	c.bot = old.bot
	for id, u := range old.members {
		c.members[id] = u
	}
	s.chats[info.ID] = c
	s.postLocked(old, by.model(), models.Message{MigrateToChatID: info.ID})
	old.migratedTo = info.ID
	s.postLocked(c, by.model(), models.Message{MigrateFromChatID: groupID})
	return info.ID, nil
}
