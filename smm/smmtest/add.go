package smmtest

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// orderJSON is the add reply.
type orderJSON struct {
	Order any `json:"order"`
}

// add is the add action: it checks the order as a panel does, charges
// key's balance and places the order. Caller holds p.mu.
func (p *Panel) add(key string, acct *account, form url.Values) any {
	svc, ok := p.service(form.Get("service"))
	if !ok {
		return errorReply(msgIncorrectService)
	}
	o, msg := placement(svc, form)
	if msg != "" {
		return errorReply(msg)
	}
	if o.Charge.GreaterThan(acct.balance) {
		return errorReply(msgNotEnoughFunds)
	}
	acct.balance = acct.balance.Sub(o.Charge)
	o.ID = p.nextOrder
	p.nextOrder++
	o.Key = key
	o.StartCount = startCount(o.ID)
	o.Created = p.now()
	p.orders[o.ID] = o
	acct.orders = append(acct.orders, o.ID)
	return orderJSON{Order: p.integer(o.ID, false)}
}

// placement checks an add request against its service and returns the
// order it makes (without id, key or time), or the panel's error text.
func placement(svc smm.Service, form url.Values) (*order, string) {
	kind := strings.ToLower(strings.TrimSpace(svc.Type))
	if kind != typeDefault && kind != typePackage && kind != typeCustomComments {
		return nil, msgIncorrectRequest
	}
	link := strings.TrimSpace(form.Get("link"))
	if link == "" {
		return nil, msgIncorrectLink
	}
	o := &order{
		Order:  Order{Service: svc.ID, Link: link},
		refill: svc.Refill,
		cancel: svc.Cancel,
	}
	var msg string
	switch kind {
	case typePackage:
		msg = o.placePackage(svc, form)
	case typeCustomComments:
		msg = o.placeComments(svc, form)
	default:
		msg = o.placeDefault(svc, form)
	}
	if msg != "" {
		return nil, msg
	}
	return o, ""
}

// placePackage: one package at the service's rate, whatever the quantity.
func (o *order) placePackage(svc smm.Service, form url.Values) string {
	if hasDripfeed(form) {
		return msgIncorrectRequest
	}
	o.Quantity = 1
	o.Charge = svc.Rate
	return ""
}

// placeComments: one unit per non-blank line of comments.
func (o *order) placeComments(svc smm.Service, form url.Values) string {
	if hasDripfeed(form) {
		return msgIncorrectRequest
	}
	var lines []string
	for line := range strings.Lines(form.Get("comments")) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		return msgIncorrectRequest
	}
	qty := int64(len(lines))
	if msg := checkQuantity(svc, qty); msg != "" {
		return msg
	}
	o.Comments = strings.Join(lines, "\n")
	o.Quantity = qty
	o.Charge = price(svc.Rate, qty)
	return ""
}

// placeDefault: quantity in min..max, times runs for a drip-feed order.
func (o *order) placeDefault(svc smm.Service, form url.Values) string {
	qty, ok := parseCount(form.Get("quantity"))
	if !ok {
		return msgIncorrectRequest
	}
	if msg := checkQuantity(svc, qty); msg != "" {
		return msg
	}
	total := qty
	if hasDripfeed(form) {
		runs, okRuns := parseCount(form.Get("runs"))
		interval, okInterval := parseCount(form.Get("interval"))
		if !svc.Dripfeed || !okRuns || !okInterval || runs <= 0 || interval <= 0 ||
			runs > math.MaxInt64/qty {
			return msgIncorrectRequest
		}
		o.Runs, o.Interval = runs, interval
		total = qty * runs
	}
	o.Quantity = total
	o.Charge = price(svc.Rate, total)
	return ""
}

// hasDripfeed reports whether a request asks for drip-feed: runs or
// interval present (both are then required).
func hasDripfeed(form url.Values) bool {
	return strings.TrimSpace(form.Get("runs")) != "" || strings.TrimSpace(form.Get("interval")) != ""
}

// parseCount reads an integer field; an empty one is 0.
func parseCount(raw string) (int64, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	return n, err == nil
}

// checkQuantity returns the panel's words for a quantity out of min..max.
func checkQuantity(svc smm.Service, qty int64) string {
	switch {
	case qty < svc.Min || qty <= 0:
		return fmt.Sprintf(msgQuantityMin, max(svc.Min, 1))
	case qty > svc.Max:
		return fmt.Sprintf(msgQuantityMax, svc.Max)
	}
	return ""
}

// price is rate × qty / 1000, exact.
func price(rate decimal.Decimal, qty int64) decimal.Decimal {
	return rate.Mul(decimal.NewFromInt(qty)).Shift(-3)
}

// startCount is a plausible, deterministic start count for an order.
func startCount(id int64) int64 {
	return (id*7919)%100000 + 100
}
