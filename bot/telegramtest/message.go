package telegramtest

import (
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
)

// Message is one message of a chat's transcript, user's or bot's, as a
// test sees it.
type Message struct {
	ID        int
	ChatID    int64
	FromBot   bool
	From      int64  // the sender's user id; 0 for a channel post
	Thread    int    // the forum topic (message_thread_id); 0 for General and other chats
	Text      string // as Telegram shows it: tags stripped, entities decoded; a photo's caption
	ParseMode string // of the last send or edit
	Buttons   [][]Button
	Edits     int
	Deleted   bool // then Text, Entities and Buttons are empty
	Date      time.Time
	Entities  []models.MessageEntity
	Media     string // "" for text, "sticker", "photo", "document", "service" or "other"
	FileName  string // a document's
}

// message is a stored message. m is its current content as the API
// returns it; its pointers and slices are replaced on edit, never changed
// in place, so copies of m may be read without the lock.
type message struct {
	m         models.Message
	date      time.Time
	fromBot   bool
	parseMode string
	edits     int
	deleted   bool
}

func (msg *message) view() Message {
	v := Message{
		ID:        msg.m.ID,
		ChatID:    msg.m.Chat.ID,
		FromBot:   msg.fromBot,
		ParseMode: msg.parseMode,
		Edits:     msg.edits,
		Deleted:   msg.deleted,
		Date:      msg.date,
		Thread:    msg.m.MessageThreadID,
	}
	if msg.m.From != nil {
		v.From = msg.m.From.ID
	}
	if msg.deleted {
		return v
	}
	v.Text, v.Entities = msg.m.Text, msg.m.Entities
	switch {
	case msg.m.Sticker != nil:
		v.Media = "sticker"
	case len(msg.m.Photo) > 0:
		v.Media, v.Text, v.Entities = "photo", msg.m.Caption, msg.m.CaptionEntities
	case msg.m.Document != nil:
		v.Media, v.Text, v.Entities = "document", msg.m.Caption, msg.m.CaptionEntities
		v.FileName = msg.m.Document.FileName
	case isService(msg.m):
		v.Media = "service"
	case msg.m.Text == "":
		v.Media = "other"
	}
	v.Entities = append([]models.MessageEntity(nil), v.Entities...)
	v.Buttons = buttons(msg.m.ReplyMarkup)
	return v
}

// chat is one chat the server knows: a user's private chat with the bot
// (the user started it), or a group, supergroup or channel.
type chat struct {
	info     models.Chat
	nextID   int
	msgs     []*message
	byID     map[int]*message
	blocked  bool   // a private chat's user blocked the bot
	instance string // chat_instance of callback queries from it
	flood    bucket

	bot        models.ChatMemberType // the bot's status in a group; "" never added
	members    map[int64]User        // users in a group
	topics     map[int]string        // a forum's topics by message_thread_id
	migratedTo int64                 // the supergroup a group became
}

func newChat(info models.Chat) *chat {
	return &chat{
		info:     info,
		nextID:   1,
		byID:     map[int]*message{},
		instance: strconv.FormatInt(-8_000_000_000_000_000_000+info.ID, 10),
		members:  map[int64]User{},
		topics:   map[int]string{},
	}
}

// add stores msg, giving it the chat's next message id unless it has one.
func (c *chat) add(msg *message) {
	if msg.m.ID == 0 {
		msg.m.ID = c.nextID
	}
	c.nextID = max(c.nextID, msg.m.ID+1)
	msg.m.Chat = c.info
	c.msgs = append(c.msgs, msg)
	c.byID[msg.m.ID] = msg
}

// live is the message with id unless it was deleted.
func (c *chat) live(id int) *message {
	if msg := c.byID[id]; msg != nil && !msg.deleted {
		return msg
	}
	return nil
}

// chatLocked is the chat with id, or nil. Caller holds s.mu.
func (s *Server) chatLocked(id int64) *chat {
	return s.chats[id]
}

// ensureChatLocked is the chat of info, made if new; a known chat takes
// the new names. Caller holds s.mu.
func (s *Server) ensureChatLocked(info models.Chat) *chat {
	if info.Type == "" {
		info.Type = models.ChatTypePrivate
	}
	c := s.chats[info.ID]
	if c == nil {
		c = newChat(info)
		if info.Type != models.ChatTypePrivate {
			c.bot = models.ChatMemberTypeMember // an update came from it
		}
		s.chats[info.ID] = c
		return c
	}
	c.info = info
	return c
}

// Messages is the chat's transcript in order, user and bot messages, each
// as it is now: edits applied, deleted ones kept with Deleted set.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Message, 0, len(c.msgs))
	for _, msg := range c.msgs {
		out = append(out, msg.view())
	}
	return out
}

// BotMessages is the bot's part of the chat's transcript.
func (s *Server) BotMessages(chatID int64) []Message {
	var out []Message
	for _, m := range s.Messages(chatID) {
		if m.FromBot {
			out = append(out, m)
		}
	}
	return out
}

// LastBotMessage is the newest message the bot sent to the chat that is
// not deleted; ok is false when there is none.
func (s *Server) LastBotMessage(chatID int64) (Message, bool) {
	msgs := s.BotMessages(chatID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if !msgs[i].Deleted {
			return msgs[i], true
		}
	}
	return Message{}, false
}
