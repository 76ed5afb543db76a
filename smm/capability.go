package smm

import (
	"errors"
	"fmt"
	"sync"
)

// Feature is a part of the API that some panels do not offer.
type Feature int

const (
	// FeatureBatchStatus is status with orders= (several ids a request).
	// Without it, Statuses asks one order at a time, paced.
	FeatureBatchStatus Feature = iota
	// FeatureBatchRefillStatus is refill_status with refills=.
	FeatureBatchRefillStatus
	// FeatureRefill is the refill action.
	FeatureRefill
	// FeatureCancel is the cancel action.
	FeatureCancel
	numFeatures
)

func (f Feature) String() string {
	switch f {
	case FeatureBatchStatus:
		return "batch status"
	case FeatureBatchRefillStatus:
		return "batch refill status"
	case FeatureRefill:
		return "refill"
	case FeatureCancel:
		return "cancel"
	}
	return fmt.Sprintf("feature %d", int(f))
}

// capabilities is what a Client has learnt of its panel. A panel is one
// endpoint, so this is per Client, not per key.
type capabilities struct {
	mu    sync.Mutex
	known [numFeatures]bool
	ok    [numFeatures]bool
}

// Supports reports what the client has learnt of the panel: known is
// false until a reply said whether the panel offers f; ok is whether it
// does. A panel without refill or cancel answers them with null, [] or
// nothing, or says the action is unknown; from then on Refill, Refills,
// RefillStatus(es) or Cancel fail at once with ErrNotSupported.
func (c *Client) Supports(f Feature) (known, ok bool) {
	if f < 0 || f >= numFeatures {
		return false, false
	}
	c.caps.mu.Lock()
	defer c.caps.mu.Unlock()
	return c.caps.known[f], c.caps.ok[f]
}

// learn records whether the panel offers f; it reports whether this was
// news.
func (c *Client) learn(f Feature, ok bool) bool {
	c.caps.mu.Lock()
	defer c.caps.mu.Unlock()
	news := !c.caps.known[f] || c.caps.ok[f] != ok
	c.caps.known[f], c.caps.ok[f] = true, ok
	if news {
		c.log.Info("panel capability learnt", "feature", f.String(), "offered", ok)
	}
	return news
}

// lacks returns an error wrapping ErrNotSupported when the panel is known
// not to offer f.
func (c *Client) lacks(f Feature) error {
	if known, ok := c.Supports(f); known && !ok {
		return fmt.Errorf("%w: %s", ErrNotSupported, f)
	}
	return nil
}

// noteOffered learns from a call of an action behind f: a reply that
// says the panel lacks it, or one that shows it has it. An error of
// another kind (a refusal of one order, a network failure) says nothing.
func (c *Client) noteOffered(f Feature, err error) {
	switch {
	case err == nil:
		c.learn(f, true)
	case errors.Is(err, ErrNotSupported):
		c.learn(f, false)
	default:
		var ae *APIError
		if errors.As(err, &ae) && !errors.Is(err, ErrRateLimited) && !errors.Is(err, ErrInvalidKey) {
			c.learn(f, true) // a refusal in the action's own words
		}
	}
}
