package smm

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"
)

// Balance is the account's balance.
type Balance struct {
	Amount   decimal.Decimal
	Currency string
}

// Balance returns the account's balance. A wrong key is an *APIError
// matching ErrInvalidKey.
func (c *Client) Balance(ctx context.Context, key string) (Balance, error) {
	r, err := c.read(ctx, key, "balance", nil)
	if err != nil {
		return Balance{}, fmt.Errorf("balance: %w", err)
	}
	b, err := decodeBalance(r)
	if err != nil {
		return Balance{}, fmt.Errorf("balance: %w", err)
	}
	return b, nil
}

// decodeBalance decodes a balance reply.
func decodeBalance(r *reply) (Balance, error) {
	var w struct {
		Balance  *wireMoney `json:"balance"`
		Currency wireText   `json:"currency"`
	}
	if err := r.decode(&w); err != nil {
		return Balance{}, err
	}
	if w.Balance == nil {
		return Balance{}, r.shape("no balance")
	}
	return Balance{Amount: w.Balance.decimal(), Currency: string(w.Currency)}, nil
}
