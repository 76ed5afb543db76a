package smm

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// AddRequest is a new order. Quantity is ignored for Package services and
// replaced by Comments (one per line) for Custom Comments services. Runs and
// Interval (minutes) are set together for a drip-feed order.
type AddRequest struct {
	Service  int64
	Link     string
	Quantity int64
	Comments string
	Runs     int64
	Interval int64
}

// Status is what the panel says of one order. A number the panel left out
// or gave as a placeholder ("", "Unknown", "-", null) is zero and named in
// Unknown: zero remains then does not mean done, nor zero charge free.
type Status struct {
	Charge     decimal.Decimal
	StartCount int64
	Status     string // kept as the panel spells it
	Remains    int64
	Currency   string
	Unknown    Unknown // which of Charge, StartCount, Remains are not known
}

// Finished reports whether the order's status is terminal.
func (s Status) Finished() bool { return IsFinished(s.Status) }

// IsFinished reports whether an order status is terminal: Completed,
// Partial, Canceled/Cancelled, Refunded, Fail(ed) or Error, in any letter
// case and spacing. Any other word (Pending, In progress, Processing, or
// one a panel made up) is not.
func IsFinished(status string) bool {
	switch statusWord(status) {
	case "completed", "partial", "canceled", "cancelled", "refunded", "fail", "failed", "error":
		return true
	}
	return false
}

// IsRefillFinished reports whether a refill status is terminal:
// Completed, Rejected, Error, Fail(ed), Canceled/Cancelled or Refunded,
// in any letter case and spacing.
func IsRefillFinished(status string) bool {
	switch statusWord(status) {
	case "completed", "rejected", "error", "fail", "failed", "canceled", "cancelled", "refunded":
		return true
	}
	return false
}

// statusWord is a status lower-cased with its spacing made single.
func statusWord(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// StatusResult is one order's entry in a batch status reply: a Status, or
// the panel's per-item error (an *APIError).
type StatusResult struct {
	Status Status
	Err    error
}

// Add places an order and returns the panel's order id. It is never
// retried: a failure after which the order may exist all the same wraps
// ErrUnknownOutcome; a refusal is an *APIError (ErrInsufficientFunds,
// ErrBadLink, ...); a request that cannot be valid wraps
// ErrIncorrectRequest and is not sent.
func (c *Client) Add(ctx context.Context, key string, req AddRequest) (int64, error) {
	form, err := req.form()
	if err != nil {
		return 0, fmt.Errorf("add: %w", err)
	}
	r, err := c.write(ctx, key, "add", form)
	if err != nil {
		return 0, fmt.Errorf("add: %w", err)
	}
	id, err := decodeAdd(r)
	if err != nil {
		return 0, fmt.Errorf("add: %w", err)
	}
	return id, nil
}

// decodeAdd decodes an add reply, {"order": N}. Whatever else the panel
// said, the order may exist: the error wraps ErrUnknownOutcome.
func decodeAdd(r *reply) (int64, error) {
	var w struct {
		Order wireInt `json:"order"`
	}
	if err := r.decode(&w); err != nil {
		return 0, unknownOutcome(err)
	}
	if w.Order <= 0 {
		return 0, unknownOutcome(r.shape("no order id"))
	}
	return int64(w.Order), nil
}

// form is the request's fields, checked.
func (req AddRequest) form() (url.Values, error) {
	link := strings.TrimSpace(req.Link)
	switch {
	case req.Service <= 0:
		return nil, fmt.Errorf("%w: service id %d", ErrIncorrectRequest, req.Service)
	case link == "":
		return nil, fmt.Errorf("%w: no link", ErrIncorrectRequest)
	case req.Quantity < 0:
		return nil, fmt.Errorf("%w: quantity %d", ErrIncorrectRequest, req.Quantity)
	case req.Runs < 0 || req.Interval < 0 || (req.Runs > 0) != (req.Interval > 0):
		return nil, fmt.Errorf("%w: runs %d and interval %d must both be set for a drip-feed", ErrIncorrectRequest, req.Runs, req.Interval)
	}
	form := url.Values{"service": {itoa(req.Service)}, "link": {link}}
	if strings.TrimSpace(req.Comments) != "" {
		form.Set("comments", req.Comments)
	} else if req.Quantity > 0 {
		form.Set("quantity", itoa(req.Quantity))
	}
	if req.Runs > 0 {
		form.Set("runs", itoa(req.Runs))
		form.Set("interval", itoa(req.Interval))
	}
	return form, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
