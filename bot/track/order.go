package track

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// pollOrders asks the panel for the status of a key's orders and records
// the changes. What the panel answered is recorded even when a later
// request of the batch failed.
func (p *Poller) pollOrders(ctx context.Context, key, ref string, ids []int64) (Stats, error) {
	res, perr := p.cfg.Panel.Statuses(ctx, key, ids)
	var answered, failed []int64
	for _, id := range ids {
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
	st := Stats{Orders: len(ids), Stalled: len(stalled)}
	n, werr := p.inChunks(append(answered, failed...), func(chunk []int64) (int, error) {
		return p.cfg.Store.UpdateOrders(ctx, ref, chunk, func(o *store.Order) (bool, []byte, error) {
			changed, note := orderChange(o, res[o.PanelID], stalled[o.PanelID])
			return changed, note, nil
		})
	})
	st.Changes = n
	if len(stalled) > 0 && werr == nil {
		p.log.Info("stopped following orders the panel keeps failing on", "key_ref", ref, "ids", keys(stalled))
	}
	if werr != nil {
		werr = fmt.Errorf("record order statuses: %w", werr)
	}
	return st, errors.Join(perr, werr)
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
	if !statusChanged && s.Remains == o.Remains && s.StartCount == o.StartCount && s.Charge.Equal(o.Charge) {
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
	o.Status, o.Remains, o.StartCount, o.Charge = st.Status, st.Remains, st.StartCount, st.Charge
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
