package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/go-telegram/bot/models"
)

// updateTimeout bounds the handling of one update, panel calls included.
const updateTimeout = 2 * time.Minute

// turnAway answers an update that found its chat's backlog full (a
// flood): a tap gets a toast, and the first update of the flood a "slow
// down" message. Neither waits in the mailbox that is full.
func (b *Bot) turnAway(u *models.Update, first bool) {
	b.metrics.turnedAway.Inc()
	chatID, user := origin(u)
	if chatID == 0 || user == nil || !b.mayUse(user.ID) {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		lang := b.words.Match(user.LanguageCode)
		text := b.words.Text(lang, "flood.slow_down", nil, nil)
		if q := u.CallbackQuery; q != nil {
			b.answer(ctx, chatID, q.ID, text)
			return
		}
		if first && isPrivate(u) {
			_, _ = b.sendText(ctx, chatID, text, nil)
		}
	}()
}

// handle is the recover middleware around one update: a panic is logged
// with the update id and the user gets an apology, never a crash.
func (b *Bot) handle(ctx context.Context, u *models.Update) {
	b.metrics.updates.Inc()
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic in update", "update", u.ID, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			b.apologizeSafely(ctx, u, fmt.Errorf("panic: %v", r))
		}
	}()
	if err := b.route(ctx, u); err != nil {
		if isPermanent(err) {
			b.log.Info("update not answered: the chat cannot be written to", "update", u.ID, "err", err)
			return
		}
		b.log.Error("update failed", "update", u.ID, "err", err)
		b.apologize(ctx, u, err)
	}
}

// apologizeSafely apologizes after a panic, which may have come from what
// apologizing needs (the store): a second panic is logged, not raised.
func (b *Bot) apologizeSafely(ctx context.Context, u *models.Update, cause error) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic while apologizing", "update", u.ID, "panic", fmt.Sprint(r))
		}
	}()
	b.apologize(ctx, u, cause)
}

// origin is the chat and the user an update comes from.
func origin(u *models.Update) (int64, *models.User) {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID, u.Message.From
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		if q.Message.Message != nil {
			return q.Message.Message.Chat.ID, &q.From
		}
		if q.Message.InaccessibleMessage != nil {
			return q.Message.InaccessibleMessage.Chat.ID, &q.From
		}
		return q.From.ID, &q.From
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID, u.EditedMessage.From
	}
	return 0, nil
}

// chatOf is the chat an update comes from, when it names one.
func chatOf(u *models.Update) *models.Chat {
	switch {
	case u.Message != nil:
		return &u.Message.Chat
	case u.EditedMessage != nil:
		return &u.EditedMessage.Chat
	case u.CallbackQuery != nil && u.CallbackQuery.Message.Message != nil:
		return &u.CallbackQuery.Message.Message.Chat
	case u.CallbackQuery != nil && u.CallbackQuery.Message.InaccessibleMessage != nil:
		return &u.CallbackQuery.Message.InaccessibleMessage.Chat
	case u.MyChatMember != nil:
		return &u.MyChatMember.Chat
	}
	return nil
}

// isPrivate reports whether an update comes from a private chat.
func isPrivate(u *models.Update) bool {
	c := chatOf(u)
	return c != nil && c.Type == models.ChatTypePrivate
}
