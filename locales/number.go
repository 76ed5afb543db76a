package locales

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an amount in a currency, as the panel gives both. It is handed
// to Text as an argument and formatted in the reader's language: two
// decimals, more only when the amount needs them (a rate of 0.00125), at
// most MoneyDecimals; the integer part grouped; the currency after it.
type Money struct {
	Amount   decimal.Decimal
	Currency string // as the panel names it ("USD"); "" when not known
}

// Number is a count to read (a quantity, a number of results), grouped in
// the reader's language when handed to Text as an argument. Ids and the
// bounds a user is asked to type are plain integers, shown as typed.
type Number int64

// MoneyDecimals is the most decimals an amount shows.
const MoneyDecimals = 5

// minGrouping is the fewest integer digits that are grouped: four-digit
// numbers stay whole (1000, 10,000), as CLDR has it for Spanish or Polish
// and many English style guides do, so that a short amount reads (and is
// found) as the digits the panel shows.
const minGrouping = 5

// numberFormat is a language's separators, from its message file
// ("num.group", "num.decimal"); English's when a file lacks them.
type numberFormat struct {
	group, decimal string
}

var defaultFormat = numberFormat{group: ",", decimal: "."}

// FormatMoney is m in language lang: "1,350.00 USD", "1 350,00 USD".
func (c *Catalog) FormatMoney(lang string, m Money) string {
	r := m.Amount.Round(MoneyDecimals)
	s := r.StringFixed(2)
	if !r.Equal(r.Round(2)) {
		s = strings.TrimRight(r.StringFixed(MoneyDecimals), "0")
	}
	out := c.format(lang).apply(s)
	if cur := strings.TrimSpace(m.Currency); cur != "" {
		out += " " + cur
	}
	return out
}

// FormatNumber is n in language lang, grouped: "12,500", "12 500".
func (c *Catalog) FormatNumber(lang string, n int64) string {
	return c.format(lang).apply(decimal.NewFromInt(n).String())
}

func (c *Catalog) format(lang string) numberFormat {
	if f, ok := c.formats[lang]; ok {
		return f
	}
	if f, ok := c.formats[Default]; ok {
		return f
	}
	return defaultFormat
}

// apply groups the integer part of a plain decimal ("-1234567.5") and
// puts the language's separators in.
func (f numberFormat) apply(s string) string {
	sign := ""
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = "-", rest
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	if len(whole) < minGrouping {
		b.WriteString(whole)
	} else {
		for i, d := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(f.group)
			}
			b.WriteRune(d)
		}
	}
	if hasFrac {
		b.WriteString(f.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// formatArgs replaces the Money and Number arguments by their text in
// lang; args itself is not changed.
func (c *Catalog) formatArgs(lang string, args map[string]any) map[string]any {
	var out map[string]any
	for k, v := range args {
		var s string
		switch v := v.(type) {
		case Money:
			s = c.FormatMoney(lang, v)
		case Number:
			s = c.FormatNumber(lang, int64(v))
		default:
			continue
		}
		if out == nil {
			out = make(map[string]any, len(args))
			for k2, v2 := range args {
				out[k2] = v2
			}
		}
		out[k] = s
	}
	if out == nil {
		return args
	}
	return out
}
