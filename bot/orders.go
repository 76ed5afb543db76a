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
const OrdersPage = 8

// maxOrdersPage bounds how deep the history pages go by button.
const maxOrdersPage = 500

// orders shows the newest page of the chat's history.
func (b *Bot) orders(ctx context.Context, t *turn) error {
	text, kb, err := b.ordersPage(ctx, t, 0)
	if err != nil {
		return err
	}
	_, err = b.sendText(ctx, t.chat.ID, text, kb)
	return err
}

// ordersPage renders page n of the history, newest first.
func (b *Bot) ordersPage(ctx context.Context, t *turn, n int) (string, *models.InlineKeyboardMarkup, error) {
	var (
		page []store.Order
		cur  store.Cursor
		more bool
		err  error
	)
	for i := 0; i <= n; i++ {
		page, cur, more, err = b.db.Orders(ctx, t.chat.ID, cur, OrdersPage)
		if err != nil {
			return "", nil, fmt.Errorf("list orders: %w", err)
		}
		if !more && i < n { // the history shrank under the menu
			n = i
			break
		}
	}
	if len(page) == 0 && n == 0 {
		kb := inline(row(b.button(t.lang, flows.M("btn.new_order"), "n:")))
		return b.words.Text(t.lang, "orders.none", nil, nil), kb, nil
	}
	lines := []flows.Msg{flows.M("orders.title", "Page", n+1)}
	var rows [][]models.InlineKeyboardButton
	for _, o := range page {
		lines = append(lines, flows.M("orders.line", "ID", o.PanelID, "Name", o.Service.Name, "Status", statusOf(o)))
		rows = append(rows, row(b.button(t.lang, flows.M("btn.order", "ID", o.PanelID, "Status", statusOf(o)), orderData("v", o))))
	}
	var nav []models.InlineKeyboardButton
	if n > 0 {
		nav = append(nav, b.button(t.lang, flows.M("btn.prev"), "op:"+strconv.Itoa(n-1)))
	}
	if more && n < maxOrdersPage {
		nav = append(nav, b.button(t.lang, flows.M("btn.next"), "op:"+strconv.Itoa(n+1)))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	return b.text(t.lang, lines), &models.InlineKeyboardMarkup{InlineKeyboard: rows}, nil
}

// statusOf is an order's status as the panel last said it.
func statusOf(o store.Order) string {
	switch {
	case o.Gone:
		return "?"
	case o.Status == "":
		return "Pending"
	}
	return o.Status
}

// orderData is the callback data of an order button: "VERB:ID:KEYREF".
// The handler checks in the store that the order belongs to the chat.
func orderData(verb string, o store.Order) string {
	return verb + ":" + strconv.FormatInt(o.PanelID, 10) + ":" + o.KeyRef
}

func (b *Bot) button(lang string, label flows.Msg, data string) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: b.words.Text(lang, label.ID, label.Args, label.Count), CallbackData: data}
}

func row(btns ...models.InlineKeyboardButton) []models.InlineKeyboardButton { return btns }

func inline(rows ...[]models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// card renders an order's card: what was ordered, what the panel says,
// and the buttons that fit its state.
func (b *Bot) card(ctx context.Context, t *turn, o store.Order, top flows.Msg) (string, *models.InlineKeyboardMarkup) {
	lines := []flows.Msg{}
	if top.ID != "" {
		lines = append(lines, top)
	}
	lines = append(lines,
		flows.M("card.title", "ID", o.PanelID, "Status", statusOf(o)),
		flows.M("card.service", "ID", o.Service.ID, "Name", o.Service.Name),
		flows.M("card.link", "Link", o.Link))
	if o.Quantity > 0 {
		lines = append(lines, flows.M("card.quantity", "Quantity", o.Quantity))
	}
	lines = append(lines, flows.M("card.price", "Price", flows.Money(o.Price, "")))
	if !o.Charge.IsZero() {
		lines = append(lines, flows.M("card.charge", "Charge", flows.Money(o.Charge, "")))
	}
	if o.Status != "" {
		lines = append(lines, flows.M("card.progress", "Start", o.StartCount, "Remains", o.Remains))
	}
	lines = append(lines, flows.M("card.created", "Created", o.Created.UTC().Format("2006-01-02 15:04 UTC")))
	if o.Gone {
		lines = append(lines, flows.M("card.gone"))
	}
	refills, err := b.db.Refills(ctx, o.KeyRef, o.PanelID)
	if err != nil {
		b.log.Warn("list refills", "order", o.PanelID, "err", err)
	}
	for _, r := range refills {
		lines = append(lines, flows.M("card.refill", "ID", r.RefillID, "Status", orPending(r.Status)))
	}
	return b.text(t.lang, lines), b.cardButtons(t.lang, o)
}

func orPending(s string) string {
	if s == "" {
		return "Pending"
	}
	return s
}

// cardButtons are the actions an order allows now.
func (b *Bot) cardButtons(lang string, o store.Order) *models.InlineKeyboardMarkup {
	first := row(b.button(lang, flows.M("btn.refresh"), orderData("r", o)))
	if refillable(o) {
		first = append(first, b.button(lang, flows.M("btn.refill"), orderData("rf", o)))
	}
	if cancellable(o) {
		first = append(first, b.button(lang, flows.M("btn.cancel_order"), orderData("cx", o)))
	}
	return inline(first, row(b.button(lang, flows.M("btn.repeat"), orderData("rp", o)), b.button(lang, flows.M("btn.orders"), "op:0")))
}

// refillable: the service allows refills and the order finished with
// something delivered (Completed or Partial).
func refillable(o store.Order) bool {
	switch lower(o.Status) {
	case "completed", "partial":
		return o.Service.Refill && !o.Gone
	}
	return false
}

// cancellable: the service allows cancelling and the order is unfinished.
func cancellable(o store.Order) bool {
	return o.Service.Cancel && !o.Gone && !smm.IsFinished(o.Status)
}
