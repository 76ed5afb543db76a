package smm

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Service is one entry of a panel's catalogue.
type Service struct {
	ID          int64
	Name        string
	Type        string
	Category    string
	Rate        decimal.Decimal // price per 1000 units
	Min         int64
	Max         int64
	Refill      bool
	Cancel      bool
	Dripfeed    bool
	Description string
}

// Input says what a service needs from the user besides the link.
type Input int

const (
	// InputQuantity is a Default service: link and a quantity in Min..Max.
	InputQuantity Input = iota
	// InputNone is a Package service: the link only, the quantity is fixed.
	InputNone
	// InputComments is a Custom Comments service: one comment per line,
	// the quantity is the number of lines.
	InputComments
	// InputUnsupported is a type the bot cannot order yet.
	InputUnsupported
)

// Input reports what the service's type needs from the user.
func (s Service) Input() Input {
	switch strings.ToLower(strings.TrimSpace(s.Type)) {
	case "default", "":
		return InputQuantity
	case "package":
		return InputNone
	case "custom comments":
		return InputComments
	default:
		return InputUnsupported
	}
}

var thousand = decimal.NewFromInt(1000)

// Price is what qty units cost: Rate × qty / 1000.
func (s Service) Price(qty int64) decimal.Decimal {
	return s.Rate.Mul(decimal.NewFromInt(qty)).Div(thousand)
}
