package smmtest_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

func num(v int64) json.Number { return json.Number(fmt.Sprint(v)) }

func TestCancel(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	open := f.place(t, keyA, "service", "5", "link", "x", "quantity", "1000")
	noCancel := f.place(t, keyA, "service", "6", "link", "x", "quantity", "1000")
	done := f.completed(t, keyA, "5")
	theirs := f.place(t, keyB, "service", "5", "link", "x", "quantity", "100")
	before := f.panel.Balance(keyA)
	got := f.call(t, keyA, "cancel", "orders", fmt.Sprintf("%d,%d,%d,%d,9", open, noCancel, done, theirs)).([]any)
	examples := fixtureFile(t, "cancel.json")
	for _, item := range got {
		wantShapeIn(t, item, examples)
	}
	notAllowed := map[string]any{"error": "Cancel not allowed"}
	incorrect := map[string]any{"error": "Incorrect order ID"}
	want := []any{
		map[string]any{"order": num(open), "cancel": num(1)},
		map[string]any{"order": num(noCancel), "cancel": notAllowed},
		map[string]any{"order": num(done), "cancel": notAllowed},
		map[string]any{"order": num(theirs), "cancel": incorrect},
		map[string]any{"order": num(9), "cancel": incorrect},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if got, want := f.panel.Balance(keyA), before.Add(decimal.RequireFromString("1.2")); !got.Equal(want) {
		t.Errorf("balance %v after cancel, want %v (refunded)", got, want)
	}
	status := f.call(t, keyA, "status", "order", fmt.Sprint(open)).(map[string]any)
	if status["status"] != "Canceled" || status["remains"] != "1000" || status["charge"] != "0" {
		t.Errorf("canceled order: got %v, want Canceled, remains 1000, charge 0", status)
	}
	again := f.call(t, keyA, "cancel", "orders", fmt.Sprint(open)).([]any)
	if !reflect.DeepEqual(again[0], map[string]any{"order": num(open), "cancel": notAllowed}) {
		t.Errorf("second cancel: got %v, want Cancel not allowed", again[0])
	}
	if o, _ := f.panel.Order(keyB, theirs); o.Status != "Pending" {
		t.Errorf("another key's order became %q", o.Status)
	}
}

func TestCancelNeedsOrders(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	id := f.place(t, keyA, "service", "5", "link", "x", "quantity", "100")
	wantError(t, f.call(t, keyA, "cancel", "order", fmt.Sprint(id)), "Incorrect request")
	if o, _ := f.panel.Order(keyA, id); o.Status != "Pending" {
		t.Errorf("order became %q after a refused cancel", o.Status)
	}
}
