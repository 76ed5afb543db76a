package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
)

// key handles /key: with the key in the same message it is taken at once,
// else the next message is awaited. The message carrying a key is always
// deleted.
func (b *Bot) key(ctx context.Context, t *turn, m *models.Message, arg string) error {
	if b.cfg.OperatorKey != "" {
		if arg != "" {
			b.dropKeyMessage(ctx, t, m)
		}
		return b.reply(ctx, t, "key.operator")
	}
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	if arg != "" {
		return b.takeKey(ctx, t, s, m, arg)
	}
	if err := flows.AwaitKey(ctx, &s); err != nil {
		return err
	}
	if err := b.saveSession(ctx, s); err != nil {
		return err
	}
	return b.reply(ctx, t, "key.ask")
}

// takeKey checks a key with a balance call and stores it encrypted.
func (b *Bot) takeKey(ctx context.Context, t *turn, s flows.Session, m *models.Message, text string) error {
	b.dropKeyMessage(ctx, t, m)
	if s.State == flows.StateKey {
		if err := flows.EndKey(ctx, &s); err != nil {
			return err
		}
		if err := b.saveSession(ctx, s); err != nil {
			return err
		}
	}
	key := strings.TrimSpace(text)
	if !wellFormedKey(key) {
		return b.reply(ctx, t, "key.malformed")
	}
	bal, err := b.panel.Balance(ctx, key)
	var api *smm.APIError
	switch {
	case errors.As(err, &api):
		return b.reply(ctx, t, "key.invalid", "Words", api.Message)
	case err != nil:
		return b.explain(ctx, t, err)
	}
	if _, err := b.db.SetChatKey(ctx, t.chat.ID, key); err != nil {
		return fmt.Errorf("store key: %w", err)
	}
	b.log.Info("key connected", "chat", t.chat.ID)
	return b.reply(ctx, t, "key.saved", "Balance", flows.Money(bal.Amount, bal.Currency))
}

// dropKeyMessage deletes the message that carried a key; failing that, the
// user is still answered (the key is not logged either way).
func (b *Bot) dropKeyMessage(ctx context.Context, t *turn, m *models.Message) {
	if err := b.deleteMessage(ctx, t.chat.ID, m.ID); err != nil {
		b.log.Warn("delete key message", "chat", t.chat.ID, "err", err)
	}
}

// wellFormedKey accepts one word of letters, digits, '-' and '_', 8 to 128
// long: the shape of panel API keys.
func wellFormedKey(k string) bool {
	if len(k) < 8 || len(k) > 128 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
