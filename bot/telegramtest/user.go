package telegramtest

import (
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
)

// User is a Telegram user; in the fake, a user's private chat with the bot
// has the user's id as its chat id.
type User struct {
	ID           int64
	FirstName    string
	Username     string
	LanguageCode string
}

func (u User) model() models.User {
	return models.User{ID: u.ID, FirstName: u.FirstName, Username: u.Username, LanguageCode: u.LanguageCode}
}

func (u User) privateChat() models.Chat {
	return models.Chat{ID: u.ID, Type: models.ChatTypePrivate, FirstName: u.FirstName, Username: u.Username}
}

// SendText is a user's text message to the bot, queued as an update;
// /commands get bot_command entities as Telegram gives them. Writing to
// the bot undoes Block. It returns the message id.
func (s *Server) SendText(from User, text string) int {
	return s.userMessage(from, models.Message{Text: text, Entities: withCommands(text, nil)})
}

// SendSticker is a user's sticker, a message without text. It returns the
// message id.
func (s *Server) SendSticker(from User) int {
	id := s.fileID()
	return s.userMessage(from, models.Message{Sticker: &models.Sticker{
		FileID: "CAACAgIAAxkBAAE" + id, FileUniqueID: "AgAD" + id,
		Type: "regular", Width: 512, Height: 512, Emoji: "👍",
	}})
}

// SendPhoto is a user's photo with a caption (may be empty). It returns
// the message id.
func (s *Server) SendPhoto(from User, caption string) int {
	id := s.fileID()
	sizes := []models.PhotoSize{
		{FileID: "AgACAgIAAxkBAAE" + id + "s", FileUniqueID: "AQAD" + id + "s", Width: 90, Height: 90, FileSize: 1500},
		{FileID: "AgACAgIAAxkBAAE" + id + "m", FileUniqueID: "AQAD" + id + "m", Width: 800, Height: 800, FileSize: 60000},
	}
	return s.userMessage(from, models.Message{Photo: sizes, Caption: caption, CaptionEntities: withCommands(caption, nil)})
}

// fileID is a fresh number for fake file ids.
func (s *Server) fileID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files++
	return strconv.Itoa(s.files)
}

// userMessage stores m as from's message in their private chat and
// queues it.
func (s *Server) userMessage(from User, m models.Message) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.ensureChatLocked(from.privateChat())
	c.blocked = false
	u := from.model()
	now := s.now()
	m.From, m.Date = &u, int(now.Unix())
	msg := &message{m: m, date: now}
	c.add(msg)
	queued := msg.m // the queue gets a copy: msg.m changes on edits
	s.enqueueLocked(models.Update{Message: &queued})
	s.emitLocked(EventNew, msg)
	return msg.m.ID
}

// SendUpdate queues any update as it is (stickers, photos, edited messages,
// other chats, my_chat_member...) and returns its update_id. The chats of
// its messages become known; a message without id or date gets them and
// joins its chat's transcript, an edited_message replaces a known one's
// text, and a callback_query (given an id if it has none) can be answered.
func (s *Server) SendUpdate(u models.Update) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.Message != nil {
		m := *u.Message
		c := s.ensureChatLocked(m.Chat)
		date := s.now()
		if m.Date == 0 {
			m.Date = int(date.Unix())
		} else {
			date = time.Unix(int64(m.Date), 0)
		}
		msg := &message{m: m, date: date}
		c.add(msg)
		queued := msg.m
		u.Message = &queued
		s.emitLocked(EventNew, msg)
	}
	if u.EditedMessage != nil {
		s.userEditLocked(*u.EditedMessage)
	}
	if q := u.CallbackQuery; q != nil {
		cq := *q
		if cq.ID == "" {
			cq.ID = s.nextCallbackIDLocked()
		}
		s.trackCallbackLocked(cq.ID)
		u.CallbackQuery = &cq
	}
	for _, m := range []*models.Message{u.ChannelPost, u.EditedChannelPost, u.BusinessMessage} {
		if m != nil {
			s.ensureChatLocked(m.Chat)
		}
	}
	return int(s.enqueueLocked(u))
}

// userEditLocked applies an edited_message to the transcript. Caller holds s.mu.
func (s *Server) userEditLocked(m models.Message) {
	c := s.ensureChatLocked(m.Chat)
	msg := c.live(m.ID)
	if msg == nil {
		return
	}
	msg.m.Text, msg.m.Entities = m.Text, m.Entities
	msg.m.Caption, msg.m.CaptionEntities = m.Caption, m.CaptionEntities
	msg.m.EditDate = int(s.now().Unix())
	msg.edits++
	s.emitLocked(EventEdit, msg)
}
