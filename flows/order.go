package flows

import (
	"context"
	"strings"

	"github.com/smmbot/smmbot/smm"
)

// Drip-feed bounds the bot asks within.
const (
	MinRuns     = 2
	MaxRuns     = 100
	MinInterval = 1        // minutes
	MaxInterval = 7 * 1440 // a week, in minutes
)

// summaryListRunes is where the summary cuts a list it shows.
const summaryListRunes = 300

// choose makes svc the draft's service and asks for its type's first
// field. A type the bot does not know is refused before anything is asked.
func (o *Order) choose(ctx context.Context, key string, s *Session, svc smm.Service) (Screen, error) {
	if !Orderable(svc) {
		sc, err := o.current(ctx, key, s)
		sc.Lines = append([]Msg{M("order.unsupported", "Name", svc.Name, "Type", svc.Type)}, sc.Lines...)
		return sc, err
	}
	s.Draft.Service = &svc
	s.Draft.clearFields()
	o.currency(ctx, key, s)
	return o.step(ctx, key, s, evChoose)
}

// step makes a move of the service's machine, which decides where it
// leads, and shows the step it led to: a field's prompt or the summary.
func (o *Order) step(ctx context.Context, key string, s *Session, event string) (Screen, error) {
	if err := move(ctx, s, event); err != nil {
		return Screen{}, err
	}
	if s.State == StateConfirm {
		return o.summary(ctx, key, s)
	}
	return o.prompt(*s), nil
}

// asking is the type of the draft's service and the field the session's
// state asks for.
func asking(s Session) (*ServiceType, Field, bool) {
	if s.Draft.Service == nil {
		return nil, Field{}, false
	}
	t, ok := TypeOf(*s.Draft.Service)
	if !ok {
		return nil, Field{}, false
	}
	switch s.State {
	case StateRuns:
		return t, fRuns, t.Dripfeed
	case StateInterval:
		return t, fInterval, t.Dripfeed
	}
	f, ok := t.field(s.State)
	return t, f, ok
}

func (o *Order) fieldCtx(s Session) fieldCtx {
	return fieldCtx{svc: *s.Draft.Service, d: s.Draft, now: o.now()}
}

// prompt is the screen of the field being asked: the service first when
// it is the first field, the prompt with its bounds, its quick choices,
// Skip when it is optional.
func (o *Order) prompt(s Session) Screen {
	t, f, ok := asking(s)
	if !ok {
		return Screen{Lines: []Msg{M("idle.hint")}}
	}
	c := o.fieldCtx(s)
	var lines []Msg
	if f.Name == t.Fields[0].Name {
		lines = append(lines, rateLine(c.svc, s.Draft.Currency))
		if desc := Description(c.svc.Description); desc != "" {
			lines = append(lines, M("order.description", "Text", desc))
		}
	}
	lo, hi := f.limits(c)
	lines = append(lines, M(f.Prompt(), "Min", lo, "Max", hi))
	rows := f.buttons(c)
	switch {
	case f.Optional:
		rows = append(rows, []Button{btn("btn.skip", "sk")})
	case f.Name == StateRuns:
		rows = append(rows, []Button{btn("btn.no_dripfeed", "nd")})
	}
	return Screen{Lines: lines, Buttons: append(rows, backCancel()...)}
}

// take reads what the user typed (or tapped) for the field being asked;
// a problem shows the prompt again and changes nothing.
func (o *Order) take(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	_, f, ok := asking(*s)
	if !ok {
		return o.redraw(ctx, key, s, M("order.use_buttons"))
	}
	v, problem := f.parse(o.fieldCtx(*s), text)
	if problem.ID != "" {
		return withError(o.prompt(*s), problem), nil
	}
	s.Draft.set(f.Name, v)
	if f.counts {
		s.Draft.Quantity = int64(strings.Count(v, "\n") + 1)
	}
	return o.step(ctx, key, s, evNext)
}

// skip leaves an optional field out.
func (o *Order) skip(ctx context.Context, key string, s *Session) (Screen, error) {
	_, f, ok := asking(*s)
	if !ok || !f.Optional {
		return notice("menu.expired"), nil
	}
	s.Draft.set(f.Name, "")
	return o.step(ctx, key, s, evNext)
}

// offer asks, from the summary, for an optional field it offers, or for
// drip-feed's runs; the machine refuses what the type does not offer.
func (o *Order) offer(ctx context.Context, key string, s *Session, name string) (Screen, error) {
	if name == StateRuns && !s.Draft.Service.Dripfeed || !can(*s, askEvent(name)) {
		return notice("menu.expired"), nil
	}
	return o.step(ctx, key, s, askEvent(name))
}

// summary shows the order as it will be placed, with the balance: each
// field, the quantity (per run, with the total, for a drip-feed), the
// price as the type is charged, and the options the type offers.
func (o *Order) summary(ctx context.Context, key string, s *Session) (Screen, error) {
	d := s.Draft
	t, _ := TypeOf(*d.Service)
	lines := append([]Msg{M("order.summary_title"), M("order.summary_service", "ID", d.Service.ID, "Name", d.Service.Name)},
		Details(d.Service.Type, d.Link, d.Quantity, d.Comments, d.Runs, d.Extra)...)
	if d.Runs > 0 {
		lines = append(lines, M("order.summary_dripfeed", "Runs", d.Runs, "Interval", d.Interval, "Total", Count(d.total())))
	}
	bal, err := o.Panel.Balance(ctx, key)
	if err != nil {
		lines = append(lines, priceLine(d, d.Currency), M("order.balance_unknown"))
	} else {
		s.Draft.Currency = bal.Currency
		lines = append(lines, priceLine(d, bal.Currency),
			M("order.summary_balance", "Balance", Money(bal.Amount, bal.Currency)))
		if p, known := d.price(); known && bal.Amount.LessThan(p) {
			lines = append(lines, M("order.low_balance"))
		}
	}
	rows := [][]Button{{btn("btn.confirm", "ok")}}
	if t.dripfeed(*d.Service) {
		rows = append(rows, []Button{btn("btn.dripfeed", "df")})
	}
	for _, f := range t.extras() {
		rows = append(rows, []Button{btn("btn.opt_"+f.Name, "o:"+f.Name)})
	}
	return Screen{Lines: lines, Buttons: append(rows, []Button{btn("btn.back", "b"), btn("btn.cancel", "x")})}, nil
}

// Details are the lines that show an order's fields as its type asks for
// them, in the table's order: the summary's, and a receipt's or a card's
// (from what the order was placed with). A type the bot does not know
// shows its link, quantity and extra fields as they are.
func Details(typ, link string, quantity int64, comments string, runs int64, extra map[string]string) []Msg {
	d := Draft{Link: link, Quantity: quantity, Comments: comments, Runs: runs, Extra: extra}
	t, ok := TypeOf(smm.Service{Type: typ})
	if !ok {
		t = &ServiceType{Fields: []Field{fLink, fQuantity}}
	}
	var lines []Msg
	for _, f := range t.Fields {
		v := d.value(f.Name)
		switch {
		case v == "":
		case f.Name == fieldQuantity:
			lines = append(lines, quantityLine(d))
		case f.kind == kindList:
			items := strings.Split(v, "\n")
			lines = append(lines, M("order.summary_"+f.Name, "Count", len(items),
				"Value", Shorten(strings.Join(items, ", "), summaryListRunes)))
			if f.counts {
				lines = append(lines, quantityLine(d))
			}
		default:
			lines = append(lines, M("order.summary_"+f.Name, "Value", v))
		}
	}
	return lines
}

func quantityLine(d Draft) Msg {
	if d.Runs > 0 {
		return M("order.summary_quantity_run", "Quantity", Count(d.Quantity))
	}
	return M("order.summary_quantity", "Quantity", Count(d.Quantity))
}

func backCancel() [][]Button { return [][]Button{{btn("btn.back", "b"), btn("btn.cancel", "x")}} }

// withError puts an error line above a screen.
func withError(sc Screen, problem Msg) Screen {
	sc.Lines = append([]Msg{problem}, sc.Lines...)
	return sc
}
