package bot

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
)

// Priority orders the sender's queue: replies to what a user just did go
// before notifications.
type Priority int

// The priorities.
const (
	Interactive  Priority = iota // a message or edit answering the user
	Notification                 // a message nobody is waiting for
	Courtesy                     // answerCallbackQuery, deleteMessage: not messages, not rate-limited
)

// Telegram's limits, kept with a margin.
const (
	DefaultRate     = 25              // messages a second, all chats together
	NotifySpacing   = time.Second     // between two notifications to one chat
	maxSendAttempts = 4               // tries of one interactive call
	maxRetryAfter   = 5 * time.Minute // a longer retry_after is clamped
)

// ErrBlocked is returned for a chat whose user blocked the bot.
var ErrBlocked = errors.New("the user blocked the bot")

// Sender is the one way out for every call the bot makes to Telegram that
// sends something. It spaces calls to at most Rate a second overall and
// NotifySpacing per chat for notifications; on a 429 every send waits the
// retry_after Telegram asked for; on a 403 it reports the chat blocked.
type Sender struct {
	Rate      float64
	Now       func() time.Time
	OnBlocked func(ctx context.Context, chatID int64) // called once per 403
	Log       *slog.Logger

	mu          sync.Mutex
	next        time.Time // when the next call may start
	pausedUntil time.Time
	lastNotify  map[int64]time.Time
	interactive atomic.Int32 // interactive calls waiting for their turn

	sent, throttled atomic.Int64
}

// NewSender returns a sender at DefaultRate.
func NewSender(log *slog.Logger) *Sender {
	return &Sender{Rate: DefaultRate, Now: time.Now, Log: log, lastNotify: map[int64]time.Time{}}
}

// Sent is the number of calls Telegram accepted; Throttled the number of
// 429 answers seen.
func (s *Sender) Sent() int64      { return s.sent.Load() }
func (s *Sender) Throttled() int64 { return s.throttled.Load() }

// Do runs call for chatID when the limits allow, retrying an interactive
// call on 429 (after retry_after), network errors and 5xx. A "message is not
// modified" answer is success.
func (s *Sender) Do(ctx context.Context, chatID int64, p Priority, call func(ctx context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = s.turn(ctx, chatID, p); err != nil {
			return err
		}
		err = call(ctx)
		switch {
		case err == nil || isNotModified(err):
			s.sent.Add(1)
			return nil
		case isForbidden(err):
			if s.OnBlocked != nil {
				s.OnBlocked(ctx, chatID)
			}
			return ErrBlocked
		}
		var tooMany *tg.TooManyRequestsError
		if errors.As(err, &tooMany) {
			s.throttled.Add(1)
			s.pause(time.Duration(tooMany.RetryAfter) * time.Second)
		} else if !isTransient(err) {
			return err
		}
		if p == Notification || attempt >= maxSendAttempts {
			return err
		}
		if !isTooMany(err) {
			if werr := sleep(ctx, backoff(attempt)); werr != nil {
				return err
			}
		}
	}
}

// turn waits until call may go: after any pause, at the overall rate, and
// for a notification, after the chat's spacing and behind every waiting
// interactive call.
func (s *Sender) turn(ctx context.Context, chatID int64, p Priority) error {
	if p != Notification {
		s.interactive.Add(1)
		defer s.interactive.Add(-1)
	}
	for {
		wait := s.reserve(chatID, p)
		if wait <= 0 {
			return nil
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// reserve takes the next slot if it is free now, or says how long to wait.
func (s *Sender) reserve(chatID int64, p Priority) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	at := s.next
	if s.pausedUntil.After(at) {
		at = s.pausedUntil
	}
	if p == Notification {
		if s.interactive.Load() > 0 {
			return max(at.Sub(now), 0) + 5*time.Millisecond
		}
		if last, ok := s.lastNotify[chatID]; ok && last.Add(NotifySpacing).After(at) {
			at = last.Add(NotifySpacing)
		}
	}
	if p == Courtesy {
		at = s.pausedUntil
	}
	if at.After(now) {
		return at.Sub(now)
	}
	if p == Courtesy {
		return 0
	}
	s.next = now.Add(time.Duration(float64(time.Second) / s.Rate))
	if p == Notification {
		s.lastNotify[chatID] = now
	}
	return 0
}

// pause holds every send for d (a 429's retry_after).
func (s *Sender) pause(d time.Duration) {
	d = min(max(d, time.Second), maxRetryAfter)
	s.mu.Lock()
	defer s.mu.Unlock()
	if until := s.Now().Add(d); until.After(s.pausedUntil) {
		s.pausedUntil = until
	}
}

// PausedFor says how long sends are held by a 429, if they are.
func (s *Sender) PausedFor() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(s.pausedUntil.Sub(s.Now()), 0)
}

func isNotModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified")
}

func isForbidden(err error) bool { return errors.Is(err, tg.ErrorForbidden) }

func isTooMany(err error) bool {
	var tooMany *tg.TooManyRequestsError
	return errors.As(err, &tooMany)
}

// isTransient reports whether a call may succeed if tried again: network
// trouble and Telegram's 5xx, not a 4xx refusal.
func isTransient(err error) bool {
	if isTooMany(err) {
		return true
	}
	for _, perm := range []error{tg.ErrorBadRequest, tg.ErrorUnauthorized, tg.ErrorNotFound, tg.ErrorConflict, tg.ErrorForbidden, context.Canceled} {
		if errors.Is(err, perm) {
			return false
		}
	}
	if m := otherCode.FindStringSubmatch(err.Error()); m != nil {
		code, _ := strconv.Atoi(m[1])
		return code >= 500
	}
	return true
}

// otherCode finds the code go-telegram/bot puts in the error of an answer
// it has no sentinel for.
var otherCode = regexp.MustCompile(`error response from telegram for method \S+, (\d{3}) `)

func backoff(attempt int) time.Duration {
	d := time.Duration(1<<min(attempt, 6)) * 100 * time.Millisecond
	return d + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
