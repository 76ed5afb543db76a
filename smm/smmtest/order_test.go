package smmtest_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm/smmtest"
)

func TestStatusReplyShapes(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	id := f.place(t, keyA, "service", "1", "link", "x", "quantity", "1500")
	single := f.call(t, keyA, "status", "order", fmt.Sprint(id))
	wantShapeIn(t, single, []any{fixtureFile(t, "status.json")})
	want := map[string]any{"charge": "1.35", "start_count": single.(map[string]any)["start_count"],
		"status": "Pending", "remains": "1500", "currency": "USD"}
	if !reflect.DeepEqual(single, want) {
		t.Errorf("got %v, want %v", single, want)
	}
	batch := f.call(t, keyA, "status", "orders", fmt.Sprintf("%d, 10,abc", id)).(map[string]any)
	if len(batch) != 3 {
		t.Fatalf("got %v, want 3 entries", batch)
	}
	examples := fixtureFile(t, "status_multi.json")
	for k, v := range batch {
		wantShapeIn(t, v, examples)
		if k != fmt.Sprint(id) {
			wantError(t, v, "Incorrect order ID")
		}
	}
	if !reflect.DeepEqual(batch[fmt.Sprint(id)], single) {
		t.Errorf("batch entry %v, want %v", batch[fmt.Sprint(id)], single)
	}
}

func TestStatusRefusals(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	theirs := f.place(t, keyB, "service", "1", "link", "x", "quantity", "100")
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{"another key's order", []string{"order", fmt.Sprint(theirs)}, "Incorrect order ID"},
		{"unknown order", []string{"order", "99999"}, "Incorrect order ID"},
		{"malformed order", []string{"order", "x1"}, "Incorrect order ID"},
		{"no order field", nil, "Incorrect request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.call(t, keyA, "status", tt.fields...), tt.want)
		})
	}
	batch := f.call(t, keyA, "status", "orders", fmt.Sprint(theirs)).(map[string]any)
	wantError(t, batch[fmt.Sprint(theirs)], "Incorrect order ID")
	if _, ok := f.panel.Order(keyA, theirs); ok {
		t.Errorf("Order(keyA, %d) found another key's order", theirs)
	}
}

func TestOrdersProgressOnTheClock(t *testing.T) {
	step := time.Minute
	f := newFixture(t, smmtest.Options{Step: step})
	id := f.place(t, keyA, "service", "1", "link", "x", "quantity", "1000")
	tests := []struct {
		after   time.Duration
		status  string
		remains string
	}{
		{0, "Pending", "1000"},
		{59 * time.Second, "Pending", "1000"},
		{time.Minute, "In progress", "1000"},
		{90 * time.Second, "In progress", "500"},
		{105 * time.Second, "In progress", "250"},
		{2 * time.Minute, "Completed", "0"},
		{time.Hour, "Completed", "0"},
	}
	start := f.clock.Now()
	for _, tt := range tests {
		t.Run(tt.after.String(), func(t *testing.T) {
			f.clock.Advance(start.Add(tt.after).Sub(f.clock.Now()))
			got := f.call(t, keyA, "status", "order", fmt.Sprint(id)).(map[string]any)
			if got["status"] != tt.status || got["remains"] != tt.remains {
				t.Errorf("got %v %v, want %v %v", got["status"], got["remains"], tt.status, tt.remains)
			}
			o, _ := f.panel.Order(keyA, id)
			if o.Status != tt.status || fmt.Sprint(o.Remains) != tt.remains {
				t.Errorf("Order: got %v %v, want %v %v", o.Status, o.Remains, tt.status, tt.remains)
			}
		})
	}
}

func TestDefaultStepIsTenSeconds(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	id := f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
	for _, step := range []struct {
		advance time.Duration
		want    string
	}{{9 * time.Second, "Pending"}, {time.Second, "In progress"}, {10 * time.Second, "Completed"}} {
		f.clock.Advance(step.advance)
		if o, _ := f.panel.Order(keyA, id); o.Status != step.want {
			t.Errorf("at +%v: status %q, want %q", step.advance, o.Status, step.want)
		}
	}
}

func TestSetStatusPinsTheOrder(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	id := f.place(t, keyA, "service", "1", "link", "x", "quantity", "1000")
	f.panel.SetStatus(id, "Partial", 157)
	f.panel.SetStatus(424242, "Completed", 0) // unknown: ignored
	f.clock.Advance(time.Hour)
	got := f.call(t, keyA, "status", "order", fmt.Sprint(id)).(map[string]any)
	if got["status"] != "Partial" || got["remains"] != "157" || got["charge"] != "0.9" {
		t.Errorf("got %v, want Partial with 157 remains, charge 0.9", got)
	}
	f.panel.SetStatus(id, "Fail", 1000)
	if o, _ := f.panel.Order(keyA, id); o.Status != "Fail" || o.Remains != 1000 {
		t.Errorf("got %v %d, want Fail 1000", o.Status, o.Remains)
	}
}

func TestForget(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	first := f.place(t, keyA, "service", "1", "link", "x", "quantity", "100")
	second := f.place(t, keyA, "service", "5", "link", "y", "quantity", "100")
	f.panel.Forget(first)
	f.panel.Forget(99999) // unknown: ignored
	wantError(t, f.call(t, keyA, "status", "order", fmt.Sprint(first)), "Incorrect order ID")
	batch := f.call(t, keyA, "status", "orders", fmt.Sprintf("%d,%d", first, second)).(map[string]any)
	wantError(t, batch[fmt.Sprint(first)], "Incorrect order ID")
	if batch[fmt.Sprint(second)].(map[string]any)["status"] != "Pending" {
		t.Errorf("second order: got %v, want its status", batch[fmt.Sprint(second)])
	}
	cancel := f.call(t, keyA, "cancel", "orders", fmt.Sprint(first)).([]any)
	wantError(t, cancel[0].(map[string]any)["cancel"], "Incorrect order ID")
	if got := f.panel.Orders(keyA); len(got) != 1 || got[0].ID != second {
		t.Errorf("Orders() = %v, want only %d", got, second)
	}
}

func TestOrdersAreOldestFirstPerKey(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	var mine []int64
	for i := range 3 {
		mine = append(mine, f.place(t, keyA, "service", "1", "link", fmt.Sprint("a", i), "quantity", "100"))
		f.place(t, keyB, "service", "1", "link", fmt.Sprint("b", i), "quantity", "100")
		f.clock.Advance(time.Second)
	}
	got := f.panel.Orders(keyA)
	if len(got) != len(mine) {
		t.Fatalf("got %d orders, want %d", len(got), len(mine))
	}
	for i, o := range got {
		if o.ID != mine[i] || o.Key != keyA || o.Link != fmt.Sprint("a", i) {
			t.Errorf("order %d: got %d %s %s, want %d of keyA", i, o.ID, o.Key, o.Link, mine[i])
		}
	}
	if got := f.panel.Orders("nobody"); len(got) != 0 {
		t.Errorf("Orders(nobody) = %v, want none", got)
	}
}
