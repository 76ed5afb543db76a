package track

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// pollRefills asks the panel for the status of a key's refills and
// records the changes, as pollOrders does for orders. A refill has no
// "gone": "refill not found" counts as a failing cycle like any other
// per-item error.
func (p *Poller) pollRefills(ctx context.Context, key, ref string, ids []int64) (Stats, error) {
	res, perr := p.cfg.Panel.RefillStatuses(ctx, key, ids)
	var answered, failed []int64
	for _, id := range ids {
		r, ok := res[id]
		switch {
		case !ok:
		case r.Err == nil:
			answered = append(answered, id)
		default:
			failed = append(failed, id)
		}
	}
	stalled := p.keys.count(ref, true, answered, failed)
	st := Stats{Refills: len(ids), Stalled: len(stalled)}
	n, werr := p.inChunks(append(answered, failed...), func(chunk []int64) (int, error) {
		return p.cfg.Store.UpdateRefills(ctx, ref, chunk, func(r *store.Refill) (bool, []byte, error) {
			changed, note := refillChange(r, res[r.RefillID], stalled[r.RefillID])
			return changed, note, nil
		})
	})
	st.Changes = n
	if len(stalled) > 0 && werr == nil {
		p.log.Info("stopped following refills the panel keeps failing on", "key_ref", ref, "ids", keys(stalled))
	}
	if werr != nil {
		werr = fmt.Errorf("record refill statuses: %w", werr)
	}
	return st, errors.Join(perr, werr)
}

// refillChange applies the panel's answer to a refill, as orderChange
// does to an order. A stalled refill is marked Final, the store's only
// way to stop tracking a refill; its Status keeps the last word the panel
// said.
func refillChange(r *store.Refill, got smm.RefillStatusResult, stalled bool) (bool, []byte) {
	if r.Final {
		return false, nil
	}
	if got.Err != nil {
		if !stalled {
			return false, nil
		}
		r.Final = true
		return true, Note{Kind: KindStalled, Order: r.OrderID, KeyRef: r.KeyRef, Refill: r.RefillID, Old: r.Status}.Encode()
	}
	if strings.EqualFold(strings.TrimSpace(got.Status), strings.TrimSpace(r.Status)) {
		return false, nil
	}
	old := r.Status
	r.Status = got.Status
	r.Final = smm.IsRefillFinished(got.Status)
	return true, Note{Kind: KindRefill, Order: r.OrderID, KeyRef: r.KeyRef, Refill: r.RefillID,
		Old: old, New: got.Status, Final: r.Final}.Encode()
}
