package bot

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// A card on screen follows its order: the message of each card shown
// lately is remembered (bounded), and when a notification about the order
// goes out the card is redrawn in place, so that a cancelled order, say,
// no longer offers Cancel there either.

// maxCards bounds the cards remembered.
const maxCards = 10_000

// cardKey names a card on screen: the chat and the order.
type cardKey struct {
	chat  int64
	ref   string
	order int64
}

// cardShown is a card on screen: its message, and a digest of what it
// shows (a redraw that would change nothing is not sent: Telegram refuses
// it as "message is not modified").
type cardShown struct {
	msgID  int
	digest [32]byte
}

func cardDigest(text string, kb *models.InlineKeyboardMarkup) [32]byte {
	data, _ := json.Marshal(kb) // a keyboard of strings always encodes
	return sha256.Sum256(append([]byte(text), data...))
}

// redrawCard redraws the card of an order that is on a chat's screen, if
// one is.
func (b *Bot) redrawCard(ctx context.Context, chat store.Chat, ref string, order int64) {
	k := cardKey{chat: chat.ID, ref: ref, order: order}
	shown, ok := b.cards.get(k)
	if !ok {
		return
	}
	o, err := b.db.Order(ctx, ref, order)
	if err != nil {
		b.cards.drop(k)
		return
	}
	text, kb := b.cardScreen(ctx, chat.Lang, o, flows.Msg{})
	digest := cardDigest(text, kb)
	if digest == shown.digest {
		return
	}
	if err := b.editText(ctx, chat.ID, shown.msgID, text, kb); err != nil {
		b.cards.drop(k)
		if !errors.Is(err, errGone) {
			b.log.Info("redraw card", "chat", chat.ID, "order", order, "err", err)
		}
		return
	}
	b.cards.put(k, cardShown{msgID: shown.msgID, digest: digest})
}
