package smm

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinels for the panel's common refusals. An *APIError matches them
// with errors.Is by its message, in English or as the raw translation key
// some panels leak (neworder.error.not_enough_funds, ...).
var (
	ErrInvalidKey        = errors.New("invalid API key")
	ErrInsufficientFunds = errors.New("not enough funds on balance")
	ErrUnknownService    = errors.New("unknown service")
	ErrUnknownOrder      = errors.New("unknown order")
	ErrQuantity          = errors.New("quantity out of range")
	ErrBadLink           = errors.New("incorrect link")
	ErrDuplicateLink     = errors.New("an active order with this link exists")
	ErrRefillNotFound    = errors.New("refill not found")
	ErrIncorrectRequest  = errors.New("incorrect request")
	ErrNotAllowed        = errors.New("refill or cancel not allowed")
	// ErrNotSupported is an action the panel does not offer at all (it
	// answers refill or cancel with null, [] or nothing, or says the action
	// is unknown). The Client remembers it: see Client.Supports.
	ErrNotSupported = errors.New("the panel does not offer this")
)

var (
	// ErrUnknownOutcome wraps a failure of add, refill or cancel after which
	// the panel may have acted on the request all the same: a timeout, a
	// network error once the request may have gone out, a 5xx, a reply that
	// cannot be read. Never for a clean {"error": ...}.
	ErrUnknownOutcome = errors.New("outcome unknown: the panel may have received the request")
	// ErrRateLimited is matched by any reply with HTTP status 429, by a
	// panel's message that says so ("Too many requests"), and by every
	// *RateLimitError.
	ErrRateLimited = errors.New("rate limited by the panel")
	// ErrResponseTooLarge is a reply over Options.MaxResponse.
	ErrResponseTooLarge = errors.New("reply too large")
	// ErrNotInReply is a batch item the panel's reply left out.
	ErrNotInReply = errors.New("the panel's reply does not mention it")
)

// APIError is the panel's own {"error": ...} reply, at whatever HTTP status.
type APIError struct {
	Action     string // the API action: "add", "status", ...
	Message    string // the panel's words (the API key masked)
	StatusCode int    // HTTP status of the reply
}

func (e *APIError) Error() string { return "panel: " + e.Message }

// Is maps the panel's message to the package's sentinels, and a 429
// status to ErrRateLimited.
func (e *APIError) Is(target error) bool {
	if target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests {
		return true
	}
	s := classify(e.Message)
	return s != nil && s == target
}

// messageRules map fragments of panels' error messages, lower-cased, to a
// sentinel. The first rule with a matching fragment wins, so the more
// specific rules come first ("link_duplicate" before "error.link"). A
// fragment with "*" matches its parts in that order with anything between
// ("refill*not found" matches "Refill Request Not found").
var messageRules = []struct {
	err   error
	frags []string
}{
	{ErrDuplicateLink, []string{"link_duplicate", "duplicate", "active order with this link", "active order for this link"}},
	{ErrRefillNotFound, []string{"refill*not found", "refill_not_found", "refill*not_found", "incorrect refill", "invalid refill", "refill id", "no such refill", "refill*does not exist"}},
	{ErrInsufficientFunds, []string{"not enough funds", "not_enough_funds", "insufficient", "not enough balance", "low balance", "low_balance",
		"not enough money", "balance is too low", "balance*not enough", "top up your balance"}},
	{ErrQuantity, []string{"quantity", "minimal", "maximum", "minimum", "min_quantity", "max_quantity", "min amount", "max amount", "min order", "max order"}},
	{ErrRateLimited, []string{"too many requests", "too many attempts", "rate limit", "rate_limit", "request limit", "requests limit", "too_many_requests", "slow down"}},
	{ErrInvalidKey, []string{"api key", "api_key", "apikey", "invalid key", "incorrect key", "wrong key", "invalid_key", "incorrect_key", "wrong_key",
		"authorization failed", "authorisation failed", "authentication failed", "unauthorized", "unauthorised", "not authorized", "auth_failed", "key is invalid", "key not found"}},
	{ErrUnknownService, []string{"service id", "service_id", "incorrect service", "invalid service", "unknown service", "service not found",
		"service*inactive", "service*not active", "service is disabled", "service*not found", "service*does not exist", "no such service", "service_inactive", "service_disabled", "service_not_found", "incorrect_service"}},
	{ErrUnknownOrder, []string{"order id", "order_id", "incorrect order", "invalid order", "unknown order", "order not found",
		"order*not found", "no such order", "order*does not exist", "order_not_found", "incorrect_order"}},
	{ErrBadLink, []string{"error.link", "incorrect link", "invalid link", "wrong link", "bad link", "link is invalid", "link is incorrect",
		"incorrect_link", "invalid_link", "link format", "invalid url", "incorrect url", "url is invalid"}},
	{ErrNotSupported, []string{"not supported", "unsupported", "not_supported", "unknown action", "invalid action", "incorrect action", "action not found",
		"no such action", "action is not", "invalid_action", "unknown_action"}},
	{ErrNotAllowed, []string{"not allowed", "not_allowed", "disabled", "not available", "not eligible", "cannot be", "can't be", "not possible"}},
	{ErrIncorrectRequest, []string{"incorrect request", "incorrect_request", "invalid request", "bad request"}},
}

// classify returns the sentinel a panel message stands for, or nil.
func classify(msg string) error {
	m := strings.ToLower(msg)
	for _, r := range messageRules {
		for _, f := range r.frags {
			if matchFrag(m, f) {
				return r.err
			}
		}
	}
	return nil
}

// matchFrag reports whether m contains the parts of frag, split at "*",
// in order.
func matchFrag(m, frag string) bool {
	for part := range strings.SplitSeq(frag, "*") {
		i := strings.Index(m, part)
		if i < 0 {
			return false
		}
		m = m[i+len(part):]
	}
	return true
}

// ResponseError is a reply that is not the JSON the action should get:
// an HTML page, an empty body, invalid JSON, a redirect, a JSON value of
// the wrong shape.
type ResponseError struct {
	Action     string
	StatusCode int
	Excerpt    string // the start of the body (or an HTML page's title), at most 120 characters on one line
	Reason     string // what was wrong: "HTML page", "empty body", ...
}

func (e *ResponseError) Error() string {
	s := fmt.Sprintf("panel: HTTP %d, %s", e.StatusCode, e.Reason)
	if e.Excerpt != "" {
		s += fmt.Sprintf(": %q", e.Excerpt)
	}
	return s
}

// Is matches ErrRateLimited for a 429 reply.
func (e *ResponseError) Is(target error) bool {
	return target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests
}

// unknownOutcome marks err as one after which the request may have been
// acted on.
func unknownOutcome(err error) error {
	return fmt.Errorf("%w: %w", ErrUnknownOutcome, err)
}
