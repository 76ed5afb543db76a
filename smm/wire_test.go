package smm

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWireInt(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{`157`, 157, false},
		{`"157"`, 157, false},
		{`" 157 "`, 157, false},
		{`-5`, -5, false},
		{`"157.00"`, 157, false},
		{`1e3`, 1000, false},
		{`""`, 0, false},
		{`null`, 0, false},
		{`"9223372036854775807"`, 9223372036854775807, false},
		{`"9223372036854775808"`, 0, true},
		{`"1.5"`, 0, true},
		{`"abc"`, 0, true},
		{`true`, 0, true},
		{`{}`, 0, true},
		{`[1]`, 0, true},
		{`"` + strings.Repeat("9", 100) + `"`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var n wireInt
			err := json.Unmarshal([]byte(tt.in), &n)
			if (err != nil) != tt.wantErr || (err == nil && int64(n) != tt.want) {
				t.Errorf("decode %s = %d, %v; want %d (error %t)", tt.in, n, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestWireBool(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		wantErr bool
	}{
		{`true`, true, false},
		{`false`, false, false},
		{`1`, true, false},
		{`0`, false, false},
		{`"1"`, true, false},
		{`"0"`, false, false},
		{`"true"`, true, false},
		{`"False"`, false, false},
		{`""`, false, false},
		{`null`, false, false},
		{`"maybe"`, false, true},
		{`{}`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var f wireBool
			err := json.Unmarshal([]byte(tt.in), &f)
			if (err != nil) != tt.wantErr || (err == nil && bool(f) != tt.want) {
				t.Errorf("decode %s = %t, %v; want %t (error %t)", tt.in, f, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestWireMoney(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{`"0.90"`, "0.9", false},
		{`0.90`, "0.9", false},
		{`"100.84292"`, "100.84292", false},
		{`100.84292`, "100.84292", false},
		// A float64 would round this one; a decimal keeps every digit.
		{`0.1000000000000000055511151231257827`, "0.1000000000000000055511151231257827", false},
		{`""`, "0", false},
		{`null`, "0", false},
		{`"1,5"`, "", true},
		{`"1e99999"`, "", true},
		{`[]`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var m wireMoney
			err := json.Unmarshal([]byte(tt.in), &m)
			if (err != nil) != tt.wantErr || (err == nil && m.decimal().String() != tt.want) {
				t.Errorf("decode %s = %s, %v; want %s (error %t)", tt.in, m.decimal(), err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestWireText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"Followers"`, "Followers"},
		{`" padded "`, "padded"},
		{`12`, "12"},
		{`null`, ""},
		{`"\u041f\u0440\u0438\u0432\u0435\u0442"`, "Привет"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var s wireText
			if err := json.Unmarshal([]byte(tt.in), &s); err != nil || string(s) != tt.want {
				t.Errorf("decode %s = %q, %v; want %q", tt.in, s, err, tt.want)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err, message string
		want         string
		isErr        bool
	}{
		{`"Incorrect order ID"`, ``, "Incorrect order ID", true},
		{`null`, ``, "", false},
		{`""`, ``, "", false},
		{`false`, ``, "", false},
		{`0`, ``, "", false},
		{``, ``, "", false},
		{`true`, `"Invalid API key"`, "Invalid API key", true},
		{`1`, ``, "unspecified error", true},
		{`{"message": "Refill not found"}`, ``, "Refill not found", true},
		{`{"code": 7}`, ``, `{"code": 7}`, true},
		{`404`, ``, "404", true},
	}
	for _, tt := range tests {
		t.Run(tt.err, func(t *testing.T) {
			got, isErr := errorText(json.RawMessage(tt.err), json.RawMessage(tt.message))
			if got != tt.want || isErr != tt.isErr {
				t.Errorf("errorText(%s, %s) = %q, %t; want %q, %t", tt.err, tt.message, got, isErr, tt.want, tt.isErr)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("ы", 500)
	tests := []struct {
		name, body, want string
	}{
		{"html title", "<!DOCTYPE html>\n<html><head><TITLE>smmgulf.com | 503:\n Service &amp; more</title></head>", "smmgulf.com | 503: Service & more"},
		{"html without title", "<html>\n<body>down</body>", "<html> <body>down</body>"},
		{"json", "{\"order\":\n\t23501}", `{"order": 23501}`},
		{"empty", "", ""},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
		{"key masked", `{"error": "bad key ` + "SECRET-KEY-123" + `"}`, `{"error": "bad key ***"}`},
		{"long", long, strings.Repeat("ы", maxExcerpt-1) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := excerpt([]byte(tt.body), "SECRET-KEY-123")
			if got != tt.want {
				t.Errorf("excerpt = %q, want %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > maxExcerpt || strings.ContainsAny(got, "\r\n") {
				t.Errorf("excerpt %q: %d characters or a line break", got, n)
			}
		})
	}
}
