package smm_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/smmbot/smmbot/smm"
)

// handlerTransport serves requests with a handler in memory: with it the
// client runs in a synctest bubble, on fake time.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

// inMemory returns a client of h with opts, without a network.
func inMemory(h http.Handler, opts smm.Options) *smm.Client {
	opts.HTTPClient = &http.Client{Transport: handlerTransport{h}}
	if opts.Backoff == 0 {
		opts.Backoff = time.Millisecond
	}
	return smm.NewClient("http://panel.test/api/v2", opts)
}

// statusJSON is a status object for order id.
func statusJSON(id int64) string {
	return fmt.Sprintf(`{"charge": "0.1", "start_count": "%d", "status": "Completed", "remains": "0", "currency": "USD"}`, id)
}

// singleOnlyPanel refuses orders= as a whole, as some panels do, and
// answers order=.
func singleOnlyPanel(form url.Values) fakeReply {
	if form.Has("orders") {
		return ok(`{"error": "Incorrect request"}`)
	}
	var id int64
	fmt.Sscan(form.Get("order"), &id)
	return ok(statusJSON(id))
}

func orderIDs(n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i + 1)
	}
	return out
}

func batchCalls(calls []url.Values) (batches, singles int) {
	for _, c := range calls {
		if c.Has("orders") {
			batches++
		} else {
			singles++
		}
	}
	return batches, singles
}

func TestPanelWithoutBatchStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		panel := &fakePanel{answer: singleOnlyPanel}
		c := inMemory(panel, smm.Options{})
		start := time.Now()
		res, err := c.Statuses(t.Context(), testKey, orderIDs(30))
		if err != nil || len(res) != 30 {
			t.Fatalf("Statuses: %d results, %v; want 30", len(res), err)
		}
		for id, r := range res {
			if r.Err != nil || r.Status.StartCount != id {
				t.Errorf("order %d: %+v", id, r)
			}
		}
		if b, s := batchCalls(panel.calls()); b != 1 || s != 30 {
			t.Errorf("first cycle: %d batch and %d single requests; want 1 and 30", b, s)
		}
		if known, ok := c.Supports(smm.FeatureBatchStatus); !known || ok {
			t.Errorf("Supports(batch status) = %t, %t; want known, not offered", known, ok)
		}
		if _, err := c.Statuses(t.Context(), testKey, orderIDs(30)); err != nil {
			t.Fatal(err)
		}
		if b, s := batchCalls(panel.calls()); b != 1 || s != 60 {
			t.Errorf("after two cycles: %d batch and %d single requests; want 1 and 60", b, s)
		}
		// 61 requests at 120 a minute with a burst of 20 take 20s at least.
		if took := time.Since(start); took < 20*time.Second {
			t.Errorf("61 requests in %s of the panel's time: not paced to 120 a minute", took)
		}
	})
}

func TestRateLimitHonoursRetryAfterPerKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		var after429 atomic.Int32
		limited := atomic.Bool{}
		panel := &fakePanel{answer: func(form url.Values) fakeReply {
			if form.Get("key") == testKey {
				if limited.Load() {
					after429.Add(1)
				}
				if n.Add(1) == 10 {
					limited.Store(true)
					return fakeReply{status: http.StatusTooManyRequests, body: "slow down",
						header: http.Header{"Retry-After": {"20"}}}
				}
			}
			return singleOnlyPanel(form)
		}}
		c := inMemory(panel, smm.Options{})
		res, err := c.Statuses(t.Context(), testKey, orderIDs(30))
		rl := wantAs[*smm.RateLimitError](t, err)
		if rl.RetryAfter() != 20*time.Second || len(res) >= 30 || len(res) < 7 {
			t.Errorf("Statuses: %d results, %v; want a few, and a wait of 20s", len(res), err)
		}
		if a := after429.Load(); a > 2 {
			t.Errorf("%d requests after the 429; want at most those in flight", a)
		}
		sent := len(panel.calls())
		_, err = c.Statuses(t.Context(), testKey, orderIDs(30))
		if rl := wantAs[*smm.RateLimitError](t, err); rl.Err != nil || rl.RetryAfter() <= 0 || rl.RetryAfter() > 20*time.Second {
			t.Errorf("during the wait: %v; want the call held back", err)
		}
		if len(panel.calls()) != sent {
			t.Errorf("a request went out during the panel's wait")
		}
		other, err := c.Statuses(t.Context(), "another-key", orderIDs(5))
		if err != nil || len(other) != 5 {
			t.Errorf("another key: %d results, %v; want it untouched by the wait", len(other), err)
		}
		time.Sleep(20 * time.Second)
		res, err = c.Statuses(t.Context(), testKey, orderIDs(30))
		if err != nil || len(res) != 30 {
			t.Errorf("after the wait: %d results, %v; want all 30", len(res), err)
		}
	})
}

func TestRetryAfterAsADate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		when := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
		panel := &fakePanel{replies: []fakeReply{{status: http.StatusTooManyRequests, body: `{"error": "Too many requests"}`,
			header: http.Header{"Retry-After": {when}}}}}
		c := inMemory(panel, smm.Options{})
		_, err := c.Statuses(t.Context(), testKey, orderIDs(3))
		rl := wantAs[*smm.RateLimitError](t, err)
		if w := rl.RetryAfter(); w < 89*time.Second || w > 90*time.Second {
			t.Errorf("wait %s; want the 90s to the date", w)
		}
		if e := wantAs[*smm.APIError](t, err); e.Message != "Too many requests" {
			t.Errorf("the panel's words %q are lost", e.Message)
		}
	})
}

func TestStatusesKeepRequestsInFlight(t *testing.T) {
	for _, tt := range []struct{ opt, want int }{{0, 3}, {1, 2}, {2, 2}, {4, 4}, {9, 4}} {
		t.Run(fmt.Sprintf("InFlight=%d", tt.opt), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var now, most atomic.Int32
				panel := &fakePanel{answer: func(form url.Values) fakeReply {
					items := make([]string, 0, maxBatchIDs)
					for _, id := range listed(t, form.Get("orders")) {
						items = append(items, fmt.Sprintf(`"%d": %s`, id, statusJSON(id)))
					}
					return fakeReply{status: 200, body: "{" + strings.Join(items, ",") + "}", delay: time.Second}
				}}
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					n := now.Add(1)
					for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
					}
					panel.ServeHTTP(w, r)
					now.Add(-1)
				})
				c := inMemory(h, smm.Options{InFlight: tt.opt})
				start := time.Now()
				res, err := c.Statuses(t.Context(), testKey, orderIDs(10000))
				if err != nil || len(res) != 10000 {
					t.Fatalf("Statuses: %d results, %v", len(res), err)
				}
				if n := len(panel.calls()); n != 100 {
					t.Errorf("%d requests; want 100", n)
				}
				if m := most.Load(); int(m) != tt.want {
					t.Errorf("at most %d requests in flight; want %d", m, tt.want)
				}
				t.Logf("10,000 orders, 1s a request: %s of the panel's time", time.Since(start))
			})
		})
	}
}

func TestStatusesStopAtAFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		panel := &fakePanel{answer: func(form url.Values) fakeReply {
			if n.Add(1) >= 2 {
				return fakeReply{status: 503, body: cdnPage}
			}
			items := []string{}
			for _, id := range listed(t, form.Get("orders")) {
				items = append(items, fmt.Sprintf(`"%d": %s`, id, statusJSON(id)))
			}
			return fakeReply{status: 200, body: "{" + strings.Join(items, ",") + "}", delay: time.Second}
		}}
		c := inMemory(panel, smm.Options{})
		res, err := c.Statuses(t.Context(), testKey, orderIDs(1000))
		if !errors.As(err, new(*smm.ResponseError)) {
			t.Errorf("Statuses: %v; want the 503", err)
		}
		// The first request learns that batches work; then 3 go at once
		// and fail, each after its one retry; no fourth starts.
		if len(res) != 100 {
			t.Errorf("%d results; want the first batch's 100", len(res))
		}
		if m := len(panel.calls()); m > 7 {
			t.Errorf("%d requests; want none started after the failure", m)
		}
	})
}

const maxBatchIDs = 100
