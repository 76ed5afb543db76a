package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// updateTimeout bounds the handling of one update, panel calls included.
const updateTimeout = 2 * time.Minute

// receive is go-telegram/bot's handler. It runs on the library's single
// worker, so it only puts the update on its chat's shard: one chat's
// updates are handled in order, different chats in parallel.
func (b *Bot) receive(_ context.Context, _ *tg.Bot, u *models.Update) {
	chatID, _ := origin(u)
	b.shards[shardOf(chatID, len(b.shards))] <- u
}

func shardOf(chatID int64, n int) int {
	if chatID < 0 {
		chatID = -chatID
	}
	return int(chatID % int64(n))
}

// work handles a shard's updates one at a time. Its context is not the
// polling one: an update taken is finished even while shutting down.
func (b *Bot) work(ch <-chan *models.Update) {
	for u := range ch {
		ctx, cancel := context.WithTimeout(context.Background(), updateTimeout)
		b.handle(ctx, u)
		cancel()
	}
}

// handle is the recover middleware around one update: a panic is logged
// with the update id and the user gets an apology, never a crash.
func (b *Bot) handle(ctx context.Context, u *models.Update) {
	b.metrics.updates.Inc()
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic in update", "update", u.ID, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			if chatID, _ := origin(u); chatID != 0 {
				b.apologizeSafely(ctx, u, chatID)
			}
		}
	}()
	if err := b.route(ctx, u); err != nil {
		b.log.Error("update failed", "update", u.ID, "err", err)
		if chatID, _ := origin(u); chatID != 0 {
			b.apologize(ctx, u, chatID)
		}
	}
}

// apologizeSafely apologizes after a panic, which may have come from what
// apologizing needs (the store): a second panic is logged, not raised.
func (b *Bot) apologizeSafely(ctx context.Context, u *models.Update, chatID int64) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic while apologizing", "update", u.ID, "panic", fmt.Sprint(r))
		}
	}()
	b.apologize(ctx, u, chatID)
}

// apologize tells the user something went wrong, in their language.
func (b *Bot) apologize(ctx context.Context, u *models.Update, chatID int64) {
	lang := b.langOf(ctx, chatID, u)
	_, _ = b.sendText(ctx, chatID, b.words.Text(lang, "err.generic", nil, nil), nil)
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

// command splits "/order@MyBot arg" into "order" and "arg"; ok is false
// for text that is not a command.
func command(text string) (name, arg string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, arg, _ := strings.Cut(strings.TrimSpace(text[1:]), " ")
	head, _, _ = strings.Cut(head, "@")
	return strings.ToLower(head), strings.TrimSpace(arg), head != ""
}
