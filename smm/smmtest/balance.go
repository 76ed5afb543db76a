package smmtest

import "github.com/shopspring/decimal"

// balanceJSON is the balance reply.
type balanceJSON struct {
	Balance  any    `json:"balance"`
	Currency string `json:"currency"`
}

// balanceReply is the balance action. Caller holds p.mu.
func (p *Panel) balanceReply(acct *account) any {
	return balanceJSON{Balance: p.money(acct.balance), Currency: currency}
}

// AddKey makes the panel accept key, with balance b. A key added again
// keeps its orders and gets the new balance. The empty key is never
// accepted, so AddKey("") does nothing.
func (p *Panel) AddKey(key string, b decimal.Decimal) {
	if key == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if acct, ok := p.accounts[key]; ok {
		acct.balance = b
		return
	}
	p.accounts[key] = &account{balance: b}
}

// Balance returns key's balance; zero for a key the panel does not accept.
func (p *Panel) Balance(key string) decimal.Decimal {
	p.mu.Lock()
	defer p.mu.Unlock()
	if acct, ok := p.accounts[key]; ok {
		return acct.balance
	}
	return decimal.Zero
}

// SetBalance sets key's balance. It does nothing for a key the panel does
// not accept (see AddKey).
func (p *Panel) SetBalance(key string, b decimal.Decimal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if acct, ok := p.accounts[key]; ok {
		acct.balance = b
	}
}
