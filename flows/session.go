package flows

import (
	"encoding/json"
	"fmt"

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
}

// Idle reports whether no conversation is under way.
func (s Session) Idle() bool { return s.State == "" || s.State == StateIdle }

// MarshalDraft encodes a draft for storage.
func MarshalDraft(d Draft) ([]byte, error) {
	if d == (Draft{}) {
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
