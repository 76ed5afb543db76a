package flows

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		text        string
		lo, hi      int64
		want        int64
		wantProblem string
	}{
		{"1000", 1, 10000, 1000, ""},
		{"1,000", 1, 10000, 1000, ""},
		{"1 000", 1, 10000, 1000, ""},
		{"1_000", 1, 10000, 1000, ""},
		{"1\u202f000", 1, 10000, 1000, ""},
		{"١٠٠٠", 1, 10000, 1000, ""},
		{"۱۰۰۰", 1, 10000, 1000, ""},
		{"007", 1, 10000, 7, ""},
		{"0", 0, 10, 0, ""},
		{"000", 0, 10, 0, ""},
		{"999999999999", 1, 1 << 62, 999999999999, ""},
		{"1000000000000", 1, 1 << 62, 0, "err.out_of_range"}, // 13 digits
		{"0000000000000000000001", 1, 10, 1, ""},
		{"", 1, 10, 0, "err.blank"},
		{" \t\n", 1, 10, 0, "err.blank"},
		{",", 1, 10, 0, "err.not_number"},
		{"_ _", 1, 10, 0, "err.not_number"},
		{"-5", 1, 10, 0, "err.not_number"},
		{"+5", 1, 10, 0, "err.not_number"},
		{"1.5", 1, 10, 0, "err.not_number"},
		{"1e9", 1, 1 << 40, 0, "err.not_number"},
		{"５", 1, 10, 0, "err.not_number"}, // fullwidth digit
		{strings.Repeat("9", 30), 1, 10, 0, "err.out_of_range"},
		{"0", 1, 10, 0, "err.out_of_range"},
		{"11", 1, 10, 0, "err.out_of_range"},
		{"5", 10, 1, 0, "err.out_of_range"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, problem := parseCount(tt.text, tt.lo, tt.hi)
			if got != tt.want || problem != tt.wantProblem {
				t.Errorf("parseCount(%q, %d, %d) = %d, %q; want %d, %q", tt.text, tt.lo, tt.hi, got, problem, tt.want, tt.wantProblem)
			}
		})
	}
}

// FuzzParseCount: parseCount never panics; a value it accepts is within
// lo..hi, the input is digits and grouping only, and the value is those
// digits.
func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"1000", "1,000", "1 000", "١٠٠٠", "۱۵۰۰", "-5", "1.5", "1e9", "", " ", "0", "007",
		strings.Repeat("9", 30), "9223372036854775807", "9223372036854775808", "1\u00a0000", "<script>", "\xff1"} {
		f.Add(s, int64(1), int64(10000))
	}
	f.Add("5", int64(-10), int64(10))
	f.Add("12", int64(20), int64(10))
	f.Fuzz(func(t *testing.T, text string, lo, hi int64) {
		n, problem := parseCount(text, lo, hi)
		switch problem {
		case "":
		case "err.blank", "err.not_number", "err.out_of_range":
			if n != 0 {
				t.Errorf("parseCount(%q) = %d with problem %q, want 0", text, n, problem)
			}
			return
		default:
			t.Fatalf("parseCount(%q) gave unknown problem %q", text, problem)
		}
		if n < lo || n > hi {
			t.Errorf("parseCount(%q, %d, %d) = %d: outside lo..hi", text, lo, hi, n)
		}
		var digits strings.Builder
		for _, r := range strings.TrimSpace(text) {
			switch {
			case r >= '0' && r <= '9':
				digits.WriteRune(r)
			case r >= '٠' && r <= '٩':
				digits.WriteRune('0' + r - '٠')
			case r >= '۰' && r <= '۹':
				digits.WriteRune('0' + r - '۰')
			case r == ',' || r == '_' || r == ' ' || r == '\u00a0' || r == '\u202f':
			default:
				t.Fatalf("parseCount(%q) = %d: accepted a text with %q, which is neither a digit nor grouping", text, n, r)
			}
		}
		want, err := strconv.ParseInt("0"+strings.TrimLeft(digits.String(), "0"), 10, 64)
		if err != nil || want != n {
			t.Errorf("parseCount(%q) = %d, want the value of its digits %q", text, n, digits.String())
		}
	})
}
