package smmtest_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/smmbot/smmbot/smm/smmtest"
)

// numericFields calls every action and returns each numeric field of the
// replies, by name.
func numericFields(tb testing.TB, f *fixture) map[string]any {
	tb.Helper()
	out := make(map[string]any)
	svc := f.call(tb, keyA, "services").([]any)[0].(map[string]any)
	for _, k := range []string{"service", "rate", "min", "max"} {
		out["services."+k] = svc[k]
	}
	done := f.completed(tb, keyA, "1")
	out["add.order"] = f.call(tb, keyA, "add", "service", "5", "link", "x", "quantity", "100").(map[string]any)["order"]
	status := f.call(tb, keyA, "status", "order", fmt.Sprint(done)).(map[string]any)
	for _, k := range []string{"charge", "start_count", "remains"} {
		out["status."+k] = status[k]
	}
	out["refill.refill"] = f.call(tb, keyA, "refill", "order", fmt.Sprint(done)).(map[string]any)["refill"]
	batch := f.call(tb, keyA, "refill", "orders", fmt.Sprint(done)).([]any)[0].(map[string]any)
	out["refills.order"], out["refills.refill"] = batch["order"], batch["refill"]
	rs := f.call(tb, keyA, "refill_status", "refills", "7001").([]any)[0].(map[string]any)
	out["refill_status.refill"] = rs["refill"]
	cancel := f.call(tb, keyA, "cancel", "orders", "23502").([]any)[0].(map[string]any)
	out["cancel.order"], out["cancel.cancel"] = cancel["order"], cancel["cancel"]
	out["balance.balance"] = f.call(tb, keyA, "balance").(map[string]any)["balance"]
	return out
}

func TestNumbersOnTheWire(t *testing.T) {
	documentedStrings := map[string]bool{
		"services.rate": true, "services.min": true, "services.max": true,
		"status.charge": true, "status.start_count": true, "status.remains": true,
		"refill.refill": true, "balance.balance": true,
	}
	tests := []struct {
		name   string
		set    func(*smmtest.Panel)
		string func(field string) bool
	}{
		{"documented", func(*smmtest.Panel) {}, func(k string) bool { return documentedStrings[k] }},
		{"strings", func(p *smmtest.Panel) { p.SetStringNumbers(true) }, func(string) bool { return true }},
		{"strings off", func(p *smmtest.Panel) { p.SetStringNumbers(true); p.SetStringNumbers(false) },
			func(k string) bool { return documentedStrings[k] }},
		{"numbers", func(p *smmtest.Panel) { p.SetNumbers(smmtest.NumbersJSON) }, func(string) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, smmtest.Options{})
			tt.set(f.panel)
			fields := numericFields(t, f)
			if len(fields) != 15 {
				t.Errorf("got %d fields, want 15: %v", len(fields), fields)
			}
			for k, v := range fields {
				switch v.(type) {
				case string:
					if !tt.string(k) {
						t.Errorf("%s = %q, want a JSON number", k, v)
					}
				case json.Number:
					if tt.string(k) {
						t.Errorf("%s = %v, want a JSON string", k, v)
					}
				default:
					t.Errorf("%s = %v (%T), want a number or a string", k, v, v)
				}
			}
			if rate := fmt.Sprint(fields["services.rate"]); rate != "0.90" {
				t.Errorf("rate %s, want 0.90 with its trailing zero", rate)
			}
		})
	}
}

func TestNumbersOption(t *testing.T) {
	f := newFixture(t, smmtest.Options{Numbers: smmtest.NumbersStrings})
	if got := f.call(t, keyA, "balance").(map[string]any)["balance"]; got != "100" {
		t.Errorf("balance %v, want \"100\"", got)
	}
	f.panel.SetNumbers(smmtest.NumbersJSON)
	if got := f.call(t, keyA, "balance").(map[string]any)["balance"]; got != json.Number("100") {
		t.Errorf("balance %v (%T), want the JSON number 100", got, got)
	}
}
