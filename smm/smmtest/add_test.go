package smmtest_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

func TestAddReply(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	got := f.call(t, keyA, "add", "service", "1", "link", "https://instagram.com/x", "quantity", "1500")
	wantShapeIn(t, got, []any{fixtureFile(t, "add.json")})
	if id := asInt(t, got.(map[string]any)["order"]); id != 23501 {
		t.Errorf("first order id %d, want 23501", id)
	}
	next := f.place(t, keyB, "service", "1", "link", "https://instagram.com/y", "quantity", "50")
	if next != 23502 {
		t.Errorf("second order id %d (another key), want 23502: ids are global", next)
	}
}

func TestAddValidation(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{"unknown service", []string{"service", "999", "link", "x", "quantity", "100"}, "Incorrect service ID"},
		{"service not a number", []string{"service", "one", "link", "x", "quantity", "100"}, "Incorrect service ID"},
		{"no service", []string{"link", "x", "quantity", "100"}, "Incorrect service ID"},
		{"no link", []string{"service", "1", "quantity", "100"}, "Incorrect link"},
		{"blank link", []string{"service", "1", "link", "  \t", "quantity", "100"}, "Incorrect link"},
		{"below min", []string{"service", "1", "link", "x", "quantity", "49"}, "Quantity less than minimal 50"},
		{"no quantity", []string{"service", "1", "link", "x"}, "Quantity less than minimal 50"},
		{"negative quantity", []string{"service", "1", "link", "x", "quantity", "-100"}, "Quantity less than minimal 50"},
		{"above max", []string{"service", "1", "link", "x", "quantity", "10001"}, "Quantity more than maximum 10000"},
		{"quantity not a number", []string{"service", "1", "link", "x", "quantity", "1e3"}, "Incorrect request"},
		{"unsupported type", []string{"service", "7", "link", "x", "quantity", "100"}, "Incorrect request"},
		{"dripfeed on a plain service", []string{"service", "1", "link", "x", "quantity", "100", "runs", "2", "interval", "30"}, "Incorrect request"},
		{"runs without interval", []string{"service", "4", "link", "x", "quantity", "100", "runs", "2"}, "Incorrect request"},
		{"interval without runs", []string{"service", "4", "link", "x", "quantity", "100", "interval", "5"}, "Incorrect request"},
		{"zero runs", []string{"service", "4", "link", "x", "quantity", "100", "runs", "0", "interval", "5"}, "Incorrect request"},
		{"runs not a number", []string{"service", "4", "link", "x", "quantity", "100", "runs", "two", "interval", "5"}, "Incorrect request"},
		{"dripfeed below min per run", []string{"service", "4", "link", "x", "quantity", "99", "runs", "10", "interval", "5"}, "Quantity less than minimal 100"},
		{"dripfeed on a package", []string{"service", "3", "link", "x", "runs", "2", "interval", "5"}, "Incorrect request"},
		{"comments missing", []string{"service", "2", "link", "x", "quantity", "10"}, "Incorrect request"},
		{"comments blank", []string{"service", "2", "link", "x", "comments", "\n \n"}, "Incorrect request"},
		{"too few comments", []string{"service", "2", "link", "x", "comments", "a\nb\nc"}, "Quantity less than minimal 10"},
		{"too many comments", []string{"service", "2", "link", "x", "comments", strings.Repeat("nice\n", 1501)}, "Quantity more than maximum 1500"},
		{"not enough funds", []string{"service", "1", "link", "x", "quantity", "10000"}, "Not enough funds on balance"},
	}
	f := newFixture(t, smmtest.Options{})
	f.panel.SetBalance(keyA, decimal.RequireFromString("8.99"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.call(t, keyA, "add", tt.fields...), tt.want)
		})
	}
	if got := f.panel.Orders(keyA); len(got) != 0 {
		t.Errorf("refused adds placed %d orders", len(got))
	}
	if got := f.panel.Balance(keyA); !got.Equal(decimal.RequireFromString("8.99")) {
		t.Errorf("balance %v after refused adds, want 8.99", got)
	}
}

func TestAddCharges(t *testing.T) {
	comments := "great post\r\n\n  love it  \nwow\n" + strings.Repeat("nice\n", 7)
	tests := []struct {
		name     string
		fields   []string
		quantity int64
		charge   string
		runs     int64
	}{
		{"default", []string{"service", "1", "link", "x", "quantity", "1500"}, 1500, "1.35", 0},
		{"default at min", []string{"service", "1", "link", "x", "quantity", "50"}, 50, "0.045", 0},
		{"package is flat", []string{"service", "3", "link", "x", "quantity", "5000"}, 1, "2.50", 0},
		{"comments by lines", []string{"service", "2", "link", "x", "comments", comments}, 10, "0.08", 0},
		{"dripfeed", []string{"service", "4", "link", "x", "quantity", "1000", "runs", "5", "interval", "30"}, 5000, "0.0615", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, smmtest.Options{})
			id := f.place(t, keyA, tt.fields...)
			o, ok := f.panel.Order(keyA, id)
			if !ok {
				t.Fatalf("Order(%d) not found", id)
			}
			charge := decimal.RequireFromString(tt.charge)
			if o.Quantity != tt.quantity || !o.Charge.Equal(charge) || o.Runs != tt.runs {
				t.Errorf("got quantity %d charge %v runs %d, want %d %v %d", o.Quantity, o.Charge, o.Runs, tt.quantity, charge, tt.runs)
			}
			if got, want := f.panel.Balance(keyA), decimal.NewFromInt(100).Sub(charge); !got.Equal(want) {
				t.Errorf("balance %v, want %v", got, want)
			}
		})
	}
}

func TestAddRecordsTheOrder(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	id := f.place(t, keyA, "service", "2", "link", " https://t.me/x ", "comments", "one\n\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten")
	o, _ := f.panel.Order(keyA, id)
	want := smmtest.Order{
		ID: id, Key: keyA, Service: 2, Link: "https://t.me/x", Quantity: 10,
		Comments: "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten",
		Charge:   decimal.RequireFromString("0.08"), StartCount: o.StartCount,
		Status: "Pending", Remains: 10, Created: f.clock.Now(),
	}
	if !o.Charge.Equal(want.Charge) {
		t.Errorf("charge %v, want %v", o.Charge, want.Charge)
	}
	o.Charge, want.Charge = decimal.Zero, decimal.Zero
	if o != want {
		t.Errorf("got  %+v\nwant %+v", o, want)
	}
	if o.StartCount <= 0 {
		t.Errorf("start count %d, want positive", o.StartCount)
	}
}

func TestAddSpendsTheWholeBalance(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	f.panel.SetBalance(keyA, decimal.RequireFromString("1.35"))
	f.place(t, keyA, "service", "1", "link", "x", "quantity", "1500")
	if got := f.panel.Balance(keyA); !got.IsZero() {
		t.Errorf("balance %v, want 0", got)
	}
	wantError(t, f.call(t, keyA, "add", "service", "1", "link", "x", "quantity", "50"), "Not enough funds on balance")
}
