package smm

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// AddRequest is a new order: every field of the add action, by service
// type (see panel/API.md). Zero fields are not sent. Quantity is not sent
// with Comments (Custom Comments: one per line, the quantity is the number
// of lines). Runs and Interval (minutes) are set together for a drip-feed
// order. Lists (Comments, Usernames, Hashtags, Groups, Keywords) hold one
// item a line, separated by "\n".
//
// A request with Max set is a Subscription: Username, Min, Max and Delay
// (minutes, 0 included) are sent, Posts, OldPosts and Expiry (d/m/Y) when
// set; it has no link and no quantity.
type AddRequest struct {
	Service  int64
	Link     string
	Quantity int64
	Comments string
	Runs     int64
	Interval int64

	Usernames    string // Mentions, Mentions with Hashtags, Mentions Custom List
	Hashtags     string // Mentions with Hashtags
	Hashtag      string // Mentions Hashtag
	Username     string // Mentions User Followers, Comment Likes, Comment Replies, Subscriptions
	Media        string // Mentions Media Likers: a media URL
	AnswerNumber int64  // Poll
	Groups       string // Invites from Groups
	Keywords     string // SEO

	Min      int64  // Subscriptions
	Max      int64  // Subscriptions
	Posts    int64  // Subscriptions, optional
	OldPosts int64  // Subscriptions, optional
	Delay    int64  // Subscriptions, minutes
	Expiry   string // Subscriptions, optional, d/m/Y
}

// Status is what the panel says of one order. A number the panel left out
// or gave as a placeholder ("", "Unknown", "-", null) is zero and named in
// Unknown: zero remains then does not mean done, nor zero charge free.
type Status struct {
	Charge     decimal.Decimal
	StartCount int64
	Status     string // kept as the panel spells it
	Remains    int64
	Currency   string
	Unknown    Unknown // which of Charge, StartCount, Remains are not known
}

// Finished reports whether the order's status is terminal.
func (s Status) Finished() bool { return IsFinished(s.Status) }

// IsFinished reports whether an order status is terminal: Completed,
// Partial, Canceled/Cancelled, Refunded, Fail(ed) or Error, in any letter
// case and spacing. Any other word (Pending, In progress, Processing, or
// one a panel made up) is not.
func IsFinished(status string) bool {
	switch statusWord(status) {
	case "completed", "partial", "canceled", "cancelled", "refunded", "fail", "failed", "error":
		return true
	}
	return false
}

// IsRefillFinished reports whether a refill status is terminal:
// Completed, Rejected, Error, Fail(ed), Canceled/Cancelled or Refunded,
// in any letter case and spacing.
func IsRefillFinished(status string) bool {
	switch statusWord(status) {
	case "completed", "rejected", "error", "fail", "failed", "canceled", "cancelled", "refunded":
		return true
	}
	return false
}

// statusWord is a status lower-cased with its spacing made single.
func statusWord(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// StatusResult is one order's entry in a batch status reply: a Status, or
// the panel's per-item error (an *APIError).
type StatusResult struct {
	Status Status
	Err    error
}

// Add places an order and returns the panel's order id. It is never
// retried: a failure after which the order may exist all the same wraps
// ErrUnknownOutcome; a refusal is an *APIError (ErrInsufficientFunds,
// ErrBadLink, ...); a request that cannot be valid wraps
// ErrIncorrectRequest and is not sent.
func (c *Client) Add(ctx context.Context, key string, req AddRequest) (int64, error) {
	form, err := req.form()
	if err != nil {
		return 0, fmt.Errorf("add: %w", err)
	}
	r, err := c.write(ctx, key, "add", form)
	if err != nil {
		return 0, fmt.Errorf("add: %w", err)
	}
	id, err := decodeAdd(r)
	if err != nil {
		return 0, fmt.Errorf("add: %w", err)
	}
	return id, nil
}

// decodeAdd decodes an add reply, {"order": N}. Whatever else the panel
// said, the order may exist: the error wraps ErrUnknownOutcome.
func decodeAdd(r *reply) (int64, error) {
	var w struct {
		Order wireInt `json:"order"`
	}
	if err := r.decode(&w); err != nil {
		return 0, unknownOutcome(err)
	}
	if w.Order <= 0 {
		return 0, unknownOutcome(r.shape("no order id"))
	}
	return int64(w.Order), nil
}

// Fields is the request as the add action's form fields (besides key and
// action), checked as Add checks it. A request that cannot be valid wraps
// ErrIncorrectRequest.
func (req AddRequest) Fields() (url.Values, error) { return req.form() }

// form is the request's fields, checked.
func (req AddRequest) form() (url.Values, error) {
	if req.Service <= 0 {
		return nil, fmt.Errorf("%w: service id %d", ErrIncorrectRequest, req.Service)
	}
	if err := req.checkCounts(); err != nil {
		return nil, err
	}
	form := url.Values{"service": {itoa(req.Service)}}
	if req.Max > 0 {
		if err := req.subscription(form); err != nil {
			return nil, err
		}
		return form, nil
	}
	link := strings.TrimSpace(req.Link)
	if link == "" {
		return nil, fmt.Errorf("%w: no link", ErrIncorrectRequest)
	}
	form.Set("link", link)
	if strings.TrimSpace(req.Comments) != "" {
		form.Set("comments", req.Comments)
	} else if req.Quantity > 0 {
		form.Set("quantity", itoa(req.Quantity))
	}
	if req.Runs > 0 {
		form.Set("runs", itoa(req.Runs))
		form.Set("interval", itoa(req.Interval))
	}
	setText(form, "usernames", req.Usernames)
	setText(form, "hashtags", req.Hashtags)
	setText(form, "hashtag", req.Hashtag)
	setText(form, "username", req.Username)
	setText(form, "media", req.Media)
	setText(form, "groups", req.Groups)
	setText(form, "keywords", req.Keywords)
	if req.AnswerNumber > 0 {
		form.Set("answer_number", itoa(req.AnswerNumber))
	}
	return form, nil
}

// checkCounts refuses negative numbers and half a drip-feed.
func (req AddRequest) checkCounts() error {
	for _, n := range []struct {
		name string
		v    int64
	}{{"quantity", req.Quantity}, {"answer_number", req.AnswerNumber}, {"min", req.Min}, {"max", req.Max},
		{"posts", req.Posts}, {"old_posts", req.OldPosts}, {"delay", req.Delay}} {
		if n.v < 0 {
			return fmt.Errorf("%w: %s %d", ErrIncorrectRequest, n.name, n.v)
		}
	}
	if req.Runs < 0 || req.Interval < 0 || (req.Runs > 0) != (req.Interval > 0) {
		return fmt.Errorf("%w: runs %d and interval %d must both be set for a drip-feed", ErrIncorrectRequest, req.Runs, req.Interval)
	}
	return nil
}

// subscription fills the fields of a Subscriptions order: no link, no
// quantity, no drip-feed.
func (req AddRequest) subscription(form url.Values) error {
	user := strings.TrimSpace(req.Username)
	switch {
	case user == "":
		return fmt.Errorf("%w: a subscription needs a username", ErrIncorrectRequest)
	case req.Min <= 0 || req.Min > req.Max:
		return fmt.Errorf("%w: subscription min %d and max %d", ErrIncorrectRequest, req.Min, req.Max)
	case strings.TrimSpace(req.Link) != "" || req.Quantity > 0 || req.Runs > 0 || req.Comments != "":
		return fmt.Errorf("%w: a subscription takes no link, quantity, runs or comments", ErrIncorrectRequest)
	}
	if e := strings.TrimSpace(req.Expiry); e != "" {
		if _, err := time.Parse("2/1/2006", e); err != nil {
			return fmt.Errorf("%w: expiry %q is not d/m/Y", ErrIncorrectRequest, e)
		}
		form.Set("expiry", e)
	}
	form.Set("username", user)
	form.Set("min", itoa(req.Min))
	form.Set("max", itoa(req.Max))
	form.Set("delay", itoa(req.Delay))
	if req.Posts > 0 {
		form.Set("posts", itoa(req.Posts))
	}
	if req.OldPosts > 0 {
		form.Set("old_posts", itoa(req.OldPosts))
	}
	return nil
}

// setText sets a text field unless it is blank.
func setText(form url.Values, name, v string) {
	if v = strings.TrimSpace(v); v != "" {
		form.Set(name, v)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
