package track

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// pollOrders asks the panel for the status of a key's orders and records
// the changes, one chunk of Batch orders at a time: a chunk's answer
// is recorded before the next is asked for, so a failure part way keeps
// what was learnt before it.
func (p *Poller) pollOrders(ctx context.Context, key, ref string, ids []int64) (Stats, error) {
	ids = p.keys.awake(ref, ids)
	st := Stats{Orders: len(ids)}
	for chunk := range slices.Chunk(ids, p.cfg.Limits.Batch) {
		res, err := p.cfg.Panel.Statuses(ctx, key, chunk)
		if err != nil {
			return st, err
		}
		var answered, failed []int64
		for _, id := range chunk {
			r, ok := res[id]
			switch {
			case !ok:
			case r.Err == nil || errors.Is(r.Err, smm.ErrUnknownOrder):
				answered = append(answered, id)
			default:
				failed = append(failed, id)
			}
		}
		stalled := p.keys.count(ref, false, answered, failed)
		same := map[int64]bool{} // by id: the callback may run again in a shared commit
		n, err := p.cfg.Store.UpdateOrders(ctx, ref, chunk, func(o *store.Order) (bool, []byte, error) {
			r, ok := res[o.PanelID]
			if !ok {
				return false, nil, nil
			}
			same[o.PanelID] = r.Err == nil && !knownWord(r.Status.Status) && strings.EqualFold(r.Status.Status, o.Status)
			changed, note := orderChange(o, r, stalled[o.PanelID])
			return changed, note, nil
		})
		st.Changes += n
		if err != nil {
			return st, fmt.Errorf("record order statuses: %w", err)
		}
		p.keys.settle(ref, same)
		p.gaveUp(ref, "orders", stalled, &st)
	}
	return st, nil
}

// orderChange applies the panel's answer to an order: whether the order
// changed, and the notification to send (nil for none). stalled says the
// order's error has lasted MaxItemFailures cycles.
func orderChange(o *store.Order, r smm.StatusResult, stalled bool) (bool, []byte) {
	if o.Final || o.Gone {
		return false, nil
	}
	if r.Err != nil {
		note := Note{Order: o.PanelID, KeyRef: o.KeyRef, Name: o.Service.Name, Old: shownStatus(*o)}
		switch {
		case errors.Is(r.Err, smm.ErrUnknownOrder):
			note.Kind = KindGone
		case stalled:
			note.Kind = KindStalled
		default:
			return false, nil
		}
		o.Gone = true // no longer tracked
		return true, note.Encode()
	}
	s := r.Status
	statusChanged := !strings.EqualFold(strings.TrimSpace(s.Status), strings.TrimSpace(o.Status))
	n := *o
	ApplyStatus(&n, s)
	if !statusChanged && n.Remains == o.Remains && n.StartCount == o.StartCount && n.Charge.Equal(o.Charge) {
		return false, nil
	}
	old := shownStatus(*o)
	ApplyStatus(o, s)
	if !statusChanged {
		return true, nil
	}
	return true, Note{Kind: KindStatus, Order: o.PanelID, KeyRef: o.KeyRef, Name: o.Service.Name,
		Old: old, New: s.Status, Remains: s.Remains, Final: o.Final}.Encode()
}

// ApplyStatus records what the panel said of an order. The order is
// Final (no longer tracked) once smm.IsFinished says so; it is no longer
// Gone, since the panel answered for it, so an order given up earlier
// (gone or stalled) is followed again after a refresh that finds it.
func ApplyStatus(o *store.Order, st smm.Status) {
	o.Status = st.Status
	if !st.Unknown.Has(smm.UnknownRemains) { // a placeholder keeps what was known
		o.Remains = st.Remains
	}
	if !st.Unknown.Has(smm.UnknownStartCount) {
		o.StartCount = st.StartCount
	}
	if !st.Unknown.Has(smm.UnknownCharge) {
		o.Charge = st.Charge
	}
	o.Final = smm.IsFinished(st.Status)
	o.Gone = false
}

// shownStatus is an order's status as the panel last said it, as the
// bot shows it.
func shownStatus(o store.Order) string {
	switch {
	case o.Gone:
		return "?"
	case o.Status == "":
		return "Pending"
	}
	return o.Status
}
