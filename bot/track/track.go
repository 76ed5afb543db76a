// Package track follows orders: it asks the panel for the status of every
// unfinished order and refill, in batches, and records each change with
// its notification (a Note in the store's outbox) in one store
// transaction. It knows nothing of Telegram: the bot's notifier drains the
// outbox and renders the Notes.
package track

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// Store is what the poller reads and writes; *store.DB is one.
type Store interface {
	Tracking(ctx context.Context) (map[string]store.Tracked, error)
	Key(ctx context.Context, ref string) (string, error)
	UpdateOrders(ctx context.Context, keyRef string, ids []int64, fn func(o *store.Order) (bool, []byte, error)) (int, error)
	UpdateRefills(ctx context.Context, keyRef string, ids []int64, fn func(r *store.Refill) (bool, []byte, error)) (int, error)
}

// Panel is what the poller asks the panel; *smm.Client is one.
type Panel interface {
	Statuses(ctx context.Context, key string, orders []int64) (map[int64]smm.StatusResult, error)
	RefillStatuses(ctx context.Context, key string, refills []int64) (map[int64]smm.RefillStatusResult, error)
}

// Config is what a Poller is made of. Store and Panel are required.
type Config struct {
	Store Store
	Panel Panel
	// Interval is the poll period, with ±10% jitter; 0 means a minute;
	// negative means Run does not poll (PollOnce only).
	Interval time.Duration
	Logger   *slog.Logger               // nil = discard
	Wake     func()                     // told after a cycle that wrote changes; nil = none
	Now      func() time.Time           // the clock of backoffs and LastPoll; nil = time.Now
	Observe  func(time.Duration, Stats) // told each cycle's duration and what it did; nil = none
	Limits   Limits
}

// Limits bound the poller's work and memory. Zero fields take defaults.
type Limits struct {
	KeysInFlight    int           // keys polled at once; 0 = 4
	Batch           int           // ids per panel call and per store transaction; 0 = 100, the panel's limit
	MaxBackoff      time.Duration // a failing key is retried at least this often; 0 = 30m
	MaxRetryAfter   time.Duration // the longest 429 pause honoured; 0 = 1h
	MaxItemFailures int           // failing cycles after which an item is given up; 0 = 10
	KeyTimeout      time.Duration // one key's poll, all its requests; 0 = no bound but the panel client's per request
}

// Stats is what one poll cycle did.
type Stats struct {
	Keys    int // keys polled
	Skipped int // keys backing off, not polled
	Orders  int // orders asked about
	Refills int // refills asked about
	Changes int // orders and refills written
	Errors  int // keys whose poll failed
	Stalled int // items given up after failing MaxItemFailures cycles
}

func (s *Stats) add(o Stats) {
	s.Keys += o.Keys
	s.Skipped += o.Skipped
	s.Orders += o.Orders
	s.Refills += o.Refills
	s.Changes += o.Changes
	s.Errors += o.Errors
	s.Stalled += o.Stalled
}

// Poller follows every unfinished order and refill of every key. Its
// methods are safe for concurrent use; cycles never overlap.
type Poller struct {
	cfg   Config
	log   *slog.Logger
	keys  *keyStates
	cycle sync.Mutex   // one cycle at a time
	last  atomic.Int64 // unix nanos of the last cycle without errors
}

// New returns a Poller; an error wrapping ErrConfig for a Config without
// Store or Panel, or with a negative limit.
func New(cfg Config) (*Poller, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("new poller: %w", err)
	}
	cfg.defaults()
	base := cfg.Interval
	if base < 0 {
		base = time.Minute
	}
	return &Poller{
		cfg:  cfg,
		log:  cfg.Logger.With("component", "poller"),
		keys: newKeyStates(base, cfg.Limits),
	}, nil
}

func (c Config) check() error {
	l := c.Limits
	switch {
	case c.Store == nil:
		return fmt.Errorf("%w: no store", ErrConfig)
	case c.Panel == nil:
		return fmt.Errorf("%w: no panel", ErrConfig)
	case l.KeysInFlight < 0 || l.Batch < 0 || l.MaxItemFailures < 0:
		return fmt.Errorf("%w: negative limit", ErrConfig)
	case l.MaxBackoff < 0 || l.MaxRetryAfter < 0 || l.KeyTimeout < 0:
		return fmt.Errorf("%w: negative duration limit", ErrConfig)
	}
	return nil
}

func (c *Config) defaults() {
	if c.Interval == 0 {
		c.Interval = time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	l := &c.Limits
	l.KeysInFlight = orDefault(l.KeysInFlight, 4)
	l.Batch = orDefault(l.Batch, 100)
	l.MaxBackoff = orDefault(l.MaxBackoff, 30*time.Minute)
	l.MaxRetryAfter = orDefault(l.MaxRetryAfter, time.Hour)
	l.MaxItemFailures = orDefault(l.MaxItemFailures, 10)
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Run polls at once, then every Interval with ±10% jitter, until ctx
// ends. With a negative Interval it returns at once.
func (p *Poller) Run(ctx context.Context) {
	if p.cfg.Interval < 0 {
		return
	}
	for {
		if _, err := p.PollOnce(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("poll cycle", "err", err)
		}
		iv := p.cfg.Interval
		jitter := time.Duration(rand.Int64N(int64(iv)/5+1)) - iv/10
		t := time.NewTimer(iv + jitter)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// LastPoll is when a poll cycle last finished without errors; zero before
// the first.
func (p *Poller) LastPoll() time.Time {
	n := p.last.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
