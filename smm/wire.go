package smm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// The wire types decode the loose JSON of SMM panels: a number may come as
// a JSON number or a JSON string, a flag as true/false, 1/0 or "1"/"0",
// and an empty string or null stands for zero.

// maxNumberLen bounds a numeric literal: longer ones are garbage, and big
// decimal parsing grows faster than linearly with the length.
const maxNumberLen = 64

// wireInt is an integer given as a JSON number or string.
type wireInt int64

func (n *wireInt) UnmarshalJSON(b []byte) error {
	s, ok, err := scalarBytes(b)
	if err != nil {
		return err
	}
	if !ok || len(s) == 0 {
		*n = 0
		return nil
	}
	v, err := parseInt(s)
	if err != nil {
		return err
	}
	*n = wireInt(v)
	return nil
}

// parseInt accepts an integer, or a decimal with no fractional value
// ("157.00", "1e3"), within int64.
func parseInt(b []byte) (int64, error) {
	if v, ok := atoi(b); ok {
		return v, nil
	}
	d, err := parseDecimal(string(b))
	if err != nil || !d.IsInteger() || d.LessThan(minInt) || d.GreaterThan(maxInt) {
		return 0, fmt.Errorf("%q is not an integer", clip(string(b)))
	}
	return d.IntPart(), nil
}

// atoi parses a plain decimal integer, without allocating.
func atoi(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 { // 18 digits cannot overflow
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

var (
	minInt = decimal.NewFromInt(math.MinInt64)
	maxInt = decimal.NewFromInt(math.MaxInt64)
)

// wireBool is a flag given as true/false, 1/0, "1"/"0" or "true"/"false".
type wireBool bool

func (f *wireBool) UnmarshalJSON(b []byte) error {
	s, _, err := scalarBytes(b)
	if err != nil {
		return err
	}
	switch {
	case len(s) == 0, bytes.EqualFold(s, []byte("false")), bytes.EqualFold(s, []byte("no")):
		*f = false
		return nil
	case bytes.EqualFold(s, []byte("true")), bytes.EqualFold(s, []byte("yes")):
		*f = true
		return nil
	}
	if n, ok := atoi(s); ok {
		*f = n != 0
		return nil
	}
	d, err := parseDecimal(string(s))
	if err != nil {
		return fmt.Errorf("%q is not a flag", clip(string(s)))
	}
	*f = wireBool(!d.IsZero())
	return nil
}

// wireMoney is a decimal amount given as a JSON number or string.
type wireMoney decimal.Decimal

func (m *wireMoney) UnmarshalJSON(b []byte) error {
	s, ok, err := scalar(b)
	if err != nil {
		return err
	}
	if !ok || s == "" {
		*m = wireMoney(decimal.Zero)
		return nil
	}
	d, err := parseDecimal(s)
	if err != nil {
		return fmt.Errorf("%q is not an amount", clip(s))
	}
	*m = wireMoney(d)
	return nil
}

func (m wireMoney) decimal() decimal.Decimal { return decimal.Decimal(m) }

// parseDecimal is decimal.NewFromString with a bound on the length.
func parseDecimal(s string) (decimal.Decimal, error) {
	if len(s) > maxNumberLen {
		return decimal.Decimal{}, errors.New("number too long")
	}
	return decimal.NewFromString(s)
}

// wireText is a string that some panels send as a number; null is "".
type wireText string

func (t *wireText) UnmarshalJSON(b []byte) error {
	s, _, err := scalar(b)
	if err != nil {
		return err
	}
	*t = wireText(strings.TrimSpace(s))
	return nil
}

// scalar returns the text of a JSON string, number or boolean literal,
// with ok false for null. Objects and arrays are an error.
func scalar(b []byte) (string, bool, error) {
	v, ok, err := scalarBytes(b)
	return string(v), ok, err
}

// scalarBytes is scalar without a string: a number's text is a slice of
// b, so reading one allocates nothing.
func scalarBytes(b []byte) ([]byte, bool, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, false, errors.New("empty value")
	}
	switch b[0] {
	case '"':
		// Most strings have no escapes: skip the decoder, which costs
		// several allocations a value.
		if len(b) >= 2 && b[len(b)-1] == '"' && plain(b[1:len(b)-1]) {
			return bytes.TrimSpace(b[1 : len(b)-1]), true, nil
		}
		return unquote(b)
	case '{', '[':
		return nil, false, fmt.Errorf("want a scalar, got %s", kind(b))
	case 'n':
		return nil, false, nil
	}
	return b, true, nil
}

func unquote(b []byte) ([]byte, bool, error) {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, false, err
	}
	return []byte(strings.TrimSpace(s)), true, nil
}

// plain reports whether the inside of a JSON string literal is its value:
// no escapes, quotes or control characters, and valid UTF-8.
func plain(in []byte) bool {
	for _, c := range in {
		if c == '\\' || c == '"' || c < 0x20 {
			return false
		}
	}
	return utf8.Valid(in)
}

// kind names the JSON type of a raw value, for error messages.
func kind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// clip shortens a value quoted in an error message.
func clip(s string) string { return truncate(s, 40) }

// truncate cuts s to at most n runes, the last one "…" when it cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// wireOptInt is an integer that a panel may give as a placeholder ("",
// "Unknown", "-", "N/A", null): then it is not known, which is not zero.
// Any string that is not a number counts as a placeholder.
type wireOptInt struct {
	v     int64
	known bool
}

func (n *wireOptInt) UnmarshalJSON(b []byte) error {
	s, ok, err := scalarBytes(b)
	if err != nil {
		return err
	}
	*n = wireOptInt{}
	if !ok || len(s) == 0 {
		return nil
	}
	if v, err := parseInt(s); err == nil {
		*n = wireOptInt{v: v, known: true}
	}
	return nil
}

// wireOptMoney is an amount that may be a placeholder, as wireOptInt.
type wireOptMoney struct {
	v     decimal.Decimal
	known bool
}

func (m *wireOptMoney) UnmarshalJSON(b []byte) error {
	s, ok, err := scalar(b)
	if err != nil {
		return err
	}
	*m = wireOptMoney{}
	if !ok || s == "" {
		return nil
	}
	if d, err := parseDecimal(s); err == nil {
		*m = wireOptMoney{v: d, known: true}
	}
	return nil
}
