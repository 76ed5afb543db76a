package flows

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/smmbot/smmbot/smm"
)

// place sends the confirmed draft to the panel, once. The ledger's guard
// makes a second tap (or a second process) find the session already
// placing; add is never retried, so an unknown outcome is told as such.
func (o *Order) place(ctx context.Context, key string, s *Session) (Screen, error) {
	if err := o.Ledger.BeginPlacing(ctx, s.ChatID, s.Version); err != nil {
		if errors.Is(err, ErrAlreadyPlacing) {
			return notice("order.already_placing"), nil
		}
		if errors.Is(err, ErrStale) {
			return notice("menu.expired"), nil
		}
		return Screen{}, fmt.Errorf("begin placing: %w", err)
	}
	if err := move(ctx, s, evPlace); err != nil {
		return Screen{}, err
	}
	id, err := o.Panel.Add(ctx, key, s.Draft.request())
	switch {
	case err == nil:
		return o.placed(ctx, s, id)
	case !certainlyRefused(err):
		return o.unknown(ctx, s, err)
	default:
		return o.refused(ctx, key, s, err)
	}
}

// certainlyRefused reports whether the order was certainly not placed: the
// panel refused it in its own words, or the client refused to send it.
// Anything else (a timeout, a 5xx, an unreadable reply) may have placed it.
func certainlyRefused(err error) bool {
	if errors.Is(err, smm.ErrUnknownOutcome) {
		return false
	}
	var api *smm.APIError
	return errors.As(err, &api) || errors.Is(err, smm.ErrIncorrectRequest)
}

// request is the add request of a draft: each field of its type fills
// its part, drip-feed's runs and interval included.
func (d Draft) request() smm.AddRequest {
	req := smm.AddRequest{Service: d.Service.ID}
	t, ok := TypeOf(*d.Service)
	if !ok {
		return req // refused before anything is asked; never sent
	}
	for _, f := range append(slices.Clone(t.Fields), fRuns, fInterval) {
		if v := d.value(f.Name); v != "" {
			f.fill(&req, v)
		}
	}
	return req
}

func (o *Order) placed(ctx context.Context, s *Session, id int64) (Screen, error) {
	d := s.Draft
	price, known := d.price()
	p := &Placed{ChatID: s.ChatID, OrderID: id, Service: *d.Service, Link: d.Link, Quantity: d.Quantity,
		Comments: d.Comments, Runs: d.Runs, Interval: d.Interval, Extra: maps.Clone(d.Extra), Price: price, Created: o.now()}
	if err := move(ctx, s, evPlaced); err != nil {
		return Screen{}, err
	}
	s.Draft = Draft{}
	receipt := []Msg{M("order.placed", "ID", id, "Name", p.Service.Name, "Price", Money(p.Price, d.Currency))}
	if !known {
		receipt = []Msg{M("order.placed_post", "ID", id, "Name", p.Service.Name)}
	}
	details := Details(p.Service.Type, p.Link, p.Quantity, p.Comments, p.Runs, p.Extra)
	if err := o.Ledger.FinishPlacing(ctx, p, *s); err != nil {
		// The panel has the order; only our record of it failed. Say so
		// with the id rather than hide a placed order.
		return Screen{Detach: true, Lines: append(append(receipt, M("order.not_recorded")), details...)},
			fmt.Errorf("record order %d: %w", id, err)
	}
	receipt = append(append(receipt, o.promise()), details...)
	return Screen{
		Detach:  true,
		Lines:   receipt,
		Buttons: [][]Button{{{Label: M("btn.open_order", "ID", id), Data: OrderData(id, o.KeyRef)}}, {btn("btn.new_order", "new")}},
	}, nil
}

// promise says which of the order's changes the chat will be told of,
// as its notification setting has it.
func (o *Order) promise() Msg {
	if o.FinishedOnly {
		return M("order.promise_finished")
	}
	return M("order.promise_all")
}

// OrderData is the callback data of a button that opens an order's card
// in a new message (the receipt stays as it is): "vo:ID:KEYREF", or
// "vo:ID" when the key reference is not known.
func OrderData(id int64, keyRef string) string {
	if keyRef == "" {
		return "vo:" + strconv.FormatInt(id, 10)
	}
	return "vo:" + strconv.FormatInt(id, 10) + ":" + keyRef
}

func (o *Order) unknown(ctx context.Context, s *Session, cause error) (Screen, error) {
	if err := move(ctx, s, evPlaceUnknown); err != nil {
		return Screen{}, err
	}
	s.Draft = Draft{}
	sc := Screen{Detach: true, Lines: []Msg{M("order.unknown")}, Buttons: [][]Button{{btn("btn.new_order", "new")}}}
	if err := o.Ledger.FinishPlacing(ctx, nil, *s); err != nil {
		return sc, fmt.Errorf("end placing after %v: %w", cause, err)
	}
	return sc, nil
}

// refused returns to the summary with the panel's words.
func (o *Order) refused(ctx context.Context, key string, s *Session, cause error) (Screen, error) {
	if err := move(ctx, s, evPlaceFailed); err != nil {
		return Screen{}, err
	}
	sc, err := o.summary(ctx, key, s)
	return withError(sc, Explain(cause)), err
}
