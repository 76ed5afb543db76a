package flows

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// BulkPanel is what the bulk actions need of the panel.
type BulkPanel interface {
	Refills(ctx context.Context, key string, orders []int64) (map[int64]smm.RefillResult, error)
	Cancel(ctx context.Context, key string, orders []int64) (map[int64]error, error)
}

// BulkBook is what the bulk actions need of the store: the key each order
// was placed with, and a record of every refill (so it is followed).
type BulkBook interface {
	Key(ctx context.Context, ref string) (string, error)
	PutRefill(ctx context.Context, r store.Refill) error
}

// Bulk limits.
const (
	// BulkBatch is the most order ids one panel request carries.
	BulkBatch = 100
	// maxBulk bounds the orders one bulk action reads and acts on.
	maxBulk = 5000
)

// The kinds of bulk action, as they go in callback data.
const (
	BulkRefill = "r"
	BulkCancel = "c"
)

// bulkButton is the bulk action a filter's list offers: "Refill all" for
// finished orders, "Cancel all" for unfinished ones, where the panel
// offers them.
func bulkButton(f store.Filter, counts store.Counts, offers Offers) (Button, bool) {
	if counts.Of(f) == 0 {
		return Button{}, false
	}
	switch {
	case (f == store.FilterCompleted || f == store.FilterPartial) && !offers.NoRefill:
		return dataBtn("btn.refill_all", VerbAskBulk+":"+BulkRefill+":"+FilterCode(f)), true
	case f == store.FilterActive && !offers.NoCancel:
		return dataBtn("btn.cancel_all", VerbAskBulk+":"+BulkCancel+":"+FilterCode(f)), true
	}
	return Button{}, false
}

// ParseBulk reads the arguments of a bulk button, "KIND:F".
func ParseBulk(arg string) (kind string, f store.Filter, ok bool) {
	kind, code, _ := strings.Cut(arg, ":")
	f, ok = ParseFilterCode(code)
	return kind, f, ok && (kind == BulkRefill || kind == BulkCancel)
}

// AskedBulk records in the session that the bulk action arg ("KIND:F")
// was asked about: its Confirm may act.
func AskedBulk(s *Session, arg string) {
	v := ListView{}
	if s.Draft.List != nil {
		v = *s.Draft.List
	}
	v.Ask = arg
	s.Draft.List = &v
}

// ConfirmBulk reports whether a Confirm of the bulk action arg answers
// the question the session holds, and takes the question away, so that a
// second tap (or a tap on an older question) does not act again.
func ConfirmBulk(s *Session, arg string) bool {
	if s.Draft.List == nil || s.Draft.List.Ask == "" || s.Draft.List.Ask != arg {
		return false
	}
	v := *s.Draft.List
	v.Ask = ""
	s.Draft.List = &v
	return true
}

// candidates are the orders of filter f that the action applies to:
// refillable or cancellable ones, newest first, at most maxBulk read.
func (h *History) candidates(ctx context.Context, chatID int64, f store.Filter, kind string) ([]store.Order, error) {
	fits := func(o store.Order) bool { return Refillable(h.Offers.Apply(o)) }
	if kind == BulkCancel {
		fits = func(o store.Order) bool { return Cancellable(h.Offers.Apply(o)) }
	}
	var out []store.Order
	cur := store.Cursor{}
	for read := 0; read < maxBulk; {
		p, err := h.Book.FilterOrders(ctx, chatID, f, cur, BulkBatch)
		if err != nil {
			return nil, fmt.Errorf("list orders for a bulk action: %w", err)
		}
		for _, o := range p.Orders {
			if fits(o) {
				out = append(out, o)
			}
		}
		read += len(p.Orders)
		if p.Next.IsZero() || len(p.Orders) == 0 {
			break
		}
		cur = p.Next
	}
	return out, nil
}

// AskBulk asks before a bulk action, with the number of orders it will
// act on; when none fits, it says so.
func (h *History) AskBulk(ctx context.Context, chatID int64, kind string, f store.Filter) (Screen, error) {
	list, err := h.candidates(ctx, chatID, f, kind)
	if err != nil {
		return Screen{}, err
	}
	back := []Button{dataBtn("btn.back", VerbList)}
	if len(list) == 0 {
		return Screen{Lines: []Msg{M("bulk.none_" + kind)}, Buttons: [][]Button{back}}, nil
	}
	yes := dataBtn("btn.confirm_bulk", VerbBulk+":"+kind+":"+FilterCode(f), "Count", len(list))
	return Screen{Lines: []Msg{M("bulk.ask_"+kind, "Filter", M("filter."+f.String())).WithCount(len(list))},
		Buttons: [][]Button{{yes}, back}}, nil
}

// RunBulk acts on every order of filter f the action applies to now, in
// requests of at most BulkBatch ids per key, and says how many the panel
// accepted and why it refused each other one. Each refill accepted is
// recorded, so it is followed and notified like a single one.
func (h *History) RunBulk(ctx context.Context, chatID int64, kind string, f store.Filter) (Screen, error) {
	list, err := h.candidates(ctx, chatID, f, kind)
	if err != nil {
		return Screen{}, err
	}
	refused := map[int64]error{}
	accepted := 0
	for ref, ids := range byKey(list) {
		key, err := h.Bulk.Key(ctx, ref)
		if err != nil {
			for _, id := range ids {
				refused[id] = err
			}
			continue
		}
		for chunk := range slices.Chunk(ids, BulkBatch) {
			n, err := h.act(ctx, chatID, kind, key, ref, chunk, refused)
			accepted += n
			if err != nil {
				return Screen{}, err
			}
		}
	}
	return bulkResult(kind, accepted, len(list), refused), nil
}

// act sends one request of the bulk action and sorts its answers. Only a
// failure to record a refill is an error.
func (h *History) act(ctx context.Context, chatID int64, kind, key, ref string, ids []int64, refused map[int64]error) (int, error) {
	accepted := 0
	if kind == BulkCancel {
		res, err := h.Panel.Cancel(ctx, key, ids)
		for _, id := range ids {
			e, ok := res[id]
			switch {
			case !ok && err != nil:
				refused[id] = err
			case !ok:
				refused[id] = notInReply
			case e != nil:
				refused[id] = e
			default:
				accepted++
			}
		}
		return accepted, nil
	}
	res, err := h.Panel.Refills(ctx, key, ids)
	for _, id := range ids {
		r, ok := res[id]
		switch {
		case !ok && err != nil:
			refused[id] = err
		case !ok:
			refused[id] = notInReply
		case r.Err != nil:
			refused[id] = r.Err
		default:
			accepted++
			rec := store.Refill{ChatID: chatID, KeyRef: ref, RefillID: r.Refill, OrderID: id, Status: "Pending"}
			if err := h.Bulk.PutRefill(ctx, rec); err != nil {
				return accepted, fmt.Errorf("record refill %d: %w", r.Refill, err)
			}
		}
	}
	return accepted, nil
}

// byKey groups order ids by the key they were placed with.
func byKey(list []store.Order) map[string][]int64 {
	out := map[string][]int64{}
	for _, o := range list {
		out[o.KeyRef] = append(out[o.KeyRef], o.PanelID)
	}
	return out
}

// maxReasons bounds the refusal reasons a bulk result lists, so that it
// fits a message.
const maxReasons = 8

// bulkResult says how many of n the panel accepted, and each refusal's
// reason, the orders with the same reason together (in order of their
// lowest id; past maxReasons, only how many more were refused).
func bulkResult(kind string, accepted, n int, refused map[int64]error) Screen {
	lines := []Msg{M("bulk.done_"+kind, "Accepted", accepted).WithCount(n)}
	type group struct {
		reason Msg
		ids    []int64
	}
	byReason := map[string]*group{}
	var groups []*group
	for _, id := range slices.Sorted(maps.Keys(refused)) {
		m := ActionProblem(refused[id])
		k := fmt.Sprint(m.ID, m.Args)
		g, ok := byReason[k]
		if !ok {
			g = &group{reason: m}
			byReason[k] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, id)
	}
	more := 0
	for i, g := range groups {
		if i >= maxReasons {
			more += len(g.ids)
			continue
		}
		text := make([]string, len(g.ids))
		for j, id := range g.ids {
			text[j] = strconv.FormatInt(id, 10)
		}
		lines = append(lines, M("bulk.refused", "IDs", Shorten(strings.Join(text, ", "), 300)).WithCount(len(g.ids)), g.reason)
	}
	if more > 0 {
		lines = append(lines, M("bulk.refused_more").WithCount(more))
	}
	return Screen{Lines: lines, Buttons: [][]Button{{dataBtn("btn.orders", VerbList)}}}
}

// ActionProblem words a failed refill or cancel; an unknown outcome is
// said as such, since neither is ever retried.
func ActionProblem(err error) Msg {
	if errors.Is(err, smm.ErrUnknownOutcome) {
		return M("card.action_unknown")
	}
	if errors.Is(err, smm.ErrNotAllowed) {
		return M("card.not_allowed")
	}
	return Explain(err)
}

// notInReply is an order a bulk reply left out: the panel may have acted.
var notInReply = fmt.Errorf("%w: %w", smm.ErrUnknownOutcome, smm.ErrNotInReply)
