package smm

import (
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

// Status is what the panel says of one order.
type Status struct {
	Charge     decimal.Decimal
	StartCount int64
	Status     string // kept as the panel spells it
	Remains    int64
	Currency   string
}

// Finished reports whether the order's status is terminal.
func (s Status) Finished() bool { return IsFinished(s.Status) }

// IsFinished reports whether an order status is terminal: Completed,
// Partial, Canceled/Cancelled or Refunded, in any letter case.
func IsFinished(status string) bool {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "completed", "partial", "canceled", "cancelled", "refunded":
		return true
	}
	return false
}

// IsRefillFinished reports whether a refill status is terminal:
// Completed, Rejected or Error, in any letter case.
func IsRefillFinished(status string) bool {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "completed", "rejected", "error", "canceled", "cancelled":
		return true
	}
	return false
}

// StatusResult is one order's entry in a batch status reply: a Status, or
// the panel's per-item error (an *APIError).
type StatusResult struct {
	Status Status
	Err    error
}

// RefillResult is one order's entry in a batch refill reply: the refill id,
// or the panel's per-item error.
type RefillResult struct {
	Refill int64
	Err    error
}

// RefillStatusResult is one refill's entry in a batch refill_status reply.
type RefillStatusResult struct {
	Status string
	Err    error
}

// Balance is the account's balance.
type Balance struct {
	Amount   decimal.Decimal
	Currency string
}
