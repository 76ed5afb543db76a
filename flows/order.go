package flows

import (
	"context"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// Drip-feed bounds the bot asks within.
const (
	MinRuns     = 2
	MaxRuns     = 100
	MinInterval = 1        // minutes
	MaxInterval = 7 * 1440 // a week, in minutes
)

// choose makes svc the draft's service and asks for the link.
func (o *Order) choose(ctx context.Context, key string, s *Session, svc smm.Service) (Screen, error) {
	if svc.Input() == smm.InputUnsupported {
		sc, err := o.current(ctx, key, s)
		sc.Lines = append([]Msg{M("order.unsupported", "Name", svc.Name, "Type", svc.Type)}, sc.Lines...)
		return sc, err
	}
	s.Draft.Service = &svc
	s.Draft.Link, s.Draft.Quantity, s.Draft.Comments, s.Draft.Runs, s.Draft.Interval = "", 0, "", 0, 0
	if err := move(ctx, s, evLink); err != nil {
		return Screen{}, err
	}
	return linkPrompt(s.Draft), nil
}

func linkPrompt(d Draft) Screen {
	svc := d.Service
	lines := []Msg{M("order.chosen", "ID", svc.ID, "Name", svc.Name, "Rate", Money(svc.Rate), "Min", svc.Min, "Max", svc.Max)}
	if desc := strings.TrimSpace(svc.Description); desc != "" {
		lines = append(lines, M("order.description", "Text", Shorten(desc, 400)))
	}
	lines = append(lines, M("order.ask_link"))
	return Screen{Lines: lines, Buttons: backCancel()}
}

// takeLink checks the link and asks for what the service needs next.
func (o *Order) takeLink(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	link, problem := cleanLink(text)
	if problem != "" {
		return withError(linkPrompt(s.Draft), M(problem, "Max", maxLink)), nil
	}
	s.Draft.Link = link
	switch s.Draft.Service.Input() {
	case smm.InputComments:
		return o.ask(ctx, key, s, evComments)
	case smm.InputNone:
		s.Draft.Quantity = 0
		return o.summary(ctx, key, s)
	default:
		return o.ask(ctx, key, s, evQuantity)
	}
}

// ask moves to an input step and shows its prompt.
func (o *Order) ask(ctx context.Context, key string, s *Session, event string) (Screen, error) {
	if err := move(ctx, s, event); err != nil {
		return Screen{}, err
	}
	return prompt(*s), nil
}

// prompt is the screen of an input step.
func prompt(s Session) Screen {
	svc := s.Draft.Service
	switch s.State {
	case StateLink:
		return linkPrompt(s.Draft)
	case StateQuantity:
		rows := [][]Button{quickQuantities(svc.Min, svc.Max)}
		return Screen{Lines: []Msg{M("order.ask_quantity", "Min", svc.Min, "Max", svc.Max)}, Buttons: append(rows, backCancel()...)}
	case StateComments:
		return Screen{Lines: []Msg{M("order.ask_comments", "Min", svc.Min, "Max", svc.Max)}, Buttons: backCancel()}
	case StateRuns:
		rows := [][]Button{{btn("btn.no_dripfeed", "nd")}}
		return Screen{Lines: []Msg{M("order.ask_runs", "Min", MinRuns, "Max", MaxRuns)}, Buttons: append(rows, backCancel()...)}
	case StateInterval:
		rows := [][]Button{{{Raw: "15", Action: "i:15"}, {Raw: "60", Action: "i:60"}, {Raw: "1440", Action: "i:1440"}}}
		return Screen{Lines: []Msg{M("order.ask_interval", "Min", MinInterval, "Max", MaxInterval)}, Buttons: append(rows, backCancel()...)}
	}
	return Screen{}
}

// quickQuantities offers a few common quantities within min..max.
func quickQuantities(lo, hi int64) []Button {
	var row []Button
	add := func(n int64) {
		for _, b := range row {
			if b.Action == "q:"+strconv.FormatInt(n, 10) {
				return
			}
		}
		row = append(row, Button{Raw: strconv.FormatInt(n, 10), Action: "q:" + strconv.FormatInt(n, 10)})
	}
	add(lo)
	for _, n := range []int64{100, 1000, 5000} {
		if n > lo && n < hi && len(row) < 3 {
			add(n)
		}
	}
	if hi > lo {
		add(hi)
	}
	return row
}

// takeQuantity checks a quantity within the service's bounds.
func (o *Order) takeQuantity(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	svc := s.Draft.Service
	n, problem := parseCount(text, svc.Min, svc.Max)
	if problem != "" {
		return withError(prompt(*s), M(problem, "Min", svc.Min, "Max", svc.Max)), nil
	}
	s.Draft.Quantity = n
	return o.afterAmount(ctx, key, s)
}

// takeComments checks the comments: one a line, as many as min..max.
func (o *Order) takeComments(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	svc := s.Draft.Service
	lines, problem := cleanComments(text)
	if problem == "" && (int64(len(lines)) < svc.Min || int64(len(lines)) > svc.Max) {
		problem = "err.comment_count"
	}
	if problem == "err.comment_count" {
		return withError(prompt(*s), M(problem, "Min", svc.Min, "Max", svc.Max).WithCount(len(lines))), nil
	}
	if problem != "" {
		return withError(prompt(*s), M(problem, "Min", svc.Min, "Max", svc.Max)), nil
	}
	s.Draft.Comments = strings.Join(lines, "\n")
	s.Draft.Quantity = int64(len(lines))
	return o.afterAmount(ctx, key, s)
}

// afterAmount offers drip-feed when the service allows it, else the summary.
func (o *Order) afterAmount(ctx context.Context, key string, s *Session) (Screen, error) {
	s.Draft.Runs, s.Draft.Interval = 0, 0
	if s.Draft.Service.Dripfeed {
		return o.ask(ctx, key, s, evRuns)
	}
	return o.summary(ctx, key, s)
}

func (o *Order) takeRuns(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	n, problem := parseCount(text, MinRuns, MaxRuns)
	if problem != "" {
		return withError(prompt(*s), M(problem, "Min", MinRuns, "Max", MaxRuns)), nil
	}
	s.Draft.Runs = n
	return o.ask(ctx, key, s, evInterval)
}

func (o *Order) takeInterval(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	n, problem := parseCount(text, MinInterval, MaxInterval)
	if problem != "" {
		return withError(prompt(*s), M(problem, "Min", MinInterval, "Max", MaxInterval)), nil
	}
	s.Draft.Interval = n
	return o.summary(ctx, key, s)
}

// Cost is what a draft order costs: a Package's rate is its price; other
// services cost rate × units / 1000, drip-feed runs included.
func Cost(svc smm.Service, units int64) decimal.Decimal {
	if svc.Input() == smm.InputNone {
		return svc.Rate
	}
	return svc.Price(units)
}

// summary shows the order as it will be placed, with the balance.
func (o *Order) summary(ctx context.Context, key string, s *Session) (Screen, error) {
	if err := move(ctx, s, evReview); err != nil {
		return Screen{}, err
	}
	d := s.Draft
	price := Cost(*d.Service, d.total())
	lines := []Msg{M("order.summary_title"),
		M("order.summary_service", "ID", d.Service.ID, "Name", d.Service.Name),
		M("order.summary_link", "Link", d.Link)}
	if d.Service.Input() != smm.InputNone {
		lines = append(lines, M("order.summary_quantity", "Quantity", d.Quantity))
	}
	if d.Runs > 0 {
		lines = append(lines, M("order.summary_dripfeed", "Runs", d.Runs, "Interval", d.Interval, "Total", d.total()))
	}
	bal, err := o.Panel.Balance(ctx, key)
	switch {
	case err != nil:
		lines = append(lines, M("order.summary_price", "Price", Money(price), "Currency", ""), M("order.balance_unknown"))
	default:
		lines = append(lines, M("order.summary_price", "Price", Money(price), "Currency", bal.Currency),
			M("order.summary_balance", "Balance", Money(bal.Amount), "Currency", bal.Currency))
		if bal.Amount.LessThan(price) {
			lines = append(lines, M("order.low_balance"))
		}
	}
	return Screen{Lines: lines, Buttons: [][]Button{{btn("btn.confirm", "ok")}, {btn("btn.back", "b"), btn("btn.cancel", "x")}}}, nil
}

func backCancel() [][]Button { return [][]Button{{btn("btn.back", "b"), btn("btn.cancel", "x")}} }

// withError puts an error line above a screen.
func withError(sc Screen, problem Msg) Screen {
	sc.Lines = append([]Msg{problem}, sc.Lines...)
	return sc
}
