package flows

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/smmbot/smmbot/smm"
)

// Session is one chat's conversation: its state, the menu message that is
// edited in place, a version that changes with every new conversation (so a
// tap on an older menu is refused) and the draft order.
type Session struct {
	ChatID  int64
	State   string
	Version int64
	MenuID  int
	Draft   Draft
}

// Draft is what the conversation has gathered so far.
type Draft struct {
	Category int          `json:"cat,omitempty"`  // index of the category browsed
	Search   string       `json:"q,omitempty"`    // the search the service list shows, if any
	Page     int          `json:"page,omitempty"` // page of the list on screen
	Service  *smm.Service `json:"svc,omitempty"`  // the chosen service, as it was when chosen
	Link     string       `json:"link,omitempty"`
	Quantity int64        `json:"qty,omitempty"`
	Comments string       `json:"comments,omitempty"`
	Runs     int64        `json:"runs,omitempty"`
	Interval int64        `json:"interval,omitempty"`
	Currency string       `json:"cur,omitempty"` // the panel's, for the amounts shown
	// Extra holds the type-specific fields (usernames, answer_number,
	// min, ...) by the add request's field name.
	Extra map[string]string `json:"x,omitempty"`
	// List is the history list last shown (history.go): a card's way back
	// to it, and where typed text searches while no order is under way.
	List *ListView `json:"list,omitempty"`
}

// IsZero reports whether the draft is empty.
func (d Draft) IsZero() bool {
	return d.Category == 0 && d.Search == "" && d.Page == 0 && d.Service == nil && d.Link == "" &&
		d.Quantity == 0 && d.Comments == "" && d.Runs == 0 && d.Interval == 0 && d.Currency == "" && len(d.Extra) == 0 &&
		d.List == nil
}

// value is the draft's value of a field, as text ("" when not set).
func (d Draft) value(name string) string {
	itoa := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	switch name {
	case fieldLink:
		return d.Link
	case fieldQuantity:
		return itoa(d.Quantity)
	case fieldComments:
		return d.Comments
	case fieldRuns:
		return itoa(d.Runs)
	case fieldInterval:
		return itoa(d.Interval)
	}
	return d.Extra[name]
}

// set keeps a field's value; "" clears it. The map is copied, so that a
// session copied before the change keeps its own.
func (d *Draft) set(name, v string) {
	switch name {
	case fieldLink:
		d.Link = v
	case fieldQuantity:
		d.Quantity = atoi(v)
	case fieldComments:
		d.Comments = v
	case fieldRuns:
		d.Runs = atoi(v)
	case fieldInterval:
		d.Interval = atoi(v)
	default:
		extra := make(map[string]string, len(d.Extra)+1)
		for k, x := range d.Extra {
			extra[k] = x
		}
		if v == "" {
			delete(extra, name)
		} else {
			extra[name] = v
		}
		d.Extra = extra
		if len(extra) == 0 {
			d.Extra = nil
		}
	}
}

// clearFields forgets every field of the order (the service stays).
func (d *Draft) clearFields() {
	d.Link, d.Quantity, d.Comments, d.Runs, d.Interval, d.Extra = "", 0, "", 0, 0, nil
}

// Idle reports whether no conversation is under way.
func (s Session) Idle() bool { return s.State == "" || s.State == StateIdle }

// MarshalDraft encodes a draft for storage.
func MarshalDraft(d Draft) ([]byte, error) {
	if d.IsZero() {
		return nil, nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("marshal draft: %w", err)
	}
	return b, nil
}

// UnmarshalDraft decodes a stored draft; nil or empty is the empty draft.
func UnmarshalDraft(b []byte) (Draft, error) {
	var d Draft
	if len(b) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return Draft{}, fmt.Errorf("unmarshal draft: %w", err)
	}
	return d, nil
}

// total is the number of units the draft orders in all.
func (d Draft) total() int64 {
	if d.Runs > 0 {
		return d.Quantity * d.Runs
	}
	return d.Quantity
}
