package locales

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestFormatMoney(t *testing.T) {
	c := load(t)
	tests := []struct {
		lang, amount, currency, want string
	}{
		{"en", "1.35", "USD", "1.35 USD"},
		{"en", "0", "", "0.00"},
		{"en", "10", "USD", "10.00 USD"},
		{"en", "1.5", "", "1.50"},
		{"en", "0.045", "", "0.045"},
		{"en", "1.2300", "", "1.23"},
		{"en", "1.234567", "", "1.23457"},
		{"en", "0.0000123", "", "0.00001"},
		{"en", "1000", "USD", "1000.00 USD"},
		{"en", "1350", "", "1350.00"},
		{"en", "10000", "", "10,000.00"},
		{"en", "1234567.891", "", "1,234,567.891"},
		{"en", "-12345.5", "", "-12,345.50"},
		{"en", "100.84292", "USD", "100.84292 USD"},
		{"ru", "1.35", "RUB", "1,35 RUB"},
		{"ru", "1234567.891", "", "1\u00a0234\u00a0567,891"},
		{"ar", "12345.5", "USD", "12,345.50 USD"},
		{"xx", "12345.5", "", "12,345.50"},
		{"en", "2.5", "  ", "2.50"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.amount, func(t *testing.T) {
			d, err := decimal.NewFromString(tt.amount)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.FormatMoney(tt.lang, Money{Amount: d, Currency: tt.currency}); got != tt.want {
				t.Errorf("FormatMoney(%s, %s %q) = %q, want %q", tt.lang, tt.amount, tt.currency, got, tt.want)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	c := load(t)
	tests := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "0"},
		{"en", 999, "999"},
		{"en", 1500, "1500"},
		{"en", 10000, "10,000"},
		{"en", 1234567, "1,234,567"},
		{"en", -100000, "-100,000"},
		{"ru", 10000, "10\u00a0000"},
		{"ar", 250000, "250,000"},
		{"en", 9223372036854775807, "9,223,372,036,854,775,807"},
	}
	for _, tt := range tests {
		if got := c.FormatNumber(tt.lang, tt.n); got != tt.want {
			t.Errorf("FormatNumber(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// TestTextFormatsArguments: Money and Number arguments are written in
// the language of the message, other arguments are left alone, and the
// caller's map is not changed.
func TestTextFormatsArguments(t *testing.T) {
	c := load(t)
	args := map[string]any{"Price": Money{Amount: decimal.RequireFromString("12345.6"), Currency: "USD"}}
	if got := c.Text("en", "order.summary_price", args, nil); got != "Total price: <b>12,345.60 USD</b>" {
		t.Errorf("en = %q", got)
	}
	if got := c.Text("ru", "order.summary_price", args, nil); got != "Итого: <b>12\u00a0345,60 USD</b>" {
		t.Errorf("ru = %q", got)
	}
	if _, ok := args["Price"].(Money); !ok {
		t.Errorf("Text changed its arguments: %v", args)
	}
	if got := c.Text("en", "order.no_such_service", map[string]any{"ID": int64(12345)}, nil); got != "There is no service #12345." {
		t.Errorf("a plain id = %q, want it ungrouped", got)
	}
	if got := c.Text("en", "order.summary_quantity", map[string]any{"Quantity": Number(25000)}, nil); got != "Quantity: 25,000" {
		t.Errorf("a quantity = %q", got)
	}
}

// BenchmarkTextWithMoney renders a service list line, as a list page does
// eight times: a Money argument and plain ones.
func BenchmarkTextWithMoney(b *testing.B) {
	c := load(b)
	args := map[string]any{"ID": int64(301), "Name": "Instagram Followers [Real]", "Min": int64(10), "Max": int64(50000),
		"Rate": Money{Amount: decimal.RequireFromString("1234.5678"), Currency: "USD"}}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Text("ru", "order.service_line", args, nil)
	}
}
