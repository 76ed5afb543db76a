package telegramtest

import (
	"fmt"
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

// SendSticker is a user's sticker, a message without text; getFile and
// the download give 20,000 zero bytes. It returns the message id.
func (s *Server) SendSticker(from User) int {
	id := s.fileID()
	st := &models.Sticker{
		FileID: "CAACAgIAAxkBAAE" + id, FileUniqueID: "AgAD" + id,
		Type: "regular", Width: 512, Height: 512, Emoji: "👍", FileSize: 20000,
	}
	s.keepFile(&storedFile{id: st.FileID, unique: st.FileUniqueID, dir: "stickers", name: "sticker.webp", data: make([]byte, st.FileSize)})
	return s.userMessage(from, models.Message{Sticker: st})
}

// SendPhoto is a user's photo with a caption (may be empty), in two
// sizes whose downloads are zero bytes of their file_size. It returns the
// message id.
func (s *Server) SendPhoto(from User, caption string) int {
	id := s.fileID()
	sizes := []models.PhotoSize{
		{FileID: "AgACAgIAAxkBAAE" + id + "s", FileUniqueID: "AQAD" + id + "s", Width: 90, Height: 90, FileSize: 1500},
		{FileID: "AgACAgIAAxkBAAE" + id + "m", FileUniqueID: "AQAD" + id + "m", Width: 800, Height: 800, FileSize: 60000},
	}
	for _, p := range sizes {
		s.keepFile(&storedFile{id: p.FileID, unique: p.FileUniqueID, dir: "photos", name: "photo.jpg", data: make([]byte, p.FileSize)})
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
// queues it; a user who blocked the bot unblocks it first.
func (s *Server) userMessage(from User, m models.Message) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.ensureChatLocked(from.privateChat())
	s.blockLocked(c, false)
	return s.postLocked(c, from.model(), m).m.ID
}

// Flood is from sending n text messages at once ("flood 1" to "flood n")
// to their private chat: the bot gets them in one batch. It returns their
// ids.
func (s *Server) Flood(from User, n int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.ensureChatLocked(from.privateChat())
	s.blockLocked(c, false)
	ids := make([]int, 0, max(n, 0))
	for i := range max(n, 0) {
		ids = append(ids, s.postLocked(c, from.model(), models.Message{Text: fmt.Sprintf("flood %d", i+1)}).m.ID)
	}
	return ids
}

// EditText is from editing their earlier text message in a chat (their
// private chat: chatID == from.ID): the transcript shows the new text and
// the bot gets an edited_message with edit_date, if it asked for them and
// is in the chat. It returns ErrNoMessage when the chat has no such live
// text message of from's.
func (s *Server) EditText(from User, chatID int64, messageID int, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var msg *message
	c := s.chats[chatID]
	if c != nil {
		msg = c.live(messageID)
	}
	if msg == nil || msg.fromBot || msg.m.From == nil || msg.m.From.ID != from.ID || msg.m.Text == "" {
		return fmt.Errorf("edit message %d in chat %d: %w", messageID, chatID, ErrNoMessage)
	}
	edited := msg.m
	edited.Text, edited.Entities = text, withCommands(text, nil)
	s.userEditLocked(edited)
	if queued := msg.m; c.info.Type == models.ChatTypePrivate || c.in() {
		s.enqueueLocked(models.Update{EditedMessage: &queued})
	}
	return nil
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
		u.Message = s.storeLocked(*u.Message)
	}
	if u.EditedMessage != nil {
		s.userEditLocked(*u.EditedMessage)
	}
	if q := u.CallbackQuery; q != nil {
		cq := *q
		if cq.ID == "" {
			cq.ID = s.nextCallbackIDLocked()
		}
		s.meetLocked(cq.From)
		u.CallbackQuery = &cq
	}
	for _, m := range []*models.Message{u.ChannelPost, u.EditedChannelPost, u.BusinessMessage} {
		if m != nil {
			s.ensureChatLocked(m.Chat)
		}
	}
	id := s.enqueueLocked(u)
	if id != 0 && u.CallbackQuery != nil { // not left out by allowed_updates
		s.trackCallbackLocked(u.CallbackQuery.ID)
	}
	return int(id)
}

// storeLocked adds a message of SendUpdate to its chat's transcript,
// with an id and date if it has none, and returns the copy to queue.
// Caller holds s.mu.
func (s *Server) storeLocked(m models.Message) *models.Message {
	if m.From != nil {
		s.meetLocked(*m.From)
	}
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
	s.emitLocked(EventNew, msg)
	return &queued
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
