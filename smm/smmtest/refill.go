package smmtest

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Refill is a refill as the panel knows it. Status is as of the panel's
// clock when the Refill was read.
type Refill struct {
	ID      int64
	Order   int64
	Key     string
	Status  string
	Created time.Time
}

// refill is a requested refill; its Status is used only when pinned.
type refill struct {
	Refill
	pinned bool
}

// refillView returns r as of now: Pending for one step, then Completed.
// Caller holds p.mu.
func (p *Panel) refillView(r *refill) Refill {
	v := r.Refill
	if !r.pinned {
		v.Status = statusPending
		if p.now().Sub(r.Created) >= p.step {
			v.Status = statusCompleted
		}
	}
	return v
}

// requestRefill refills key's order t when its service allows refills and
// the order is Completed or Partial. It returns the refill id, or the
// panel's error text. Caller holds p.mu.
func (p *Panel) requestRefill(key string, t idToken) (int64, string) {
	o, ok := p.owned(key, t)
	if !ok {
		return 0, msgIncorrectOrder
	}
	status := p.view(o).Status
	if !o.refill || !strings.EqualFold(status, statusCompleted) && !strings.EqualFold(status, statusPartial) {
		return 0, msgRefillNotAllowed
	}
	r := &refill{Refill: Refill{ID: p.nextRefill, Order: o.ID, Key: key, Created: p.now()}}
	p.nextRefill++
	p.refills[r.ID] = r
	return r.ID, ""
}

// refillJSON is one entry of a batch refill reply.
type refillJSON struct {
	Order  any `json:"order"`
	Refill any `json:"refill"`
}

// singleRefillJSON is the reply to a one-order refill.
type singleRefillJSON struct {
	Refill any `json:"refill"`
}

// refill is the refill action: orders (a batch) or order (one). Caller
// holds p.mu.
func (p *Panel) refill(key string, form url.Values) any {
	if p.dialect.NoRefill {
		return rawBody("null")
	}
	if form.Has("orders") {
		ids, ok := splitIDs(form.Get("orders"))
		if !ok {
			return errorReply(msgIncorrectRequest)
		}
		out := make([]refillJSON, 0, len(ids))
		for _, t := range ids {
			item := refillJSON{Order: p.field(t)}
			if id, msg := p.requestRefill(key, t); msg != "" {
				item.Refill = errorReply(msg)
			} else {
				item.Refill = p.integer(id, false)
			}
			out = append(out, item)
		}
		return out
	}
	if !form.Has("order") {
		return errorReply(msgIncorrectRequest)
	}
	id, msg := p.requestRefill(key, parseID(form.Get("order")))
	if msg != "" {
		return errorReply(msg)
	}
	return singleRefillJSON{Refill: p.integer(id, true)}
}

// refillStatusJSON is one entry of a batch refill_status reply.
type refillStatusJSON struct {
	Refill any `json:"refill"`
	Status any `json:"status"`
}

// singleRefillStatusJSON is the reply to a one-refill refill_status.
type singleRefillStatusJSON struct {
	Status any `json:"status"`
}

// ownedRefill finds a refill of key by id. Caller holds p.mu.
func (p *Panel) ownedRefill(key string, t idToken) (*refill, bool) {
	r, ok := p.refills[t.id]
	if !t.ok || !ok || r.Key != key {
		return nil, false
	}
	return r, true
}

// refillStatus is the refill_status action: refills (a batch) or refill
// (one). Caller holds p.mu.
func (p *Panel) refillStatus(key string, form url.Values) any {
	if p.dialect.NoRefill {
		return rawBody("null")
	}
	if form.Has("refills") {
		ids, ok := splitIDs(form.Get("refills"))
		if !ok || p.dialect.NoBatchRefillStatus {
			return errorReply(msgIncorrectRequest)
		}
		out := make([]refillStatusJSON, 0, len(ids))
		for _, t := range ids {
			item := refillStatusJSON{Refill: p.field(t), Status: errorReply(msgRefillNotFound)}
			if r, ok := p.ownedRefill(key, t); ok {
				item.Status = p.nestedRefill(p.refillView(r).Status)
			}
			out = append(out, item)
		}
		return out
	}
	if !form.Has("refill") {
		return errorReply(msgIncorrectRequest)
	}
	r, ok := p.ownedRefill(key, parseID(form.Get("refill")))
	if !ok {
		return errorReply(msgRefillNotFound)
	}
	return singleRefillStatusJSON{Status: p.nestedRefill(p.refillView(r).Status)}
}

// SetRefillStatus pins refill id's status: it no longer progresses on the
// clock. An unknown id is ignored.
func (p *Panel) SetRefillStatus(id int64, status string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.refills[id]; ok {
		r.pinned, r.Status = true, status
	}
}

// Refills returns key's refills, oldest first, as of the panel's clock.
func (p *Panel) Refills(key string) []Refill {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Refill
	for _, r := range p.refills {
		if r.Key == key {
			out = append(out, p.refillView(r))
		}
	}
	slices.SortFunc(out, func(a, b Refill) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
