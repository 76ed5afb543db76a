// Package bot owns everything Telegram: receiving updates and handling
// each chat's in order, access control, rendering the conversations'
// screens through the locales, and the sender that keeps to Telegram's
// limits.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// Config is how the bot runs.
type Config struct {
	Token       string
	APIURL      string        // Bot API server; "" = Telegram's
	OperatorKey string        // the panel key every allowed user orders with; "" = per-user keys
	Allowed     []int64       // Telegram user ids allowed; empty = everyone (per-user mode only)
	Shards      int           // chats handled in parallel; 0 = 16
	PollEvery   time.Duration // status poll period; 0 = a minute; negative = only PollOnce
	SendRate    float64       // messages a second to Telegram, all chats; 0 = DefaultRate
	CacheTTL    time.Duration // catalogue cache lifetime when New builds the cache; 0 = smm's default

	// ListenAddr, when set, serves /healthz, /metrics and the webhook;
	// Listener, when set, is used instead (tests).
	ListenAddr string
	Listener   net.Listener
	// WebhookURL, when set, is webhook mode: Telegram posts updates to
	// this URL, whose path is served on ListenAddr; getUpdates is never
	// called.
	WebhookURL string
	// WebhookSecret is the secret token Telegram must send with every
	// webhook request; "" = a random one for each run.
	WebhookSecret string
	HTTPClient    *http.Client
	Logger        *slog.Logger
}

// Panel is what the bot needs of the SMM panel client.
type Panel interface {
	Services(ctx context.Context, key string) ([]smm.Service, error)
	Balance(ctx context.Context, key string) (smm.Balance, error)
	Add(ctx context.Context, key string, req smm.AddRequest) (int64, error)
	Status(ctx context.Context, key string, order int64) (smm.Status, error)
	Statuses(ctx context.Context, key string, orders []int64) (map[int64]smm.StatusResult, error)
	Refill(ctx context.Context, key string, order int64) (int64, error)
	RefillStatuses(ctx context.Context, key string, refills []int64) (map[int64]smm.RefillStatusResult, error)
	Cancel(ctx context.Context, key string, orders []int64) (map[int64]error, error)
}

var _ Panel = (*smm.Client)(nil)

// Bot is the Telegram side of smmbot.
type Bot struct {
	cfg     Config
	log     *slog.Logger
	api     *tg.Bot
	db      *store.DB
	panel   Panel
	cache   *smm.Cache
	words   *locales.Catalog
	send    *Sender
	allowed map[int64]bool
	opRef   string // KeyRef of the operator key

	poller   *poller
	notifier *notifier
	metrics  *metrics

	secret     string       // the webhook's secret token
	lastUpdate atomic.Int64 // unix nanos updates last arrived

	shards []chan *models.Update
	wg     sync.WaitGroup
}

// New connects the bot to the Bot API (getMe) and to its store and panel.
// A nil cache makes the bot build its own over the panel (its fetches are
// then counted in the metrics).
func New(ctx context.Context, cfg Config, db *store.DB, panel Panel, cache *smm.Cache, words *locales.Catalog) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("new bot: no token")
	}
	if cfg.OperatorKey != "" && len(cfg.Allowed) == 0 {
		return nil, errors.New("new bot: operator mode needs ALLOWED_USERS: anyone could spend the balance")
	}
	if cfg.Shards <= 0 {
		cfg.Shards = 16
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.WebhookURL != "" && cfg.ListenAddr == "" && cfg.Listener == nil {
		return nil, errors.New("new bot: webhook mode needs LISTEN_ADDR to receive updates on")
	}
	b := &Bot{cfg: cfg, log: log, db: db, words: words, allowed: map[int64]bool{}, secret: cfg.WebhookSecret}
	if b.secret == "" {
		b.secret = newSecret()
	}
	b.send = NewSender(log.With("component", "sender"))
	b.metrics = newMetrics(b)
	b.panel = meteredPanel{p: panel, m: b.metrics}
	if cache == nil {
		cache = smm.NewCache(b.panel, cfg.CacheTTL)
	}
	b.cache = cache
	for _, id := range cfg.Allowed {
		b.allowed[id] = true
	}
	if cfg.OperatorKey != "" {
		ref, err := db.PutKey(ctx, cfg.OperatorKey)
		if err != nil {
			return nil, fmt.Errorf("new bot: store operator key: %w", err)
		}
		b.opRef = ref
	}
	if cfg.PollEvery == 0 {
		cfg.PollEvery = time.Minute
		b.cfg.PollEvery = cfg.PollEvery
	}
	if cfg.SendRate > 0 {
		b.send.Rate = cfg.SendRate
	}
	b.notifier = newNotifier(b)
	b.poller = &poller{b: b, interval: cfg.PollEvery, wake: b.notifier.poke, backoff: map[string]keyBackoff{}}
	b.send.OnBlocked = b.blocked
	opts := []tg.Option{
		tg.WithDefaultHandler(b.receive),
		tg.WithWorkers(1),
		tg.WithNotAsyncHandlers(), // receive only queues: order is kept
		tg.WithErrorsHandler(func(err error) { log.Warn("telegram", "err", maskToken(err, cfg.Token)) }),
		tg.WithAllowedUpdates(tg.AllowedUpdates{"message", "callback_query"}),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tg.WithServerURL(cfg.APIURL))
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 70 * time.Second}
	}
	tracked := *hc
	next := tracked.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	tracked.Transport = updatesTracker{next: next, last: &b.lastUpdate}
	opts = append(opts, tg.WithHTTPClient(time.Minute, &tracked))
	api, err := tg.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("new bot: %w", maskToken(err, cfg.Token))
	}
	b.api = api
	return b, nil
}

// Sender is the bot's way out to Telegram.
func (b *Bot) Sender() *Sender { return b.send }

// Run receives updates until ctx ends, by long polling or, with a
// WebhookURL, from Telegram's webhook requests; then it stops taking
// updates, finishes those in hand and returns.
func (b *Bot) Run(ctx context.Context) error {
	ln := b.cfg.Listener
	if ln == nil && b.cfg.ListenAddr != "" {
		var err error
		if ln, err = net.Listen("tcp", b.cfg.ListenAddr); err != nil {
			return fmt.Errorf("listen on LISTEN_ADDR: %w", err)
		}
	}
	b.startWorkers()
	b.setCommands(ctx)
	var bg sync.WaitGroup
	if b.cfg.PollEvery > 0 {
		bg.Go(func() { b.poller.run(ctx) })
	}
	bg.Go(func() { b.notifier.run(ctx) })
	var httpErr error
	httpDone := make(chan struct{})
	if ln != nil {
		go func() { defer close(httpDone); httpErr = b.serveHTTP(ctx, ln) }()
	} else {
		close(httpDone)
	}
	err := b.receiveUpdates(ctx)
	<-httpDone // no webhook request is in flight any more
	b.stopWorkers()
	bg.Wait()
	return errors.Join(err, httpErr)
}

// receiveUpdates takes updates until ctx ends.
func (b *Bot) receiveUpdates(ctx context.Context) error {
	if b.cfg.WebhookURL != "" {
		if err := b.setWebhook(ctx); err != nil {
			<-ctx.Done() // keep serving health and metrics; the operator sees the error
			return err
		}
		<-ctx.Done()
		return nil
	}
	// A webhook left from an earlier run makes getUpdates fail with 409.
	if _, err := b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		b.log.Warn("delete webhook", "err", maskToken(err, b.cfg.Token))
	}
	b.api.Start(ctx) // returns when ctx is done
	return nil
}

// PollOnce runs one status poll cycle now (tests, benchmarks).
func (b *Bot) PollOnce(ctx context.Context) (PollStats, error) { return b.poller.cycle(ctx) }

// LastPoll is when a poll cycle last finished without errors.
func (b *Bot) LastPoll() time.Time { return b.poller.LastPoll() }

// startWorkers launches the chat workers.
func (b *Bot) startWorkers() {
	b.shards = make([]chan *models.Update, b.cfg.Shards)
	for i := range b.shards {
		ch := make(chan *models.Update, 64)
		b.shards[i] = ch
		b.wg.Go(func() { b.work(ch) })
	}
}

// stopWorkers lets the workers finish the updates already queued.
func (b *Bot) stopWorkers() {
	for _, ch := range b.shards {
		close(ch)
	}
	b.wg.Wait()
}

// maskToken keeps the bot token out of an error's words.
func maskToken(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	return &maskedError{err: err, token: token}
}

type maskedError struct {
	err   error
	token string
}

func (e *maskedError) Error() string { return mask(e.err.Error(), e.token) }
func (e *maskedError) Unwrap() error { return e.err }
