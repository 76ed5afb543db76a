package smm

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzKey is the key a fuzzed reply is answered for: no error may carry it.
const fuzzKey = "FUZZ-KEY-0123456789"

// seedTestdata adds every reply of testdata/ to the corpus.
func seedTestdata(f *testing.F, add func(body []byte)) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no testdata: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// checkErr holds a decoder's error to the package's promises: the key
// masked, and a ResponseError's excerpt short and on one line.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if strings.Contains(err.Error(), fuzzKey) {
		t.Errorf("error carries the key: %v", err)
	}
	var re *ResponseError
	if errors.As(err, &re) {
		if utf8.RuneCountInString(re.Excerpt) > maxExcerpt || strings.ContainsAny(re.Excerpt, "\r\n") {
			t.Errorf("excerpt %q: over %d characters or several lines", re.Excerpt, maxExcerpt)
		}
	}
}

func FuzzDecodeServices(f *testing.F) {
	seedTestdata(f, func(b []byte) { f.Add(b) })
	f.Add([]byte(`[{"service": "1", "rate": "1e5", "min": "", "max": null, "refill": "0"}, {"service": 0}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := &reply{action: "services", status: 200, body: body, key: fuzzKey}
		if err := r.check(); err != nil {
			checkErr(t, err)
			return
		}
		list, skipped, err := decodeServices(r)
		checkErr(t, err)
		for _, e := range skipped {
			checkErr(t, e)
		}
		if err != nil && len(list) > 0 {
			t.Errorf("an error (%v) and %d services", err, len(list))
		}
		for _, s := range list {
			if s.ID <= 0 {
				t.Errorf("service with id %d", s.ID)
			}
		}
		c := NewCatalogue(list)
		if c.Len() != len(list) {
			t.Errorf("catalogue of %d services for %d", c.Len(), len(list))
		}
		for _, s := range list {
			if _, found := c.Service(s.ID); !found {
				t.Errorf("service %d not in its catalogue", s.ID)
			}
		}
	})
}

// FuzzDecodeReplies runs every other decoder on one reply, at one status.
func FuzzDecodeReplies(f *testing.F) {
	seedTestdata(f, func(b []byte) { f.Add(200, b) })
	f.Add(503, []byte("<html><title>down</title></html>"))
	f.Add(500, []byte(`{"error": {"message": "boom"}}`))
	f.Add(429, []byte(""))
	f.Add(200, []byte(`[{"order": "1", "refill": {"error": true, "message": "no"}}, {"order": 2, "cancel": "1"}, {"refill": 3}]`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		ids := []int64{1, 2, 3, 9, 10, 100}
		for action, decode := range decoders {
			r := &reply{action: action, status: status, body: body, key: fuzzKey}
			if err := r.check(); err != nil {
				checkErr(t, err)
				continue
			}
			for _, err := range decode(r, ids) {
				checkErr(t, err)
			}
		}
	})
}

// decoders run each decoder of a reply and return every error it gave,
// per-item ones included.
var decoders = map[string]func(r *reply, ids []int64) []error{
	"add": func(r *reply, _ []int64) []error {
		id, err := decodeAdd(r)
		if err == nil && id <= 0 {
			err = errors.New("order id not above zero")
		}
		return []error{err}
	},
	"status": func(r *reply, _ []int64) []error {
		_, err := decodeStatus(r)
		return []error{err}
	},
	"status_batch": func(r *reply, ids []int64) []error {
		m, err := decodeStatuses(r, ids)
		return batchErrs(m, err, func(v StatusResult) error { return v.Err })
	},
	"refill": func(r *reply, _ []int64) []error {
		_, err := decodeRefill(r)
		return []error{err}
	},
	"refill_batch": func(r *reply, ids []int64) []error {
		m, err := decodeRefills(r, ids)
		return batchErrs(m, err, func(v RefillResult) error { return v.Err })
	},
	"refill_status": func(r *reply, _ []int64) []error {
		_, err := decodeRefillStatus(r)
		return []error{err}
	},
	"refill_status_batch": func(r *reply, ids []int64) []error {
		m, err := decodeRefillStatuses(r, ids)
		return batchErrs(m, err, func(v RefillStatusResult) error { return v.Err })
	},
	"cancel": func(r *reply, ids []int64) []error {
		m, err := decodeCancel(r, ids)
		return batchErrs(m, err, func(v error) error { return v })
	},
	"balance": func(r *reply, _ []int64) []error {
		_, err := decodeBalance(r)
		return []error{err}
	},
}

func batchErrs[R any](m map[int64]R, err error, errOf func(R) error) []error {
	errs := []error{err}
	for _, v := range m {
		errs = append(errs, errOf(v))
	}
	return errs
}

// FuzzDecodeNumbers checks that a number decodes the same as a JSON
// number and as a JSON string, for every numeric wire type.
func FuzzDecodeNumbers(f *testing.F) {
	for _, s := range []string{"0", "157", "-5", "0.90", "100.84292", "1e3", "157.00", "9223372036854775807", "1E-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw := []byte(strings.TrimSpace(s))
		var probe json.Number
		if len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &probe) != nil {
			return // not a JSON number
		}
		quoted, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var n1, n2 wireInt
		e1, e2 := json.Unmarshal(raw, &n1), json.Unmarshal(quoted, &n2)
		if (e1 == nil) != (e2 == nil) || n1 != n2 {
			t.Errorf("int %s: %d, %v as a number; %d, %v as a string", s, n1, e1, n2, e2)
		}
		var m1, m2 wireMoney
		e1, e2 = json.Unmarshal(raw, &m1), json.Unmarshal(quoted, &m2)
		if (e1 == nil) != (e2 == nil) || !m1.decimal().Equal(m2.decimal()) {
			t.Errorf("money %s: %s, %v as a number; %s, %v as a string", s, m1.decimal(), e1, m2.decimal(), e2)
		}
		var b1, b2 wireBool
		e1, e2 = json.Unmarshal(raw, &b1), json.Unmarshal(quoted, &b2)
		if (e1 == nil) != (e2 == nil) || b1 != b2 {
			t.Errorf("flag %s: %t, %v as a number; %t, %v as a string", s, b1, e1, b2, e2)
		}
		var o1, o2 wireOptInt
		e1, e2 = json.Unmarshal(raw, &o1), json.Unmarshal(quoted, &o2)
		if e1 != nil || e2 != nil || o1 != o2 || o1.known && o1.v != int64(n1) {
			t.Errorf("optional int %s: %+v, %v as a number; %+v, %v as a string", s, o1, e1, o2, e2)
		}
		var p1, p2 wireOptMoney
		e1, e2 = json.Unmarshal(raw, &p1), json.Unmarshal(quoted, &p2)
		if e1 != nil || e2 != nil || p1.known != p2.known || !p1.v.Equal(p2.v) {
			t.Errorf("optional money %s: %+v, %v as a number; %+v, %v as a string", s, p1, e1, p2, e2)
		}
	})
}

// FuzzPlaceholders checks that any text in a number field of a status
// is a number or unknown, never an error, and that unknown is zero.
func FuzzPlaceholders(f *testing.F) {
	for _, s := range []string{"", "Unknown", "-", "N/A", "null", "157", "0.5", "1e400", "12abc", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := json.Marshal(s)
		if err != nil {
			t.Skip()
		}
		body := `{"status": "Pending", "charge": ` + string(q) + `, "start_count": ` + string(q) + `, "remains": ` + string(q) + `}`
		r := &reply{action: "status", status: 200, body: []byte(body), key: fuzzKey}
		if err := r.check(); err != nil {
			t.Fatalf("check: %v", err)
		}
		st, err := decodeStatus(r)
		if err != nil {
			t.Fatalf("decodeStatus(%s): %v", body, err)
		}
		if st.Unknown.Has(UnknownRemains) && st.Remains != 0 || st.Unknown.Has(UnknownCharge) && !st.Charge.IsZero() {
			t.Errorf("unknown numbers not zero: %+v", st)
		}
	})
}

// FuzzRetryAfter checks that any Retry-After header gives a wait within
// bounds, or none.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "7", "1.5", "-3", "NaN", "Inf", "99999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"} {
		f.Add(s)
	}
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 || d > maxRetryAfter || (!ok && d != 0) {
			t.Errorf("parseRetryAfter(%q) = %s, %t", s, d, ok)
		}
	})
}

// FuzzClassify checks that every message maps to at most one sentinel
// and that APIError.Is agrees with it.
func FuzzClassify(f *testing.F) {
	for _, r := range messageRules {
		for _, frag := range r.frags {
			f.Add(strings.ReplaceAll(frag, "*", " x "))
		}
	}
	f.Fuzz(func(t *testing.T, msg string) {
		e := &APIError{Message: msg, StatusCode: 200}
		n := 0
		for _, r := range messageRules {
			if errors.Is(e, r.err) {
				n++
			}
		}
		if want := classify(msg); (want == nil) != (n == 0) || n > 1 {
			t.Errorf("%q matches %d sentinels; classify says %v", msg, n, want)
		}
	})
}
