package smm

import (
	"bytes"
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
// ErrUnknownOutcome when the panel may have acted, ErrNotSupported on a
// panel without cancel), and the map then holds the orders done before
// it. Replies as a list or as an object keyed by order id are read, with
// words ("requested", "success"), true or 1 for a cancel requested.
func (c *Client) Cancel(ctx context.Context, key string, orders []int64) (map[int64]error, error) {
	res, err := batch(ctx, orders, func(ctx context.Context, ids []int64) (map[int64]error, error) {
		r, err := c.optionalWrite(ctx, FeatureCancel, key, "cancel", url.Values{"orders": {joinIDs(ids)}})
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
	v := bytes.TrimSpace(it.val)
	if len(v) > 0 && v[0] == '{' {
		var inner struct {
			Cancel json.RawMessage `json:"cancel"`
			Status json.RawMessage `json:"status"`
		}
		if json.Unmarshal(v, &inner) == nil {
			v = bytes.TrimSpace(inner.Cancel)
			if len(v) == 0 {
				v = bytes.TrimSpace(inner.Status)
			}
		}
	}
	word, ok, err := scalar(v)
	if len(v) == 0 || err != nil || !ok {
		return unknownOutcome(r.itemShape(it.raw, "no cancel answer"))
	}
	switch statusWord(word) {
	case "1", "true", "yes", "ok", "success", "successful", "requested", "cancel requested", "pending",
		"canceled", "cancelled", "canceling", "cancelling", "in progress", "accepted", "done":
		return nil
	case "0", "false", "no", "fail", "failed", "error", "":
		return fmt.Errorf("order %d: the panel answered cancel %s: %w", it.id, mask(clip(string(v)), r.key), ErrNotAllowed)
	}
	if _, err := parseDecimal(word); err == nil {
		var f wireBool
		if json.Unmarshal(v, &f) == nil && bool(f) {
			return nil
		}
		return fmt.Errorf("order %d: the panel answered cancel %s: %w", it.id, mask(clip(string(v)), r.key), ErrNotAllowed)
	}
	return r.apiError(word) // the panel's own words: "Order is already completed"
}
