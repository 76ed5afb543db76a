package smm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// maxBatch is the most ids the panel takes in one request.
const maxBatch = 100

// batch runs one request per chunk of at most maxBatch distinct valid ids
// and merges the results. An id not above zero gets bad(id) without a
// request; an id the panel's reply left out gets missing(id). On an error
// the map holds the results of the chunks done before it.
func batch[R any](ctx context.Context, ids []int64, do func(context.Context, []int64) (map[int64]R, error), bad, missing func(int64) R) (map[int64]R, error) {
	out, valid := distinctIDs(ids, bad)
	for len(valid) > 0 {
		chunk := valid[:min(maxBatch, len(valid))]
		valid = valid[len(chunk):]
		got, err := do(ctx, chunk)
		if err != nil {
			return out, err
		}
		for _, id := range chunk {
			r, ok := got[id]
			if !ok {
				r = missing(id)
			}
			out[id] = r
		}
	}
	return out, nil
}

// joinIDs is the comma-separated list of a batch request.
func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

// badID is the error of an id that cannot be one.
func badID(what string, id int64) error {
	return fmt.Errorf("%s %d: not a valid id", what, id)
}

// batchItem is one entry of a batch reply,
// {"<id field>": N, "<value field>": value or {"error": ...}}.
type batchItem struct {
	id  int64
	val json.RawMessage // the value member; nil when absent
	err *APIError       // the item's error, as its value or beside it
	raw json.RawMessage
}

// arrayItems decodes a batch reply (refill, refill_status, cancel): an
// array of items, or an object keyed by id whose values are the items or
// their values ({"12": "requested"}). An entry without a usable id is
// skipped: nothing says which request it answers; an array entry that is
// not an object makes the whole reply unreadable. A batch of one
// answered with a bare object is read as that one item.
func arrayItems(r *reply, ids []int64, idField, valField string) ([]batchItem, error) {
	b := bytes.TrimSpace(r.body)
	var raws []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '{':
		if items, ok := keyedItems(r, b, valField); ok {
			return items, nil
		}
		if len(ids) != 1 {
			return nil, r.shape("want an array, got an object")
		}
		raws = []json.RawMessage{b}
	case len(b) > 0 && b[0] == '[':
		if err := r.decode(&raws); err != nil {
			return nil, err
		}
	default:
		return nil, r.shape("want an array, got " + kind(b))
	}
	bare := len(b) > 0 && b[0] == '{'
	items := make([]batchItem, 0, len(raws))
	for i, raw := range raws {
		var m map[string]json.RawMessage
		if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &m) != nil {
			return nil, r.shape(fmt.Sprintf("item %d is %s, not an object", i, kind(raw)))
		}
		id := idMember(m, []string{idField, "id"})
		if _, has := m[idField]; !has && bare {
			id = ids[0]
		}
		if id <= 0 {
			continue
		}
		items = append(items, r.item(id, m, raw, valField))
	}
	return items, nil
}

// item makes a batch item of an entry's members.
func (r *reply) item(id int64, m map[string]json.RawMessage, raw json.RawMessage, valField string) batchItem {
	it := batchItem{id: id, val: m[valField], raw: raw}
	if e, ok := r.itemAPIError(it.val); ok {
		it.err = e
	} else if msg, ok := errorText(m["error"], m["message"]); ok {
		it.err = r.apiError(msg)
	}
	return it
}

// keyedItems reads an object keyed by id; ok is false when no key is an
// id. A value that is an object is the item (its valField member the
// value, or its error); any other value is the item's value.
func keyedItems(r *reply, b []byte, valField string) ([]batchItem, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	var items []batchItem
	for k, v := range m {
		id, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		var inner map[string]json.RawMessage
		if vb := bytes.TrimSpace(v); len(vb) > 0 && vb[0] == '{' && json.Unmarshal(vb, &inner) == nil {
			if _, has := inner[valField]; has {
				items = append(items, r.item(id, inner, v, valField))
				continue
			}
		}
		items = append(items, r.item(id, map[string]json.RawMessage{valField: v}, v, valField))
	}
	return items, items != nil
}
