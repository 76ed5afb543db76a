// Package flows owns the conversations of the bot as state machines
// (looplab/fsm): given a chat's session and what the user did, it decides
// the next session and the screen to show. It knows nothing of Telegram or
// of how sessions are stored; the bot renders its screens and persists its
// sessions. The order conversation is made from the table of service
// types (servicetype.go): each type's fields are its steps, and its
// looplab/fsm machine is built from them.
package flows

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// Panel is what the order conversation needs of the SMM panel.
type Panel interface {
	Catalogue(ctx context.Context, key string) (*smm.Catalogue, error)
	Balance(ctx context.Context, key string) (smm.Balance, error)
	Add(ctx context.Context, key string, req smm.AddRequest) (int64, error)
}

// Ledger makes placing an order idempotent: it is the durable record of
// sessions and orders.
type Ledger interface {
	// BeginPlacing moves the stored session of the chat from confirm to
	// placing in one transaction. It returns ErrAlreadyPlacing when another
	// tap got there first and ErrStale when the version is not current.
	BeginPlacing(ctx context.Context, chatID, version int64) error
	// FinishPlacing records the placed order (nil when none was placed)
	// and the session that follows, in one transaction.
	FinishPlacing(ctx context.Context, p *Placed, next Session) error
}

// Sentinels a Ledger returns.
var (
	ErrAlreadyPlacing = errors.New("order is already being placed")
	ErrStale          = errors.New("session version is stale")
)

// Placed is an order the panel accepted.
type Placed struct {
	ChatID   int64
	OrderID  int64
	Service  smm.Service
	Link     string
	Quantity int64 // per run for a drip-feed order
	Comments string
	Runs     int64
	Interval int64
	// Extra holds the type-specific fields (usernames, answer_number,
	// min, ...) by the add request's field name.
	Extra map[string]string
	// Price is the order's price; zero for a type the panel charges as it
	// delivers (a subscription: per post).
	Price   decimal.Decimal
	Created time.Time
}

// Order runs the order conversation.
type Order struct {
	Panel  Panel
	Ledger Ledger
	Now    func() time.Time // nil = time.Now
	// KeyRef names the key orders are placed with (not the key itself);
	// it goes into the receipt's button so the order is found again
	// after the chat changes its key.
	KeyRef string
	// FinishedOnly says the chat is told only when an order finishes
	// (its /notify setting), which the receipt promises.
	FinishedOnly bool
}

// NewOrder returns the order conversation over a panel and a ledger.
func NewOrder(p Panel, l Ledger) *Order {
	return &Order{Panel: p, Ledger: l}
}

func (o *Order) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
