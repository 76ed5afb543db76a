package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// OrdersPage is how many orders a page of /orders lists.
const OrdersPage = flows.HistoryPage

// history is the order history as flows decides it, over the store and
// the panel.
func (b *Bot) history() *flows.History {
	return &flows.History{Book: b.db, Bulk: b.db, Panel: b.bulkPanel(), Offers: b.offers()}
}

// orders handles /orders: the newest page of every order, or with text
// the orders whose id or link contains it.
func (b *Bot) orders(ctx context.Context, t *turn, text string) error {
	v := flows.ListView{}
	if text != "" {
		v = flows.SearchView(text)
	}
	return b.showList(ctx, t, 0, v)
}

// searchOrders handles text typed while the history list is open.
func (b *Bot) searchOrders(ctx context.Context, t *turn, text string) error {
	return b.showList(ctx, t, 0, flows.SearchView(text))
}

// showList shows a history list (in message msgID when set, else in a
// new message) and keeps it in the session: a card's way back leads to
// the same page, and typed text searches.
func (b *Bot) showList(ctx context.Context, t *turn, msgID int, v flows.ListView) error {
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	shown, sc, err := b.history().List(ctx, t.chat.ID, v)
	if err != nil {
		return err
	}
	if _, err := b.showScreen(ctx, t, msgID, s.Version, sc); err != nil {
		return err
	}
	next := s
	next.Draft.List = &shown
	if shown == (flows.ListView{}) {
		next.Draft.List = nil
	}
	return b.saveChanged(ctx, s, next)
}

// pressHistory handles the buttons of the history lists and of the bulk
// actions. Every list is the chat's own: nothing in the data names
// another chat's orders.
func (b *Bot) pressHistory(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int, verb, arg string) error {
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	var v flows.ListView
	ok := true
	switch verb {
	case flows.VerbFilter:
		_, ok = flows.ParseFilterCode(arg)
		v.Filter = arg
	case flows.VerbPage:
		v, ok = flows.PageView(arg, s.Draft.List)
	case flows.VerbList, "op":
		if s.Draft.List != nil {
			v = *s.Draft.List
		}
	case flows.VerbAskBulk, flows.VerbBulk:
		return b.pressBulk(ctx, t, q, msgID, verb, arg)
	}
	if !ok {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "menu.expired", nil, nil))
		return nil
	}
	b.answer(ctx, t.chat.ID, q.ID, "")
	return b.showList(ctx, t, msgID, v)
}

// pressBulk asks before a bulk action, or runs it once confirmed. The
// question is kept in the session before the panel is asked anything, so
// a second tap on Confirm does not act again.
func (b *Bot) pressBulk(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int, verb, arg string) error {
	kind, f, ok := flows.ParseBulk(arg)
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	next := s
	if ok && verb == flows.VerbBulk {
		ok = flows.ConfirmBulk(&next, arg)
	}
	if !ok {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "menu.expired", nil, nil))
		return nil
	}
	b.answer(ctx, t.chat.ID, q.ID, "")
	var sc flows.Screen
	if verb == flows.VerbAskBulk {
		flows.AskedBulk(&next, arg)
		sc, err = b.history().AskBulk(ctx, t.chat.ID, kind, f)
	} else {
		if err := b.saveSession(ctx, next); err != nil {
			return err
		}
		s = next
		sc, err = b.history().RunBulk(ctx, t.chat.ID, kind, f)
	}
	if err != nil {
		return err
	}
	if _, err := b.showScreen(ctx, t, msgID, 0, sc); err != nil {
		return err
	}
	return b.saveChanged(ctx, s, next)
}

// showScreen renders a screen of the history or of a card: arguments
// that are messages themselves (a status word) are put in the user's
// language first. Conversation buttons on it carry version.
func (b *Bot) showScreen(ctx context.Context, t *turn, msgID int, version int64, sc flows.Screen) (int, error) {
	return b.show(ctx, t.chat.ID, msgID, b.screenText(t.lang, sc.Lines), b.screenKeyboard(t.lang, version, sc.Buttons))
}

// screenText renders lines whose arguments may be messages.
func (b *Bot) screenText(lang string, lines []flows.Msg) string {
	out := make([]flows.Msg, len(lines))
	for i, m := range lines {
		out[i] = b.resolve(lang, m)
	}
	return b.text(lang, out)
}

// screenKeyboard renders buttons whose labels may have message arguments.
func (b *Bot) screenKeyboard(lang string, version int64, rows [][]flows.Button) *models.InlineKeyboardMarkup {
	out := make([][]flows.Button, len(rows))
	for i, r := range rows {
		out[i] = make([]flows.Button, len(r))
		for j, btn := range r {
			btn.Label = b.resolve(lang, btn.Label)
			out[i][j] = btn
		}
	}
	return b.keyboard(lang, version, out)
}

// resolve puts the message arguments of m in lang, as plain text (the
// line they go into escapes them once).
func (b *Bot) resolve(lang string, m flows.Msg) flows.Msg {
	nested := false
	for _, v := range m.Args {
		if _, ok := v.(flows.Msg); ok {
			nested = true
		}
	}
	if !nested {
		return m
	}
	args := make(map[string]any, len(m.Args))
	for k, v := range m.Args {
		if in, ok := v.(flows.Msg); ok {
			v = b.words.Text(lang, in.ID, in.Args, in.Count)
		}
		args[k] = v
	}
	m.Args = args
	return m
}

// orderData is the callback data of an order button: "VERB:ID:KEYREF".
// The handler checks in the store that the order belongs to the chat.
func orderData(verb string, o store.Order) string { return flows.ButtonData(verb, o) }

func (b *Bot) button(lang string, label flows.Msg, data string) models.InlineKeyboardButton {
	label = b.resolve(lang, label)
	return models.InlineKeyboardButton{Text: b.words.Text(lang, label.ID, label.Args, label.Count), CallbackData: data}
}

func row(btns ...models.InlineKeyboardButton) []models.InlineKeyboardButton { return btns }

func inline(rows ...[]models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// bulkPanel is the panel as the bulk actions use it: refills in batches
// when the panel client offers them.
func (b *Bot) bulkPanel() flows.BulkPanel {
	if bp, ok := b.panel.(flows.BulkPanel); ok {
		return bp
	}
	return oneByOne{b.panel}
}

// batchRefiller is a panel client that refills many orders a request.
type batchRefiller interface {
	Refills(ctx context.Context, key string, orders []int64) (map[int64]smm.RefillResult, error)
}

// Refills asks for refills of many orders: in batches when the client
// offers them (smm.Client does), else one order a request.
func (mp meteredPanel) Refills(ctx context.Context, key string, orders []int64) (map[int64]smm.RefillResult, error) {
	if r, ok := mp.p.(batchRefiller); ok {
		res, err := r.Refills(ctx, key, orders)
		mp.m.observe("refill", err)
		return res, err
	}
	return oneByOne{mp}.Refills(ctx, key, orders)
}

// oneByOne refills through a panel without batch refills.
type oneByOne struct{ Panel }

func (p oneByOne) Refills(ctx context.Context, key string, orders []int64) (map[int64]smm.RefillResult, error) {
	out := make(map[int64]smm.RefillResult, len(orders))
	for _, id := range orders {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("refill %s: %w", strconv.FormatInt(id, 10), err)
		}
		rid, err := p.Refill(ctx, key, id)
		out[id] = smm.RefillResult{Refill: rid, Err: err}
	}
	return out, nil
}
