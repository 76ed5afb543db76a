package smm_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm"
)

const cdnPage = "<!DOCTYPE html>\n<html><head><title>panel.example | 503: Service temporarily unavailable</title></head>\n<body><h1>503</h1></body></html>"

// faults are the ways a reply goes wrong, with what a read makes of them.
var faults = []struct {
	name       string
	reply      fakeReply
	reason     string // the *ResponseError's Reason; "" for an *APIError
	retried    bool   // a read tries again
	maybeActed bool   // a write's outcome is unknown
}{
	{"html 503", fakeReply{status: 503, body: cdnPage}, "HTML page", true, true},
	{"empty 500", fakeReply{status: 500}, "empty body", true, true},
	{"invalid json", ok(`{"order": 23501, "status": "In progr`), "invalid JSON", false, true},
	{"html 200", ok("<html><head><title>Maintenance</title></head><body>back soon</body></html>"), "HTML page", false, true},
	{"html 403", fakeReply{status: 403, body: "<html><title>Attention Required! | Cloudflare</title></html>"}, "HTML page", false, true},
	{"429", fakeReply{status: 429, body: "Too Many Requests"}, "rate limited", false, false},
	{"redirect", fakeReply{status: 302, header: http.Header{"Location": {"/elsewhere"}}}, "redirect (not followed)", false, true},
	{"json without error at 404", fakeReply{status: 404, body: `{"ok": false}`}, "HTTP error", false, true},
	{"wrong shape", ok(`[1, 2, 3]`), "unexpected reply", false, true},
	{"error at 500", fakeReply{status: 500, body: `{"error": "Internal failure"}`}, "", true, true},
}

func TestReadFaults(t *testing.T) {
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			c, panel := serve(t, f.reply)
			_, err := c.Balance(t.Context(), testKey)
			noKey(t, err)
			if err == nil {
				t.Fatal("Balance: no error")
			}
			if f.reason == "" {
				wantAs[*smm.APIError](t, err)
			} else {
				re := wantAs[*smm.ResponseError](t, err)
				if !strings.HasPrefix(re.Reason, f.reason) || re.StatusCode != f.reply.status || re.Action != "balance" {
					t.Errorf("got %+v; want reason %q, status %d, action balance", re, f.reason, f.reply.status)
				}
				if len([]rune(re.Excerpt)) > 120 || strings.ContainsAny(re.Excerpt, "\r\n") {
					t.Errorf("excerpt %q: over 120 characters or several lines", re.Excerpt)
				}
			}
			if errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("a read's error %v wraps ErrUnknownOutcome", err)
			}
			want := 1
			if f.retried {
				want = 2
			}
			if got := len(panel.calls()); got != want {
				t.Errorf("%d requests, want %d", got, want)
			}
		})
	}
}

func TestHTMLPageExcerptIsItsTitle(t *testing.T) {
	c, _ := serve(t, fakeReply{status: 503, body: cdnPage})
	_, err := c.Services(t.Context(), testKey)
	re := wantAs[*smm.ResponseError](t, err)
	if re.Excerpt != "panel.example | 503: Service temporarily unavailable" {
		t.Errorf("excerpt %q, want the page's title", re.Excerpt)
	}
}

func TestWriteFaultsAreNeverRetried(t *testing.T) {
	writes := []struct {
		name string
		call func(context.Context, *smm.Client) error
	}{
		{"add", func(ctx context.Context, c *smm.Client) error {
			_, err := c.Add(ctx, testKey, smm.AddRequest{Service: 1, Link: "https://t.me/x", Quantity: 100})
			return err
		}},
		{"refill", func(ctx context.Context, c *smm.Client) error {
			_, err := c.Refill(ctx, testKey, 5)
			return err
		}},
		{"refills", func(ctx context.Context, c *smm.Client) error {
			_, err := c.Refills(ctx, testKey, []int64{5, 6})
			return err
		}},
		{"cancel", func(ctx context.Context, c *smm.Client) error {
			_, err := c.Cancel(ctx, testKey, []int64{5, 6})
			return err
		}},
	}
	for _, w := range writes {
		for _, f := range faults {
			t.Run(w.name+"/"+f.name, func(t *testing.T) {
				c, panel := serve(t, f.reply)
				err := w.call(t.Context(), c)
				noKey(t, err)
				if err == nil {
					t.Fatal("no error")
				}
				if got := errors.Is(err, smm.ErrUnknownOutcome); got != f.maybeActed {
					t.Errorf("errors.Is(%v, ErrUnknownOutcome) = %t, want %t", err, got, f.maybeActed)
				}
				if got := len(panel.calls()); got != 1 {
					t.Errorf("%d requests, want exactly 1", got)
				}
			})
		}
	}
}

func TestAddRefusalIsClean(t *testing.T) {
	tests := []struct {
		name  string
		reply fakeReply
		want  error
	}{
		{"200", ok(`{"error": "Not enough funds on balance"}`), smm.ErrInsufficientFunds},
		{"known words at 500", fakeReply{status: 500, body: `{"error": "neworder.error.link_duplicate"}`}, smm.ErrDuplicateLink},
		{"400", fakeReply{status: 400, body: `{"error": "Incorrect service ID"}`}, smm.ErrUnknownService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := serve(t, tt.reply)
			_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 10})
			if !errors.Is(err, tt.want) || errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("Add: %v; want %v, and not ErrUnknownOutcome", err, tt.want)
			}
			wantAs[*smm.APIError](t, err)
		})
	}
}

func TestReadRetrySucceeds(t *testing.T) {
	for _, f := range faults {
		if !f.retried {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			c, panel := serve(t, f.reply, ok(`{"balance": "1.50", "currency": "USD"}`))
			b, err := c.Balance(t.Context(), testKey)
			if err != nil || !b.Amount.Equal(dec("1.5")) {
				t.Errorf("Balance = %v, %v; want 1.5 after one retry", b, err)
			}
			if got := len(panel.calls()); got != 2 {
				t.Errorf("%d requests, want 2", got)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	slow := fakeReply{status: 200, body: `{"order": 1}`, delay: time.Minute}
	opts := smm.Options{Timeout: 50 * time.Millisecond}
	t.Run("read retried once", func(t *testing.T) {
		c, panel := serveOpts(t, opts, slow)
		_, err := c.Balance(t.Context(), testKey)
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, smm.ErrUnknownOutcome) {
			t.Errorf("Balance: %v; want a deadline error", err)
		}
		if got := len(panel.calls()); got != 2 {
			t.Errorf("%d requests, want 2", got)
		}
	})
	t.Run("add outcome unknown", func(t *testing.T) {
		c, panel := serveOpts(t, opts, slow)
		_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 10})
		if !errors.Is(err, smm.ErrUnknownOutcome) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Add: %v; want ErrUnknownOutcome wrapping the deadline", err)
		}
		noKey(t, err)
		if got := len(panel.calls()); got != 1 {
			t.Errorf("%d requests, want 1", got)
		}
	})
}

func TestUnreachablePanel(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	c := smm.NewClient(url, smm.Options{Backoff: time.Millisecond})
	_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 10})
	if err == nil || errors.Is(err, smm.ErrUnknownOutcome) {
		t.Errorf("Add: %v; want a plain error: the request never left", err)
	}
	noKey(t, err)
	_, err = c.Balance(t.Context(), testKey)
	if err == nil {
		t.Error("Balance: no error")
	}
	noKey(t, err)
}

func TestBackoffRespectsContext(t *testing.T) {
	c, panel := serveOpts(t, smm.Options{Backoff: time.Hour}, fakeReply{status: 503, body: cdnPage})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Balance(ctx, testKey)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Balance: %v; want the context's deadline", err)
	}
	if got := len(panel.calls()); got > 1 {
		t.Errorf("%d requests, want at most 1", got)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	c, panel := serve(t, ok(`{"order": 1}`))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Add(ctx, testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 10})
	if !errors.Is(err, context.Canceled) || errors.Is(err, smm.ErrUnknownOutcome) {
		t.Errorf("Add: %v; want context.Canceled, outcome known", err)
	}
	if n := len(panel.calls()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestResponseTooLarge(t *testing.T) {
	big := ok(`{"balance": "1", "currency": "` + strings.Repeat("X", 500) + `"}`)
	c, _ := serveOpts(t, smm.Options{MaxResponse: 100}, big)
	_, err := c.Balance(t.Context(), testKey)
	if !errors.Is(err, smm.ErrResponseTooLarge) {
		t.Errorf("Balance: %v; want ErrResponseTooLarge", err)
	}
	c, _ = serveOpts(t, smm.Options{MaxResponse: 100}, big)
	_, err = c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 1})
	if !errors.Is(err, smm.ErrResponseTooLarge) || !errors.Is(err, smm.ErrUnknownOutcome) {
		t.Errorf("Add: %v; want ErrResponseTooLarge, outcome unknown", err)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var followed bool
	mux := http.NewServeMux()
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { followed = true })
	mux.HandleFunc("/api/v2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, hc := range []*http.Client{nil, {}} {
		c := smm.NewClient(srv.URL+"/api/v2", smm.Options{HTTPClient: hc})
		_, err := c.Balance(t.Context(), testKey)
		re := wantAs[*smm.ResponseError](t, err)
		if re.StatusCode != http.StatusMovedPermanently {
			t.Errorf("status %d, want 301", re.StatusCode)
		}
	}
	if followed {
		t.Error("the redirect was followed")
	}
}

func TestRequestForm(t *testing.T) {
	tests := []struct {
		name string
		opts smm.Options
		want string
	}{
		{"default agent", smm.Options{}, smm.DefaultUserAgent},
		{"own agent", smm.Options{UserAgent: "smmbot/1.0"}, "smmbot/1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, panel := serveOpts(t, tt.opts, file(t, "balance.json"))
			if _, err := c.Balance(t.Context(), testKey); err != nil {
				t.Fatal(err)
			}
			h := panel.headers[0]
			if got := h.Get("User-Agent"); got != tt.want {
				t.Errorf("User-Agent %q, want %q", got, tt.want)
			}
			if got := h.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type %q", got)
			}
			if panel.methods[0] != http.MethodPost {
				t.Errorf("method %s, want POST", panel.methods[0])
			}
			if f := panel.calls()[0]; f.Get("key") != testKey || f.Get("action") != "balance" {
				t.Errorf("form %v: want key and action=balance", f)
			}
		})
	}
}

func TestKeyNeverInErrors(t *testing.T) {
	echoes := []fakeReply{
		ok(`{"error": "Invalid API key ` + testKey + `"}`),
		{status: 503, body: "<html><title>bad key " + testKey + "</title></html>"},
		{status: 500, body: "key=" + testKey + "&action=balance"},
		ok(`{"balance": "` + testKey + `"}`),
		ok(`[{"service": "` + testKey + `"}]`),
		{status: 500, body: strings.Repeat(" ", 1000) + testKey},
	}
	var logs bytes.Buffer
	opts := smm.Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	defer func() {
		if strings.Contains(logs.String(), testKey) || logs.Len() == 0 {
			t.Errorf("the log is empty or carries the key:\n%s", logs.String())
		}
	}()
	for _, rep := range echoes {
		c, _ := serveOpts(t, opts, rep)
		_, err := c.Balance(t.Context(), testKey)
		noKey(t, err)
		_, err = c.Services(t.Context(), testKey)
		noKey(t, err)
		_, err = c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 1})
		noKey(t, err)
		res, err := c.Cancel(t.Context(), testKey, []int64{1})
		noKey(t, err)
		noKeyIn(t, res, func(e error) error { return e })
		if err == nil && len(res) == 0 {
			t.Error("Cancel: neither an error nor a result")
		}
	}
	c, _ := serve(t, ok(`[{"order": 1, "cancel": {"error": "`+testKey+`"}}, {"order": 2, "cancel": "`+testKey+`"}]`))
	res, err := c.Cancel(t.Context(), testKey, []int64{1, 2})
	noKey(t, err)
	noKeyIn(t, res, func(e error) error { return e })
	if res[1] == nil || res[2] == nil {
		t.Errorf("Cancel = %v; want an error for both orders", res)
	}
}

func TestBadEndpoint(t *testing.T) {
	for _, endpoint := range []string{"://no-scheme", "http://[::1", ""} {
		c := smm.NewClient(endpoint, smm.Options{Backoff: time.Millisecond})
		_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "x", Quantity: 1})
		if err == nil || errors.Is(err, smm.ErrUnknownOutcome) {
			t.Errorf("%q: Add: %v; want a plain error", endpoint, err)
		}
		noKey(t, err)
		_, err = c.Services(t.Context(), testKey)
		if err == nil {
			t.Errorf("%q: Services: no error", endpoint)
		}
		noKey(t, err)
	}
}
