package smmtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Numbers says how a Panel writes numeric fields (ids, min, max, rate,
// charge, balance, counts) on the wire.
type Numbers int

const (
	// NumbersDocumented follows API.md's examples: service ids, order and
	// refill ids in add and batch replies, and cancel flags are JSON
	// numbers; rate, min, max, charge, start_count, remains, balance and
	// the single refill id are JSON strings.
	NumbersDocumented Numbers = iota
	// NumbersStrings writes every numeric field as a JSON string
	// ("order": "23501").
	NumbersStrings
	// NumbersJSON writes every numeric field as a JSON number, money
	// included ("balance": 100.84292, "rate": 0.90).
	NumbersJSON
)

// SetNumbers switches how numeric fields go on the wire from now on.
func (p *Panel) SetNumbers(n Numbers) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.numbers = n
}

// SetStringNumbers switches every numeric field to a JSON string (on) or
// back to API.md's documented forms (off).
func (p *Panel) SetStringNumbers(on bool) {
	if on {
		p.SetNumbers(NumbersStrings)
		return
	}
	p.SetNumbers(NumbersDocumented)
}

// number renders a numeric field whose decimal text is s; documentedString
// says whether API.md shows that field as a JSON string. Caller holds p.mu.
func (p *Panel) number(s string, documentedString bool) any {
	switch p.numbers {
	case NumbersStrings:
		return s
	case NumbersJSON:
		return json.Number(s)
	}
	if documentedString {
		return s
	}
	return json.Number(s)
}

// integer renders an integer field. Caller holds p.mu.
func (p *Panel) integer(v int64, documentedString bool) any {
	return p.number(strconv.FormatInt(v, 10), documentedString)
}

// money renders a charge or balance, documented as strings. Caller holds p.mu.
func (p *Panel) money(d decimal.Decimal) any {
	return p.number(d.String(), true)
}

// rateText keeps a rate's trailing zeros ("0.90"), as panels print them.
func rateText(d decimal.Decimal) string {
	if exp := d.Exponent(); exp < 0 {
		return d.StringFixed(-exp)
	}
	return d.String()
}

// errorJSON is the panel's failure shape, whole reply or per item.
type errorJSON struct {
	Error string `json:"error"`
}

func errorReply(msg string) errorJSON { return errorJSON{Error: msg} }

// writeJSON writes a reply with HTTP 200, as panels do even for errors.
func writeJSON(w http.ResponseWriter, reply any) {
	body, err := json.Marshal(reply)
	if err != nil {
		writeRaw(w, http.StatusInternalServerError, "text/plain; charset=utf-8",
			"smmtest: encode reply: "+err.Error()+"\n")
		return
	}
	writeRaw(w, http.StatusOK, "application/json", string(body))
}

// writeRaw writes a body as is.
func writeRaw(w http.ResponseWriter, code int, contentType, body string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// idToken is one entry of a comma-separated id list: its text as sent, and
// its value when it is a positive integer.
type idToken struct {
	raw string
	id  int64
	ok  bool
}

// splitIDs splits a comma-separated id list, skipping blank entries. It
// reports false for an empty list or one longer than maxIDsPerCall.
func splitIDs(list string) ([]idToken, bool) {
	var ids []idToken
	for part := range strings.SplitSeq(list, ",") {
		raw := strings.TrimSpace(part)
		if raw == "" {
			continue
		}
		ids = append(ids, parseID(raw))
	}
	return ids, len(ids) > 0 && len(ids) <= maxIDsPerCall
}

// parseID reads one id.
func parseID(raw string) idToken {
	raw = strings.TrimSpace(raw)
	id, err := strconv.ParseInt(raw, 10, 64)
	return idToken{raw: raw, id: id, ok: err == nil && id > 0}
}

// field renders a token as an id field: its number when it is one, else
// the text the client sent. Caller holds p.mu.
func (p *Panel) field(t idToken) any {
	if t.ok {
		return p.integer(t.id, false)
	}
	return t.raw
}
