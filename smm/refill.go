package smm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

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

// Refill asks for a refill of a finished order and returns the refill id.
// Never retried: a failure after which the refill may exist wraps
// ErrUnknownOutcome; a refusal is an *APIError (ErrNotAllowed,
// ErrUnknownOrder, ...); a panel without refill is ErrNotSupported.
func (c *Client) Refill(ctx context.Context, key string, order int64) (int64, error) {
	if order <= 0 {
		return 0, fmt.Errorf("refill: %w", badID("order", order))
	}
	r, err := c.optionalWrite(ctx, FeatureRefill, key, "refill", url.Values{"order": {itoa(order)}})
	if err != nil {
		return 0, fmt.Errorf("refill: %w", err)
	}
	id, err := decodeRefill(r)
	if err != nil {
		return 0, fmt.Errorf("refill: %w", err)
	}
	return id, nil
}

// optionalWrite is write for an action behind f: without a request when
// the panel is known to lack it; otherwise the reply teaches whether the
// panel has it.
func (c *Client) optionalWrite(ctx context.Context, f Feature, key, action string, form url.Values) (*reply, error) {
	if err := c.lacks(f); err != nil {
		return nil, err
	}
	r, err := c.write(ctx, key, action, form)
	err = c.notOffered(f, err)
	c.noteOffered(f, err)
	return r, err
}

// notOffered turns a panel's "Incorrect request" to a well-formed request
// of an action it was never seen to offer into ErrNotSupported: that is
// how panels without the action answer it.
func (c *Client) notOffered(f Feature, err error) error {
	var ae *APIError
	if err == nil || errors.Is(err, ErrNotSupported) || !errors.As(err, &ae) || classify(ae.Message) != ErrIncorrectRequest {
		return err
	}
	if known, ok := c.Supports(f); known && ok {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNotSupported, err)
}

// single returns the one object of a reply that some panels wrap in a
// one-element list.
func single(r *reply) (json.RawMessage, error) {
	b := bytes.TrimSpace(r.body)
	if len(b) == 0 || b[0] != '[' {
		return b, nil
	}
	var items []json.RawMessage
	if err := r.decode(&items); err != nil {
		return nil, err
	}
	if len(items) != 1 {
		return nil, r.shape(fmt.Sprintf("a list of %d items for one", len(items)))
	}
	return items[0], nil
}

// decodeRefill decodes a single refill reply, {"refill": N} (or that in a
// one-element list).
func decodeRefill(r *reply) (int64, error) {
	b, err := single(r)
	if err != nil {
		return 0, unknownOutcome(err)
	}
	var w struct {
		Refill json.RawMessage `json:"refill"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return 0, unknownOutcome(r.decodeFail(err))
	}
	if e, ok := r.itemAPIError(b); ok {
		return 0, e
	}
	if e, ok := r.itemAPIError(w.Refill); ok {
		return 0, e
	}
	id, err := refillID(r, w.Refill, b)
	if err != nil {
		return 0, unknownOutcome(err)
	}
	return id, nil
}

// refillID reads a refill id value; item is what an error quotes.
func refillID(r *reply, v, item json.RawMessage) (int64, error) {
	var id wireInt
	if len(v) == 0 {
		return 0, r.itemShape(item, "no refill id")
	}
	if b := bytes.TrimSpace(v); len(b) > 0 && b[0] == '{' {
		var inner struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(b, &inner) == nil && len(inner.ID) > 0 {
			v = inner.ID // {"refill": {"id": 42}}
		}
	}
	if err := json.Unmarshal(v, &id); err != nil {
		return 0, r.itemShape(item, "refill id: "+err.Error())
	}
	if id <= 0 {
		return 0, r.itemShape(item, "no refill id")
	}
	return int64(id), nil
}

// Refills asks for refills of any number of orders, at most 100 a request.
// An order's own refusal is in its entry; an entry the reply left out, or
// cannot be read, wraps ErrUnknownOutcome. The error is for a request that
// failed as a whole (see Refill), and the map then holds the orders done
// before it.
func (c *Client) Refills(ctx context.Context, key string, orders []int64) (map[int64]RefillResult, error) {
	res, err := batch(ctx, orders, func(ctx context.Context, ids []int64) (map[int64]RefillResult, error) {
		r, err := c.optionalWrite(ctx, FeatureRefill, key, "refill", url.Values{"orders": {joinIDs(ids)}})
		if err != nil {
			return nil, err
		}
		return decodeRefills(r, ids)
	},
		func(id int64) RefillResult { return RefillResult{Err: badID("order", id)} },
		func(id int64) RefillResult {
			return RefillResult{Err: unknownOutcome(fmt.Errorf("order %d: %w", id, ErrNotInReply))}
		})
	if err != nil {
		return res, fmt.Errorf("refill: %w", err)
	}
	return res, nil
}

// decodeRefills decodes a batch refill reply.
func decodeRefills(r *reply, ids []int64) (map[int64]RefillResult, error) {
	items, err := arrayItems(r, ids, "order", "refill")
	if err != nil {
		return nil, unknownOutcome(err)
	}
	out := make(map[int64]RefillResult, len(items))
	for _, it := range items {
		if it.err != nil {
			out[it.id] = RefillResult{Err: it.err}
			continue
		}
		id, err := refillID(r, it.val, it.raw)
		if err != nil {
			err = unknownOutcome(err)
		}
		out[it.id] = RefillResult{Refill: id, Err: err}
	}
	return out, nil
}

// RefillStatus returns the status of one refill, as the panel spells it.
// An unknown refill is an *APIError matching ErrRefillNotFound; a panel
// without refill gives ErrNotSupported.
func (c *Client) RefillStatus(ctx context.Context, key string, refill int64) (string, error) {
	if refill <= 0 {
		return "", fmt.Errorf("refill status: %w", badID("refill", refill))
	}
	s, err := c.refillStatus(ctx, key, refill)
	if err != nil {
		return "", fmt.Errorf("refill status: %w", err)
	}
	return s, nil
}

func (c *Client) refillStatus(ctx context.Context, key string, refill int64) (string, error) {
	if err := c.lacks(FeatureRefill); err != nil {
		return "", err
	}
	r, err := c.read(ctx, key, "refill_status", url.Values{"refill": {itoa(refill)}})
	if err != nil {
		return "", err
	}
	return decodeRefillStatus(r)
}

// decodeRefillStatus decodes a single refill_status reply,
// {"status": "..."}, nested ({"status": {"status": "..."}}) or in a
// one-element list.
func decodeRefillStatus(r *reply) (string, error) {
	b, err := single(r)
	if err != nil {
		return "", err
	}
	var w struct {
		Status json.RawMessage `json:"status"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return "", r.decodeFail(err)
	}
	if e, ok := r.itemAPIError(b); ok {
		return "", e
	}
	if e, ok := r.itemAPIError(w.Status); ok {
		return "", e
	}
	return refillStatus(r, w.Status, b)
}

// refillStatus reads a status value: a word, or an object holding one
// (one level of nesting).
func refillStatus(r *reply, v, item json.RawMessage) (string, error) {
	if b := bytes.TrimSpace(v); len(b) > 0 && b[0] == '{' {
		var inner struct {
			Status json.RawMessage `json:"status"`
		}
		if json.Unmarshal(b, &inner) == nil {
			v = inner.Status
		}
	}
	var s wireText
	if len(v) == 0 || json.Unmarshal(v, &s) != nil || s == "" {
		return "", r.itemShape(item, "no refill status")
	}
	return string(s), nil
}

// RefillStatuses returns the status of any number of refills, as
// Statuses does for orders: batches of up to 100, or one refill a request
// on a panel that does not take refills=. A refill's own error (not
// found, left out of the reply) is in its entry; the error is for a
// request that failed as a whole, and the map then holds the refills
// done before it.
func (c *Client) RefillStatuses(ctx context.Context, key string, refills []int64) (map[int64]RefillStatusResult, error) {
	if err := c.lacks(FeatureRefill); err != nil {
		return nil, fmt.Errorf("refill status: %w", err)
	}
	res, err := poll(ctx, c, key, refills, pollSpec[RefillStatusResult]{
		action:  "refill_status",
		feature: FeatureBatchRefillStatus,
		batch: func(ctx context.Context, ids []int64) (map[int64]RefillStatusResult, error) {
			r, err := c.read(ctx, key, "refill_status", url.Values{"refills": {joinIDs(ids)}})
			if err != nil {
				return nil, err
			}
			return decodeRefillStatuses(r, ids)
		},
		single: func(ctx context.Context, id int64) (RefillStatusResult, error) {
			s, err := c.refillStatus(ctx, key, id)
			if err != nil && !itemFailed(err) {
				return RefillStatusResult{}, err
			}
			return RefillStatusResult{Status: s, Err: err}, nil
		},
		bad: func(id int64) RefillStatusResult { return RefillStatusResult{Err: badID("refill", id)} },
		missing: func(id int64) RefillStatusResult {
			return RefillStatusResult{Err: fmt.Errorf("refill %d: %w", id, ErrNotInReply)}
		},
	})
	if err != nil {
		return res, fmt.Errorf("refill status: %w", err)
	}
	return res, nil
}

// decodeRefillStatuses decodes a batch refill_status reply.
func decodeRefillStatuses(r *reply, ids []int64) (map[int64]RefillStatusResult, error) {
	items, err := arrayItems(r, ids, "refill", "status")
	if err != nil {
		return nil, err
	}
	out := make(map[int64]RefillStatusResult, len(items))
	for _, it := range items {
		if it.err != nil {
			out[it.id] = RefillStatusResult{Err: it.err}
			continue
		}
		s, err := refillStatus(r, it.val, it.raw)
		out[it.id] = RefillStatusResult{Status: s, Err: err}
	}
	return out, nil
}
