package bot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
)

// Priority says how a call to Telegram is paced and retried.
type Priority int

// The priorities.
const (
	// Interactive is a new message answering what a user just did: it goes
	// at once, held only by a 429 pause of its chat. It is not repeated
	// when the request may have reached Telegram.
	Interactive Priority = iota
	// Edit is an edit answering the user: as Interactive, and safe to repeat.
	Edit
	// Notification is a message nobody is waiting for: paced globally
	// (Rate a second, counting the interactive messages of the last second,
	// so it yields to them) and per chat (NotifySpacing), first come first
	// served; never retried here (the outbox retries).
	Notification
	// Courtesy is a callback answer or a delete: not a message, not paced.
	Courtesy
)

// Telegram's limits, kept with a margin.
const (
	DefaultRate        = 25               // messages a second, all chats together, for notifications
	NotifySpacing      = time.Second      // between two notifications to one chat
	maxSendAttempts    = 4                // tries of one interactive call
	maxRetryAfter      = 5 * time.Minute  // a longer retry_after is clamped
	maxInteractiveWait = 10 * time.Second // a reply held longer than this is given up
	floodWindow        = time.Second      // 429s seen within it...
	floodCount         = 3                // ...this many pause the global pace
	sweepEvery         = 10 * time.Second // per-chat state is pruned this often
)

// Sender is the one way out for every call the bot makes to Telegram that
// sends something. A 429 answering one chat's send pauses that chat for
// retry_after; 429s for floodCount chats within floodWindow (Telegram
// limiting the bot as a whole) pause the global notification pace too. A 403 reports
// the chat blocked.
type Sender struct {
	Rate      float64
	Now       func() time.Time
	OnBlocked func(ctx context.Context, chatID int64) // called once per 403
	Log       *slog.Logger
	Sleep     func(ctx context.Context, d time.Duration) error // waits; tests record instead

	mu          sync.Mutex
	next        time.Time // the notification pace's next free slot
	globalPause time.Time
	chats       map[int64]*chatPace
	window      []time.Time // messages sent in the last second, oldest first
	floods      []flood     // 429s in the last floodWindow
	sweepAt     time.Time

	sent, throttled, unsure atomic.Int64
}

// flood is one 429 seen.
type flood struct {
	at   time.Time
	chat int64
}

// chatPace is what the sender remembers of one chat, while it matters.
type chatPace struct {
	paused   time.Time // a 429 holds the chat until then
	notifyAt time.Time // the chat's next notification may go then
}

// NewSender returns a sender at DefaultRate.
func NewSender(log *slog.Logger) *Sender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{Rate: DefaultRate, Now: time.Now, Log: log, Sleep: sleep, chats: map[int64]*chatPace{}}
}

// Sent is the number of calls Telegram accepted; Throttled the number of
// 429 answers seen; Unsure the number of messages that may or may not
// have arrived (not sent again).
func (s *Sender) Sent() int64      { return s.sent.Load() }
func (s *Sender) Throttled() int64 { return s.throttled.Load() }
func (s *Sender) Unsure() int64    { return s.unsure.Load() }

// Do runs call for chatID when the limits allow. An interactive call is
// tried again after a 429's retry_after (up to maxInteractiveWait), and
// after network trouble or a 5xx when repeating it is safe: an edit or a
// courtesy call, or a message whose request never left. A "message is not
// modified" answer is success.
func (s *Sender) Do(ctx context.Context, chatID int64, p Priority, call func(ctx context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = s.wait(ctx, chatID, p); err != nil {
			return err
		}
		err = call(ctx)
		if p != Courtesy {
			s.record()
		}
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
		if !s.again(chatID, p, attempt, err) {
			return err
		}
		if !isTooMany(err) {
			if werr := s.Sleep(ctx, backoff(attempt)); werr != nil {
				return err
			}
		}
	}
}

// again reports whether a failed call is tried again.
func (s *Sender) again(chatID int64, p Priority, attempt int, err error) bool {
	var tooMany *tg.TooManyRequestsError
	if errors.As(err, &tooMany) {
		wait := s.throttle(chatID, time.Duration(tooMany.RetryAfter)*time.Second)
		return p != Notification && attempt < maxSendAttempts && wait <= maxInteractiveWait
	}
	if p == Notification || attempt >= maxSendAttempts || !isTransient(err) {
		if isTransient(err) && mayHaveArrived(err) && (p == Interactive || p == Notification) {
			s.unsure.Add(1)
		}
		return false
	}
	if p == Interactive && mayHaveArrived(err) {
		s.unsure.Add(1)
		return false
	}
	return true
}

// wait holds a call until it may go.
func (s *Sender) wait(ctx context.Context, chatID int64, p Priority) error {
	if p == Courtesy {
		return nil
	}
	var d time.Duration
	if p == Notification {
		d = s.reserve(chatID)
	} else {
		d = s.pausedFor(chatID, false)
	}
	if d <= 0 {
		return nil
	}
	return s.Sleep(ctx, d)
}

// reserve takes the next notification slot, in arrival order, and says
// how long until it comes.
func (s *Sender) reserve(chatID int64) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	s.sweep(now)
	c := s.chat(chatID)
	at := latest(now, s.next, s.globalPause, c.paused, c.notifyAt)
	limit := max(int(s.Rate), 1)
	s.trim(at)
	if len(s.window) >= limit { // the last second's messages leave no room yet
		at = latest(at, s.window[len(s.window)-limit].Add(time.Second))
	}
	s.next = at.Add(time.Duration(float64(time.Second) / s.Rate))
	c.notifyAt = at.Add(NotifySpacing)
	return at.Sub(now)
}

// record notes a message sent, for the global pace.
func (s *Sender) record() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	s.trim(now)
	s.window = append(s.window, now)
}

// trim drops from the window what is more than a second older than at.
func (s *Sender) trim(at time.Time) {
	i := 0
	for i < len(s.window) && !s.window[i].After(at.Add(-time.Second)) {
		i++
	}
	if i > 0 {
		s.window = append(s.window[:0], s.window[i:]...)
	}
}

// throttle pauses a chat after a 429 (and the global pace after a flood
// of them); it returns the pause.
func (s *Sender) throttle(chatID int64, d time.Duration) time.Duration {
	s.throttled.Add(1)
	d = min(max(d, time.Second), maxRetryAfter)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	s.sweep(now)
	until := now.Add(d)
	c := s.chat(chatID)
	c.paused = latest(c.paused, until)
	s.floods = append(s.floods, flood{at: now, chat: chatID})
	for len(s.floods) > 0 && now.Sub(s.floods[0].at) > floodWindow {
		s.floods = s.floods[1:]
	}
	if s.floodChats() >= floodCount {
		s.globalPause = latest(s.globalPause, until)
	}
	return d
}

// floodChats is the number of chats among the recent 429s: one chat's
// 429s are its own limit, several chats' the bot's. Caller holds s.mu.
func (s *Sender) floodChats() int {
	seen := make(map[int64]bool, len(s.floods))
	for _, f := range s.floods {
		seen[f.chat] = true
	}
	return len(seen)
}

// PausedFor says how long a 429 holds notifications to a chat.
func (s *Sender) PausedFor(chatID int64) time.Duration { return s.pausedFor(chatID, true) }

func (s *Sender) pausedFor(chatID int64, global bool) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	until := time.Time{}
	if c, ok := s.chats[chatID]; ok {
		until = c.paused
	}
	if global {
		until = latest(until, s.globalPause)
	}
	return max(until.Sub(now), 0)
}

// chat is a chat's pace, made on first use. Caller holds s.mu.
func (s *Sender) chat(id int64) *chatPace {
	c := s.chats[id]
	if c == nil {
		c = &chatPace{}
		s.chats[id] = c
	}
	return c
}

// sweep forgets the chats whose pauses and spacing are over, so that the
// map holds only chats with something to remember. Caller holds s.mu.
func (s *Sender) sweep(now time.Time) {
	if now.Before(s.sweepAt) {
		return
	}
	s.sweepAt = now.Add(sweepEvery)
	for id, c := range s.chats {
		if !c.paused.After(now) && !c.notifyAt.After(now) {
			delete(s.chats, id)
		}
	}
}

// tracked is the number of chats the sender remembers (tests).
func (s *Sender) tracked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.chats)
}

func latest(t time.Time, ts ...time.Time) time.Time {
	for _, u := range ts {
		if u.After(t) {
			t = u
		}
	}
	return t
}
