package smm_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/smmbot/smmbot/smm"
)

func TestAddForm(t *testing.T) {
	tests := []struct {
		name string
		req  smm.AddRequest
		want url.Values // besides key and action
	}{
		{"default", smm.AddRequest{Service: 1, Link: " https://t.me/x ", Quantity: 1500},
			url.Values{"service": {"1"}, "link": {"https://t.me/x"}, "quantity": {"1500"}}},
		{"package", smm.AddRequest{Service: 2, Link: "https://t.me/x"},
			url.Values{"service": {"2"}, "link": {"https://t.me/x"}}},
		{"custom comments", smm.AddRequest{Service: 3, Link: "https://t.me/x", Quantity: 99, Comments: "nice\ngreat"},
			url.Values{"service": {"3"}, "link": {"https://t.me/x"}, "comments": {"nice\ngreat"}}},
		{"drip-feed", smm.AddRequest{Service: 1, Link: "https://t.me/x", Quantity: 100, Runs: 5, Interval: 30},
			url.Values{"service": {"1"}, "link": {"https://t.me/x"}, "quantity": {"100"}, "runs": {"5"}, "interval": {"30"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, panel := serve(t, file(t, "add.json"))
			if _, err := c.Add(t.Context(), testKey, tt.req); err != nil {
				t.Fatal(err)
			}
			got := panel.calls()[0]
			tt.want.Set("key", testKey)
			tt.want.Set("action", "add")
			if got.Encode() != tt.want.Encode() {
				t.Errorf("form %s, want %s", got.Encode(), tt.want.Encode())
			}
		})
	}
}

func TestAddRejectsBadRequests(t *testing.T) {
	tests := []struct {
		name string
		req  smm.AddRequest
	}{
		{"no service", smm.AddRequest{Link: "x", Quantity: 1}},
		{"no link", smm.AddRequest{Service: 1, Link: "  ", Quantity: 1}},
		{"negative quantity", smm.AddRequest{Service: 1, Link: "x", Quantity: -1}},
		{"runs without interval", smm.AddRequest{Service: 1, Link: "x", Quantity: 1, Runs: 3}},
		{"interval without runs", smm.AddRequest{Service: 1, Link: "x", Quantity: 1, Interval: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, panel := serve(t, file(t, "add.json"))
			_, err := c.Add(t.Context(), testKey, tt.req)
			if !errors.Is(err, smm.ErrIncorrectRequest) || errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("Add: %v; want ErrIncorrectRequest", err)
			}
			if n := len(panel.calls()); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
}

func TestAddWithoutOrderIDIsUnknownOutcome(t *testing.T) {
	for _, body := range []string{`{}`, `{"order": 0}`, `{"order": "abc"}`, `{"error": null, "status": "ok"}`} {
		t.Run(body, func(t *testing.T) {
			c, _ := serve(t, ok(body))
			_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 1})
			if !errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("Add: %v; want ErrUnknownOutcome", err)
			}
			wantAs[*smm.ResponseError](t, err)
		})
	}
}

func TestAddOddButValidReplies(t *testing.T) {
	for _, body := range []string{"\xef\xbb\xbf{\"order\": 23501}", `{"error": null, "order": 23501}`, `{"error": "", "order": "23501"}`} {
		t.Run(body, func(t *testing.T) {
			c, _ := serve(t, ok(body))
			id, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 1})
			if err != nil || id != 23501 {
				t.Errorf("Add = %d, %v; want 23501", id, err)
			}
		})
	}
}

func TestStatusErrors(t *testing.T) {
	tests := []struct {
		body string
		api  error // nil: a *ResponseError
	}{
		{`{"error": "Incorrect order ID"}`, smm.ErrUnknownOrder},
		{`{"charge": "1"}`, nil},
		{`[]`, nil},
		{`"Completed"`, nil},
		{`null`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			c, _ := serve(t, ok(tt.body))
			_, err := c.Status(t.Context(), testKey, 1)
			if tt.api != nil {
				if !errors.Is(err, tt.api) {
					t.Errorf("Status: %v; want %v", err, tt.api)
				}
				return
			}
			wantAs[*smm.ResponseError](t, err)
		})
	}
}

func TestSingleCallsRejectBadIDs(t *testing.T) {
	c, panel := serve(t, ok(`{}`))
	ctx := t.Context()
	_, err1 := c.Status(ctx, testKey, 0)
	_, err2 := c.Refill(ctx, testKey, -1)
	_, err3 := c.RefillStatus(ctx, testKey, 0)
	for _, err := range []error{err1, err2, err3} {
		if err == nil || errors.Is(err, smm.ErrUnknownOutcome) {
			t.Errorf("error %v: want a plain error", err)
		}
	}
	if n := len(panel.calls()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestIsFinished(t *testing.T) {
	tests := []struct {
		status       string
		order, refil bool
	}{
		{"Completed", true, true},
		{"completed", true, true},
		{"Partial", true, false},
		{"Canceled", true, true},
		{"Cancelled", true, true},
		{"Refunded", true, true},
		{" In progress ", false, false},
		{"Pending", false, false},
		{"Processing", false, false},
		{"Rejected", false, true},
		{"Error", true, true},
		{"Fail", true, true},
		{"FAILED", true, true},
		{"in  PROGRESS", false, false},
		{"Partially delivered", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			if got := smm.IsFinished(tt.status); got != tt.order {
				t.Errorf("IsFinished = %t, want %t", got, tt.order)
			}
			if got := (smm.Status{Status: tt.status}).Finished(); got != tt.order {
				t.Errorf("Status.Finished = %t, want %t", got, tt.order)
			}
			if got := smm.IsRefillFinished(tt.status); got != tt.refil {
				t.Errorf("IsRefillFinished = %t, want %t", got, tt.refil)
			}
		})
	}
}
