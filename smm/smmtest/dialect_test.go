package smmtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm/smmtest"
)

// The raw replies of each dialect switch.

func TestDialectReplies(t *testing.T) {
	tests := []struct {
		name    string
		dialect smmtest.Dialect
		pairs   func(order int64) []string // the request, after key
		want    string                     // the body, with %d for the order id
	}{
		{"status-message error", smmtest.Dialect{Errors: smmtest.ErrorsStatusMessage},
			func(int64) []string { return []string{"action", "status", "order", "1"} },
			`{"message":"Incorrect order ID","status":"error"}`},
		{"success-false error", smmtest.Dialect{Errors: smmtest.ErrorsSuccessFalse},
			func(int64) []string { return []string{"action", "status", "order", "1"} },
			`{"message":"Incorrect order ID","success":false}`},
		{"status-data wrapper", smmtest.Dialect{Wrap: smmtest.WrapStatusData},
			func(int64) []string { return []string{"action", "balance"} },
			`{"data":{"balance":"99.88","currency":"USD"},"status":"success"}`},
		{"data wrapper", smmtest.Dialect{Wrap: smmtest.WrapData},
			func(int64) []string { return []string{"action", "balance"} },
			`{"data":{"balance":"99.88","currency":"USD"}}`},
		{"list status", smmtest.Dialect{ListStatus: true},
			func(id int64) []string { return []string{"action", "status", "orders", fmt.Sprintf("%d,1", id)} },
			`[{"order":%d,"charge":"0.12","start_count":"%s","status":"Pending","remains":"100","currency":"USD"},{"order":1,"error":"Incorrect order ID"}]`},
		{"no batch status", smmtest.Dialect{NoBatchStatus: true},
			func(id int64) []string { return []string{"action", "status", "orders", fmt.Sprint(id)} },
			`{"error":"Incorrect request"}`},
		{"no batch refill status", smmtest.Dialect{NoBatchRefillStatus: true},
			func(int64) []string { return []string{"action", "refill_status", "refills", "1,2"} },
			`{"error":"Incorrect request"}`},
		{"no refill", smmtest.Dialect{NoRefill: true},
			func(id int64) []string { return []string{"action", "refill", "order", fmt.Sprint(id)} },
			`null`},
		{"no cancel", smmtest.Dialect{NoCancel: true},
			func(id int64) []string { return []string{"action", "cancel", "orders", fmt.Sprint(id)} },
			``},
		{"keyed cancel", smmtest.Dialect{CancelKeyed: true},
			func(id int64) []string { return []string{"action", "cancel", "orders", fmt.Sprintf("%d,1", id)} },
			`{"1":{"error":"Incorrect order ID"},"%d":"requested"}`},
		{"placeholders", smmtest.Dialect{Placeholders: true},
			func(id int64) []string { return []string{"action", "status", "order", fmt.Sprint(id)} },
			`{"charge":"-","start_count":"Unknown","status":"Pending","remains":"","currency":"USD"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, smmtest.Options{})
			id := f.place(t, keyA, "service", "5", "link", "https://t.me/a", "quantity", "100")
			o, _ := f.panel.Order(keyA, id)
			f.panel.SetDialect(tt.dialect)
			r := f.post(t, append([]string{"key", keyA}, tt.pairs(id)...)...)
			want := tt.want
			switch strings.Count(want, "%") {
			case 1:
				want = fmt.Sprintf(want, id)
			case 2:
				want = fmt.Sprintf(want, id, fmt.Sprint(o.StartCount))
			}
			if r.code != http.StatusOK || strings.TrimSpace(string(r.body)) != want {
				t.Errorf("got HTTP %d %s\nwant %s", r.code, r.body, want)
			}
		})
	}
}

func TestDialectNestedRefillStatus(t *testing.T) {
	f := newFixture(t, smmtest.Options{Step: time.Second})
	id := f.place(t, keyA, "service", "5", "link", "https://t.me/a", "quantity", "100")
	f.clock.Advance(2 * time.Second)
	refill := asInt(t, f.call(t, keyA, "refill", "order", fmt.Sprint(id)).(map[string]any)["refill"])
	f.panel.SetDialect(smmtest.Dialect{NestedRefillStatus: true})
	one := f.post(t, "key", keyA, "action", "refill_status", "refill", fmt.Sprint(refill))
	many := f.post(t, "key", keyA, "action", "refill_status", "refills", fmt.Sprint(refill))
	if got := strings.TrimSpace(string(one.body)); got != `{"status":{"status":"Pending"}}` {
		t.Errorf("one refill: %s", got)
	}
	if got, want := strings.TrimSpace(string(many.body)), fmt.Sprintf(`[{"refill":%d,"status":{"status":"Pending"}}]`, refill); got != want {
		t.Errorf("batch: %s, want %s", got, want)
	}
}

func TestDialectFinalStatus(t *testing.T) {
	f := newFixture(t, smmtest.Options{Step: time.Second, Dialect: smmtest.Dialect{FinalStatus: "Fail"}})
	id := f.place(t, keyA, "service", "5", "link", "https://t.me/a", "quantity", "100")
	f.clock.Advance(2 * time.Second)
	if o, _ := f.panel.Order(keyA, id); o.Status != "Fail" {
		t.Errorf("status %q; want Fail", o.Status)
	}
	wantError(t, f.call(t, keyA, "cancel", "orders", fmt.Sprint(id)).([]any)[0].(map[string]any)["cancel"], "Cancel not allowed")
}

func TestDialectRateLimit(t *testing.T) {
	f := newFixture(t, smmtest.Options{Dialect: smmtest.Dialect{RateLimit: 2}})
	f.clock.Advance(45 * time.Second)
	for range 2 {
		f.call(t, keyA, "balance")
	}
	r := f.post(t, "key", keyA, "action", "balance")
	if r.code != http.StatusTooManyRequests || r.header.Get("Retry-After") != "15" {
		t.Errorf("3rd request: HTTP %d, Retry-After %q; want 429 and 15", r.code, r.header.Get("Retry-After"))
	}
	f.call(t, keyB, "balance") // another key has its own budget
	f.clock.Advance(15 * time.Second)
	f.call(t, keyA, "balance")
	if n := f.panel.Count("balance"); n != 5 {
		t.Errorf("%d balance requests counted; want 5", n)
	}
}

func TestLatency(t *testing.T) {
	f := newFixture(t, smmtest.Options{Latency: time.Millisecond})
	f.call(t, keyA, "balance") // answered, after the latency
	if d := smmtest.DialectNames(); len(d) != len(smmtest.Dialects()) || d[0] == "" {
		t.Errorf("DialectNames = %v", d)
	}
}
