package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxBody bounds a request body; Telegram's own limit for uploads is 50 MB.
const maxBody = 50 << 20

// params are a request's fields, whatever the encoding: a string field is
// its text, a nested object or array is its JSON text (as multipart and
// urlencoded clients send them).
type params map[string]string

// readParams reads the query string and a multipart, urlencoded or JSON
// body. An empty body is no fields, whatever the Content-Type says.
func readParams(r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	if r.Body == nil {
		return p, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	mediaType, mp, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		err = p.addMultipart(body, mp["boundary"])
	case "application/json":
		err = p.addJSON(body)
	default: // application/x-www-form-urlencoded, or no type at all
		err = p.addForm(body)
	}
	return p, err
}

func (p params) addMultipart(body []byte, boundary string) error {
	form, err := multipart.NewReader(bytes.NewReader(body), boundary).ReadForm(maxBody)
	if err != nil {
		return fmt.Errorf("read multipart body: %w", err)
	}
	defer func() { _ = form.RemoveAll() }()
	for k, v := range form.Value {
		p[k] = v[0]
	}
	return nil
}

func (p params) addForm(body []byte) error {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return fmt.Errorf("read urlencoded body: %w", err)
	}
	for k, v := range values {
		p[k] = v[0]
	}
	return nil
}

func (p params) addJSON(body []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return fmt.Errorf("read JSON body: %w", err)
	}
	for k, raw := range fields {
		raw = bytes.TrimSpace(raw)
		switch {
		case bytes.Equal(raw, []byte("null")):
		case len(raw) > 0 && raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return fmt.Errorf("read JSON field %s: %w", k, err)
			}
			p[k] = s
		default:
			p[k] = string(raw)
		}
	}
	return nil
}

func (p params) has(k string) bool {
	_, ok := p[k]
	return ok
}

// int64 is a numeric field; ok is false when it is missing or not a number.
func (p params) int64(k string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(p[k]), 10, 64)
	return v, err == nil
}

// int is a numeric field, 0 when missing or not a number.
func (p params) int(k string) int {
	v, _ := p.int64(k)
	return int(v)
}

// bool is a boolean field: true, True or 1.
func (p params) bool(k string) bool {
	switch strings.ToLower(strings.TrimSpace(p[k])) {
	case "true", "1":
		return true
	}
	return false
}

// decode unmarshals a nested JSON field into dst.
func (p params) decode(k string, dst any) error {
	if err := json.Unmarshal([]byte(p[k]), dst); err != nil {
		return fmt.Errorf("decode %s: %w", k, err)
	}
	return nil
}

// chatID is the chat_id field; a username (@name) never resolves, since
// the fake has private chats of users only.
func (p params) chatID() (int64, *apiError) {
	if strings.TrimSpace(p["chat_id"]) == "" {
		return 0, badRequest(descChatIDEmpty)
	}
	id, ok := p.int64("chat_id")
	if !ok || id == 0 {
		return 0, badRequest(descChatNotFound)
	}
	return id, nil
}
