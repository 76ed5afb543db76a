package smmtest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// FaultKind is a way a panel (or the CDN in front of it) misbehaves.
type FaultKind int

const (
	// FaultHTML503 answers a CDN's HTML error page with HTTP 503.
	FaultHTML503 FaultKind = iota
	// FaultEmpty500 answers an empty body with HTTP 500.
	FaultEmpty500
	// FaultInvalidJSON answers truncated JSON with HTTP 200.
	FaultInvalidJSON
	// FaultDelay waits Fault.Delay, then answers normally. If the request's
	// context ends first, nothing is answered and nothing takes effect.
	FaultDelay
	// FaultError answers {"error": Fault.Message} with HTTP 200
	// ("Incorrect request" when Message is empty).
	FaultError
	// Fault429 answers HTTP 429 with a text body, and a Retry-After header
	// when Fault.RetryAfter is set.
	Fault429
	// FaultHTML200 answers an HTML maintenance page with HTTP 200.
	FaultHTML200
	// FaultLostReply lets the request take effect (an add places its
	// order), then answers a gateway's HTML 504 page instead of the reply:
	// the outcome the client cannot know.
	FaultLostReply
)

// Fault is a misbehaviour queued with Inject.
type Fault struct {
	Kind    FaultKind
	Action  string        // the action it hits; "" = any action
	Count   int           // how many matching requests it hits; 0 = 1
	Delay   time.Duration // FaultDelay: how long to wait before answering
	Message string        // FaultError: the {"error": Message} text
	// RetryAfter is Fault429's Retry-After header, in whole seconds rounded
	// up; zero sends none.
	RetryAfter time.Duration
}

// pendingFault is a queued fault and the hits it has left.
type pendingFault struct {
	Fault
	left int
}

// Inject queues a fault. Each request is hit by the first queued fault
// that matches its action; a fault leaves the queue after Count hits. A
// faulted request is still counted, and takes no effect (except under
// FaultLostReply and a completed FaultDelay).
func (p *Panel) Inject(f Fault) {
	left := f.Count
	if left <= 0 {
		left = 1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &pendingFault{Fault: f, left: left})
}

// ClearFaults drops every queued fault.
func (p *Panel) ClearFaults() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = nil
}

// PendingFaults reports how many queued faults have hits left.
func (p *Panel) PendingFaults() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.faults)
}

// takeFault spends one hit of the first fault matching action. Caller
// holds p.mu.
func (p *Panel) takeFault(action string) (Fault, bool) {
	for i, f := range p.faults {
		if f.Action != "" && f.Action != action {
			continue
		}
		f.left--
		if f.left == 0 {
			p.faults = append(p.faults[:i:i], p.faults[i+1:]...)
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// serveFault answers a faulted request and reports whether the request
// goes on to be handled.
func serveFault(ctx context.Context, w http.ResponseWriter, f Fault) bool {
	switch f.Kind {
	case FaultHTML503:
		writeRaw(w, http.StatusServiceUnavailable, "text/html; charset=UTF-8", html503)
	case FaultEmpty500:
		writeRaw(w, http.StatusInternalServerError, "", "")
	case FaultInvalidJSON:
		writeRaw(w, http.StatusOK, "application/json", invalidJSON)
	case FaultDelay:
		return sleep(ctx, f.Delay)
	case FaultError:
		msg := f.Message
		if msg == "" {
			msg = msgIncorrectRequest
		}
		writeJSON(w, errorReply(msg))
	case Fault429:
		if f.RetryAfter > 0 {
			secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		writeRaw(w, http.StatusTooManyRequests, "text/plain; charset=utf-8", text429)
	case FaultHTML200:
		writeRaw(w, http.StatusOK, "text/html; charset=UTF-8", html200)
	case FaultLostReply:
		return true
	default:
		writeRaw(w, http.StatusInternalServerError, "text/plain; charset=utf-8",
			fmt.Sprintf("smmtest: unknown fault kind %d\n", f.Kind))
	}
	return false
}

// sleep waits d and reports whether it did so before ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

const (
	html503 = `<!DOCTYPE html>
<html lang="en-US"><head><title>smmgulf.com | 503: Service temporarily unavailable</title>
<meta charset="UTF-8" /></head>
<body><div id="cf-wrapper"><h1>Service temporarily unavailable</h1>
<p>Error code 503</p><p>Visit <a href="https://www.cloudflare.com/5xx-error-landing">cloudflare.com</a> for more information.</p>
<span>Performance &amp; security by Cloudflare</span></div></body></html>
`
	html504 = `<!DOCTYPE html>
<html lang="en-US"><head><title>smmgulf.com | 504: Gateway time-out</title></head>
<body><h1>Gateway time-out</h1><p>Error code 504</p>
<span>Performance &amp; security by cloudflare</span></body></html>
`
	html200 = `<!DOCTYPE html>
<html><head><title>Maintenance</title></head>
<body><h1>We&rsquo;ll be back soon!</h1><p>The panel is under maintenance.</p></body></html>
`
	invalidJSON = `{"order": 23501, "status": "In progr`
	text429     = "429 Too Many Requests: rate limit exceeded, slow down\n"
)
