package smmtest

import (
	"net/url"
	"slices"
)

// The actions of API.md.
const (
	actionServices     = "services"
	actionAdd          = "add"
	actionStatus       = "status"
	actionRefill       = "refill"
	actionRefillStatus = "refill_status"
	actionCancel       = "cancel"
	actionBalance      = "balance"
)

func knownAction(action string) bool {
	switch action {
	case actionServices, actionAdd, actionStatus, actionRefill,
		actionRefillStatus, actionCancel, actionBalance:
		return true
	}
	return false
}

// counters is what the panel has seen since New or ResetCounters.
type counters struct {
	perAction         map[string]int
	statusCalls       [][]int64
	refillStatusCalls [][]int64
	unknown           []string
}

func newCounters() counters {
	return counters{perAction: make(map[string]int)}
}

// record notes a request, before any fault or check, and takes the queued
// fault that hits it, if any.
func (p *Panel) record(action string, form url.Values) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := &p.counters
	c.perAction[action]++
	switch {
	case !knownAction(action):
		c.unknown = append(c.unknown, action)
	case action == actionStatus:
		c.statusCalls = append(c.statusCalls, requestedIDs(form, "orders", "order"))
	case action == actionRefillStatus:
		c.refillStatusCalls = append(c.refillStatusCalls, requestedIDs(form, "refills", "refill"))
	}
	return p.takeFault(action)
}

// requestedIDs lists the well-formed ids of a request, from its list field
// when present, else from its single field. Malformed entries are left out.
func requestedIDs(form url.Values, listField, oneField string) []int64 {
	var raw []idToken
	if form.Has(listField) {
		raw, _ = splitIDs(form.Get(listField))
	} else if form.Has(oneField) {
		raw = []idToken{parseID(form.Get(oneField))}
	}
	ids := make([]int64, 0, len(raw))
	for _, t := range raw {
		if t.ok {
			ids = append(ids, t.id)
		}
	}
	return ids
}

// Count reports how many requests of an action the panel has seen,
// including refused and faulted ones. Requests that were not POST are not
// counted.
func (p *Panel) Count(action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counters.perAction[action]
}

// StatusCalls lists the order ids of each status request, in order,
// refused and faulted ones included; a single-order call is a list of one
// id. Malformed ids are left out.
func (p *Panel) StatusCalls() [][]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return cloneCalls(p.counters.statusCalls)
}

// RefillStatusCalls lists the refill ids of each refill_status request
// as StatusCalls does for status.
func (p *Panel) RefillStatusCalls() [][]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return cloneCalls(p.counters.refillStatusCalls)
}

// Unknown lists the unknown actions seen, in order ("" for a request
// without one). They are answered {"error": "Incorrect request"}.
func (p *Panel) Unknown() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.counters.unknown)
}

// ResetCounters forgets what Count, StatusCalls, RefillStatusCalls and
// Unknown report. Orders, keys and faults stay.
func (p *Panel) ResetCounters() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counters = newCounters()
}

func cloneCalls(calls [][]int64) [][]int64 {
	out := make([][]int64, len(calls))
	for i, c := range calls {
		out[i] = slices.Clone(c)
	}
	return out
}
