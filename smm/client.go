// Package smm is a typed client of the SMM panel API v2 (Perfect Panel and
// its clones) and a cache of panels' catalogues.
//
// The client posts form-encoded requests and decodes the panels' loose JSON
// (numbers as numbers or strings, money as decimals). A panel's
// {"error": ...} comes back as an *APIError that matches this package's
// sentinels with errors.Is; a reply that is not the JSON expected (an HTML
// page, an empty body) is a *ResponseError. Reads are retried once; add,
// refill and cancel never are, and a failure after which the panel may have
// acted on them wraps ErrUnknownOutcome.
//
// Panels deviate from the documented shapes (panel/API.md, "Dialects seen
// in the wild"); the client reads them all: error envelopes without an
// "error" key, replies wrapped in {"data": ...}, batches as lists or keyed
// objects, nested refill statuses, placeholders in number fields (kept as
// unknown, see Unknown). What it learns of the panel (no batch status, no
// refill, no cancel) it remembers: see Client.Supports. An HTTP 429 is a
// *RateLimitError; that key's polls wait as long as the panel asked.
package smm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultUserAgent is sent when Options.UserAgent is empty: several panels
// behind a CDN refuse Go's own.
const DefaultUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

// Options configure a Client. The zero value is usable.
type Options struct {
	HTTPClient  *http.Client  // nil = a client with Timeout; redirects are never followed
	Timeout     time.Duration // per request; 0 = 30s
	UserAgent   string        // "" = DefaultUserAgent
	MaxResponse int64         // bytes; 0 = 32 MiB (catalogues are big)
	Backoff     time.Duration // before the one retry of a read; 0 = 500ms
	Logger      *slog.Logger  // nil = discard
	// PerMinute is each key's budget of status and refill_status requests
	// a minute (with bursts of a sixth of it), kept when they go one id a
	// request (a panel without batches) and, after a 429, for batches too;
	// 0 = 120, as one panel documents. After a 429 that key goes at half
	// the pace until some requests went through.
	PerMinute int
	// InFlight is how many status or refill_status requests one key has
	// in flight at once in Statuses and RefillStatuses: 2 to 4; 0 = 3.
	InFlight int
	// RateLimitWait is how long a key's polls wait after a 429 without a
	// Retry-After; 0 = 30s.
	RateLimitWait time.Duration
}

// Client talks to one panel endpoint. The API key is an argument of every
// call, so one Client serves any number of keys. It is safe for concurrent
// use.
type Client struct {
	endpoint string
	http     *http.Client
	stdTrans bool // http.Transport: its trace tells whether a request went out
	timeout  time.Duration
	ua       string
	max      int64
	backoff  time.Duration
	log      *slog.Logger
	inFlight int
	rlWait   time.Duration
	pace     *pacer
	caps     capabilities
}

// NewClient returns a client of the panel API at endpoint
// (https://panel.example/api/v2).
func NewClient(endpoint string, opts Options) *Client {
	c := &Client{
		endpoint: endpoint,
		timeout:  orDefault(opts.Timeout, 30*time.Second),
		ua:       opts.UserAgent,
		max:      opts.MaxResponse,
		backoff:  orDefault(opts.Backoff, 500*time.Millisecond),
		log:      opts.Logger,
		inFlight: min(maxInFlight, max(minInFlight, opts.InFlight)),
		rlWait:   orDefault(opts.RateLimitWait, defaultRateLimitWait),
		pace:     newPacer(opts.PerMinute),
	}
	if opts.InFlight <= 0 {
		c.inFlight = defaultInFlight
	}
	if c.ua == "" {
		c.ua = DefaultUserAgent
	}
	if c.max <= 0 {
		c.max = 32 << 20
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	hc := http.Client{Timeout: c.timeout}
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	// A redirect turns the POST into a GET: the body (and the key in it)
	// would be dropped, or sent where it should not go.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	_, std := hc.Transport.(*http.Transport)
	c.stdTrans = hc.Transport == nil || std
	return c
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// read performs a call that changes nothing on the panel: it is retried
// once, after the backoff, on a network error or a 5xx. A 429 is not: the
// panel said how long to wait.
func (c *Client) read(ctx context.Context, key, action string, form url.Values) (*reply, error) {
	r, err := c.post(ctx, key, action, form)
	if err == nil || !retryable(err) || ctx.Err() != nil {
		return r, err
	}
	c.log.Warn("panel read failed, retrying", "action", action, "err", err, "backoff", c.backoff)
	t := time.NewTimer(c.backoff)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("%w (retry abandoned: %w)", err, context.Cause(ctx))
	case <-t.C:
	}
	return c.post(ctx, key, action, form)
}

// write performs a call that changes something on the panel (add, refill,
// cancel): never retried, and a failure after which the panel may have
// acted wraps ErrUnknownOutcome.
func (c *Client) write(ctx context.Context, key, action string, form url.Values) (*reply, error) {
	r, err := c.post(ctx, key, action, form)
	if err != nil && maybeActed(err) {
		return nil, unknownOutcome(err)
	}
	return r, err
}

// retryable reports whether a read is worth a second attempt.
func retryable(err error) bool {
	var te *transportError
	if errors.As(err, &te) {
		return true
	}
	return !errors.Is(err, ErrRateLimited) && serverError(err)
}

// maybeActed reports whether the panel may have acted on a request that
// failed with err. A 429 is a refusal; so is an {"error"} that names a
// known refusal, even at a 5xx.
func maybeActed(err error) bool {
	var te *transportError
	var ae *APIError
	var re *ResponseError
	switch {
	case errors.As(err, &te):
		return te.sent
	case errors.Is(err, ErrRateLimited), errors.Is(err, ErrNotSupported):
		return false
	case errors.As(err, &ae):
		return ae.StatusCode >= 500 && classify(ae.Message) == nil
	case errors.As(err, &re), errors.Is(err, ErrResponseTooLarge):
		return true // a reply came, but not one that says what happened
	}
	return false // no request was made (a bad endpoint)
}

func serverError(err error) bool {
	var ae *APIError
	var re *ResponseError
	switch {
	case errors.As(err, &ae):
		return ae.StatusCode >= 500
	case errors.As(err, &re):
		return re.StatusCode >= 500
	}
	return false
}

// transportError is a request that got no reply; sent is false only when
// it certainly never left.
type transportError struct {
	err  error
	sent bool
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// post sends one request and checks the reply (see reply.check).
func (c *Client) post(ctx context.Context, key, action string, form url.Values) (*reply, error) {
	if ctx.Err() != nil {
		return nil, &transportError{err: context.Cause(ctx), sent: false}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// The trace's callbacks may run on the transport's dialing goroutine.
	var gotConn, dialFailed atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) },
		ConnectDone: func(_, _ string, err error) {
			if err != nil {
				dialFailed.Store(true)
			}
		},
	})
	req, err := c.request(ctx, key, action, form)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		sent := !c.neverSent(err, gotConn.Load(), dialFailed.Load())
		c.log.Debug("panel request failed", "action", action, "err", err, "sent", sent, "took", time.Since(start))
		return nil, &transportError{err: err, sent: sent}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.max+1))
	if err != nil {
		return nil, &transportError{err: fmt.Errorf("read reply: %w", err), sent: true}
	}
	c.log.Debug("panel reply", "action", action, "status", resp.StatusCode, "bytes", len(data), "took", time.Since(start))
	if int64(len(data)) > c.max {
		return nil, fmt.Errorf("%w: %s reply over %d bytes", ErrResponseTooLarge, action, c.max)
	}
	return c.checked(&reply{action: action, status: resp.StatusCode, body: data, key: key,
		retryAfter: resp.Header.Get("Retry-After"), defaultWait: c.rlWait})
}

// checked checks a reply (see reply.check); a rate limit slows its key's
// polls, any other answer lets them speed up again.
func (c *Client) checked(r *reply) (*reply, error) {
	if err := r.check(); err != nil {
		var rl *RateLimitError
		if errors.As(err, &rl) {
			c.pace.limited(r.key, rl.Wait)
			c.log.Warn("panel rate limit", "action", r.action, "wait", rl.Wait)
		}
		return nil, err
	}
	c.pace.done(r.key)
	return r, nil
}

// request is the POST of one call: key, action and form in the body.
func (c *Client) request(ctx context.Context, key, action string, form url.Values) (*http.Request, error) {
	body := url.Values{"key": {key}, "action": {action}}
	for k, v := range form {
		body[k] = v
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, strings.NewReader(body.Encode()))
	if err != nil {
		return nil, fmt.Errorf("panel request: %w", err) // a bad endpoint; the body is not in the error
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	return req, nil
}

// neverSent reports whether a failed request certainly did not reach the
// panel: the connection was never made. With a transport of its own the
// trace may stay silent, so only a failed dial is proof.
func (c *Client) neverSent(err error, gotConn, dialFailed bool) bool {
	if gotConn {
		return false
	}
	if c.stdTrans || dialFailed {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
