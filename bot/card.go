package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// pressOrder handles the buttons of an order's card. Every one is checked
// against the store first: an order id that is forged or another chat's
// is refused and reaches no panel call.
func (b *Bot) pressOrder(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int, verb, arg string) error {
	o, ok, err := b.ownOrder(ctx, t, arg)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	if !ok {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "card.not_yours", nil, nil))
		return nil
	}
	if verb == flows.VerbRefresh {
		return b.refresh(ctx, t, q, msgID, o)
	}
	b.answer(ctx, t.chat.ID, q.ID, "")
	switch verb {
	case flows.VerbCard:
		return b.showCard(ctx, t, msgID, o, flows.Msg{})
	case flows.VerbCardNew: // from a receipt or a notification, which stay as they are
		return b.showCard(ctx, t, 0, o, flows.Msg{})
	case flows.VerbAskRefill:
		return b.ask(ctx, t, msgID, o, true)
	case flows.VerbRefill:
		return b.refill(ctx, t, msgID, o)
	case flows.VerbAskCancel:
		return b.ask(ctx, t, msgID, o, false)
	case flows.VerbCancelOrder:
		return b.cancelOrder(ctx, t, msgID, o)
	case flows.VerbRepeat:
		return b.repeat(ctx, t, o)
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

// offers is what the panel offers at all, as its client has learnt: a
// panel found without refill or cancel gets no such buttons.
func (b *Bot) offers() flows.Offers {
	lacks := func(f smm.Feature) bool {
		known, ok := b.panel.Supports(f)
		return known && !ok
	}
	return flows.Offers{NoRefill: lacks(smm.FeatureRefill), NoCancel: lacks(smm.FeatureCancel)}
}

// currencyOf is the currency of the account of the key ref names, as the
// panel's balance says it (asked once a key); "" when it cannot be known.
func (b *Bot) currencyOf(ctx context.Context, ref string) string {
	key, err := b.db.Key(ctx, ref)
	if err != nil {
		return ""
	}
	cur, err := b.panelView().Currency(ctx, key)
	if err != nil {
		return ""
	}
	return cur
}

// showCard shows an order's card, with a line above it when top is set,
// and its Share button: the deep link that opens the card again.
func (b *Bot) showCard(ctx context.Context, t *turn, msgID int, o store.Order, top flows.Msg) error {
	text, kb := b.cardScreen(ctx, t.lang, o, top)
	id, err := b.show(ctx, t.chat.ID, msgID, text, kb)
	if err == nil {
		b.cards.put(cardKey{chat: t.chat.ID, ref: o.KeyRef, order: o.PanelID}, cardShown{msgID: id, digest: cardDigest(text, kb)})
	}
	return err
}

// cardScreen renders an order's card in lang.
func (b *Bot) cardScreen(ctx context.Context, lang string, o store.Order, top flows.Msg) (string, *models.InlineKeyboardMarkup) {
	refills, err := b.db.Refills(ctx, o.KeyRef, o.PanelID)
	if err != nil {
		b.log.Warn("list refills", "order", o.PanelID, "err", err)
	}
	sc := flows.Card(o, refills, top, b.offers(), b.currencyOf(ctx, o.KeyRef))
	kb := b.screenKeyboard(lang, 0, sc.Buttons)
	if b.username != "" {
		link := "https://t.me/" + url.PathEscape(b.username) + "?start=o_" + strconv.FormatInt(o.PanelID, 10)
		kb.InlineKeyboard = append(kb.InlineKeyboard, row(models.InlineKeyboardButton{
			Text: b.words.Text(lang, "btn.share", nil, nil), URL: link}))
	}
	return b.screenText(lang, sc.Lines), kb
}

// ask asks before a refill or a cancel of one order.
func (b *Bot) ask(ctx context.Context, t *turn, msgID int, o store.Order, refill bool) error {
	_, err := b.showScreen(ctx, t, msgID, 0, flows.AskAction(o, refill))
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

// refresh asks the panel for the order's status now, records it, and
// always answers: a toast "no change" or "updated" when the panel answers
// within toastWait (the tap is answered by then either way), and the card
// says it too.
func (b *Bot) refresh(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int, o store.Order) error {
	type polled struct {
		now     store.Order
		changed bool
		err     error
	}
	done := make(chan polled, 1)
	go func() {
		now, changed, err := b.pollOrder(ctx, o)
		done <- polled{now, changed, err}
	}()
	var r polled
	wait := time.NewTimer(toastWait)
	defer wait.Stop()
	select {
	case r = <-done: // the tap's answer says what came of it
		toast := ""
		if r.err == nil {
			m := flows.Checked(r.changed, time.Now())
			toast = b.words.Text(t.lang, m.ID, m.Args, nil)
		}
		b.answer(ctx, t.chat.ID, q.ID, toast)
	case <-wait.C: // a slow panel: the tap is answered now, the card says it
		b.answer(ctx, t.chat.ID, q.ID, "")
		r = <-done
	}
	if r.err != nil {
		return b.showCard(ctx, t, msgID, o, flows.Explain(r.err))
	}
	return b.showCard(ctx, t, msgID, r.now, flows.Checked(r.changed, time.Now()))
}

// toastWait bounds how long a Refresh tap waits for the panel before it is
// answered: within it the answer is a toast saying whether anything
// changed; after it the tap is answered empty and the card alone says.
const toastWait = time.Second

// pollOrder asks the panel for an order's status and records it; it returns
// the order as recorded and whether anything the panel says changed.
func (b *Bot) pollOrder(ctx context.Context, o store.Order) (store.Order, bool, error) {
	key, err := b.orderKey(ctx, o)
	if err != nil {
		return o, false, err
	}
	st, err := b.panel.Status(ctx, key, o.PanelID)
	if err != nil {
		return o, false, err
	}
	before, now := o, o
	err = b.db.UpdateOrder(ctx, o.KeyRef, o.PanelID, func(cur *store.Order) ([]byte, error) {
		before = *cur
		track.ApplyStatus(cur, st)
		now = *cur
		return nil, nil
	})
	if err != nil {
		return o, false, fmt.Errorf("record status of %d: %w", o.PanelID, err)
	}
	return now, flows.Changed(before, now), nil
}

// notifyStatus queues the notification of a new status word the bot
// learnt outside the poller (which then sees no change), as the poller
// would have: a new message with the order id and the word.
func (b *Bot) notifyStatus(ctx context.Context, before, now store.Order) {
	if strings.EqualFold(strings.TrimSpace(before.Status), strings.TrimSpace(now.Status)) {
		return
	}
	note := track.Note{Kind: track.KindStatus, Order: now.PanelID, KeyRef: now.KeyRef, Name: now.Service.Name,
		Old: before.Status, New: now.Status, Remains: now.Remains, Final: now.Final}
	if _, err := b.db.Enqueue(ctx, now.ChatID, note.Encode()); err != nil {
		b.log.Warn("queue status notification", "order", now.PanelID, "err", err)
		return
	}
	if b.notifier != nil {
		b.notifier.poke()
	}
}

// refill requests a refill; its id is shown and tracked.
func (b *Bot) refill(ctx context.Context, t *turn, msgID int, o store.Order) error {
	if !flows.Refillable(b.offers().Apply(o)) {
		return b.showCard(ctx, t, msgID, o, flows.M("card.no_refill"))
	}
	key, err := b.orderKey(ctx, o)
	if err != nil {
		return err
	}
	id, err := b.panel.Refill(ctx, key, o.PanelID)
	if err != nil {
		return b.showCard(ctx, t, msgID, o, flows.ActionProblem(err))
	}
	r := store.Refill{ChatID: o.ChatID, KeyRef: o.KeyRef, RefillID: id, OrderID: o.PanelID, Status: "Pending"}
	if err := b.db.PutRefill(ctx, r); err != nil {
		return fmt.Errorf("record refill %d: %w", id, err)
	}
	return b.showCard(ctx, t, msgID, o, flows.M("card.refill_requested", "ID", id))
}

// cancelOrder asks the panel to cancel, then reads the order's status
// back, so that the card shows what the panel did (a cancelled order
// offers no Cancel again); the poller tells when a later cancel happens.
func (b *Bot) cancelOrder(ctx context.Context, t *turn, msgID int, o store.Order) error {
	if !flows.Cancellable(b.offers().Apply(o)) {
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
		return b.showCard(ctx, t, msgID, o, flows.ActionProblem(err))
	}
	now, _, err := b.pollOrder(ctx, o)
	if err != nil {
		b.log.Info("status after cancel", "order", o.PanelID, "err", err)
		now = o
	}
	if err := b.showCard(ctx, t, msgID, now, flows.CancelRequested()); err != nil {
		return err
	}
	b.notifyStatus(ctx, o, now)
	return nil
}

// repeat opens the summary of the same order in a new conversation.
func (b *Bot) repeat(ctx context.Context, t *turn, from store.Order) error {
	key, ref, err := b.keyOf(ctx, t.chat)
	if err != nil {
		return err
	}
	if key == "" {
		return b.reply(ctx, t, "start.need_key")
	}
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	o := &flows.Order{Panel: b.panelView(), KeyRef: ref, FinishedOnly: t.chat.FinishedOnly}
	next, sc, herr := o.Repeat(ctx, key, s, from)
	if err := b.present(ctx, t, &next, sc, false); err != nil {
		herr = errors.Join(herr, err)
	}
	return errors.Join(herr, b.saveChanged(ctx, s, next))
}

// withFavourites adds the chat's favourites to a conversation screen: a
// row per favourite first in /order, the star on a service's page.
func (b *Bot) withFavourites(ctx context.Context, chatID int64, key string, s flows.Session, sc flows.Screen) flows.Screen {
	if sc.Keep || len(sc.Buttons) == 0 || s.State != flows.StateCategory && s.Draft.Service == nil {
		return sc
	}
	ids, err := b.db.Favourites(ctx, chatID)
	if err != nil {
		b.log.Warn("list favourites", "err", err)
		return sc
	}
	var favs []smm.Service
	if s.State == flows.StateCategory && len(ids) > 0 {
		if cat, err := b.cache.Catalogue(ctx, key); err == nil {
			for _, id := range ids {
				if svc, ok := cat.Service(id); ok {
					favs = append(favs, svc)
				}
			}
		}
	}
	return flows.WithFavourites(s, sc, favs, ids)
}

// pressFavourite handles the star on a service's page (the service joins
// the favourites, or leaves them) and a favourite's button in /order (the
// service's first step).
func (b *Bot) pressFavourite(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int, verb, arg string) error {
	id, ok := flows.ParseServiceArg(arg)
	if !ok {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "menu.expired", nil, nil))
		return nil
	}
	if verb == flows.VerbOrderFavourite {
		b.answer(ctx, t.chat.ID, q.ID, "")
		s, err := b.session(ctx, t.chat.ID)
		if err != nil {
			return err
		}
		return b.converse(ctx, t, s, flows.Input{Kind: flows.KindStart}, flows.Text(strconv.FormatInt(id, 10)))
	}
	on, err := b.db.ToggleFavourite(ctx, t.chat.ID, id)
	toast := "fav.removed"
	switch {
	case errors.Is(err, store.ErrTooManyFavourites):
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "fav.full", map[string]any{"Max": store.MaxFavourites}, nil))
		return nil
	case err != nil:
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	case on:
		toast = "fav.added"
	}
	b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, toast, nil, nil))
	s, err := b.session(ctx, t.chat.ID)
	if err != nil || s.MenuID != msgID || msgID == 0 || s.Idle() {
		return err
	}
	return b.converse(ctx, t, s, flows.Press(s.Version, msgID, "retry")) // the star shows what it is now
}
