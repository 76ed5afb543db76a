package smm_test

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// emulatorFaults are the emulator's fault kinds with what a read makes of
// them.
var emulatorFaults = []struct {
	name    string
	kind    smmtest.FaultKind
	retried bool
	check   func(testing.TB, error)
}{
	{"html 503", smmtest.FaultHTML503, true, responseError(503, "HTML page")},
	{"empty 500", smmtest.FaultEmpty500, true, responseError(500, "empty body")},
	{"invalid json", smmtest.FaultInvalidJSON, false, responseError(200, "invalid JSON")},
	{"html 200", smmtest.FaultHTML200, false, responseError(200, "HTML page")},
	{"429", smmtest.Fault429, false, func(tb testing.TB, err error) {
		tb.Helper()
		if !errors.Is(err, smm.ErrRateLimited) {
			tb.Errorf("error %v: want ErrRateLimited", err)
		}
		wantAs[*smm.RateLimitError](tb, err)
	}},
	{"error", smmtest.FaultError, false, func(tb testing.TB, err error) {
		tb.Helper()
		if e := wantAs[*smm.APIError](tb, err); e.Message != "Panel under attack" {
			tb.Errorf("message %q, want the panel's", e.Message)
		}
	}},
}

func responseError(status int, reason string) func(testing.TB, error) {
	return func(tb testing.TB, err error) {
		tb.Helper()
		re := wantAs[*smm.ResponseError](tb, err)
		if re.StatusCode != status || re.Reason != reason {
			tb.Errorf("got %v; want HTTP %d, %s", re, status, reason)
		}
	}
}

func TestEmulatorFaultsOnReads(t *testing.T) {
	for _, f := range emulatorFaults {
		t.Run(f.name+"/persistent", func(t *testing.T) {
			p, c, _ := emulator(t, smmtest.Options{})
			p.Inject(smmtest.Fault{Kind: f.kind, Action: "balance", Count: 2, Message: "Panel under attack"})
			_, err := c.Balance(t.Context(), testKey)
			noKey(t, err)
			f.check(t, err)
			want := 1
			if f.retried {
				want = 2
			}
			if n := p.Count("balance"); n != want {
				t.Errorf("%d balance calls, want %d", n, want)
			}
		})
		if !f.retried {
			continue
		}
		t.Run(f.name+"/first only", func(t *testing.T) {
			p, c, _ := emulator(t, smmtest.Options{})
			p.Inject(smmtest.Fault{Kind: f.kind, Action: "status", Count: 1})
			ids := place(t, c, 6, 3)
			res, err := c.Statuses(t.Context(), testKey, ids)
			if err != nil || len(res) != 3 || res[ids[0]].Err != nil {
				t.Errorf("Statuses = %v, %v; want success after one retry", res, err)
			}
			if n := p.Count("status"); n != 2 {
				t.Errorf("%d status calls, want 2", n)
			}
		})
	}
}

func TestEmulatorFaultsOnAdd(t *testing.T) {
	for _, f := range emulatorFaults {
		t.Run(f.name, func(t *testing.T) {
			p, c, _ := emulator(t, smmtest.Options{})
			p.Inject(smmtest.Fault{Kind: f.kind, Action: "add", Count: 5, Message: "Panel under attack"})
			_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "https://x", Quantity: 100})
			noKey(t, err)
			f.check(t, err)
			wantUnknown := f.kind != smmtest.Fault429 && f.kind != smmtest.FaultError
			if got := errors.Is(err, smm.ErrUnknownOutcome); got != wantUnknown {
				t.Errorf("errors.Is(%v, ErrUnknownOutcome) = %t, want %t", err, got, wantUnknown)
			}
			if n := p.Count("add"); n != 1 {
				t.Errorf("%d add calls, want exactly 1", n)
			}
		})
	}
}

func TestEmulatorLostReply(t *testing.T) {
	p, c, _ := emulator(t, smmtest.Options{})
	p.Inject(smmtest.Fault{Kind: smmtest.FaultLostReply, Action: "add"})
	_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "https://x", Quantity: 100})
	if !errors.Is(err, smm.ErrUnknownOutcome) {
		t.Errorf("Add: %v; want ErrUnknownOutcome", err)
	}
	noKey(t, err)
	if n := len(p.Orders(testKey)); n != 1 || p.Count("add") != 1 {
		t.Errorf("%d orders after %d add calls; want the one order the reply of which was lost", n, p.Count("add"))
	}
}

func TestEmulatorDelay(t *testing.T) {
	p, _, _ := emulator(t, smmtest.Options{})
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	c := smm.NewClient(srv.URL, smm.Options{Timeout: 100 * time.Millisecond, Backoff: time.Millisecond})
	p.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "", Count: 3, Delay: time.Minute})
	_, err := c.Balance(t.Context(), testKey)
	if err == nil || p.Count("balance") != 2 {
		t.Errorf("Balance: %v after %d calls; want a timeout after 2", err, p.Count("balance"))
	}
	_, err = c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "https://x", Quantity: 100})
	if !errors.Is(err, smm.ErrUnknownOutcome) || p.Count("add") != 1 {
		t.Errorf("Add: %v after %d calls; want ErrUnknownOutcome after 1", err, p.Count("add"))
	}
	noKey(t, err)
}

func TestEmulatorWithCache(t *testing.T) {
	p, c, _ := emulator(t, smmtest.Options{Services: smmtest.GenerateCatalogue(500, 7)})
	cache := smm.NewCache(c, time.Minute)
	cat, err := cache.Catalogue(t.Context(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Len() != 500 || len(cat.Categories) == 0 {
		t.Errorf("catalogue of %d services in %d categories", cat.Len(), len(cat.Categories))
	}
	if _, err := cache.Catalogue(t.Context(), testKey); err != nil || p.Count("services") != 1 {
		t.Errorf("second call: %v, %d services calls; want 1", err, p.Count("services"))
	}
	if _, err := cache.Catalogue(t.Context(), "unknown-key"); !errors.Is(err, smm.ErrInvalidKey) {
		t.Errorf("unknown key: %v; want ErrInvalidKey", err)
	}
}
