package track

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// pollRefills asks the panel for the status of a key's refills and
// records the changes, as pollOrders does for orders. A refill has no
// "gone": "refill not found" counts as a failing cycle like any other
// per-item error.
func (p *Poller) pollRefills(ctx context.Context, key, ref string, ids []int64) (Stats, error) {
	st := Stats{Refills: len(ids)}
	for chunk := range slices.Chunk(ids, p.cfg.Limits.Batch) {
		res, err := p.cfg.Panel.RefillStatuses(ctx, key, chunk)
		if err != nil {
			return st, err
		}
		var answered, failed []int64
		for _, id := range chunk {
			if r, ok := res[id]; ok && r.Err == nil {
				answered = append(answered, id)
			} else if ok {
				failed = append(failed, id)
			}
		}
		stalled := p.keys.count(ref, true, answered, failed)
		n, err := p.cfg.Store.UpdateRefills(ctx, ref, chunk, func(r *store.Refill) (bool, []byte, error) {
			got, ok := res[r.RefillID]
			if !ok {
				return false, nil, nil
			}
			changed, note := refillChange(r, got, stalled[r.RefillID])
			return changed, note, nil
		})
		st.Changes += n
		if err != nil {
			return st, fmt.Errorf("record refill statuses: %w", err)
		}
		p.gaveUp(ref, "refills", stalled, &st)
	}
	return st, nil
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
