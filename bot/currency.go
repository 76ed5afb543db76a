package bot

import (
	"context"
	"sync"

	"github.com/smmbot/smmbot/smm"
)

// maxCurrencies bounds the currencies remembered (one per panel key).
const maxCurrencies = 10000

// currencies remembers the currency of each key's panel account, learnt
// from every balance the panel gives, so that the amounts of a list
// carry it without a balance call per conversation.
type currencies struct {
	mu    sync.Mutex
	byKey map[string]string
}

func (c *currencies) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cur, ok := c.byKey[key]
	return cur, ok
}

func (c *currencies) put(key, currency string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil || len(c.byKey) >= maxCurrencies {
		c.byKey = map[string]string{} // bounded: start over rather than grow
	}
	c.byKey[key] = currency
}

// Balance asks the panel and remembers the account's currency.
func (p panelView) Balance(ctx context.Context, key string) (smm.Balance, error) {
	bal, err := p.Panel.Balance(ctx, key)
	if err == nil && p.currencies != nil {
		p.currencies.put(key, bal.Currency)
	}
	return bal, err
}

// Currency is the currency of key's account: remembered, or asked once.
func (p panelView) Currency(ctx context.Context, key string) (string, error) {
	if p.currencies != nil {
		if cur, ok := p.currencies.get(key); ok {
			return cur, nil
		}
	}
	bal, err := p.Balance(ctx, key)
	return bal.Currency, err
}
