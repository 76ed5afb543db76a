package smmtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

const (
	keyA = "key-a-0123456789"
	keyB = "key-b-9876543210"
)

// clock is a fake clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a Panel behind a loopback server, on a fake clock, with two
// keys: keyA with 100 and keyB with 50.
type fixture struct {
	panel *smmtest.Panel
	srv   *httptest.Server
	clock *smmtest.Clock
}

func newFixture(tb testing.TB, opts smmtest.Options) *fixture {
	tb.Helper()
	f := &fixture{clock: smmtest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))}
	if opts.Now == nil {
		opts.Now = f.clock.Now
	}
	f.panel = smmtest.New(opts)
	f.panel.AddKey(keyA, decimal.RequireFromString("100"))
	f.panel.AddKey(keyB, decimal.RequireFromString("50"))
	f.srv = httptest.NewServer(f.panel)
	tb.Cleanup(f.srv.Close)
	return f
}

// reply is a raw HTTP answer.
type reply struct {
	code        int
	contentType string
	header      http.Header
	body        []byte
}

// send posts form fields given as name, value pairs.
func (f *fixture) send(pairs ...string) (reply, error) {
	if len(pairs)%2 != 0 {
		return reply{}, fmt.Errorf("send: odd number of form fields %q", pairs)
	}
	form := url.Values{}
	for i := 0; i < len(pairs); i += 2 {
		form.Add(pairs[i], pairs[i+1])
	}
	resp, err := f.srv.Client().PostForm(f.srv.URL, form)
	if err != nil {
		return reply{}, fmt.Errorf("post %s: %w", form.Get("action"), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("read reply to %s: %w", form.Get("action"), err)
	}
	return reply{code: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), header: resp.Header, body: body}, nil
}

// post is send for the test's goroutine: it fails the test on error.
func (f *fixture) post(tb testing.TB, pairs ...string) reply {
	tb.Helper()
	r, err := f.send(pairs...)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// call sends an action with key and fields, checks for a JSON reply with
// HTTP 200 and decodes it generically (numbers as json.Number).
func (f *fixture) call(tb testing.TB, key, action string, pairs ...string) any {
	tb.Helper()
	r := f.post(tb, append([]string{"key", key, "action", action}, pairs...)...)
	if r.code != http.StatusOK || !strings.HasPrefix(r.contentType, "application/json") {
		tb.Fatalf("%s: got HTTP %d %q %q, want 200 JSON", action, r.code, r.contentType, r.body)
	}
	return decode(tb, r.body)
}

func decode(tb testing.TB, body []byte) any {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		tb.Fatalf("decode %q: %v", body, err)
	}
	return v
}

// fixtureFile decodes a file of testdata/.
func fixtureFile(tb testing.TB, name string) any {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return decode(tb, b)
}

// place adds an order and returns its id.
func (f *fixture) place(tb testing.TB, key string, pairs ...string) int64 {
	tb.Helper()
	got := f.call(tb, key, "add", pairs...)
	m, ok := got.(map[string]any)
	if !ok || m["order"] == nil {
		tb.Fatalf("add %q: got %v, want an order", pairs, got)
	}
	return asInt(tb, m["order"])
}

// asInt reads a JSON number or numeric string.
func asInt(tb testing.TB, v any) int64 {
	tb.Helper()
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case string:
		s = v
	default:
		tb.Fatalf("got %v (%T), want a number", v, v)
	}
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		tb.Fatalf("got %q, want an integer: %v", s, err)
	}
	return n
}

// wantError checks that a reply is exactly {"error": msg}.
func wantError(tb testing.TB, got any, msg string) {
	tb.Helper()
	want := map[string]any{"error": msg}
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("got %v, want %v", got, want)
	}
}

// shape replaces a decoded JSON value's scalars by their kind; an array
// becomes the sorted set of its elements' shapes.
func shape(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = shape(x)
		}
		return out
	case []any:
		var out []any
		for _, x := range v {
			if s := shape(x); !slices.ContainsFunc(out, func(y any) bool { return reflect.DeepEqual(s, y) }) {
				out = append(out, s)
			}
		}
		slices.SortFunc(out, func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		return out
	case json.Number:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// wantShapeIn checks that got's shape is one of the shapes of want's
// items (want an array or an object of items).
func wantShapeIn(tb testing.TB, got, want any) {
	tb.Helper()
	var shapes []any
	switch want := want.(type) {
	case []any:
		shapes = shape(want).([]any)
	case map[string]any:
		for _, x := range want {
			shapes = append(shapes, shape(x))
		}
	}
	s := shape(got)
	if !slices.ContainsFunc(shapes, func(y any) bool { return reflect.DeepEqual(s, y) }) {
		tb.Errorf("got %v of shape %v, want one of %v", got, s, shapes)
	}
}

// ids returns n comma-separated ids from first.
func ids(first int64, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprint(first + int64(i))
	}
	return strings.Join(parts, ",")
}

func TestNonPostIsRefused(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		t.Run(method, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), method, f.srv.URL+"?key="+keyA+"&action=balance", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := f.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost {
				t.Errorf("got HTTP %d Allow %q, want 405 Allow POST", resp.StatusCode, resp.Header.Get("Allow"))
			}
		})
	}
	if got := f.panel.Count("balance"); got != 0 {
		t.Errorf("Count(balance) = %d after non-POST requests, want 0", got)
	}
}

func TestKeyIsCheckedForEveryAction(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	actions := []string{"services", "add", "status", "refill", "refill_status", "cancel", "balance", "nonsense"}
	for _, key := range []string{"", "wrong-key", " " + keyA} {
		for _, action := range actions {
			t.Run(fmt.Sprintf("%q/%s", key, action), func(t *testing.T) {
				got := f.call(t, key, action, "service", "1", "link", "x", "quantity", "100", "order", "23501", "orders", "23501")
				wantError(t, got, "Invalid API key")
			})
		}
	}
	if got := f.panel.Orders(keyA); len(got) != 0 {
		t.Errorf("orders after refused adds: %v", got)
	}
}

func TestUnknownActionIsRecorded(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	wantError(t, f.call(t, keyA, "neworder"), "Incorrect request")
	wantError(t, f.call(t, keyA, ""), "Incorrect request")
	if got, want := f.panel.Unknown(), []string{"neworder", ""}; !slices.Equal(got, want) {
		t.Errorf("Unknown() = %q, want %q", got, want)
	}
}

func TestMoreThan100IDsAreRefused(t *testing.T) {
	tests := []struct{ action, field string }{
		{"status", "orders"},
		{"refill", "orders"},
		{"refill_status", "refills"},
		{"cancel", "orders"},
	}
	f := newFixture(t, smmtest.Options{})
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			wantError(t, f.call(t, keyA, tt.action, tt.field, ids(1, 101)), "Incorrect request")
			got := f.call(t, keyA, tt.action, tt.field, ids(1, 100))
			if m, ok := got.(map[string]any); ok && m["error"] != nil {
				t.Errorf("100 ids: got %v, want per-item replies", got)
			}
			wantError(t, f.call(t, keyA, tt.action, tt.field, " , ,"), "Incorrect request")
		})
	}
}

func TestFormIsReadFromTheBodyOnly(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	tests := []struct {
		name, query, body, want string
	}{
		{"key in the query", "?key=" + keyA, "action=balance", "Invalid API key"},
		{"malformed body", "", "key=" + keyA + "&action=balance&link=%zz", "Incorrect request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.srv.Client().Post(f.srv.URL+tt.query, "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got HTTP %d %q, want 200", resp.StatusCode, body)
			}
			wantError(t, decode(t, body), tt.want)
		})
	}
}
