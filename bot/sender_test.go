package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testSender() (*Sender, *fakeClock) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := NewSender(nil)
	s.Now = clk.Now
	return s, clk
}

func TestSenderRate(t *testing.T) {
	s, clk := testSender()
	if w := s.reserve(1, Interactive); w != 0 {
		t.Fatalf("first send waits %v", w)
	}
	gap := time.Second / DefaultRate
	if w := s.reserve(2, Interactive); w != gap {
		t.Errorf("second send at once waits %v, want %v (25 a second overall)", w, gap)
	}
	clk.Add(gap)
	if w := s.reserve(2, Interactive); w != 0 {
		t.Errorf("send after the gap waits %v", w)
	}
	// Courtesy calls (callback answers) take no message slot.
	if w := s.reserve(3, Courtesy); w != 0 {
		t.Errorf("a callback answer waits %v", w)
	}
}

func TestSenderNotificationSpacingPerChat(t *testing.T) {
	s, clk := testSender()
	if w := s.reserve(7, Notification); w != 0 {
		t.Fatalf("first notification waits %v", w)
	}
	clk.Add(100 * time.Millisecond)
	if w := s.reserve(7, Notification); w != 900*time.Millisecond {
		t.Errorf("second notification to the same chat waits %v, want 900ms (1 a second a chat)", w)
	}
	if w := s.reserve(8, Notification); w != 0 {
		t.Errorf("a notification to another chat waits %v", w)
	}
}

func TestSenderInteractiveFirst(t *testing.T) {
	s, _ := testSender()
	s.interactive.Add(1) // an interactive call is waiting for its turn
	if w := s.reserve(7, Notification); w <= 0 {
		t.Errorf("a notification went before a waiting interactive reply")
	}
	s.interactive.Add(-1)
	if w := s.reserve(7, Notification); w != 0 {
		t.Errorf("notification waits %v once no reply waits", w)
	}
}

func TestSenderPausesEverythingOn429(t *testing.T) {
	s, clk := testSender()
	s.pause(3 * time.Second)
	for _, p := range []Priority{Interactive, Notification, Courtesy} {
		if w := s.reserve(1, p); w != 3*time.Second {
			t.Errorf("priority %d waits %v during a 3s retry_after, want 3s", p, w)
		}
	}
	clk.Add(3 * time.Second)
	if w := s.reserve(1, Interactive); w != 0 {
		t.Errorf("send after the pause waits %v", w)
	}
	if got := s.PausedFor(); got != 0 {
		t.Errorf("PausedFor after the pause = %v", got)
	}
}

var errConnReset = errors.New("error do request for method sendMessage, connection reset by peer")

func TestSenderDo(t *testing.T) {
	ctx := context.Background()
	tooMany := &tg.TooManyRequestsError{Message: "too many requests", RetryAfter: 1}
	tests := []struct {
		name      string
		p         Priority
		errs      []error // answers of successive calls
		wantErr   error
		wantCalls int
		blocked   bool
	}{
		{"accepted", Interactive, []error{nil}, nil, 1, false},
		{"not modified is success", Interactive, []error{fmt.Errorf("%w, Bad Request: message is not modified: x", tg.ErrorBadRequest)}, nil, 1, false},
		{"403 blocks the chat", Notification, []error{fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden)}, ErrBlocked, 1, true},
		{"400 is not retried", Interactive, []error{fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest)}, tg.ErrorBadRequest, 1, false},
		{"network error retried", Interactive, []error{errConnReset, nil}, nil, 2, false},
		{"a notification is not retried in place", Notification, []error{errConnReset, nil}, errConnReset, 1, false},
		{"429 retried after retry_after", Interactive, []error{tooMany, nil}, nil, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSender(nil)
			s.Rate = 1e6
			var blocked []int64
			s.OnBlocked = func(_ context.Context, chat int64) { blocked = append(blocked, chat) }
			// A 429 pauses for retry_after: let the test's clock run ahead.
			var shift time.Duration
			s.Now = func() time.Time { return time.Now().Add(shift) }
			calls := 0
			err := s.Do(ctx, 5, tt.p, func(context.Context) error {
				e := tt.errs[min(calls, len(tt.errs)-1)]
				calls++
				if e == tooMany {
					shift = 2 * time.Second
				}
				return e
			})
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.wantErr != nil && err == nil:
				t.Errorf("err = nil, want %v", tt.wantErr)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if calls != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls, tt.wantCalls)
			}
			if got := len(blocked) == 1 && blocked[0] == 5; got != tt.blocked {
				t.Errorf("OnBlocked calls = %v, want blocked=%v", blocked, tt.blocked)
			}
		})
	}
}

func TestIsTransient(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{errors.New("error do request for method sendMessage, dial tcp: connection refused"), true},
		{errors.New("error response from telegram for method sendMessage, 502 Bad Gateway"), true},
		{errors.New("error response from telegram for method sendMessage, 420 Flood"), false},
		{fmt.Errorf("%w, chat not found", tg.ErrorBadRequest), false},
		{&tg.TooManyRequestsError{RetryAfter: 3}, true},
		{context.Canceled, false},
	} {
		if got := isTransient(tt.err); got != tt.want {
			t.Errorf("isTransient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
