package smm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Unknown names the numbers a panel left out or gave as a placeholder
// ("", "Unknown", "-", "N/A", null, or any text that is not a number).
// Such a field is zero, and zero then means nothing.
type Unknown uint8

const (
	UnknownCharge Unknown = 1 << iota
	UnknownStartCount
	UnknownRemains
	UnknownRate
	UnknownMin
	UnknownMax
)

// Has reports whether every field of f is unknown.
func (u Unknown) Has(f Unknown) bool { return u&f == f && f != 0 }

// statusWire is an order's status as panels send it.
type statusWire struct {
	Charge     wireOptMoney `json:"charge"`
	StartCount wireOptInt   `json:"start_count"`
	Status     wireText     `json:"status"`
	Remains    wireOptInt   `json:"remains"`
	Currency   wireText     `json:"currency"`
}

func (w *statusWire) status() Status {
	s := Status{
		Charge:     w.Charge.v,
		StartCount: w.StartCount.v,
		Status:     string(w.Status),
		Remains:    w.Remains.v,
		Currency:   string(w.Currency),
	}
	for _, f := range []struct {
		known bool
		bit   Unknown
	}{{w.Charge.known, UnknownCharge}, {w.StartCount.known, UnknownStartCount}, {w.Remains.known, UnknownRemains}} {
		if !f.known {
			s.Unknown |= f.bit
		}
	}
	return s
}

// Status returns the status of one order. An unknown order is an
// *APIError matching ErrUnknownOrder.
func (c *Client) Status(ctx context.Context, key string, order int64) (Status, error) {
	if order <= 0 {
		return Status{}, fmt.Errorf("status: %w", badID("order", order))
	}
	s, err := c.status(ctx, key, order)
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	return s, nil
}

func (c *Client) status(ctx context.Context, key string, order int64) (Status, error) {
	r, err := c.read(ctx, key, "status", url.Values{"order": {itoa(order)}})
	if err != nil {
		return Status{}, err
	}
	return decodeStatus(r)
}

// decodeStatus decodes a single status reply: a status object, or a list
// or keyed object holding just one.
func decodeStatus(r *reply) (Status, error) {
	b := bytes.TrimSpace(r.body)
	if len(b) > 0 && b[0] == '{' {
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil && len(m) == 1 {
			for k, v := range m {
				if _, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64); err == nil {
					b = v // {"23501": {...}}
				}
			}
		}
	}
	if len(b) > 0 && b[0] == '[' {
		var items []json.RawMessage
		if err := r.decode(&items); err != nil {
			return Status{}, err
		}
		if len(items) != 1 {
			return Status{}, r.shape(fmt.Sprintf("a list of %d statuses for one order", len(items)))
		}
		b = items[0]
	}
	res := decodeStatusItem(r, b)
	return res.Status, res.Err
}

// itemFailed reports whether a batch item's error is the panel's refusal
// of that item rather than a failure of the request.
func itemFailed(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && !errors.Is(err, ErrRateLimited) && !errors.Is(err, ErrInvalidKey)
}

// Statuses returns the status of any number of orders: at most 100 a
// request, up to Options.InFlight requests at once, within the key's
// pace. A panel that does not take several ids is learnt once, then asked
// one order at a time. An order's own error (unknown order, left out of
// the reply) is in its entry; the error is for a request that failed as a
// whole (a *RateLimitError while the panel asks this key to wait), and
// the map then holds the orders done before it.
func (c *Client) Statuses(ctx context.Context, key string, orders []int64) (map[int64]StatusResult, error) {
	res, err := poll(ctx, c, key, orders, pollSpec[StatusResult]{
		action:  "status",
		feature: FeatureBatchStatus,
		batch: func(ctx context.Context, ids []int64) (map[int64]StatusResult, error) {
			r, err := c.read(ctx, key, "status", url.Values{"orders": {joinIDs(ids)}})
			if err != nil {
				return nil, err
			}
			return decodeStatuses(r, ids)
		},
		single: func(ctx context.Context, id int64) (StatusResult, error) {
			s, err := c.status(ctx, key, id)
			if err != nil && !itemFailed(err) {
				return StatusResult{}, err
			}
			return StatusResult{Status: s, Err: err}, nil
		},
		bad:     func(id int64) StatusResult { return StatusResult{Err: badID("order", id)} },
		missing: func(id int64) StatusResult { return StatusResult{Err: fmt.Errorf("order %d: %w", id, ErrNotInReply)} },
	})
	if err != nil {
		return res, fmt.Errorf("status: %w", err)
	}
	return res, nil
}

// decodeStatuses decodes a batch status reply: an object keyed by order
// id, or a list of status objects that carry their order id. A panel
// that answers a batch of one with a bare status object is understood
// too; one that answers several ids so is not answering the batch.
func decodeStatuses(r *reply, ids []int64) (map[int64]StatusResult, error) {
	b := bytes.TrimSpace(r.body)
	switch {
	case len(b) > 0 && b[0] == '[':
		return decodeStatusList(r)
	case len(b) == 0 || b[0] != '{':
		return nil, r.shape("want an object keyed by order id, got " + kind(b))
	}
	var entries map[string]json.RawMessage
	if err := r.decode(&entries); err != nil {
		return nil, err
	}
	if _, bare := entries["status"]; bare {
		if len(ids) != 1 {
			return nil, r.shape("one status for several orders")
		}
		entries = map[string]json.RawMessage{itoa(ids[0]): r.body}
	}
	out := make(map[int64]StatusResult, len(ids))
	for k, raw := range entries {
		id, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
		if err != nil {
			continue // not an order id: nothing we asked for
		}
		out[id] = decodeStatusItem(r, raw)
	}
	return out, nil
}

// orderIDFields are the members a status in a list names its order by.
var orderIDFields = []string{"order", "id", "order_id"}

// decodeStatusList decodes a batch status answered as a list of status
// objects, each with its order id. An item without one is skipped.
func decodeStatusList(r *reply) (map[int64]StatusResult, error) {
	var items []json.RawMessage
	if err := r.decode(&items); err != nil {
		return nil, err
	}
	out := make(map[int64]StatusResult, len(items))
	for _, raw := range items {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		id := idMember(m, orderIDFields)
		if id <= 0 {
			continue
		}
		if inner := bytes.TrimSpace(m["status"]); len(inner) > 0 && inner[0] == '{' {
			raw = inner // {"order": 1, "status": {...}}
		}
		out[id] = decodeStatusItem(r, raw)
	}
	return out, nil
}

// idMember reads the first of fields that holds a positive id, or 0.
func idMember(m map[string]json.RawMessage, fields []string) int64 {
	for _, f := range fields {
		var id wireInt
		if v, ok := m[f]; ok && json.Unmarshal(v, &id) == nil && id > 0 {
			return int64(id)
		}
	}
	return 0
}

func decodeStatusItem(r *reply, raw json.RawMessage) StatusResult {
	if e, ok := r.itemAPIError(raw); ok {
		return StatusResult{Err: e}
	}
	var w statusWire
	if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' {
		return StatusResult{Err: r.itemShape(raw, "want a status object, got "+kind(b))}
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return StatusResult{Err: r.itemShape(raw, err.Error())}
	}
	if w.Status == "" {
		return StatusResult{Err: r.itemShape(raw, "no status")}
	}
	return StatusResult{Status: w.status()}
}
