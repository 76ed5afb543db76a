package flows

import (
	"context"

	"github.com/smmbot/smmbot/store"
)

// Repeat starts a new conversation that orders from again: the same
// service, as the panel offers it now, with the same link and quantity (or
// the fields of its type), at the summary ready to Confirm. A field the
// service no longer accepts (the bounds changed) is asked again, with the
// reason; every other field is kept, so changing one keeps the others.
func (o *Order) Repeat(ctx context.Context, key string, s Session, from store.Order) (Session, Screen, error) {
	if s.State == "" {
		s.State = StateIdle
	}
	if s.State == StatePlacing {
		return s, notice("order.already_placing"), nil
	}
	cat, err := o.Panel.Catalogue(ctx, key)
	if err != nil {
		return s, trouble(err, "new"), nil
	}
	svc, ok := cat.Service(from.Service.ID)
	if !ok {
		return s, Screen{Lines: []Msg{M("order.service_gone")}, Buttons: [][]Button{{btn("btn.new_order", "new")}}}, nil
	}
	if !Orderable(svc) {
		return s, Screen{Lines: []Msg{M("order.unsupported", "Name", svc.Name, "Type", svc.Type)},
			Buttons: [][]Button{{btn("btn.new_order", "new")}}}, nil
	}
	o.begin(&s)
	s.Draft.Service = &svc
	o.currency(ctx, key, &s)
	d := &s.Draft
	d.Link, d.Quantity, d.Comments = from.Link, from.Quantity, from.Comments
	if svc.Dripfeed && from.Runs > 0 {
		d.Runs, d.Interval = from.Runs, from.Interval
	}
	for k, v := range from.Extra {
		d.set(k, v)
	}
	if err := move(ctx, &s, evChoose); err != nil {
		return s, Screen{}, err
	}
	sc, err := o.refill(ctx, key, &s)
	return s, sc, err
}

// refill walks the fields being asked with the values the draft already
// holds, each checked as if typed, up to the summary; it stops at the
// first field that lacks a value or whose value no longer fits.
func (o *Order) refill(ctx context.Context, key string, s *Session) (Screen, error) {
	for range len(everyStep) {
		if s.State == StateConfirm {
			return o.summary(ctx, key, s)
		}
		_, f, ok := asking(*s)
		if !ok {
			break
		}
		v := s.Draft.value(f.Name)
		if v == "" && !f.Optional {
			return o.prompt(*s), nil
		}
		if v != "" {
			parsed, problem := f.parse(o.fieldCtx(*s), v)
			if problem.ID != "" {
				return withError(o.prompt(*s), problem), nil
			}
			s.Draft.set(f.Name, parsed)
		}
		if err := move(ctx, s, evNext); err != nil {
			return Screen{}, err
		}
	}
	return o.current(ctx, key, s)
}
