package smmtest

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Order statuses the emulator sets by itself.
const (
	statusPending    = "Pending"
	statusInProgress = "In progress"
	statusCompleted  = "Completed"
	statusPartial    = "Partial"
	statusCanceled   = "Canceled"
)

// Order is an order as the panel knows it. Status and Remains are as of
// the panel's clock when the Order was read.
type Order struct {
	ID         int64
	Key        string
	Service    int64
	Link       string
	Quantity   int64 // units delivered in all: quantity × runs for drip-feed, 1 for a Package
	Comments   string
	Runs       int64
	Interval   int64 // minutes
	Charge     decimal.Decimal
	StartCount int64
	Status     string
	Remains    int64
	Created    time.Time
}

// order is a placed order: its Order (Status and Remains used only when
// pinned) and what its service allowed when it was placed.
type order struct {
	Order
	pinned bool
	refill bool
	cancel bool
}

// view returns o as of now. Caller holds p.mu.
func (p *Panel) view(o *order) Order {
	v := o.Order
	if !o.pinned {
		v.Status, v.Remains = progress(p.now().Sub(o.Created), p.step, o.Quantity)
		if v.Status == statusCompleted {
			v.Status = p.finalWord()
		}
	}
	return v
}

// progress is the status and remains of an order of qty units after
// elapsed: Pending for one step, In progress for the next with remains
// falling, then Completed.
func progress(elapsed, step time.Duration, qty int64) (string, int64) {
	switch {
	case elapsed < step:
		return statusPending, qty
	case elapsed < 2*step:
		done := float64(elapsed-step) / float64(step)
		return statusInProgress, qty - int64(float64(qty)*done)
	}
	return statusCompleted, 0
}

// owned finds an order of key by id. Caller holds p.mu.
func (p *Panel) owned(key string, t idToken) (*order, bool) {
	o, ok := p.orders[t.id]
	if !t.ok || !ok || o.Key != key {
		return nil, false
	}
	return o, true
}

// finished reports whether an order's status is terminal.
func finished(status string) bool {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "completed", "partial", "canceled", "cancelled", "refunded", "fail", "failed", "error":
		return true
	}
	return false
}

// statusJSON is one order's status reply.
type statusJSON struct {
	Charge     any    `json:"charge"`
	StartCount any    `json:"start_count"`
	Status     string `json:"status"`
	Remains    any    `json:"remains"`
	Currency   string `json:"currency"`
}

// statusOf renders an order's status. Caller holds p.mu.
func (p *Panel) statusOf(o *order) statusJSON {
	v := p.view(o)
	s := statusJSON{
		Charge:     p.money(v.Charge),
		StartCount: p.integer(v.StartCount, true),
		Status:     v.Status,
		Remains:    p.integer(v.Remains, true),
		Currency:   currency,
	}
	p.placeholders(&s)
	return s
}

// listedStatusJSON is one entry of a batch status answered as a list.
type listedStatusJSON struct {
	Order any `json:"order"`
	statusJSON
}

// listedErrorJSON is a list entry's error.
type listedErrorJSON struct {
	Order any    `json:"order"`
	Error string `json:"error"`
}

// status is the status action: orders (a batch keyed by id) or order (one
// status object). Caller holds p.mu.
func (p *Panel) status(key string, form url.Values) any {
	if form.Has("orders") {
		ids, ok := splitIDs(form.Get("orders"))
		if !ok || p.dialect.NoBatchStatus {
			return errorReply(msgIncorrectRequest)
		}
		if p.dialect.ListStatus {
			return p.statusList(key, ids)
		}
		out := make(map[string]any, len(ids))
		for _, t := range ids {
			if o, ok := p.owned(key, t); ok {
				out[t.raw] = p.statusOf(o)
			} else {
				out[t.raw] = errorReply(msgIncorrectOrder)
			}
		}
		return out
	}
	if !form.Has("order") {
		return errorReply(msgIncorrectRequest)
	}
	o, ok := p.owned(key, parseID(form.Get("order")))
	if !ok {
		return errorReply(msgIncorrectOrder)
	}
	return p.statusOf(o)
}

// statusList is a batch status as a list. Caller holds p.mu.
func (p *Panel) statusList(key string, ids []idToken) any {
	out := make([]any, 0, len(ids))
	for _, t := range ids {
		if o, ok := p.owned(key, t); ok {
			out = append(out, listedStatusJSON{Order: p.field(t), statusJSON: p.statusOf(o)})
		} else {
			out = append(out, listedErrorJSON{Order: p.field(t), Error: msgIncorrectOrder})
		}
	}
	return out
}

// Order returns key's order id as of the panel's clock, and false when key
// has no such order.
func (p *Panel) Order(key string, id int64) (Order, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o, ok := p.owned(key, idToken{id: id, ok: true})
	if !ok {
		return Order{}, false
	}
	return p.view(o), true
}

// Orders returns key's orders, oldest first, as of the panel's clock.
func (p *Panel) Orders(key string) []Order {
	p.mu.Lock()
	defer p.mu.Unlock()
	acct, ok := p.accounts[key]
	if !ok {
		return nil
	}
	out := make([]Order, 0, len(acct.orders))
	for _, id := range acct.orders {
		out = append(out, p.view(p.orders[id]))
	}
	return out
}

// SetStatus pins order id's status and remains: they no longer progress
// on the clock. Charges and balances stay as they are. An unknown id is
// ignored.
func (p *Panel) SetStatus(id int64, status string, remains int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if o, ok := p.orders[id]; ok {
		o.pinned, o.Status, o.Remains = true, status, remains
	}
}

// Forget drops order id: status, refill and cancel calls get "Incorrect
// order ID" for it, and Order and Orders no longer list it. Its refills
// stay. An unknown id is ignored.
func (p *Panel) Forget(id int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o, ok := p.orders[id]
	if !ok {
		return
	}
	delete(p.orders, id)
	if acct, ok := p.accounts[o.Key]; ok {
		acct.orders = slices.DeleteFunc(acct.orders, func(x int64) bool { return x == id })
	}
}
