package smmtest_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm/smmtest"
)

// completed places a Default order of service svc for key and lets it
// complete.
func (f *fixture) completed(tb testing.TB, key, svc string) int64 {
	tb.Helper()
	id := f.place(tb, key, "service", svc, "link", "x", "quantity", "100")
	f.panel.SetStatus(id, "Completed", 0)
	return id
}

func TestRefillSingle(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	done := f.completed(t, keyA, "1")
	got := f.call(t, keyA, "refill", "order", fmt.Sprint(done))
	wantShapeIn(t, got, []any{fixtureFile(t, "refill.json")})
	refill := asInt(t, got.(map[string]any)["refill"])
	status := f.call(t, keyA, "refill_status", "refill", fmt.Sprint(refill))
	wantShapeIn(t, status, []any{fixtureFile(t, "refill_status.json")})
	if !reflect.DeepEqual(status, map[string]any{"status": "Pending"}) {
		t.Errorf("new refill: got %v, want Pending", status)
	}
	f.clock.Advance(10 * time.Second)
	if got := f.call(t, keyA, "refill_status", "refill", fmt.Sprint(refill)); !reflect.DeepEqual(got, map[string]any{"status": "Completed"}) {
		t.Errorf("after a step: got %v, want Completed", got)
	}
	next := asInt(t, f.call(t, keyA, "refill", "order", fmt.Sprint(done)).(map[string]any)["refill"])
	if next != refill+1 {
		t.Errorf("next refill id %d, want %d", next, refill+1)
	}
	if got := f.panel.Refills(keyA); len(got) != 2 || got[0].ID != refill || got[0].Order != done || got[0].Status != "Completed" {
		t.Errorf("Refills() = %+v, want two, the first %d Completed", got, refill)
	}
}

func TestRefillRefusals(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	pending := f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
	noRefill := f.completed(t, keyA, "6")
	theirs := f.completed(t, keyB, "1")
	canceled := f.place(t, keyA, "service", "5", "link", "x", "quantity", "100")
	f.call(t, keyA, "cancel", "orders", fmt.Sprint(canceled))
	tests := []struct {
		name  string
		order string
		want  string
	}{
		{"unfinished order", fmt.Sprint(pending), "Refill not allowed"},
		{"service without refill", fmt.Sprint(noRefill), "Refill not allowed"},
		{"canceled order", fmt.Sprint(canceled), "Refill not allowed"},
		{"another key's order", fmt.Sprint(theirs), "Incorrect order ID"},
		{"unknown order", "99999", "Incorrect order ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.call(t, keyA, "refill", "order", tt.order), tt.want)
			batch := f.call(t, keyA, "refill", "orders", tt.order).([]any)
			if len(batch) != 1 {
				t.Fatalf("batch: got %v, want one item", batch)
			}
			wantError(t, batch[0].(map[string]any)["refill"], tt.want)
		})
	}
	wantError(t, f.call(t, keyA, "refill"), "Incorrect request")
	if got := f.panel.Refills(keyA); len(got) != 0 {
		t.Errorf("refused refills made %v", got)
	}
}

func TestPartialOrderCanBeRefilled(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	id := f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
	f.panel.SetStatus(id, "partial", 40)
	got := f.call(t, keyA, "refill", "order", fmt.Sprint(id)).(map[string]any)
	if got["error"] != nil {
		t.Errorf("got %v, want a refill id", got)
	}
}

func TestRefillBatch(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	a := f.completed(t, keyA, "1")
	b := f.completed(t, keyA, "5")
	pending := f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
	got := f.call(t, keyA, "refill", "orders", fmt.Sprintf("%d,%d,%d,x", a, b, pending)).([]any)
	examples := fixtureFile(t, "refill_multi.json")
	for _, item := range got {
		if m := item.(map[string]any); m["order"] != "x" {
			wantShapeIn(t, item, examples)
		}
	}
	want := []any{
		map[string]any{"order": num(a), "refill": num(7001)},
		map[string]any{"order": num(b), "refill": num(7002)},
		map[string]any{"order": num(pending), "refill": map[string]any{"error": "Refill not allowed"}},
		map[string]any{"order": "x", "refill": map[string]any{"error": "Incorrect order ID"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestRefillStatusBatch(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	mine := asInt(t, f.call(t, keyA, "refill", "order", fmt.Sprint(f.completed(t, keyA, "1"))).(map[string]any)["refill"])
	rejected := asInt(t, f.call(t, keyA, "refill", "order", fmt.Sprint(f.completed(t, keyA, "5"))).(map[string]any)["refill"])
	theirs := asInt(t, f.call(t, keyB, "refill", "order", fmt.Sprint(f.completed(t, keyB, "1"))).(map[string]any)["refill"])
	f.panel.SetRefillStatus(rejected, "Rejected")
	f.panel.SetRefillStatus(99999, "Completed") // unknown: ignored
	f.clock.Advance(time.Hour)
	got := f.call(t, keyA, "refill_status", "refills", fmt.Sprintf("%d,%d,%d,99999", mine, rejected, theirs)).([]any)
	examples := fixtureFile(t, "refill_status_multi.json")
	for _, item := range got {
		wantShapeIn(t, item, examples)
	}
	notFound := map[string]any{"error": "Refill not found"}
	want := []any{
		map[string]any{"refill": num(mine), "status": "Completed"},
		map[string]any{"refill": num(rejected), "status": "Rejected"},
		map[string]any{"refill": num(theirs), "status": notFound},
		map[string]any{"refill": num(99999), "status": notFound},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	wantError(t, f.call(t, keyA, "refill_status", "refill", fmt.Sprint(theirs)), "Refill not found")
	wantError(t, f.call(t, keyA, "refill_status", "refill", "nope"), "Refill not found")
	wantError(t, f.call(t, keyA, "refill_status"), "Incorrect request")
}
