package smm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	Currency    string  // the panel's, when its catalogue names one
	Unknown     Unknown // which of Rate, Min, Max the panel left out or made unreadable
}

// Orderable reports whether the service can be priced: a service whose
// rate is missing, unreadable or negative is not orderable, never free.
// (Whether the bot knows the service's type is Input's matter.)
func (s Service) Orderable() bool {
	return !s.Unknown.Has(UnknownRate) && !s.Rate.IsNegative()
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

// Services returns the panel's catalogue, in the panel's order. A service
// the reply describes badly (no id, a malformed number) is left out and
// logged; a reply with nothing usable is a *ResponseError.
func (c *Client) Services(ctx context.Context, key string) ([]Service, error) {
	r, err := c.read(ctx, key, "services", nil)
	if err != nil {
		return nil, fmt.Errorf("services: %w", err)
	}
	list, skipped, err := decodeServices(r)
	if err != nil {
		return nil, fmt.Errorf("services: %w", err)
	}
	for _, e := range skipped {
		c.log.Warn("panel service left out", "err", mask(e.Error(), key))
	}
	return list, nil
}

// serviceWire is one service as panels send it.
type serviceWire struct {
	Service     wireInt      `json:"service"`
	Name        wireText     `json:"name"`
	Type        wireText     `json:"type"`
	Category    wireText     `json:"category"`
	Rate        wireOptMoney `json:"rate"`
	Min         wireOptInt   `json:"min"`
	Max         wireOptInt   `json:"max"`
	Refill      wireBool     `json:"refill"`
	Cancel      wireBool     `json:"cancel"`
	Dripfeed    wireBool     `json:"dripfeed"`
	Desc        wireText     `json:"desc"`
	Description wireText     `json:"description"`
	Currency    wireText     `json:"currency"`
}

func (w *serviceWire) service() (Service, error) {
	if w.Service <= 0 {
		return Service{}, fmt.Errorf("service %q has no valid id", clip(string(w.Name)))
	}
	desc := w.Description
	if w.Desc != "" {
		desc = w.Desc
	}
	s := Service{
		ID:          int64(w.Service),
		Name:        string(w.Name),
		Type:        string(w.Type),
		Category:    string(w.Category),
		Rate:        w.Rate.v,
		Min:         w.Min.v,
		Max:         w.Max.v,
		Refill:      bool(w.Refill),
		Cancel:      bool(w.Cancel),
		Dripfeed:    bool(w.Dripfeed),
		Description: string(desc),
		Currency:    string(w.Currency),
	}
	if !w.Rate.known || w.Rate.v.IsNegative() {
		s.Unknown |= UnknownRate
		s.Rate = decimal.Zero
	}
	if !w.Min.known {
		s.Unknown |= UnknownMin
	}
	if !w.Max.known {
		s.Unknown |= UnknownMax
	}
	return s, nil
}

// decodeServices decodes a services reply. The whole array is decoded in
// one pass; only when that fails is it decoded service by service, to
// leave out the bad ones (returned as skipped) rather than lose them all.
func decodeServices(r *reply) (list []Service, skipped []error, err error) {
	if b := bytes.TrimSpace(r.body); len(b) == 0 || b[0] != '[' {
		return nil, nil, r.shape("want an array of services, got " + kind(b))
	}
	var wires []serviceWire
	if err := json.Unmarshal(r.body, &wires); err != nil {
		return decodeServicesOneByOne(r)
	}
	list = make([]Service, 0, len(wires))
	for i := range wires {
		s, err := wires[i].service()
		if err != nil {
			skipped = append(skipped, fmt.Errorf("services[%d]: %w", i, err))
			continue
		}
		list = append(list, s)
	}
	if len(list) == 0 && len(skipped) > 0 {
		return nil, skipped, r.shape(skipped[0].Error())
	}
	return list, skipped, nil
}

func decodeServicesOneByOne(r *reply) (list []Service, skipped []error, err error) {
	var raws []json.RawMessage
	if err := r.decode(&raws); err != nil {
		return nil, nil, err
	}
	list = make([]Service, 0, len(raws))
	for i, raw := range raws {
		var w serviceWire
		var s Service
		err := fmt.Errorf("%s, not an object", kind(raw))
		if b := bytes.TrimSpace(raw); len(b) > 0 && b[0] == '{' {
			err = json.Unmarshal(b, &w)
		}
		if err == nil {
			s, err = w.service()
		}
		if err != nil {
			skipped = append(skipped, fmt.Errorf("services[%d]: %w", i, err))
			continue
		}
		list = append(list, s)
	}
	if len(list) == 0 && len(skipped) > 0 {
		return nil, skipped, r.shape(skipped[0].Error())
	}
	return list, skipped, nil
}
