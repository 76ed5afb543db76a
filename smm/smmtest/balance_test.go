package smmtest_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

func TestBalanceReply(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	f.panel.SetBalance(keyA, decimal.RequireFromString("100.84292"))
	got := f.call(t, keyA, "balance")
	wantShapeIn(t, got, []any{fixtureFile(t, "balance.json")})
	if m := got.(map[string]any); m["balance"] != "100.84292" || m["currency"] != "USD" {
		t.Errorf("got %v, want balance 100.84292 USD", got)
	}
	if m := f.call(t, keyB, "balance").(map[string]any); m["balance"] != "50" {
		t.Errorf("keyB: got %v, want its own balance 50", m)
	}
}

func TestKeys(t *testing.T) {
	p := smmtest.New(smmtest.Options{})
	p.AddKey("", decimal.NewFromInt(5))
	p.SetBalance("unknown", decimal.NewFromInt(5))
	p.AddKey("k", decimal.NewFromInt(7))
	p.AddKey("k", decimal.NewFromInt(9))
	tests := []struct {
		key  string
		want decimal.Decimal
	}{
		{"", decimal.Zero},
		{"unknown", decimal.Zero},
		{"k", decimal.NewFromInt(9)},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := p.Balance(tt.key); !got.Equal(tt.want) {
				t.Errorf("Balance(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}
