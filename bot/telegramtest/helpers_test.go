package telegramtest_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

const testToken = "123456:TEST-token"

var (
	alice = telegramtest.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "en"}
	bob   = telegramtest.User{ID: 1002, FirstName: "Bob", Username: "bob", LanguageCode: "ru"}
)

// newServer serves a fake on loopback and returns it with its URL.
func newServer(tb testing.TB, opts telegramtest.Options) (*telegramtest.Server, string) {
	tb.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	s := telegramtest.New(opts)
	hs := httptest.NewServer(s)
	tb.Cleanup(hs.Close)
	tb.Cleanup(s.Close)
	return s, hs.URL
}

// newBot makes a real go-telegram client of the fake, not started.
func newBot(tb testing.TB, url string, opts ...bot.Option) *bot.Bot {
	tb.Helper()
	all := append([]bot.Option{
		bot.WithServerURL(url),
		bot.WithErrorsHandler(func(error) {}),
		bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {}),
	}, opts...)
	b, err := bot.New(testToken, all...)
	if err != nil {
		tb.Fatalf("bot.New: %v", err)
	}
	return b
}

// startBot runs b's long polling until the test ends.
func startBot(tb testing.TB, b *bot.Bot) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(done)
	}()
	tb.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitFor waits until cond holds, failing the test after 10 seconds.
func waitFor(tb testing.TB, s *telegramtest.Server, what string, cond func() bool) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitUntil(ctx, cond); err != nil {
		tb.Fatalf("waiting for %s: %v", what, err)
	}
}

// apiReply is the Bot API's answer envelope.
type apiReply struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts a JSON body to a method, bypassing the client library. It
// may run in a goroutine: failures are reported with Errorf.
func call(tb testing.TB, url, method string, body any) apiReply {
	tb.Helper()
	var r apiReply
	data, err := json.Marshal(body)
	if err != nil {
		tb.Errorf("encode %s: %v", method, err)
		return r
	}
	resp, err := http.Post(url+"/bot"+testToken+"/"+method, "application/json", bytes.NewReader(data))
	if err != nil {
		tb.Errorf("post %s: %v", method, err)
		return r
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		tb.Errorf("decode %s: %v", method, err)
	}
	if !r.OK && resp.StatusCode != r.ErrorCode {
		tb.Errorf("%s: HTTP status %d, error_code %d", method, resp.StatusCode, r.ErrorCode)
	}
	return r
}

// recorder keeps what handlers saw, for tests to read.
type recorder struct {
	mu      sync.Mutex
	updates []*models.Update
	errs    []error
}

func (r *recorder) add(u *models.Update) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updates = append(r.updates, u)
}

func (r *recorder) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

func (r *recorder) all() []*models.Update {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*models.Update(nil), r.updates...)
}

// byID is what handlers saw in update_id order: go-telegram runs each
// update in its own goroutine, so arrival order is not update order.
func (r *recorder) byID() []*models.Update {
	out := r.all()
	slices.SortFunc(out, func(a, b *models.Update) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (r *recorder) errors() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.updates)
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
