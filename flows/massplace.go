package flows

import (
	"context"
	"errors"
	"fmt"
	"maps"
)

// The outcomes of a line of a confirmed mass order.
const (
	LineWaiting = ""         // not sent yet
	LineSending = "sending"  // sent, no answer recorded yet
	LinePlaced  = "placed"   // the panel took it
	LineRefused = "refused"  // the panel refused it
	LineUnknown = "unknown"  // sent, the outcome is not known
	LineNotSent = "not_sent" // never sent: placing was cut short
)

// MassLedger is the durable record of a mass order's placing: the guard
// that makes Confirm place once, and what became of each line, written
// before and after each line is sent so that a crash leaves the truth.
type MassLedger interface {
	// BeginMass moves the chat's mass order of this version from confirm
	// to placing, with the orders to place (all waiting), in one
	// transaction. It returns ErrAlreadyPlacing when another tap got there
	// first and ErrStale when the version is not current.
	BeginMass(ctx context.Context, chatID, version int64, orders []MassOrder) error
	// MassSending records that order i is about to be sent.
	MassSending(ctx context.Context, chatID int64, i int) error
	// MassPlaced records order i placed, and the order in the history.
	MassPlaced(ctx context.Context, chatID int64, i int, p Placed) error
	// MassFailed records order i refused (why) or its outcome unknown.
	MassFailed(ctx context.Context, chatID int64, i int, unknown bool, why Msg) error
	// EndMass ends the placing: a line left sending is unknown, one left
	// waiting not sent. It returns every line's outcome.
	EndMass(ctx context.Context, chatID int64) ([]MassOutcome, error)
}

// MassOutcome is what became of one line of a confirmed mass order.
type MassOutcome struct {
	N       int
	Link    string
	Status  string // LinePlaced, LineRefused, ...
	OrderID int64
	Reason  Msg // refused: why
}

// Progress is told, after each line, how placing goes.
type Progress func(MassScreen)

// Place places each valid line once, in order, as Confirm asks. The
// lines are validated again against the catalogue of now; the ledger's
// guard makes a second Confirm (or a second process) do nothing. Each
// line is recorded as sending before add is called and with its outcome
// after; add is never retried. When ctx ends, no further line is sent.
func (m *Mass) Place(ctx context.Context, key string, s *MassSession, l MassLedger, progress Progress) (MassScreen, error) {
	if s.State != MassConfirm {
		return massNotice("menu.expired"), nil
	}
	cat, err := m.Panel.Catalogue(ctx, key)
	if err != nil {
		return MassScreen{Lines: []Msg{Explain(err)}, Buttons: [][]Button{{btn("btn.retry", "r"), btn("btn.cancel", "x")}}}, nil
	}
	orders := CheckMass(cat, s.Lines, m.now()).Orders
	if len(orders) == 0 {
		return massNotice("mass.nothing_valid"), nil
	}
	if err := l.BeginMass(ctx, s.ChatID, s.Version, orders); err != nil {
		switch {
		case errors.Is(err, ErrAlreadyPlacing):
			return massNotice("mass.already_placing"), nil
		case errors.Is(err, ErrStale):
			return massNotice("menu.expired"), nil
		}
		return MassScreen{}, fmt.Errorf("begin mass order: %w", err)
	}
	if err := massMove(ctx, s, massPlace); err != nil {
		return MassScreen{}, err
	}
	perr := m.send(ctx, key, s.ChatID, orders, l, progress)
	sc, err := m.End(context.WithoutCancel(ctx), s, l)
	return sc, errors.Join(perr, err)
}

// send sends the orders one by one until all are sent, ctx ends or the
// record cannot be written (the line in hand is then left sending: its
// outcome reads as unknown, never as not sent).
func (m *Mass) send(ctx context.Context, key string, chatID int64, orders []MassOrder, l MassLedger, progress Progress) error {
	rec := context.WithoutCancel(ctx) // an answer received is recorded, stopping or not
	var tally [3]int                  // placed, refused, unknown
	for i, o := range orders {
		if ctx.Err() != nil {
			return nil // the rest are not sent
		}
		if err := l.MassSending(ctx, chatID, i); err != nil {
			return fmt.Errorf("mass line %d: %w", o.N, err)
		}
		id, err := m.Panel.Add(ctx, key, o.Draft.request())
		var rerr error
		switch {
		case err == nil:
			tally[0]++
			d := o.Draft
			rerr = l.MassPlaced(rec, chatID, i, Placed{ChatID: chatID, OrderID: id, Service: *d.Service, Link: d.Link,
				Quantity: d.Quantity, Comments: d.Comments, Runs: d.Runs, Interval: d.Interval, Extra: maps.Clone(d.Extra),
				Price: o.Price, Created: m.now()})
		case certainlyRefused(err):
			tally[1]++
			rerr = l.MassFailed(rec, chatID, i, false, Explain(err))
		default:
			tally[2]++
			rerr = l.MassFailed(rec, chatID, i, true, Msg{})
		}
		if rerr != nil {
			return fmt.Errorf("record mass line %d: %w", o.N, rerr)
		}
		if progress != nil {
			progress(MassScreen{Lines: []Msg{M("mass.progress", "Done", i+1, "Total", len(orders),
				"Placed", tally[0], "Refused", tally[1], "Unknown", tally[2])}})
		}
	}
	return nil
}

// End ends a placing mass order (one that Place finished, or one a crash
// left placing) and shows every line's outcome.
func (m *Mass) End(ctx context.Context, s *MassSession, l MassLedger) (MassScreen, error) {
	outcomes, err := l.EndMass(ctx, s.ChatID)
	if err != nil {
		return MassScreen{Lines: []Msg{M("mass.not_recorded")}}, fmt.Errorf("end mass order: %w", err)
	}
	if err := massMove(ctx, s, massPlaced); err != nil {
		return MassScreen{}, err
	}
	s.Lines, s.MenuID = nil, 0
	return MassResult(outcomes), nil
}

// MassResult shows each line's outcome: its order id, the panel's
// refusal, an unknown outcome, or not sent.
func MassResult(outcomes []MassOutcome) MassScreen {
	var n [4]int // placed, refused, unknown, not sent
	var items []MassItem
	for _, o := range outcomes {
		link := Shorten(o.Link, 40)
		switch o.Status {
		case LinePlaced:
			n[0]++
			items = append(items, MassItem{Line: M("mass.result_placed", "N", o.N, "ID", o.OrderID, "Link", link)})
		case LineRefused:
			n[1]++
			items = append(items, MassItem{Line: M("mass.result_refused", "N", o.N, "Link", link), Reason: o.Reason})
		case LineUnknown, LineSending:
			n[2]++
			items = append(items, MassItem{Line: M("mass.result_unknown", "N", o.N, "Link", link)})
		default:
			n[3]++
			items = append(items, MassItem{Line: M("mass.result_not_sent", "N", o.N, "Link", link)})
		}
	}
	sc := MassScreen{Lines: []Msg{M("mass.result_title", "Placed", n[0], "Refused", n[1], "Unknown", n[2], "NotSent", n[3])},
		Items: items}
	if n[2] > 0 {
		sc.Foot = append(sc.Foot, M("mass.result_unknown_hint"))
	}
	if n[3] > 0 {
		sc.Foot = append(sc.Foot, M("mass.result_not_sent_hint"))
	}
	if n[0] > 0 {
		sc.Foot = append(sc.Foot, M("mass.result_tracked"))
	}
	return sc
}
