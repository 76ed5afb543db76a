// Package smmtest is an SMM panel emulator: an http.Handler that speaks the
// panel API v2 of panel/API.md (form POSTs, JSON replies, errors as
// {"error": "..."} with HTTP 200). It keeps several API keys, each with its
// own balance and orders; orders and refills progress on an injectable
// clock; faults (CDN pages, empty bodies, broken JSON, delays, 429s) can be
// queued per action. It is an ordinary package, without the testing
// package, so that tests and the bot's demo mode both serve it.
//
// Where real panels differ, the emulator chooses:
//   - Requests go through, in order: the method (405 unless POST, not
//     counted), the counters, a queued fault (see Inject), the key
//     ("Invalid API key" for a missing or unknown key, whatever the
//     action), the action ("Incorrect request" for an unknown one). The key
//     travels in the POST body; one in the URL's query is not read.
//   - A Package service costs its rate flat: one package per order, and the
//     order's Quantity is 1. Quantity fields sent for it are ignored.
//   - A Custom Comments order's quantity is its number of non-blank lines of
//     comments, checked against min and max; no comments at all is
//     "Incorrect request".
//   - A drip-feed order needs both runs and interval (positive integers);
//     only one of them is "Incorrect request". The quantity is per run and
//     is checked against min and max; the order's Quantity and charge are
//     for quantity × runs. Only Default services with Dripfeed take one.
//   - An order is Pending for Step, In progress for the next Step with its
//     remains falling, then Completed. A refill is Pending for Step, then
//     Completed. SetStatus and SetRefillStatus pin a status.
//   - A cancel takes effect at once: the order becomes Canceled with
//     remains equal to its quantity and charge 0, and the charge goes back
//     to the balance.
//   - Balances, charges and rates are decimal; a rate keeps its trailing
//     zeros on the wire ("0.90"). Numeric fields follow API.md's examples
//     unless SetNumbers (or SetStringNumbers) says all strings or all
//     numbers.
//   - A batch of more than 100 ids, or of none, is "Incorrect request".
//     Malformed ids in a batch get the per-item error, keyed or labelled by
//     the text sent.
//   - Options.Dialect (or SetDialect) switches to the shapes real panels
//     use instead of API.md's (see Dialect and Dialects); Options.Latency
//     (or SetLatency) makes every request wait, as a slow panel does.
package smmtest

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

const (
	defaultStep          = 10 * time.Second
	firstOrderID         = 23501
	firstRefillID        = 7001
	maxBodyBytes         = 1 << 20
	maxIDsPerCall        = 100
	currency             = "USD"
	methodNotAllowedText = "405 method not allowed: the panel API takes POST only\n"
)

// Options configures a Panel. The zero value is ready to use.
type Options struct {
	// Now is the clock orders and refills progress on; nil means time.Now.
	Now func() time.Time
	// Services is the catalogue. Nil means DefaultServices(); an empty,
	// non-nil slice means an empty catalogue.
	Services []smm.Service
	// Step is how long an order stays in each state before Completed; zero
	// or negative means 10s.
	Step time.Duration
	// Numbers says how numeric fields go on the wire; the zero value follows
	// API.md's examples.
	Numbers Numbers
	// Dialect is the panel's deviations from API.md; the zero value has
	// none.
	Dialect Dialect
	// Latency is how long (real time) every request waits before its
	// answer; 0 = none.
	Latency time.Duration
}

// Panel is the emulated panel. Its methods are safe for concurrent use.
type Panel struct {
	now  func() time.Time
	step time.Duration

	mu         sync.Mutex
	numbers    Numbers
	services   []smm.Service
	accounts   map[string]*account
	orders     map[int64]*order
	refills    map[int64]*refill
	nextOrder  int64
	nextRefill int64
	faults     []*pendingFault
	counters   counters
	dialect    Dialect
	latency    time.Duration
	budget     map[string]*budget // RateLimit's count per key
}

// account is one API key's state.
type account struct {
	balance decimal.Decimal
	orders  []int64 // oldest first
}

// New returns a Panel with no keys; add them with AddKey.
func New(opts Options) *Panel {
	services := cloneServices(opts.Services)
	if services == nil {
		services = DefaultServices()
	}
	p := &Panel{
		now:        opts.Now,
		step:       opts.Step,
		numbers:    opts.Numbers,
		services:   services,
		accounts:   make(map[string]*account),
		orders:     make(map[int64]*order),
		refills:    make(map[int64]*refill),
		nextOrder:  firstOrderID,
		nextRefill: firstRefillID,
		counters:   newCounters(),
		dialect:    opts.Dialect,
		latency:    opts.Latency,
		budget:     make(map[string]*budget),
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.step <= 0 {
		p.step = defaultStep
	}
	return p
}

// ServeHTTP answers one panel API call.
func (p *Panel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, methodNotAllowedText, http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	parseErr := r.ParseForm()
	form := r.PostForm
	action := form.Get("action")
	f, faulted := p.record(action, form)
	if faulted && !serveFault(r.Context(), w, f) {
		return
	}
	if !p.wait(r.Context()) || p.limit(w, form.Get("key")) {
		return
	}
	var reply any
	if parseErr != nil {
		reply = errorReply(msgIncorrectRequest) // the documented shape: the form is unread
	} else {
		reply = p.act(action, form)
	}
	if faulted && f.Kind == FaultLostReply {
		writeRaw(w, http.StatusGatewayTimeout, "text/html; charset=utf-8", html504)
		return
	}
	if raw, ok := reply.(rawBody); ok {
		writeRaw(w, http.StatusOK, "application/json", string(raw))
		return
	}
	writeJSON(w, reply)
}

// act runs one action for a checked form and returns the reply to encode,
// in the panel's dialect.
func (p *Panel) act(action string, form url.Values) any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dress(p.answer(action, form))
}

// answer runs one action and returns its documented reply. Caller holds
// p.mu.
func (p *Panel) answer(action string, form url.Values) any {
	key := form.Get("key")
	acct, ok := p.accounts[key] // never has "": see AddKey
	if !ok {
		return errorReply(msgInvalidKey)
	}
	switch action {
	case actionServices:
		return p.servicesReply()
	case actionAdd:
		return p.add(key, acct, form)
	case actionStatus:
		return p.status(key, form)
	case actionRefill:
		return p.refill(key, form)
	case actionRefillStatus:
		return p.refillStatus(key, form)
	case actionCancel:
		return p.cancel(key, acct, form)
	case actionBalance:
		return p.balanceReply(acct)
	}
	return errorReply(msgIncorrectRequest)
}
