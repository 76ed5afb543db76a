package smm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// Cancel asks the panel to cancel any number of orders, at most 100 a
// request. An order's entry is nil when the cancel was requested (the
// order's status says when it happened), the panel's refusal otherwise
// (an *APIError, or ErrNotAllowed for a plain "cancel": 0); an entry the
// reply left out, or cannot be read, wraps ErrUnknownOutcome. Never
// retried: the error is for a request that failed as a whole (it wraps
// ErrUnknownOutcome when the panel may have acted), and the map then holds
// the orders done before it.
func (c *Client) Cancel(ctx context.Context, key string, orders []int64) (map[int64]error, error) {
	res, err := batch(ctx, orders, func(ctx context.Context, ids []int64) (map[int64]error, error) {
		r, err := c.write(ctx, key, "cancel", url.Values{"orders": {joinIDs(ids)}})
		if err != nil {
			return nil, err
		}
		return decodeCancel(r, ids)
	},
		func(id int64) error { return badID("order", id) },
		func(id int64) error { return unknownOutcome(fmt.Errorf("order %d: %w", id, ErrNotInReply)) })
	if err != nil {
		return res, fmt.Errorf("cancel: %w", err)
	}
	return res, nil
}

// decodeCancel decodes a cancel reply.
func decodeCancel(r *reply, ids []int64) (map[int64]error, error) {
	items, err := arrayItems(r, ids, "order", "cancel")
	if err != nil {
		return nil, unknownOutcome(err)
	}
	out := make(map[int64]error, len(items))
	for _, it := range items {
		if it.err != nil {
			out[it.id] = it.err
			continue
		}
		out[it.id] = cancelled(r, it)
	}
	return out, nil
}

// cancelled reads an item's "cancel" value: nil for a request accepted.
func cancelled(r *reply, it batchItem) error {
	var ok wireBool
	if len(it.val) == 0 || json.Unmarshal(it.val, &ok) != nil {
		return unknownOutcome(r.itemShape(it.raw, "no cancel answer"))
	}
	if !ok {
		return fmt.Errorf("order %d: the panel answered cancel %s: %w", it.id, mask(clip(string(it.val)), r.key), ErrNotAllowed)
	}
	return nil
}
