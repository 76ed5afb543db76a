package smm_test

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/smmbot/smmbot/smm"
)

// listed parses a request's comma-separated ids.
func listed(tb testing.TB, s string) []int64 {
	tb.Helper()
	var ids []int64
	for _, f := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			tb.Errorf("id %q in %q: %v", f, s, err)
		}
		ids = append(ids, id)
	}
	return ids
}

// batchPanel answers status, refill, refill_status and cancel for every
// id requested but those in leftOut, plus an id nobody asked for.
func batchPanel(tb testing.TB, leftOut int64) (*smm.Client, *fakePanel) {
	tb.Helper()
	return serveFunc(tb, func(form url.Values) fakeReply {
		field := "orders"
		if form.Get("action") == "refill_status" {
			field = "refills"
		}
		ids := append(listed(tb, form.Get(field)), 999999)
		var items []string
		for _, id := range ids {
			if id == leftOut {
				continue
			}
			switch form.Get("action") {
			case "status":
				items = append(items, fmt.Sprintf(`"%d": {"charge": "1", "start_count": "%d", "status": "Pending", "remains": "1", "currency": "USD"}`, id, id))
			case "refill":
				items = append(items, fmt.Sprintf(`{"order": %d, "refill": "%d"}`, id, id+1000))
			case "refill_status":
				items = append(items, fmt.Sprintf(`{"refill": %d, "status": "Pending"}`, id))
			case "cancel":
				items = append(items, fmt.Sprintf(`{"order": %d, "cancel": 1}`, id))
			}
		}
		if form.Get("action") == "status" {
			return ok("{" + strings.Join(items, ",") + "}")
		}
		return ok("[" + strings.Join(items, ",") + "]")
	})
}

// manyIDs is 250 distinct ids with duplicates and two invalid ones mixed in.
func manyIDs() []int64 {
	var ids []int64
	for i := int64(1); i <= 250; i++ {
		ids = append(ids, i)
		if i%50 == 0 {
			ids = append(ids, i, 0, -i) // duplicates and invalid ids
		}
	}
	return ids
}

// checkBatch checks the requests of a 250-id batch and the result's
// entries; errOf and good read an entry.
func checkBatch[R any](t *testing.T, panel *fakePanel, field string, res map[int64]R, errOf func(R) error, good func(int64, R) bool, missing error) {
	t.Helper()
	calls := panel.calls()
	if len(calls) != 3 {
		t.Fatalf("%d requests, want 3", len(calls))
	}
	seen := map[int64]int{}
	for _, c := range calls {
		ids := listed(t, c.Get(field))
		if len(ids) > 100 {
			t.Errorf("a request of %d ids, want at most 100", len(ids))
		}
		for _, id := range ids {
			seen[id]++
		}
	}
	for id := int64(1); id <= 250; id++ {
		if seen[id] != 1 {
			t.Errorf("id %d requested %d times, want once", id, seen[id])
		}
	}
	if len(res) != 256 {
		t.Errorf("%d entries, want 256 (250 ids, 0, five negative ones)", len(res))
	}
	for id, r := range res {
		noKey(t, errOf(r))
		switch {
		case id <= 0:
			if errOf(r) == nil {
				t.Errorf("id %d: no error", id)
			}
		case id == 7:
			if !errors.Is(errOf(r), smm.ErrNotInReply) || (missing != nil && !errors.Is(errOf(r), missing)) {
				t.Errorf("id 7, left out of the reply: %v; want ErrNotInReply (and %v)", errOf(r), missing)
			}
		case !good(id, r):
			t.Errorf("id %d: %+v", id, r)
		}
	}
	if _, extra := res[999999]; extra {
		t.Error("an id nobody asked for is in the result")
	}
}

func TestBatches(t *testing.T) {
	t.Run("statuses", func(t *testing.T) {
		c, panel := batchPanel(t, 7)
		res, err := c.Statuses(t.Context(), testKey, manyIDs())
		if err != nil {
			t.Fatal(err)
		}
		checkBatch(t, panel, "orders", res, func(r smm.StatusResult) error { return r.Err },
			func(id int64, r smm.StatusResult) bool { return r.Err == nil && r.Status.StartCount == id }, nil)
	})
	t.Run("refills", func(t *testing.T) {
		c, panel := batchPanel(t, 7)
		res, err := c.Refills(t.Context(), testKey, manyIDs())
		if err != nil {
			t.Fatal(err)
		}
		checkBatch(t, panel, "orders", res, func(r smm.RefillResult) error { return r.Err },
			func(id int64, r smm.RefillResult) bool { return r.Err == nil && r.Refill == id+1000 }, smm.ErrUnknownOutcome)
	})
	t.Run("refill statuses", func(t *testing.T) {
		c, panel := batchPanel(t, 7)
		res, err := c.RefillStatuses(t.Context(), testKey, manyIDs())
		if err != nil {
			t.Fatal(err)
		}
		checkBatch(t, panel, "refills", res, func(r smm.RefillStatusResult) error { return r.Err },
			func(id int64, r smm.RefillStatusResult) bool { return r.Err == nil && r.Status == "Pending" }, nil)
	})
	t.Run("cancel", func(t *testing.T) {
		c, panel := batchPanel(t, 7)
		res, err := c.Cancel(t.Context(), testKey, manyIDs())
		if err != nil {
			t.Fatal(err)
		}
		checkBatch(t, panel, "orders", res, func(e error) error { return e },
			func(id int64, e error) bool { return e == nil }, smm.ErrUnknownOutcome)
	})
}

func TestEmptyBatchSendsNothing(t *testing.T) {
	c, panel := batchPanel(t, 0)
	ctx := t.Context()
	s, err1 := c.Statuses(ctx, testKey, nil)
	r, err2 := c.Refills(ctx, testKey, []int64{})
	rs, err3 := c.RefillStatuses(ctx, testKey, nil)
	cs, err4 := c.Cancel(ctx, testKey, nil)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		t.Fatal(err)
	}
	if len(s)+len(r)+len(rs)+len(cs) != 0 || s == nil || cs == nil {
		t.Errorf("results %v %v %v %v: want empty maps", s, r, rs, cs)
	}
	if n := len(panel.calls()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestBatchStopsAtAFailedRequest(t *testing.T) {
	var calls atomic.Int32
	c, _ := serveFunc(t, func(form url.Values) fakeReply {
		if calls.Add(1) > 1 {
			return fakeReply{status: 503, body: cdnPage}
		}
		var items []string
		for _, id := range listed(t, form.Get("orders")) {
			items = append(items, fmt.Sprintf(`{"order": %d, "cancel": 1}`, id))
		}
		return ok("[" + strings.Join(items, ",") + "]")
	})
	ids := make([]int64, 250)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	res, err := c.Cancel(t.Context(), testKey, ids)
	if !errors.Is(err, smm.ErrUnknownOutcome) {
		t.Errorf("Cancel: %v; want ErrUnknownOutcome", err)
	}
	if len(res) != 100 || calls.Load() != 2 {
		t.Errorf("%d results after %d requests; want the first 100, and no third request", len(res), calls.Load())
	}
	for id, e := range res {
		if e != nil || id > 100 {
			t.Errorf("order %d: %v", id, e)
		}
	}
}

func TestBatchOfOneAnsweredBare(t *testing.T) {
	c, _ := serve(t, ok(`{"charge": "0.5", "start_count": 1, "status": "Completed", "remains": 0}`))
	res, err := c.Statuses(t.Context(), testKey, []int64{42})
	if err != nil || res[42].Err != nil || res[42].Status.Status != "Completed" {
		t.Errorf("Statuses = %+v, %v; want order 42 Completed", res, err)
	}
	c, _ = serve(t, ok(`{"refill": "9"}`))
	refills, err := c.Refills(t.Context(), testKey, []int64{42})
	if err != nil || refills[42] != (smm.RefillResult{Refill: 9}) {
		t.Errorf("Refills = %+v, %v; want refill 9 for order 42", refills, err)
	}
}

func TestBatchItemErrors(t *testing.T) {
	c, _ := serve(t, ok(`{"1": {"status": "Completed"}, "2": {"remains": {"left": 5}, "status": "Pending"}, "3": [], "4": {"charge": "1"}, "x": {"status": "Pending"}}`))
	res, err := c.Statuses(t.Context(), testKey, []int64{1, 2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	if res[1].Err != nil || res[1].Status.Status != "Completed" {
		t.Errorf("order 1: %+v", res[1])
	}
	for _, id := range []int64{2, 3, 4} {
		re := wantAs[*smm.ResponseError](t, res[id].Err)
		if !strings.HasPrefix(re.Reason, "unexpected reply") {
			t.Errorf("order %d: %v; want an unexpected reply", id, re)
		}
	}
	c, _ = serve(t, ok(`[{"order": 1, "cancel": 0}, {"order": 2, "cancel": "yes"}, {"order": 3}, {"order": 4, "error": "Cancel is not available for this order"}]`))
	cancels, err := c.Cancel(t.Context(), testKey, []int64{1, 2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(cancels[1], smm.ErrNotAllowed) || cancels[2] != nil ||
		!errors.Is(cancels[3], smm.ErrUnknownOutcome) || !errors.Is(cancels[4], smm.ErrNotAllowed) {
		t.Errorf("Cancel = %v; want 1 not allowed, 2 requested, 3 unknown, 4 not allowed", cancels)
	}
	wantAs[*smm.APIError](t, cancels[4])
}
