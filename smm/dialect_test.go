package smm_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/smmbot/smmbot/smm"
)

// The dialects of panel/API.md ("Dialects seen in the wild"), one reply
// file of testdata/ each.

func TestErrorEnvelopes(t *testing.T) {
	tests := []struct {
		file, msg string
		want      error
	}{
		{"error.status_message.json", "Not enough funds on balance", smm.ErrInsufficientFunds},
		{"error.success_false.json", "Authorization failed", smm.ErrInvalidKey},
		{"error.success_false_error.json", "Service is inactive or not found", smm.ErrUnknownService},
		{"error.status_fail.json", "You did not meet the minimum number", smm.ErrQuantity},
		{"error.refill_request.json", "Refill Request Not found", smm.ErrRefillNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, _ := serve(t, file(t, tt.file))
			_, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "https://t.me/a", Quantity: 100})
			e := wantAs[*smm.APIError](t, err)
			if e.Message != tt.msg || !errors.Is(err, tt.want) {
				t.Errorf("Add: %v; want the panel's words %q matching %v", err, tt.msg, tt.want)
			}
			if errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("Add: %v: a refusal is not an unknown outcome", err)
			}
		})
	}
}

func TestTooManyRequestsInWords(t *testing.T) {
	c, _ := serve(t, file(t, "error.too_many.json"))
	_, err := c.Balance(t.Context(), testKey)
	rl := wantAs[*smm.RateLimitError](t, err)
	if rl.RetryAfter() <= 0 || !errors.Is(err, smm.ErrRateLimited) {
		t.Errorf("Balance: %v, wait %s; want a rate limit with a wait", err, rl.RetryAfter())
	}
}

func TestDataWrapped(t *testing.T) {
	c, _ := serve(t, file(t, "services.wrapped.json"))
	list, err := c.Services(t.Context(), testKey)
	if err != nil || len(list) != 2 || list[1].Name != "Comments" || !list[0].Rate.Equal(dec("0.9")) {
		t.Errorf("Services = %v, %v; want API.md's two services", list, err)
	}
	c, _ = serve(t, file(t, "balance.data.json"))
	b, err := c.Balance(t.Context(), testKey)
	if err != nil || !b.Amount.Equal(dec("5.2")) || b.Currency != "EUR" {
		t.Errorf("Balance = %+v, %v; want 5.20 EUR", b, err)
	}
	c, _ = serve(t, file(t, "add.data.json"))
	id, err := c.Add(t.Context(), testKey, smm.AddRequest{Service: 1, Link: "https://t.me/a", Quantity: 100})
	if err != nil || id != 23501 {
		t.Errorf("Add = %d, %v; want 23501", id, err)
	}
}

func TestBatchStatusShapes(t *testing.T) {
	for _, name := range []string{"statuses.list.json", "statuses.wrapped.json"} {
		t.Run(name, func(t *testing.T) {
			c, _ := serve(t, file(t, name))
			res, err := c.Statuses(t.Context(), testKey, []int64{1, 10, 100})
			if err != nil {
				t.Fatalf("Statuses: %v", err)
			}
			wantStatus(t, res[1].Status, smm.Status{Charge: dec("0.27819"), StartCount: 3572, Status: "Partial", Remains: 157, Currency: "USD"})
			wantStatus(t, res[100].Status, smm.Status{Charge: dec("1.44219"), StartCount: 234, Status: "In progress", Remains: 10, Currency: "USD"})
			if !errors.Is(res[10].Err, smm.ErrUnknownOrder) {
				t.Errorf("order 10: %v; want ErrUnknownOrder", res[10].Err)
			}
		})
	}
}

func TestPlaceholdersAreUnknown(t *testing.T) {
	all := smm.UnknownCharge | smm.UnknownStartCount | smm.UnknownRemains
	c, _ := serve(t, file(t, "status.placeholders.json"))
	s, err := c.Status(t.Context(), testKey, 7)
	if err != nil || s.Unknown != all || s.Status != "Processing" || s.Finished() {
		t.Errorf("Status = %+v, %v; want Processing with every number unknown", s, err)
	}
	c, _ = serve(t, file(t, "statuses.placeholders.json"))
	res, err := c.Statuses(t.Context(), testKey, []int64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id       int64
		unknown  smm.Unknown
		finished bool
	}{
		{1, all, false},
		{2, 0, true},
		{3, smm.UnknownRemains, true},
	}
	for _, tt := range tests {
		r := res[tt.id]
		if r.Err != nil || r.Status.Unknown != tt.unknown || r.Status.Finished() != tt.finished {
			t.Errorf("order %d: %+v; want unknown %b, finished %t", tt.id, r, tt.unknown, tt.finished)
		}
	}
	if res[2].Status.StartCount != 0 || res[2].Status.Unknown.Has(smm.UnknownStartCount) {
		t.Errorf("order 2: a start count of 0 is known: %+v", res[2].Status)
	}
	if res[3].Status.StartCount != 12 || !res[3].Status.Charge.Equal(dec("0.12")) {
		t.Errorf("order 3: %+v; want start 12, charge 0.12", res[3].Status)
	}
}

func TestServicesWithoutRateAreNotOrderable(t *testing.T) {
	c, _ := serve(t, file(t, "services.norate.json"))
	list, err := c.Services(t.Context(), testKey)
	if err != nil || len(list) != 6 {
		t.Fatalf("Services = %v, %v; want all 6 services kept", list, err)
	}
	for _, s := range list[:5] {
		if s.Orderable() || !s.Unknown.Has(smm.UnknownRate) || !s.Rate.IsZero() {
			t.Errorf("service %d %q: orderable %t, unknown %b, rate %s; want not orderable", s.ID, s.Name, s.Orderable(), s.Unknown, s.Rate)
		}
	}
	if s := list[2]; !s.Unknown.Has(smm.UnknownMin | smm.UnknownMax) {
		t.Errorf("service 13: unknown %b; want min and max unknown", s.Unknown)
	}
	if s := list[5]; !s.Orderable() || s.Unknown != 0 || s.Currency != "EUR" {
		t.Errorf("service 16: %+v; want an orderable free service in EUR", s)
	}
}

func TestCancelShapes(t *testing.T) {
	c, _ := serve(t, file(t, "cancel.keyed.json"))
	res, err := c.Cancel(t.Context(), testKey, []int64{1, 2, 3, 4, 5, 6, 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 3, 4, 5} {
		if res[id] != nil {
			t.Errorf("order %d: %v; want requested", id, res[id])
		}
	}
	if !errors.Is(res[2], smm.ErrUnknownOrder) || !errors.Is(res[6], smm.ErrNotAllowed) || !errors.Is(res[7], smm.ErrNotAllowed) {
		t.Errorf("orders 2, 6, 7: %v, %v, %v; want unknown order, not allowed, not allowed", res[2], res[6], res[7])
	}
	c, _ = serve(t, file(t, "cancel.words.json"))
	res, err = c.Cancel(t.Context(), testKey, []int64{1, 2, 3, 4})
	if err != nil || res[1] != nil || res[2] != nil || res[3] != nil {
		t.Fatalf("Cancel = %v, %v; want 1-3 requested", res, err)
	}
	if e := wantAs[*smm.APIError](t, res[4]); e.Message != "Order is already completed" {
		t.Errorf("order 4: %v; want the panel's words", e)
	}
}

func TestRefillShapes(t *testing.T) {
	c, _ := serve(t, file(t, "refill.list.json"))
	if id, err := c.Refill(t.Context(), testKey, 5); err != nil || id != 42 {
		t.Errorf("Refill = %d, %v; want 42", id, err)
	}
	for name, want := range map[string]string{
		"refill_status.nested.json":      "Completed",
		"refill_status.nested_bare.json": "In progress",
		"refill_status.list.json":        "Completed",
	} {
		c, _ := serve(t, file(t, name))
		if got, err := c.RefillStatus(t.Context(), testKey, 42); err != nil || got != want {
			t.Errorf("%s: RefillStatus = %q, %v; want %q", name, got, err, want)
		}
	}
	c, _ = serve(t, file(t, "refill_statuses.nested.json"))
	res, err := c.RefillStatuses(t.Context(), testKey, []int64{1, 2, 3})
	if err != nil || res[1].Status != "Completed" || res[2].Status != "rejected" || !smm.IsRefillFinished(res[2].Status) {
		t.Errorf("RefillStatuses = %v, %v; want Completed, rejected", res, err)
	}
	if !errors.Is(res[3].Err, smm.ErrRefillNotFound) {
		t.Errorf("refill 3: %v; want ErrRefillNotFound", res[3].Err)
	}
}

func TestActionsThePanelLacks(t *testing.T) {
	type call func(*smm.Client) error
	refill := func(c *smm.Client) error { _, err := c.Refill(t.Context(), testKey, 5); return err }
	refills := func(c *smm.Client) error { _, err := c.Refills(t.Context(), testKey, []int64{5, 6}); return err }
	cancel := func(c *smm.Client) error { _, err := c.Cancel(t.Context(), testKey, []int64{5, 6}); return err }
	tests := []struct {
		name    string
		reply   fakeReply
		feature smm.Feature
		do      call
	}{
		{"refill null", file(t, "refill.null.json"), smm.FeatureRefill, refill},
		{"refills null", file(t, "refill.null.json"), smm.FeatureRefill, refills},
		{"refill incorrect request", file(t, "error.incorrect_request.json"), smm.FeatureRefill, refill},
		{"refill unknown action", ok(`{"error": "Unknown action"}`), smm.FeatureRefill, refill},
		{"cancel null", file(t, "cancel.null.json"), smm.FeatureCancel, cancel},
		{"cancel []", file(t, "cancel.emptylist.json"), smm.FeatureCancel, cancel},
		{"cancel empty body", file(t, "cancel.empty.json"), smm.FeatureCancel, cancel},
		{"cancel data null", ok(`{"status": "success", "data": null}`), smm.FeatureCancel, cancel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, panel := serve(t, tt.reply)
			if known, _ := c.Supports(tt.feature); known {
				t.Fatalf("Supports(%v) known before any call", tt.feature)
			}
			err := tt.do(c)
			if !errors.Is(err, smm.ErrNotSupported) || errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("error %v: want ErrNotSupported, not an unknown outcome", err)
			}
			if known, ok := c.Supports(tt.feature); !known || ok {
				t.Errorf("Supports(%v) = %t, %t; want known, not offered", tt.feature, known, ok)
			}
			if err := tt.do(c); !errors.Is(err, smm.ErrNotSupported) {
				t.Errorf("second call: %v; want ErrNotSupported", err)
			}
			if n := len(panel.calls()); n != 1 {
				t.Errorf("%d requests; want 1 (the second call is answered at once)", n)
			}
		})
	}
}

func TestAnOfferedActionIsLearnt(t *testing.T) {
	c, _ := serve(t, file(t, "refill.json"), file(t, "error.incorrect_request.json"))
	if _, err := c.Refill(t.Context(), testKey, 5); err != nil {
		t.Fatal(err)
	}
	if known, ok := c.Supports(smm.FeatureRefill); !known || !ok {
		t.Errorf("Supports(refill) = %t, %t; want known and offered", known, ok)
	}
	// Once refill is known to work, "Incorrect request" is the panel's
	// refusal of that request, not a missing action.
	_, err := c.Refill(t.Context(), testKey, 6)
	if errors.Is(err, smm.ErrNotSupported) || !errors.Is(err, smm.ErrIncorrectRequest) {
		t.Errorf("Refill: %v; want the panel's refusal", err)
	}
}

func TestEmptyBodyOfAReadIsAnError(t *testing.T) {
	c, _ := serve(t, fakeReply{status: http.StatusOK})
	_, err := c.Balance(t.Context(), testKey)
	if re := wantAs[*smm.ResponseError](t, err); re.Reason != "empty body" || errors.Is(err, smm.ErrNotSupported) {
		t.Errorf("Balance: %v; want an empty body", err)
	}
}

func TestBatchStatusIgnored(t *testing.T) {
	// A panel that reads order= only answers orders= with nothing.
	c, panel := serveFunc(t, func(form url.Values) fakeReply {
		if form.Has("orders") {
			return ok(`{}`)
		}
		return ok(`{"` + form.Get("order") + `": {"status": "In progress", "remains": "5"}}`)
	})
	res, err := c.Statuses(t.Context(), testKey, []int64{1, 2, 3})
	if err != nil || len(res) != 3 || res[2].Err != nil || res[2].Status.Remains != 5 {
		t.Fatalf("Statuses = %v, %v; want 3 statuses asked one by one", res, err)
	}
	if known, ok := c.Supports(smm.FeatureBatchStatus); !known || ok {
		t.Errorf("Supports(batch status) = %t, %t; want known, not offered", known, ok)
	}
	if n := len(panel.calls()); n != 4 {
		t.Errorf("%d requests; want 4 (one batch, three single)", n)
	}
}

func TestCatalogueCurrency(t *testing.T) {
	c, _ := serve(t, ok(`[{"service": 1, "rate": "1", "currency": "EUR"}, {"service": 2, "rate": "2"}]`))
	list, err := c.Services(t.Context(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if cur := smm.NewCatalogue(list).Currency; cur != "EUR" {
		t.Errorf("Currency %q; want EUR", cur)
	}
	list[1].Currency = "USD"
	if cur := smm.NewCatalogue(list).Currency; cur != "" {
		t.Errorf("Currency %q for a mixed catalogue; want none", cur)
	}
}
