package smmtest

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

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

// addRule is what the add action takes for one service type, as
// panel/API.md lists it.
type addRule struct {
	quantity bool     // a typed quantity in min..max
	counted  string   // the list whose lines are the quantity, in min..max
	lists    []string // lists that must have a line at least
	words    []string // one-word fields that must be set
	answer   bool     // answer_number, a positive number
	pkg      bool     // one package at the rate
	drip     bool     // runs and interval allowed
}

// addRules are the types the emulator takes orders for, in lower case;
// any other is refused with "Incorrect request", as a panel refuses a
// malformed order. Subscriptions have their own check.
var addRules = map[string]addRule{
	typeDefault:               {quantity: true, drip: true},
	typePackage:               {pkg: true},
	typeCustomComments:        {counted: "comments"},
	"custom comments package": {lists: []string{"comments"}, pkg: true},
	"mentions":                {quantity: true, lists: []string{"usernames"}},
	"mentions with hashtags":  {quantity: true, lists: []string{"usernames", "hashtags"}},
	"mentions custom list":    {counted: "usernames"},
	"mentions hashtag":        {quantity: true, words: []string{"hashtag"}},
	"mentions user followers": {quantity: true, words: []string{"username"}},
	"mentions media likers":   {quantity: true, words: []string{"media"}},
	"comment likes":           {quantity: true, words: []string{"username"}},
	"comment replies":         {counted: "comments", words: []string{"username"}},
	"poll":                    {quantity: true, answer: true},
	"invites from groups":     {quantity: true, lists: []string{"groups"}},
	"seo":                     {quantity: true, lists: []string{"keywords"}},
}

// typeSubscriptions is the one type without a link or a quantity.
const typeSubscriptions = "subscriptions"

// subscriptionDelays are the delays (minutes) a subscription takes.
var subscriptionDelays = []int64{0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600}

// placement checks an add request against its service and returns the
// order it makes (without id, key or time), or the panel's error text.
func placement(svc smm.Service, form url.Values) (*order, string) {
	kind := strings.ToLower(strings.Join(strings.Fields(svc.Type), " "))
	o := &order{
		Order:  Order{Service: svc.ID},
		refill: svc.Refill,
		cancel: svc.Cancel,
	}
	if kind == typeSubscriptions {
		if msg := o.placeSubscription(svc, form); msg != "" {
			return nil, msg
		}
		return o, ""
	}
	rule, ok := addRules[kind]
	if !ok {
		return nil, msgIncorrectRequest
	}
	o.Link = strings.TrimSpace(form.Get("link"))
	if o.Link == "" {
		return nil, msgIncorrectLink
	}
	if msg := rule.checkFields(form); msg != "" {
		return nil, msg
	}
	var msg string
	switch {
	case rule.pkg:
		msg = o.placePackage(svc, form)
	case rule.counted != "":
		msg = o.placeCounted(svc, form, rule.counted)
	default:
		msg = o.placeDefault(svc, form, rule.drip)
	}
	if msg != "" {
		return nil, msg
	}
	if o.Comments == "" {
		o.Comments = strings.Join(lines(form.Get("comments")), "\n")
	}
	return o, ""
}

// checkFields checks a type's own fields: lists with a line at least,
// one-word fields, a poll's answer.
func (r addRule) checkFields(form url.Values) string {
	for _, name := range r.lists {
		if len(lines(form.Get(name))) == 0 {
			return msgIncorrectRequest
		}
	}
	for _, name := range r.words {
		v := strings.TrimSpace(form.Get(name))
		if v == "" || strings.ContainsAny(v, " \t\r\n") {
			return msgIncorrectRequest
		}
	}
	if r.answer {
		if n, ok := parseCount(form.Get("answer_number")); !ok || n <= 0 {
			return msgIncorrectRequest
		}
	}
	return ""
}

// placeSubscription: username, min..max per post within the service's
// bounds, a delay of the fixed set, optional posts, old_posts and expiry
// (d/m/Y). It is charged per post as posts come, so nothing up front; the
// order's Link is the username (a subscription has no link) and its
// Quantity 0.
func (o *order) placeSubscription(svc smm.Service, form url.Values) string {
	user := strings.TrimSpace(form.Get("username"))
	lo, okMin := parseCount(form.Get("min"))
	hi, okMax := parseCount(form.Get("max"))
	posts, okPosts := parseCount(form.Get("posts"))
	old, okOld := parseCount(form.Get("old_posts"))
	delay, okDelay := parseCount(form.Get("delay"))
	switch {
	case user == "" || strings.ContainsAny(user, " \t\r\n"):
		return msgIncorrectRequest
	case !okMin || !okMax || !okPosts || !okOld || posts < 0 || old < 0 || hasDripfeed(form):
		return msgIncorrectRequest
	case !form.Has("delay") || !okDelay || !slices.Contains(subscriptionDelays, delay):
		return msgIncorrectRequest
	case lo > hi:
		return msgIncorrectRequest
	}
	if msg := checkQuantity(svc, lo); msg != "" {
		return msg
	}
	if msg := checkQuantity(svc, hi); msg != "" {
		return msg
	}
	if e := strings.TrimSpace(form.Get("expiry")); e != "" {
		if _, err := time.Parse("2/1/2006", e); err != nil {
			return msgIncorrectRequest
		}
	}
	o.Link = user
	o.Charge = decimal.Zero
	return ""
}

// lines are the non-blank lines of a list, trimmed.
func lines(list string) []string {
	var out []string
	for line := range strings.Lines(list) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
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

// placeCounted: one unit per non-blank line of a list (comments,
// usernames), in min..max.
func (o *order) placeCounted(svc smm.Service, form url.Values, list string) string {
	if hasDripfeed(form) {
		return msgIncorrectRequest
	}
	items := lines(form.Get(list))
	if len(items) == 0 {
		return msgIncorrectRequest
	}
	qty := int64(len(items))
	if msg := checkQuantity(svc, qty); msg != "" {
		return msg
	}
	if list == "comments" {
		o.Comments = strings.Join(items, "\n")
	}
	o.Quantity = qty
	o.Charge = price(svc.Rate, qty)
	return ""
}

// placeDefault: quantity in min..max, times runs for a drip-feed order
// (where the type allows one).
func (o *order) placeDefault(svc smm.Service, form url.Values, drip bool) string {
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
		if !drip || !svc.Dripfeed || !okRuns || !okInterval || runs <= 0 || interval <= 0 ||
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
