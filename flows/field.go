package flows

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smmbot/smmbot/smm"
)

// The names of the fields the conversation itself relies on.
const (
	fieldLink     = "link"
	fieldQuantity = "quantity"
	fieldComments = "comments"
	fieldRuns     = "runs"
	fieldInterval = "interval"
)

// Field bounds the bot asks within.
const (
	MaxAnswer    = 100   // a poll's answer number
	MaxPosts     = 10000 // a subscription's posts
	maxListItems = 1000  // lines of a list that is not counted against min..max
	maxWord      = 200   // runes of a one-word item (a username, a hashtag)
	expiryLayout = "2/1/2006"
)

// Delays are the delays (minutes) panels accept for a subscription.
var Delays = []int64{0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600}

// kind is how a field's text is read.
type kind int

const (
	kindLink   kind = iota // one link
	kindCount              // a whole number within bounds
	kindList               // one item a line
	kindWord               // one word (a username, a hashtag)
	kindChoice             // one of the field's choices
	kindDate               // a day, d/m/Y, after today
)

// Field is one thing a service type asks for. Its prompt is the locale
// message "order.ask_NAME" and its summary line "order.summary_NAME"; an
// optional field offered on the summary has the button "btn.opt_NAME".
type Field struct {
	Name     string // the add request's field, and the conversation's state while it is asked
	Optional bool   // has a Skip button
	kind     kind
	counts   bool                                  // a list whose lines are the quantity, within the service's min..max
	words    bool                                  // a list of one-word items
	bounds   func(c fieldCtx) (int64, int64)       // kindCount, kindChoice
	choices  func(c fieldCtx) []int64              // offered as buttons
	fill     func(r *smm.AddRequest, value string) // puts the value into the add request
}

// fieldCtx is what a field's checks see: the service and the draft so far.
type fieldCtx struct {
	svc smm.Service
	d   Draft
	now time.Time
}

// counting is the list field whose lines are the order's quantity.
func (f Field) counting() Field { f.counts = true; return f }

// Prompt is the locale id of the field's prompt.
func (f Field) Prompt() string { return "order.ask_" + f.Name }

// The fields of the table.
var (
	fLink     = Field{Name: fieldLink, kind: kindLink, fill: func(r *smm.AddRequest, v string) { r.Link = v }}
	fQuantity = Field{Name: fieldQuantity, kind: kindCount, bounds: serviceBounds, choices: quickQuantities,
		fill: func(r *smm.AddRequest, v string) { r.Quantity = atoi(v) }}
	fComments  = Field{Name: fieldComments, kind: kindList, fill: func(r *smm.AddRequest, v string) { r.Comments = v }}
	fUsernames = Field{Name: "usernames", kind: kindList, words: true, fill: func(r *smm.AddRequest, v string) { r.Usernames = v }}
	fHashtags  = Field{Name: "hashtags", kind: kindList, words: true, fill: func(r *smm.AddRequest, v string) { r.Hashtags = v }}
	fGroups    = Field{Name: "groups", kind: kindList, words: true, fill: func(r *smm.AddRequest, v string) { r.Groups = v }}
	fKeywords  = Field{Name: "keywords", kind: kindList, fill: func(r *smm.AddRequest, v string) { r.Keywords = v }}
	fHashtag   = Field{Name: "hashtag", kind: kindWord, fill: func(r *smm.AddRequest, v string) { r.Hashtag = v }}
	fUsername  = Field{Name: "username", kind: kindWord, fill: func(r *smm.AddRequest, v string) { r.Username = v }}
	fMedia     = Field{Name: "media", kind: kindLink, fill: func(r *smm.AddRequest, v string) { r.Media = v }}
	fAnswer    = Field{Name: "answer_number", kind: kindCount, bounds: fixed(1, MaxAnswer),
		fill: func(r *smm.AddRequest, v string) { r.AnswerNumber = atoi(v) }}
	fMin = Field{Name: "min", kind: kindCount, bounds: serviceBounds,
		fill: func(r *smm.AddRequest, v string) { r.Min = atoi(v) }}
	fMax = Field{Name: "max", kind: kindCount, bounds: maxBounds,
		fill: func(r *smm.AddRequest, v string) { r.Max = atoi(v) }}
	fPosts = Field{Name: "posts", Optional: true, kind: kindCount, bounds: fixed(1, MaxPosts),
		fill: func(r *smm.AddRequest, v string) { r.Posts = atoi(v) }}
	fDelay = Field{Name: "delay", kind: kindChoice, bounds: fixed(0, Delays[len(Delays)-1]),
		choices: func(fieldCtx) []int64 { return Delays }, fill: func(r *smm.AddRequest, v string) { r.Delay = atoi(v) }}
	fExpiry = Field{Name: "expiry", Optional: true, kind: kindDate, fill: func(r *smm.AddRequest, v string) { r.Expiry = v }}

	// Drip-feed, asked from the summary.
	fRuns = Field{Name: fieldRuns, kind: kindCount, bounds: fixed(MinRuns, MaxRuns),
		fill: func(r *smm.AddRequest, v string) { r.Runs = atoi(v) }}
	fInterval = Field{Name: fieldInterval, kind: kindCount, bounds: fixed(MinInterval, MaxInterval),
		choices: func(fieldCtx) []int64 { return []int64{15, 60, 1440} },
		fill:    func(r *smm.AddRequest, v string) { r.Interval = atoi(v) }}
)

func fixed(lo, hi int64) func(fieldCtx) (int64, int64) {
	return func(fieldCtx) (int64, int64) { return lo, hi }
}

// serviceBounds are the service's min..max (at least 1).
func serviceBounds(c fieldCtx) (int64, int64) { return max(c.svc.Min, 1), c.svc.Max }

// maxBounds: a subscription's max is at least its min.
func maxBounds(c fieldCtx) (int64, int64) {
	lo, hi := serviceBounds(c)
	if m := atoi(c.d.value("min")); m > lo {
		lo = m
	}
	return lo, hi
}

// limits are the bounds the prompt and its errors name: the field's
// bounds, or the service's min..max for a counted list.
func (f Field) limits(c fieldCtx) (int64, int64) {
	switch {
	case f.bounds != nil:
		return f.bounds(c)
	case f.counts:
		return serviceBounds(c)
	}
	return 1, maxListItems
}

// parse reads what the user typed for the field: the value to keep, or
// the problem to show (the draft is left as it was).
func (f Field) parse(c fieldCtx, text string) (string, Msg) {
	lo, hi := f.limits(c)
	problem := func(id string) Msg { return M(id, "Min", lo, "Max", hi) }
	switch f.kind {
	case kindLink:
		v, p := cleanLink(text)
		if p != "" {
			return "", M(p, "Max", maxLink)
		}
		return v, Msg{}
	case kindCount:
		n, p := parseCount(text, lo, hi)
		if p != "" {
			return "", problem(p)
		}
		return strconv.FormatInt(n, 10), Msg{}
	case kindChoice:
		n, p := parseCount(text, lo, hi)
		if p == "" && !slices.Contains(f.choices(c), n) {
			p = "err.choice"
		}
		if p != "" {
			return "", problem(p)
		}
		return strconv.FormatInt(n, 10), Msg{}
	case kindWord:
		v, p := cleanWord(text)
		if p != "" {
			return "", M(p, "Max", maxWord)
		}
		return v, Msg{}
	case kindDate:
		return parseExpiry(text, c.now)
	}
	return f.parseList(c, text, lo, hi)
}

// parseList reads a list, one item a line; a counted list must have
// min..max lines.
func (f Field) parseList(c fieldCtx, text string, lo, hi int64) (string, Msg) {
	limit := maxComment
	if f.words {
		limit = maxWord
	}
	items, p := ParseList(text, f.words, limit)
	switch {
	case p != "":
		return "", M(p, "Min", lo, "Max", hi)
	case int64(len(items)) < lo || int64(len(items)) > hi:
		id := "err.line_count"
		if f.Name == fieldComments {
			id = "err.comment_count"
		}
		return "", M(id, "Min", lo, "Max", hi).WithCount(len(items))
	}
	return strings.Join(items, "\n"), Msg{}
}

// parseExpiry reads a day as d/m/Y, after today.
func parseExpiry(text string, now time.Time) (string, Msg) {
	s := strings.TrimSpace(text)
	day, err := time.Parse(expiryLayout, s)
	switch {
	case err != nil || len(s) > len("31/12/2006"):
		return "", M("err.date")
	case !day.After(now.UTC().Truncate(24 * time.Hour)):
		return "", M("err.date_past")
	}
	return day.Format("02/01/2006"), Msg{}
}

// buttons are the field's quick choices, at most six a row.
func (f Field) buttons(c fieldCtx) [][]Button {
	if f.choices == nil {
		return nil
	}
	var rows [][]Button
	for i, n := range f.choices(c) {
		if i%6 == 0 {
			rows = append(rows, nil)
		}
		v := strconv.FormatInt(n, 10)
		rows[len(rows)-1] = append(rows[len(rows)-1], Button{Raw: v, Action: "v:" + v})
	}
	return rows
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// quickQuantities offers a few common quantities within min..max.
func quickQuantities(c fieldCtx) []int64 {
	lo, hi := serviceBounds(c)
	row := []int64{lo}
	for _, n := range []int64{100, 1000, 5000} {
		if n > lo && n < hi && len(row) < 3 {
			row = append(row, n)
		}
	}
	if hi > lo {
		row = append(row, hi)
	}
	return row
}
