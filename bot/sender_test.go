package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
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

// testSender is a sender on a fake clock whose waits move the clock.
func testSender() (*Sender, *fakeClock, *[]time.Duration) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := NewSender(nil)
	s.Now = clk.Now
	var waits []time.Duration
	s.Sleep = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		clk.Add(d)
		return nil
	}
	return s, clk, &waits
}

func TestSenderNotificationsTakeSlotsInOrder(t *testing.T) {
	s, _, _ := testSender()
	gap := time.Second / DefaultRate
	for i := range 5 {
		if w := s.reserve(int64(100 + i)); w != time.Duration(i)*gap {
			t.Errorf("notification %d waits %v, want %v (first come, first served at 25 a second)", i, w, time.Duration(i)*gap)
		}
	}
}

func TestSenderNotificationSpacingPerChat(t *testing.T) {
	s, clk, _ := testSender()
	if w := s.reserve(7); w != 0 {
		t.Fatalf("first notification waits %v", w)
	}
	if w := s.reserve(7); w != NotifySpacing {
		t.Errorf("second notification to the chat waits %v, want %v", w, NotifySpacing)
	}
	clk.Add(3 * time.Second)
	if w := s.reserve(7); w != 0 {
		t.Errorf("a notification after the spacing waits %v", w)
	}
}

func TestSenderInteractiveIsNeverHeldByThePace(t *testing.T) {
	s, _, waits := testSender()
	for i := range 200 {
		s.reserve(int64(i)) // eight seconds of notifications queued
	}
	calls := 0
	if err := s.Do(context.Background(), 5, Interactive, func(context.Context) error { calls++; return nil }); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || len(*waits) != 0 {
		t.Errorf("interactive send: %d calls, waits %v; want one call at once", calls, *waits)
	}
}

func TestSenderNotificationsYieldToInteractive(t *testing.T) {
	s, _, _ := testSender()
	for range DefaultRate {
		if err := s.Do(context.Background(), 1, Interactive, func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if w := s.reserve(2); w != time.Second {
		t.Errorf("a notification after %d replies in this second waits %v, want 1s", DefaultRate, w)
	}
}

func TestSender429PausesOnlyItsChat(t *testing.T) {
	s, _, waits := testSender()
	tooMany := &tg.TooManyRequestsError{Message: "too many requests", RetryAfter: 3}
	calls := 0
	err := s.Do(context.Background(), 5, Interactive, func(context.Context) error {
		calls++
		if calls == 1 {
			return tooMany
		}
		return nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("interactive send after a 429: err %v, %d calls; want success on the second", err, calls)
	}
	if len(*waits) != 1 || (*waits)[0] != 3*time.Second {
		t.Errorf("waits %v, want one of retry_after (3s)", *waits)
	}
	if d := s.PausedFor(5); d != 0 {
		t.Errorf("chat 5 still paused %v after its wait", d)
	}
	s.throttle(5, 3*time.Second)
	if d := s.PausedFor(6); d != 0 {
		t.Errorf("one chat's 429 pauses chat 6 for %v; want 0", d)
	}
	if w := s.reserve(6); w != 0 {
		t.Errorf("one chat's 429 delays another chat's notification by %v", w)
	}
}

func TestSenderFloodOf429PausesTheGlobalPace(t *testing.T) {
	s, _, _ := testSender()
	for chat := range int64(floodCount) {
		s.throttle(chat, 7*time.Second)
	}
	s2, _, _ := testSender()
	for range floodCount {
		s2.throttle(1, 7*time.Second)
	}
	if w := s2.reserve(99); w != 0 {
		t.Errorf("one chat's repeated 429s hold another chat's notification %v; want 0", w)
	}
	if w := s.reserve(99); w != 7*time.Second {
		t.Errorf("notification to an untouched chat after a flood of 429s waits %v, want 7s", w)
	}
	if d := s.pausedFor(99, false); d != 0 {
		t.Errorf("interactive sends to an untouched chat are held %v; want 0", d)
	}
}

func TestSenderGivesUpOnALongRetryAfter(t *testing.T) {
	s, _, _ := testSender()
	calls := 0
	err := s.Do(context.Background(), 5, Interactive, func(context.Context) error {
		calls++
		return &tg.TooManyRequestsError{Message: "too many requests", RetryAfter: 60}
	})
	if !isTooMany(err) || calls != 1 {
		t.Errorf("a reply held a minute: err %v after %d calls; want the 429 after one", err, calls)
	}
}

var (
	errConnReset = errors.New("error do request for method sendMessage, connection reset by peer")
	errDial      = fmt.Errorf("error do request for method sendMessage, %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})
)

func TestSenderDo(t *testing.T) {
	tooMany := &tg.TooManyRequestsError{Message: "too many requests", RetryAfter: 1}
	migrated := &tg.MigrateError{Message: "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatID: -100}
	tests := []struct {
		name       string
		p          Priority
		errs       []error // answers of successive calls
		wantErr    error
		wantCalls  int
		blocked    bool
		wantUnsure int64
	}{
		{"accepted", Interactive, []error{nil}, nil, 1, false, 0},
		{"not modified is success", Edit, []error{fmt.Errorf("%w, Bad Request: message is not modified: x", tg.ErrorBadRequest)}, nil, 1, false, 0},
		{"403 blocks the chat", Notification, []error{fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden)}, ErrBlocked, 1, true, 0},
		{"400 is not retried", Interactive, []error{fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest)}, tg.ErrorBadRequest, 1, false, 0},
		{"migration is not retried", Interactive, []error{migrated}, migrated, 1, false, 0},
		{"a message that may have arrived is not sent again", Interactive, []error{errConnReset, nil}, errConnReset, 1, false, 1},
		{"a message whose connection failed is sent again", Interactive, []error{errDial, nil}, nil, 2, false, 0},
		{"an edit is repeated after network trouble", Edit, []error{errConnReset, nil}, nil, 2, false, 0},
		{"a notification is not retried in place", Notification, []error{errConnReset, nil}, errConnReset, 1, false, 1},
		{"429 retried after retry_after", Interactive, []error{tooMany, nil}, nil, 2, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := testSender()
			var blocked []int64
			s.OnBlocked = func(_ context.Context, chat int64) { blocked = append(blocked, chat) }
			calls := 0
			err := s.Do(context.Background(), 5, tt.p, func(context.Context) error {
				e := tt.errs[min(calls, len(tt.errs)-1)]
				calls++
				return e
			})
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if calls != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls, tt.wantCalls)
			}
			if got := len(blocked) == 1 && blocked[0] == 5; got != tt.blocked {
				t.Errorf("OnBlocked calls = %v, want blocked=%v", blocked, tt.blocked)
			}
			if got := s.Unsure(); got != tt.wantUnsure {
				t.Errorf("Unsure() = %d, want %d", got, tt.wantUnsure)
			}
		})
	}
}

func TestSenderForgetsQuietChats(t *testing.T) {
	s, clk, _ := testSender()
	for chat := range int64(1000) {
		s.reserve(chat)
		s.throttle(chat+5000, time.Second)
	}
	if n := s.tracked(); n < 1000 {
		t.Fatalf("tracking %d chats after 1000 notifications and 1000 429s", n)
	}
	clk.Add(time.Minute)
	s.reserve(1)
	if n := s.tracked(); n != 1 {
		t.Errorf("a minute later the sender remembers %d chats, want 1 (the map must shrink)", n)
	}
}

func TestIsTransient(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{errDial, true},
		{errors.New("error response from telegram for method sendMessage, 502 Bad Gateway"), true},
		{errors.New("error response from telegram for method sendMessage, 420 Flood"), false},
		{fmt.Errorf("%w, chat not found", tg.ErrorBadRequest), false},
		{&tg.MigrateError{Message: "upgraded", MigrateToChatID: -100}, false},
		{&tg.TooManyRequestsError{RetryAfter: 3}, true},
		{context.Canceled, false},
	} {
		if got := isTransient(tt.err); got != tt.want {
			t.Errorf("isTransient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
