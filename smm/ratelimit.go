package smm

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Pacing defaults: one panel documents a budget of 120 requests a minute.
const (
	defaultPerMinute     = 120
	defaultInFlight      = 3
	minInFlight          = 2
	maxInFlight          = 4
	defaultRateLimitWait = 30 * time.Second
	maxRetryAfter        = time.Hour
	idleKey              = 10 * time.Minute // a key's pace is forgotten after this long unused
	minSlow              = 1.0 / 8          // a key is never slowed below 1/8 of its pace
)

// RateLimitError is a request the panel refused for its request budget
// (HTTP 429, or a message that says so), or a poll the client held back
// because the panel asked it to wait for that key. It matches
// ErrRateLimited; RetryAfter says how long to wait.
type RateLimitError struct {
	Action string
	// Wait is the panel's Retry-After (seconds or an HTTP date), or
	// Options.RateLimitWait when it sent none; what is left of it when
	// the request was held back.
	Wait time.Duration
	// Err is the panel's reply (an *APIError or a *ResponseError); nil when
	// the client held the request back without sending it.
	Err error
}

func (e *RateLimitError) Error() string {
	s := fmt.Sprintf("panel: rate limited (%s), retry after %s", e.Action, e.Wait.Round(time.Second))
	if e.Err == nil {
		return s + " (not sent)"
	}
	return s + ": " + strings.TrimPrefix(e.Err.Error(), "panel: ")
}

// RetryAfter returns how long the panel asked the client to wait.
func (e *RateLimitError) RetryAfter() time.Duration { return e.Wait }

// Unwrap returns the panel's reply, if any.
func (e *RateLimitError) Unwrap() error { return e.Err }

// Is matches ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
// It reports false for a missing or unreadable one; the wait is at most
// maxRetryAfter.
func parseRetryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(h, 64); err == nil {
		if secs != secs || secs < 0 { // NaN or negative
			return 0, false
		}
		d = time.Duration(min(secs, maxRetryAfter.Seconds()) * float64(time.Second))
	} else if t, err := http.ParseTime(h); err == nil {
		d = max(t.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

// pacer spaces one key's polls (status and refill_status requests one id
// at a time, and batches too after a 429) to the panel's budget, and
// holds them back while the panel asked that key to wait. Each key has
// its own pace: one key's wait never stops another's.
type pacer struct {
	rate  float64 // requests a second at full pace
	burst float64

	mu        sync.Mutex
	keys      map[string]*keyPace
	lastSweep time.Time
}

// keyPace is a token bucket; slow scales its rate after a 429.
type keyPace struct {
	tokens float64
	last   time.Time // tokens is as of last
	until  time.Time // the panel asked to wait until then
	slow   float64
}

func newPacer(perMinute int) *pacer {
	if perMinute <= 0 {
		perMinute = defaultPerMinute
	}
	rate := float64(perMinute) / 60
	return &pacer{rate: rate, burst: max(1, float64(perMinute)/6), keys: make(map[string]*keyPace)}
}

// state returns key's pace, made full; p.mu is held. Paces unused for
// idleKey are dropped, at most once a minute, so the map shrinks.
func (p *pacer) state(key string, now time.Time) *keyPace {
	if now.Sub(p.lastSweep) >= time.Minute {
		p.lastSweep = now
		for k, s := range p.keys {
			if now.Sub(s.last) >= idleKey && !now.Before(s.until) {
				delete(p.keys, k)
			}
		}
	}
	s := p.keys[key]
	if s == nil {
		s = &keyPace{tokens: p.burst, last: now, slow: 1}
		p.keys[key] = s
	}
	elapsed := now.Sub(s.last).Seconds()
	if elapsed > 0 {
		s.tokens = min(p.burst, s.tokens+elapsed*p.rate*s.slow)
		s.last = now
	}
	return s
}

// held returns a *RateLimitError while the panel's wait for key lasts.
func (p *pacer) held(key, action string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	s := p.keys[key]
	if s == nil || !now.Before(s.until) {
		return nil
	}
	return &RateLimitError{Action: action, Wait: s.until.Sub(now)}
}

// wait takes one of key's tokens, waiting for it if need be. Unless
// always, it does so only for a key slowed by a 429: batch requests are
// few, and a fast panel should not wait for them.
func (p *pacer) wait(ctx context.Context, key string, always bool) error {
	p.mu.Lock()
	now := time.Now()
	s := p.state(key, now)
	if !always && s.slow >= 1 {
		p.mu.Unlock()
		return ctx.Err()
	}
	s.tokens--
	var d time.Duration
	if s.tokens < 0 {
		d = time.Duration(-s.tokens / (p.rate * s.slow) * float64(time.Second))
	}
	p.mu.Unlock()
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		p.state(key, time.Now()).tokens++ // the token was not used
		p.mu.Unlock()
		return context.Cause(ctx)
	}
}

// limited notes a 429 for key: its polls wait d, then go at half the pace
// they went at before.
func (p *pacer) limited(key string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	s := p.state(key, now)
	if u := now.Add(d); u.After(s.until) {
		s.until = u
	}
	s.slow = max(minSlow, s.slow/2)
	s.tokens = min(s.tokens, 0)
}

// done notes a request of key's that the panel answered: its pace creeps
// back towards the full one.
func (p *pacer) done(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.keys[key]; s != nil && s.slow < 1 {
		s.slow = min(1, s.slow*1.05)
	}
}

// len reports how many keys have a pace.
func (p *pacer) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.keys)
}
