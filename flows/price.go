package flows

import (
	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// Pricing is how a service type is charged: the one price function of
// each type.
type Pricing int

// The ways of charging.
const (
	// PerThousand: the rate is per 1000 units; an order costs
	// rate × units / 1000, every drip-feed run included.
	PerThousand Pricing = iota
	// PerPackage: the rate is the price of one package, whatever it holds.
	PerPackage
	// PerPost: a subscription, charged by the panel per post as it
	// delivers; no total is known when ordering.
	PerPost
)

// Cost is what units of a service cost by its type's pricing, and false
// when no total can be known beforehand (a subscription, a type the bot
// does not know).
func Cost(svc smm.Service, units int64) (decimal.Decimal, bool) {
	t, ok := TypeOf(svc)
	if !ok {
		return decimal.Decimal{}, false
	}
	switch t.Price {
	case PerPackage:
		return svc.Rate, true
	case PerPost:
		return decimal.Decimal{}, false
	}
	return svc.Price(units), true
}

// price is what the draft costs, and false when no total is known.
func (d Draft) price() (decimal.Decimal, bool) { return Cost(*d.Service, d.total()) }

// rateLine says what the service's rate means: per 1000, per package, or
// per 1000 charged by the panel per post.
func rateLine(svc smm.Service, currency string) Msg {
	id := "order.chosen"
	if t, ok := TypeOf(svc); ok {
		switch t.Price {
		case PerPackage:
			id = "order.chosen_package"
		case PerPost:
			id = "order.chosen_post"
		}
	}
	return M(id, "ID", svc.ID, "Name", svc.Name, "Rate", Money(svc.Rate, currency), "Min", svc.Min, "Max", svc.Max)
}

// serviceLine is a service in a list: its rate as its type means it, or
// the mark of a type the bot cannot order.
func serviceLine(svc smm.Service, currency string) Msg {
	id := "order.service_line"
	t, ok := TypeOf(svc)
	switch {
	case !ok:
		return M("order.service_line_unorderable", "ID", svc.ID, "Name", svc.Name, "Type", svc.Type)
	case t.Price == PerPackage:
		id = "order.service_line_package"
	case t.Price == PerPost:
		id = "order.service_line_post"
	}
	return M(id, "ID", svc.ID, "Name", svc.Name, "Rate", Money(svc.Rate, currency), "Min", svc.Min, "Max", svc.Max)
}

// priceLine is the summary's price: the total, the package's price, or
// how the panel charges a subscription.
func priceLine(d Draft, currency string) Msg {
	p, known := d.price()
	t, _ := TypeOf(*d.Service)
	switch {
	case !known:
		return M("order.summary_price_post", "Rate", Money(d.Service.Rate, currency))
	case t.Price == PerPackage:
		return M("order.summary_price_package", "Price", Money(p, currency))
	}
	return M("order.summary_price", "Price", Money(p, currency))
}
