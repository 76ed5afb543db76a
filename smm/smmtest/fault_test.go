package smmtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

var addFields = []string{"action", "add", "key", keyA, "service", "1", "link", "x", "quantity", "100"}

func TestFaults(t *testing.T) {
	tests := []struct {
		name        string
		fault       smmtest.Fault
		code        int
		contentType string
		body        func(string) bool
		retryAfter  string
	}{
		{"html 503", smmtest.Fault{Kind: smmtest.FaultHTML503}, 503, "text/html",
			func(b string) bool {
				return strings.HasPrefix(b, "<!DOCTYPE html>") && strings.Contains(b, "cloudflare")
			}, ""},
		{"empty 500", smmtest.Fault{Kind: smmtest.FaultEmpty500}, 500, "",
			func(b string) bool { return b == "" }, ""},
		{"invalid json", smmtest.Fault{Kind: smmtest.FaultInvalidJSON}, 200, "application/json",
			func(b string) bool { return b != "" && !json.Valid([]byte(b)) }, ""},
		{"error", smmtest.Fault{Kind: smmtest.FaultError, Message: "neworder.error.link_duplicate"}, 200, "application/json",
			func(b string) bool { return b == `{"error":"neworder.error.link_duplicate"}` }, ""},
		{"error without message", smmtest.Fault{Kind: smmtest.FaultError}, 200, "application/json",
			func(b string) bool { return b == `{"error":"Incorrect request"}` }, ""},
		{"429", smmtest.Fault{Kind: smmtest.Fault429, RetryAfter: 1500 * time.Millisecond}, 429, "text/plain",
			func(b string) bool { return strings.Contains(b, "Too Many Requests") }, "2"},
		{"429 without retry-after", smmtest.Fault{Kind: smmtest.Fault429}, 429, "text/plain",
			func(b string) bool { return !json.Valid([]byte(b)) }, ""},
		{"html 200", smmtest.Fault{Kind: smmtest.FaultHTML200}, 200, "text/html",
			func(b string) bool { return strings.Contains(b, "<html>") }, ""},
		{"unknown kind", smmtest.Fault{Kind: smmtest.FaultKind(99)}, 500, "text/plain",
			func(b string) bool { return strings.Contains(b, "unknown fault kind 99") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, smmtest.Options{})
			f.panel.Inject(tt.fault)
			r := f.post(t, addFields...)
			if r.code != tt.code || !strings.HasPrefix(r.contentType, tt.contentType) || !tt.body(string(r.body)) {
				t.Errorf("got HTTP %d %q %q, want %d %q", r.code, r.contentType, r.body, tt.code, tt.contentType)
			}
			if got := r.header.Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			if got := f.panel.Orders(keyA); len(got) != 0 {
				t.Errorf("a faulted add placed %v", got)
			}
			if got := f.panel.Count("add"); got != 1 {
				t.Errorf("Count(add) = %d, want 1", got)
			}
			f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
			if got := f.panel.Orders(keyA); len(got) != 1 {
				t.Errorf("the add after the fault placed %d orders, want 1", len(got))
			}
		})
	}
}

func TestFaultMatchesActionAndCount(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	f.panel.Inject(smmtest.Fault{Kind: smmtest.FaultEmpty500, Action: "status", Count: 2})
	f.panel.Inject(smmtest.Fault{Kind: smmtest.FaultHTML200})
	want := []struct {
		action string
		code   int
		ctype  string
	}{
		{"balance", 200, "text/html"}, // the any-action fault
		{"status", 500, ""},
		{"balance", 200, "application/json"},
		{"status", 500, ""},
		{"status", 200, "application/json"},
	}
	for i, w := range want {
		r := f.post(t, "key", keyA, "action", w.action, "order", "1")
		if r.code != w.code || !strings.HasPrefix(r.contentType, w.ctype) {
			t.Errorf("request %d (%s): got HTTP %d %q, want %d %q", i, w.action, r.code, r.contentType, w.code, w.ctype)
		}
	}
	if got := f.panel.PendingFaults(); got != 0 {
		t.Errorf("PendingFaults() = %d, want 0", got)
	}
	f.panel.Inject(smmtest.Fault{Kind: smmtest.FaultEmpty500, Count: 5})
	f.panel.ClearFaults()
	f.call(t, keyA, "balance")
}

func TestFaultDelayAnswersNormally(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	f.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "add", Delay: 20 * time.Millisecond})
	f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
	if got := f.panel.Orders(keyA); len(got) != 1 {
		t.Errorf("a delayed add placed %d orders, want 1", len(got))
	}
}

func TestFaultDelayGivesUpWithTheRequest(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	f.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Delay: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		form := url.Values{"key": {keyA}, "action": {"add"}, "service": {"1"}, "link": {"x"}, "quantity": {"100"}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.srv.URL, strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			var resp *http.Response
			if resp, err = f.srv.Client().Do(req); err == nil {
				resp.Body.Close()
			}
		}
		errc <- err
	}()
	waitFor(t, func() bool { return f.panel.Count("add") == 1 })
	cancel()
	if err := <-errc; err == nil {
		t.Error("the delayed request answered, want it to hang until canceled")
	}
	f.srv.Close() // waits for the handler to return
	if got := f.panel.Orders(keyA); len(got) != 0 {
		t.Errorf("a canceled, delayed add placed %v", got)
	}
}

func TestFaultDelayWithCanceledContext(t *testing.T) {
	p := smmtest.New(smmtest.Options{})
	p.AddKey(keyA, decimal.NewFromInt(100))
	p.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Delay: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	body := url.Values{"key": {keyA}, "action": {"add"}, "service": {"1"}, "link": {"x"}, "quantity": {"100"}}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/v2", strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, req)
	if rec.Body.Len() != 0 || len(p.Orders(keyA)) != 0 {
		t.Errorf("got %q and %d orders, want no answer and no order", rec.Body, len(p.Orders(keyA)))
	}
}

func TestFaultLostReplyPlacesTheOrder(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	f.panel.Inject(smmtest.Fault{Kind: smmtest.FaultLostReply, Action: "add"})
	r := f.post(t, addFields...)
	if r.code != http.StatusGatewayTimeout || !strings.HasPrefix(r.contentType, "text/html") {
		t.Errorf("got HTTP %d %q, want a 504 HTML page", r.code, r.contentType)
	}
	if got := f.panel.Orders(keyA); len(got) != 1 {
		t.Errorf("lost-reply add placed %d orders, want 1", len(got))
	}
}

// waitFor polls cond until it holds or a deadline passes.
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
