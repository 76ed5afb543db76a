package smmtest

import (
	"net/url"

	"github.com/shopspring/decimal"
)

// cancelJSON is one entry of a cancel reply.
type cancelJSON struct {
	Order  any `json:"order"`
	Cancel any `json:"cancel"`
}

// cancel is the cancel action (orders, a batch). Caller holds p.mu.
func (p *Panel) cancel(key string, acct *account, form url.Values) any {
	if p.dialect.NoCancel {
		return rawBody("")
	}
	if !form.Has("orders") {
		return errorReply(msgIncorrectRequest)
	}
	ids, ok := splitIDs(form.Get("orders"))
	if !ok {
		return errorReply(msgIncorrectRequest)
	}
	if p.dialect.CancelKeyed {
		out := make(map[string]any, len(ids))
		for _, t := range ids {
			out[t.raw] = "requested"
			if msg := p.cancelOrder(key, acct, t); msg != "" {
				out[t.raw] = errorReply(msg)
			}
		}
		return out
	}
	out := make([]cancelJSON, 0, len(ids))
	for _, t := range ids {
		item := cancelJSON{Order: p.field(t), Cancel: p.integer(1, false)}
		if msg := p.cancelOrder(key, acct, t); msg != "" {
			item.Cancel = errorReply(msg)
		}
		out = append(out, item)
	}
	return out
}

// cancelOrder cancels key's order t at once when its service allows it
// and it is not finished: the order becomes Canceled with nothing
// delivered and its charge goes back to the balance. It returns the
// panel's error text, or "". Caller holds p.mu.
func (p *Panel) cancelOrder(key string, acct *account, t idToken) string {
	o, ok := p.owned(key, t)
	if !ok {
		return msgIncorrectOrder
	}
	if !o.cancel || finished(p.view(o).Status) {
		return msgCancelNotAllowed
	}
	acct.balance = acct.balance.Add(o.Charge)
	o.Charge = decimal.Zero
	o.pinned, o.Status, o.Remains = true, statusCanceled, o.Quantity
	return ""
}
