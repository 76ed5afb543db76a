package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// pressOrder handles the buttons of /orders and of an order's card. Every
// one is checked against the store first: an order id that is forged or
// another chat's is refused and reaches no panel call.
func (b *Bot) pressOrder(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int, verb, arg string) error {
	if verb == "op" {
		b.answer(ctx, t.chat.ID, q.ID, "")
		n, err := strconv.Atoi(arg)
		if err != nil || n < 0 || n > maxOrdersPage {
			return nil
		}
		text, kb, err := b.ordersPage(ctx, t, n)
		if err != nil {
			return err
		}
		_, err = b.show(ctx, t.chat.ID, msgID, text, kb)
		return err
	}
	o, ok, err := b.ownOrder(ctx, t, arg)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	if !ok {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "card.not_yours", nil, nil))
		return nil
	}
	b.answer(ctx, t.chat.ID, q.ID, "")
	switch verb {
	case "v":
		return b.showCard(ctx, t, msgID, o, flows.Msg{})
	case "vo": // from a receipt or a notification, which stay as they are
		return b.showCard(ctx, t, 0, o, flows.Msg{})
	case "r":
		return b.refresh(ctx, t, msgID, o)
	case "rf":
		return b.confirmAction(ctx, t, msgID, o, "card.ask_refill", "btn.yes_refill", "ry")
	case "ry":
		return b.refill(ctx, t, msgID, o)
	case "cx":
		return b.confirmAction(ctx, t, msgID, o, "card.ask_cancel", "btn.yes_cancel", "cy")
	case "cy":
		return b.cancelOrder(ctx, t, msgID, o)
	case "rp":
		return b.conversation(ctx, t, flows.Input{Kind: flows.KindRepeat, Service: o.Service.ID, Link: o.Link})
	}
	return nil
}

// ownOrder reads "ID[:KEYREF]" and finds the order, which must be this
// chat's. Without a key reference the chat's current key is meant.
func (b *Bot) ownOrder(ctx context.Context, t *turn, arg string) (store.Order, bool, error) {
	idText, ref, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return store.Order{}, false, nil
	}
	if ref == "" {
		if _, ref, err = b.keyOf(ctx, t.chat); err != nil || ref == "" {
			return store.Order{}, false, err
		}
	}
	o, err := b.db.Order(ctx, ref, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return store.Order{}, false, nil
	}
	if err != nil {
		return store.Order{}, false, fmt.Errorf("load order %d: %w", id, err)
	}
	return o, o.ChatID == t.chat.ID, nil
}

func (b *Bot) showCard(ctx context.Context, t *turn, msgID int, o store.Order, top flows.Msg) error {
	text, kb := b.card(ctx, t, o, top)
	_, err := b.show(ctx, t.chat.ID, msgID, text, kb)
	return err
}

// confirmAction asks before a refill or a cancel.
func (b *Bot) confirmAction(ctx context.Context, t *turn, msgID int, o store.Order, ask, yes, verb string) error {
	text := b.line(t.lang, flows.M(ask, "ID", o.PanelID, "Name", o.Service.Name))
	kb := inline(row(b.button(t.lang, flows.M(yes), orderData(verb, o))), row(b.button(t.lang, flows.M("btn.back"), orderData("v", o))))
	_, err := b.show(ctx, t.chat.ID, msgID, text, kb)
	return err
}

// orderKey is the panel key an order was placed with.
func (b *Bot) orderKey(ctx context.Context, o store.Order) (string, error) {
	key, err := b.db.Key(ctx, o.KeyRef)
	if err != nil {
		return "", fmt.Errorf("load key of order %d: %w", o.PanelID, err)
	}
	return key, nil
}

// refresh asks the panel for the order's status now and records it.
func (b *Bot) refresh(ctx context.Context, t *turn, msgID int, o store.Order) error {
	key, err := b.orderKey(ctx, o)
	if err != nil {
		return err
	}
	st, err := b.panel.Status(ctx, key, o.PanelID)
	if err != nil {
		return b.showCard(ctx, t, msgID, o, flows.Explain(err))
	}
	err = b.db.UpdateOrder(ctx, o.KeyRef, o.PanelID, func(cur *store.Order) ([]byte, error) {
		track.ApplyStatus(cur, st)
		o = *cur
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("record status of %d: %w", o.PanelID, err)
	}
	return b.showCard(ctx, t, msgID, o, flows.Msg{})
}

// refill requests a refill; its id is shown and tracked.
func (b *Bot) refill(ctx context.Context, t *turn, msgID int, o store.Order) error {
	if !refillable(o) {
		return b.showCard(ctx, t, msgID, o, flows.M("card.no_refill"))
	}
	key, err := b.orderKey(ctx, o)
	if err != nil {
		return err
	}
	id, err := b.panel.Refill(ctx, key, o.PanelID)
	if err != nil {
		return b.showCard(ctx, t, msgID, o, b.actionProblem(err))
	}
	r := store.Refill{ChatID: o.ChatID, KeyRef: o.KeyRef, RefillID: id, OrderID: o.PanelID, Status: "Pending"}
	if err := b.db.PutRefill(ctx, r); err != nil {
		return fmt.Errorf("record refill %d: %w", id, err)
	}
	return b.showCard(ctx, t, msgID, o, flows.M("card.refill_requested", "ID", id))
}

// cancelOrder asks the panel to cancel; the status says when it happened.
func (b *Bot) cancelOrder(ctx context.Context, t *turn, msgID int, o store.Order) error {
	if !cancellable(o) {
		return b.showCard(ctx, t, msgID, o, flows.M("card.no_cancel"))
	}
	key, err := b.orderKey(ctx, o)
	if err != nil {
		return err
	}
	res, err := b.panel.Cancel(ctx, key, []int64{o.PanelID})
	if err == nil {
		err = res[o.PanelID]
	}
	if err != nil {
		return b.showCard(ctx, t, msgID, o, b.actionProblem(err))
	}
	return b.showCard(ctx, t, msgID, o, flows.M("card.cancel_requested"))
}

// actionProblem words a failed refill or cancel; an unknown outcome is
// said as such, since neither is ever retried.
func (b *Bot) actionProblem(err error) flows.Msg {
	if errors.Is(err, smm.ErrUnknownOutcome) {
		return flows.M("card.action_unknown")
	}
	if errors.Is(err, smm.ErrNotAllowed) {
		return flows.M("card.not_allowed")
	}
	return flows.Explain(err)
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
