package smmtest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dialect switches the emulator to the ways real panels deviate from
// API.md (panel/API.md, "Dialects seen in the wild"). The zero value is
// the documented API. Switches combine.
type Dialect struct {
	// Errors is the shape of a whole-reply error.
	Errors ErrorShape
	// Wrap wraps every successful reply.
	Wrap WrapShape
	// ListStatus answers status with orders= as a list of status objects
	// carrying "order", not an object keyed by order id.
	ListStatus bool
	// NoBatchStatus refuses status with orders= as a whole ("Incorrect
	// request"); order= works.
	NoBatchStatus bool
	// NoBatchRefillStatus refuses refill_status with refills= so.
	NoBatchRefillStatus bool
	// NoRefill answers refill and refill_status with null: the panel has
	// no refills.
	NoRefill bool
	// NoCancel answers cancel with an empty body: the panel has no cancel.
	NoCancel bool
	// CancelKeyed answers cancel with an object keyed by order id:
	// "requested", or the item's {"error": ...}.
	CancelKeyed bool
	// NestedRefillStatus nests a refill's status one level:
	// {"status": {"status": "Completed"}}.
	NestedRefillStatus bool
	// Placeholders gives a Pending order's charge, start_count and
	// remains as "-", "Unknown" and "".
	Placeholders bool
	// FinalStatus is the word a finished order shows instead of
	// "Completed" ("Fail", "Error", "completed", ...); "" = Completed.
	// Only a Completed (any case) or Partial order takes a refill.
	FinalStatus string
	// RateLimit is each key's budget of requests a minute of the panel's
	// clock; past it, HTTP 429 with Retry-After to the minute's end. 0 =
	// no limit.
	RateLimit int
}

// ErrorShape is how a panel words a whole-reply error.
type ErrorShape int

const (
	// ErrorsDocumented is {"error": "..."}.
	ErrorsDocumented ErrorShape = iota
	// ErrorsStatusMessage is {"status": "error", "message": "..."}.
	ErrorsStatusMessage
	// ErrorsSuccessFalse is {"success": false, "message": "..."}.
	ErrorsSuccessFalse
)

// WrapShape is how a panel wraps a successful reply.
type WrapShape int

const (
	// WrapNone sends the reply as documented.
	WrapNone WrapShape = iota
	// WrapStatusData is {"status": "success", "data": reply}.
	WrapStatusData
	// WrapData is {"data": reply}.
	WrapData
)

// Dialects are named dialects, one switch each, for tests that run
// against every one.
func Dialects() map[string]Dialect {
	return map[string]Dialect{
		"documented":            {},
		"status-message errors": {Errors: ErrorsStatusMessage},
		"success-false errors":  {Errors: ErrorsSuccessFalse},
		"status-data wrapper":   {Wrap: WrapStatusData},
		"data wrapper":          {Wrap: WrapData},
		"list status":           {ListStatus: true},
		"no batch status":       {NoBatchStatus: true},
		"no batch refill":       {NoBatchRefillStatus: true},
		"no refill":             {NoRefill: true},
		"no cancel":             {NoCancel: true},
		"keyed cancel":          {CancelKeyed: true},
		"nested refill status":  {NestedRefillStatus: true},
		"placeholders":          {Placeholders: true},
		"final Fail":            {FinalStatus: "Fail"},
		"final error lowercase": {FinalStatus: "error"},
		"rate limit":            {RateLimit: 120},
	}
}

// DialectNames lists Dialects' names, sorted.
func DialectNames() []string {
	var names []string
	for n := range Dialects() {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// SetDialect switches the dialect from now on.
func (p *Panel) SetDialect(d Dialect) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dialect = d
	p.budget = make(map[string]*budget)
}

// SetLatency makes every request wait d (of real time) before it is
// answered, as a slow panel does; a request whose context ends first is
// not answered and takes no effect.
func (p *Panel) SetLatency(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.latency = d
}

// rawBody is a reply written as is, with HTTP 200.
type rawBody string

// dress puts a reply in the dialect's envelope. Caller holds p.mu.
func (p *Panel) dress(reply any) any {
	if e, ok := reply.(errorJSON); ok {
		switch p.dialect.Errors {
		case ErrorsStatusMessage:
			return map[string]any{"status": "error", "message": e.Error}
		case ErrorsSuccessFalse:
			return map[string]any{"success": false, "message": e.Error}
		}
		return reply
	}
	if _, raw := reply.(rawBody); raw {
		return reply
	}
	switch p.dialect.Wrap {
	case WrapStatusData:
		return map[string]any{"status": "success", "data": reply}
	case WrapData:
		return map[string]any{"data": reply}
	}
	return reply
}

// budget is one key's requests in the current minute.
type budget struct {
	minute time.Time
	used   int
}

// overBudget spends one of key's requests and, past the dialect's
// RateLimit, returns how long until the minute ends. Caller holds p.mu.
func (p *Panel) overBudget(key string) (time.Duration, bool) {
	if p.dialect.RateLimit <= 0 {
		return 0, false
	}
	now := p.now()
	minute := now.Truncate(time.Minute)
	b := p.budget[key]
	if b == nil || !b.minute.Equal(minute) {
		if len(p.budget) > 10000 {
			p.budget = make(map[string]*budget)
		}
		b = &budget{minute: minute}
		p.budget[key] = b
	}
	b.used++
	if b.used <= p.dialect.RateLimit {
		return 0, false
	}
	return minute.Add(time.Minute).Sub(now), true
}

// limit answers a request past its key's budget with a 429, and reports
// whether it did.
func (p *Panel) limit(w http.ResponseWriter, key string) bool {
	p.mu.Lock()
	wait, over := p.overBudget(key)
	p.mu.Unlock()
	if !over {
		return false
	}
	secs := int64((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
	writeRaw(w, http.StatusTooManyRequests, "application/json", `{"error": "Too many requests"}`)
	return true
}

// wait sleeps the panel's latency and reports whether the request is
// still wanted.
func (p *Panel) wait(ctx context.Context) bool {
	p.mu.Lock()
	d := p.latency
	p.mu.Unlock()
	return d <= 0 || sleep(ctx, d)
}

// finalWord is the status a finished order shows. Caller holds p.mu.
func (p *Panel) finalWord() string {
	if p.dialect.FinalStatus != "" {
		return p.dialect.FinalStatus
	}
	return statusCompleted
}

// placeholders replaces a Pending order's numbers. Caller holds p.mu.
func (p *Panel) placeholders(s *statusJSON) {
	if p.dialect.Placeholders && strings.EqualFold(s.Status, statusPending) {
		s.Charge, s.StartCount, s.Remains = "-", "Unknown", ""
	}
}

// nestedRefill renders a refill status in the dialect. Caller holds p.mu.
func (p *Panel) nestedRefill(status string) any {
	if p.dialect.NestedRefillStatus {
		return map[string]string{"status": status}
	}
	return status
}

// String names a dialect's switches, for test names and logs.
func (d Dialect) String() string {
	var parts []string
	add := func(on bool, name string) {
		if on {
			parts = append(parts, name)
		}
	}
	add(d.Errors == ErrorsStatusMessage, "status-message errors")
	add(d.Errors == ErrorsSuccessFalse, "success-false errors")
	add(d.Wrap == WrapStatusData, "status-data wrapper")
	add(d.Wrap == WrapData, "data wrapper")
	add(d.ListStatus, "list status")
	add(d.NoBatchStatus, "no batch status")
	add(d.NoBatchRefillStatus, "no batch refill status")
	add(d.NoRefill, "no refill")
	add(d.NoCancel, "no cancel")
	add(d.CancelKeyed, "keyed cancel")
	add(d.NestedRefillStatus, "nested refill status")
	add(d.Placeholders, "placeholders")
	add(d.FinalStatus != "", "final "+d.FinalStatus)
	add(d.RateLimit > 0, fmt.Sprintf("%d a minute", d.RateLimit))
	if len(parts) == 0 {
		return "documented"
	}
	return strings.Join(parts, ", ")
}
