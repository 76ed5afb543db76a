package smm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxExcerpt is the length of ResponseError.Excerpt, in characters.
const maxExcerpt = 120

// reply is the panel's answer to one request.
type reply struct {
	action string
	status int
	body   []byte
	key    string // to mask it in whatever the panel echoes back

	retryAfter  string        // the Retry-After header
	defaultWait time.Duration // a 429's wait when it has none
}

// check returns the error a reply stands for before its action-specific
// decoding: a redirect, an HTML page, an empty body, invalid JSON, an
// error envelope at any status ({"error": ...}, {"status": "error",
// "message": ...}, {"success": false, ...}), a 429, a non-2xx status, or
// nothing at all from an action the panel may not offer. A success
// wrapped in {"data": ...} is unwrapped: r.body becomes the data.
func (r *reply) check() error {
	r.body = bytes.TrimPrefix(r.body, []byte("\xef\xbb\xbf")) // PHP panels emit a BOM
	if r.status >= 300 && r.status < 400 {
		return r.fail("redirect (not followed)")
	}
	for range 3 { // an envelope may hold another
		body := bytes.TrimSpace(r.body)
		if len(body) == 0 || body[0] != '{' {
			break
		}
		data, err := r.envelope(body)
		if err != nil || data == nil {
			return err
		}
		r.body = data
	}
	return r.checkBody()
}

// checkBody is check for a body that is not an envelope.
func (r *reply) checkBody() error {
	body := bytes.TrimSpace(r.body)
	ok := r.status >= 200 && r.status < 300
	switch {
	case r.status == http.StatusTooManyRequests:
		return r.rateLimited(r.fail("rate limited"))
	case ok && nothing(body) && optional(r.action):
		return fmt.Errorf("%s: the panel answered %s: %w", r.action, kind(body), ErrNotSupported)
	case len(body) == 0:
		return r.fail("empty body")
	case body[0] == '<':
		return r.fail("HTML page")
	case !ok:
		return r.fail("HTTP error")
	}
	return nil
}

// envelope reads an object reply: the error it stands for, or the data it
// wraps (nil when it wraps nothing).
func (r *reply) envelope(body []byte) (json.RawMessage, error) {
	var obj struct {
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
		Status  json.RawMessage `json:"status"`
		Success json.RawMessage `json:"success"`
		Data    json.RawMessage `json:"data"`
		Remains json.RawMessage `json:"remains"` // an order's status, not an envelope
	}
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, r.decodeFail(err)
	}
	msg, failed := errorText(obj.Error, obj.Message)
	if !failed && len(obj.Remains) == 0 {
		msg, failed = envelopeFailure(obj.Status, obj.Success, obj.Message)
	}
	switch {
	case failed:
		e := r.apiError(msg)
		if r.status == http.StatusTooManyRequests || classify(msg) == ErrRateLimited {
			return nil, r.rateLimited(e)
		}
		return nil, e
	case len(obj.Data) > 0 && (len(obj.Status) == 0 || successWord(obj.Status) || len(obj.Success) > 0):
		return obj.Data, nil
	}
	return nil, r.checkBody()
}

// envelopeFailure reads the failure envelopes without an "error" member:
// {"status": "error", "message": ...} and {"success": false, ...}. An
// order's or a refill's own status "Error" carries no message, so it is
// not one.
func envelopeFailure(status, success, message json.RawMessage) (string, bool) {
	words := func() string {
		if m, _, err := scalar(message); err == nil && m != "" {
			return m
		}
		return "unspecified error"
	}
	if f, ok, err := scalar(success); err == nil && ok && isFalse(f) {
		return words(), true
	}
	st, ok, err := scalar(status)
	if err != nil || !ok {
		return "", false
	}
	switch strings.ToLower(st) {
	case "false", "0":
		return words(), true
	case "error", "fail", "failed", "failure":
		if len(bytes.TrimSpace(message)) > 0 {
			return words(), true
		}
	}
	return "", false
}

func isFalse(s string) bool {
	switch strings.ToLower(s) {
	case "false", "0", "no", "error", "fail", "failed":
		return true
	}
	return false
}

// successWord reports whether a "status" member says the call worked.
func successWord(v json.RawMessage) bool {
	s, ok, err := scalar(v)
	if err != nil || !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "success", "ok", "true", "1", "done":
		return true
	}
	return false
}

// nothing reports whether a body says nothing: empty, null, [] or {}.
func nothing(b []byte) bool {
	switch string(b) {
	case "", "null", "[]", "{}", `""`:
		return true
	}
	if len(b) >= 2 && (b[0] == '[' || b[0] == '{') {
		return len(bytes.TrimSpace(b[1:len(b)-1])) == 0
	}
	return false
}

// optional reports whether a panel may lack action altogether.
func optional(action string) bool {
	return action == "refill" || action == "cancel" || action == "refill_status"
}

// rateLimited wraps a refusal for the panel's budget with the wait it
// asked for.
func (r *reply) rateLimited(err error) *RateLimitError {
	wait, ok := parseRetryAfter(r.retryAfter, time.Now())
	if !ok {
		wait = r.defaultWait
		if wait <= 0 {
			wait = defaultRateLimitWait
		}
	}
	return &RateLimitError{Action: r.action, Wait: wait, Err: err}
}

// decode unmarshals the body into v, turning a failure into a
// *ResponseError.
func (r *reply) decode(v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return r.decodeFail(err)
	}
	return nil
}

func (r *reply) decodeFail(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return r.fail("invalid JSON")
	case errors.As(err, &typ) && typ.Field == "":
		return r.shape("a JSON " + typ.Value + " where the reply should be " + shapeOf(typ.Type))
	case errors.As(err, &typ):
		return r.shape("a JSON " + typ.Value + " as " + typ.Field)
	}
	return r.shape(err.Error())
}

// shapeOf names the JSON a Go type decodes from.
func shapeOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a " + t.Kind().String()
}

// shape is a reply that is JSON but not what the action answers.
func (r *reply) shape(why string) error {
	return r.fail("unexpected reply: " + why)
}

func (r *reply) fail(reason string) *ResponseError {
	return &ResponseError{
		Action:     r.action,
		StatusCode: r.status,
		Reason:     mask(reason, r.key),
		Excerpt:    excerpt(r.body, r.key),
	}
}

func (r *reply) apiError(msg string) *APIError {
	return &APIError{Action: r.action, Message: mask(msg, r.key), StatusCode: r.status}
}

// errorText returns the message of an "error" member, with ok false when
// the member says there is no error (absent, null, "", false, 0). A bare
// true takes its words from a "message" member.
func errorText(errVal, message json.RawMessage) (string, bool) {
	errVal = bytes.TrimSpace(errVal)
	if len(errVal) == 0 {
		return "", false
	}
	switch string(errVal) {
	case "null", `""`, "false", "0", `"0"`:
		return "", false
	case "true", "1", `"1"`:
		if m, _, err := scalar(message); err == nil && m != "" {
			return m, true
		}
		return "unspecified error", true
	}
	if s, _, err := scalar(errVal); err == nil {
		return s, true
	}
	var obj struct {
		Message json.RawMessage `json:"message"`
		Error   json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(errVal, &obj); err == nil {
		for _, m := range []json.RawMessage{obj.Message, obj.Error} {
			if s, _, err := scalar(m); err == nil && s != "" {
				return s, true
			}
		}
	}
	return truncate(oneLine(string(errVal)), 200), true
}

// itemError returns the panel's error when a batch item's value is an
// {"error": ...} object.
func itemError(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || v[0] != '{' {
		return "", false
	}
	var obj struct {
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(v, &obj) != nil {
		return "", false
	}
	return errorText(obj.Error, obj.Message)
}

// excerpt is the start of a body on one line, or an HTML page's title,
// with the key masked.
func excerpt(body []byte, key string) string {
	if key != "" && bytes.Contains(body, []byte(key)) {
		body = bytes.ReplaceAll(body, []byte(key), []byte(masked))
	}
	if t := htmlTitle(body); t != "" {
		return truncate(oneLine(t), maxExcerpt)
	}
	const window = 4 * maxExcerpt * utf8.UTFMax
	if len(body) > window {
		body = body[:window]
	}
	return truncate(oneLine(string(body)), maxExcerpt)
}

// htmlTitle returns the text of the <title> of an HTML page, or "".
func htmlTitle(body []byte) string {
	const window = 8 << 10
	if len(body) > window {
		body = body[:window]
	}
	low := bytes.ToLower(body)
	i := bytes.Index(low, []byte("<title"))
	if i < 0 {
		return ""
	}
	open := bytes.IndexByte(low[i:], '>')
	if open < 0 {
		return ""
	}
	start := i + open + 1
	end := bytes.Index(low[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	return html.UnescapeString(string(body[start : start+end]))
}

// oneLine collapses runs of white space and control characters into one
// space and replaces invalid UTF-8.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

const masked = "***"

// mask hides every occurrence of the API key in s.
func mask(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, masked)
}

// itemAPIError returns the *APIError of a batch item whose value is an
// {"error": ...} object.
func (r *reply) itemAPIError(v json.RawMessage) (*APIError, bool) {
	msg, ok := itemError(v)
	if !ok {
		return nil, false
	}
	return r.apiError(msg), true
}

// itemShape is a batch item that is not what the action answers; the
// excerpt is the item's.
func (r *reply) itemShape(item json.RawMessage, why string) error {
	e := r.fail("unexpected reply: " + why)
	e.Excerpt = excerpt(item, r.key)
	return e
}
