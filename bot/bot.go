// Package bot owns everything Telegram: receiving updates and handling
// each chat's in order, access control, rendering the conversations'
// screens through the locales, and the sender that keeps to Telegram's
// limits.
package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/smmbot/smmbot/bot/track"
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
	ChatBacklog int           // updates that may wait for one chat; 0 = DefaultChatBacklog
	DrainGrace  time.Duration // how long a stop waits for the updates in hand; 0 = 8s
	ConfirmWait time.Duration // how long an update may take before it is kept in the inbox; 0 = 20ms
	PollEvery   time.Duration // status poll period; 0 = a minute; negative = only PollOnce
	SendRate    float64       // notifications a second to Telegram, all chats; 0 = DefaultRate
	CacheTTL    time.Duration // catalogue cache lifetime when New builds the cache; 0 = smm's default

	// ListenAddr, when set, serves /healthz and the webhook (Handler);
	// Listener, when set, is used instead (main opens it early, so that a
	// port taken fails the start before any file is written).
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
	// Supports says whether the panel offers a feature, once it is known.
	Supports(f smm.Feature) (known, ok bool)
}

var _ Panel = (*smm.Client)(nil)

// Bot is the Telegram side of smmbot.
type Bot struct {
	cfg      Config
	log      *slog.Logger
	api      *tg.Bot
	username string // the bot's own, from getMe: "/cmd@username" is for us
	apiURL   string
	db       *store.DB
	panel    Panel
	cache    *smm.Cache
	words    *locales.Catalog
	// currencies remembers each key's currency for the amounts shown.
	currencies currencies
	send       *Sender
	allowed    map[int64]bool
	opRef      string // KeyRef of the operator key

	in         *intake
	disp       *dispatcher
	inputs     *recent[int64, lastInput]   // the last text input of each chat, for edits
	cards      *recent[cardKey, cardShown] // each card on screen, redrawn as its order moves
	pollClient *http.Client                // getUpdates: a timeout past the long poll's

	poller   *track.Poller
	notifier *notifier
	metrics  *metrics

	secret     string       // the webhook's secret token
	lastUpdate atomic.Int64 // unix nanos updates last arrived
}

// New connects the bot to the Bot API (getMe) and to its store and panel.
// A nil cache makes the bot build its own over the panel (its fetches are
// then counted in the metrics).
func New(ctx context.Context, cfg Config, db *store.DB, panel Panel, cache *smm.Cache, words *locales.Catalog) (*Bot, error) {
	if err := checkConfig(&cfg); err != nil {
		return nil, fmt.Errorf("new bot: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Bot{cfg: cfg, log: log, db: db, words: words, allowed: map[int64]bool{}, secret: cfg.WebhookSecret,
		apiURL: strings.TrimSuffix(cmp.Or(cfg.APIURL, "https://api.telegram.org"), "/"), in: newIntake(db),
		inputs: newRecent[int64, lastInput](maxInputs), cards: newRecent[cardKey, cardShown](maxCards)}
	if b.secret == "" {
		b.secret = newSecret()
	}
	b.send = NewSender(log.With("component", "sender"))
	b.send.OnBlocked = b.blocked
	if cfg.SendRate > 0 {
		b.send.Rate = cfg.SendRate
	}
	b.disp = newDispatcher(cfg.ChatBacklog, b.handle, b.turnAway)
	b.metrics = newMetrics(db, b.send, b.disp, b.in)
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
	if err := b.follow(); err != nil {
		return nil, fmt.Errorf("new bot: %w", err)
	}
	if err := b.connect(ctx); err != nil {
		return nil, fmt.Errorf("new bot: %w", err)
	}
	return b, nil
}

// follow makes the status poller and the notifier that delivers what it
// finds.
func (b *Bot) follow() error {
	b.notifier = newNotifier(b)
	poller, err := track.New(track.Config{Store: b.db, Panel: b.panel, Interval: b.cfg.PollEvery,
		Logger: b.log.With("component", "poller"), Wake: b.notifier.poke,
		Observe: func(d time.Duration, _ track.Stats) { b.metrics.pollSeconds.Observe(d.Seconds()) }})
	b.poller = poller
	return err
}

// checkConfig refuses what cannot run and fills in the defaults.
func checkConfig(cfg *Config) error {
	if cfg.Token == "" {
		return errors.New("no token")
	}
	if cfg.OperatorKey != "" && len(cfg.Allowed) == 0 {
		return errors.New("operator mode needs ALLOWED_USERS: anyone could spend the balance")
	}
	if cfg.WebhookURL != "" && cfg.ListenAddr == "" && cfg.Listener == nil {
		return errors.New("webhook mode needs LISTEN_ADDR to receive updates on")
	}
	if cfg.PollEvery == 0 {
		cfg.PollEvery = time.Minute
	}
	if cfg.DrainGrace <= 0 {
		cfg.DrainGrace = drainGrace
	}
	if cfg.ConfirmWait <= 0 {
		cfg.ConfirmWait = confirmWait
	}
	return nil
}

// connect makes the Bot API client, over connections kept alive for as
// many chats as run at once, and asks getMe who the bot is.
func (b *Bot) connect(ctx context.Context) error {
	hc := b.cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute, Transport: newTransport()}
	}
	poll := *hc
	poll.Timeout = pollTimeout + 30*time.Second
	b.pollClient = &poll
	tracked := *hc
	opts := []tg.Option{
		tg.WithSkipGetMe(),
		tg.WithErrorsHandler(func(err error) { b.log.Warn("telegram", "err", maskToken(err, b.cfg.Token)) }),
		tg.WithHTTPClient(time.Minute, &tracked),
		tg.WithServerURL(b.apiURL),
	}
	api, err := tg.New(b.cfg.Token, opts...)
	if err != nil {
		return maskToken(err, b.cfg.Token)
	}
	b.api = api
	me, err := api.GetMe(ctx)
	if err != nil {
		return fmt.Errorf("getMe: %w", maskToken(err, b.cfg.Token))
	}
	b.username = me.Username
	return nil
}

// newTransport keeps enough idle connections to the Bot API for every
// chat and the notifier to reuse one (Go's default keeps 2 a host).
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// Sender is the bot's way out to Telegram.
func (b *Bot) Sender() *Sender { return b.send }

// InHand is the number of updates received and not yet handled.
func (b *Bot) InHand() int { return b.in.pending() }

// Username is the bot's Telegram username (from getMe).
func (b *Bot) Username() string { return b.username }

// Run receives updates until ctx ends, by long polling or, with a
// WebhookURL, from Telegram's webhook requests; then it stops taking
// updates, finishes those in hand (or leaves them kept for the next run)
// within a bounded time, and returns.
func (b *Bot) Run(ctx context.Context) error {
	ln := b.cfg.Listener
	if ln == nil && b.cfg.ListenAddr != "" {
		var err error
		if ln, err = net.Listen("tcp", b.cfg.ListenAddr); err != nil {
			return fmt.Errorf("listen on LISTEN_ADDR: %w", err)
		}
	}
	if err := b.replay(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it began
		}
		return fmt.Errorf("run: %w", err)
	}
	b.setCommands(ctx)
	var bg sync.WaitGroup
	if b.cfg.PollEvery > 0 {
		bg.Go(func() { b.poller.Run(ctx) })
	}
	bg.Go(func() { b.notifier.run(ctx) })
	bg.Go(func() { b.flushInbox(ctx) })
	var httpErr error
	httpDone := make(chan struct{})
	if ln != nil {
		go func() { defer close(httpDone); httpErr = b.serveHTTP(ctx, ln) }()
	} else {
		close(httpDone)
	}
	err := b.receiveUpdates(ctx)
	<-httpDone // no webhook request is in flight any more
	b.stop()
	bg.Wait()
	return errors.Join(err, httpErr)
}

// stop lets the mailboxes finish what they hold, within drainGrace, and
// deletes the handled updates from the inbox.
func (b *Bot) stop() {
	if !b.disp.close(b.cfg.DrainGrace) {
		b.log.Warn("stopped with updates in hand: they are handled after the restart", "count", b.in.pending())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := b.in.flush(ctx); err != nil {
		b.log.Warn("delete handled updates from the inbox", "err", err)
	}
}

// flushInbox deletes handled updates from the inbox now and then.
func (b *Bot) flushInbox(ctx context.Context) {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := b.in.flush(ctx); err != nil && ctx.Err() == nil {
				b.log.Warn("delete handled updates from the inbox", "err", err)
			}
		}
	}
}

// receiveUpdates takes updates until ctx ends.
func (b *Bot) receiveUpdates(ctx context.Context) error {
	if b.cfg.WebhookURL != "" {
		if err := b.setWebhook(ctx); err != nil {
			if ctx.Err() != nil {
				return nil // stopped while setting it
			}
			<-ctx.Done() // keep serving health; the operator sees the error
			return err
		}
		<-ctx.Done()
		return nil
	}
	// A webhook left from an earlier run makes getUpdates fail with 409.
	if _, err := b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		b.log.Warn("delete webhook", "err", maskToken(err, b.cfg.Token))
	}
	b.poll(ctx)
	return nil
}

// PollOnce runs one status poll cycle now (tests, benchmarks).
func (b *Bot) PollOnce(ctx context.Context) (PollStats, error) { return b.poller.PollOnce(ctx) }

// PollStats is what one poll cycle did.
type PollStats = track.Stats

// LastPoll is when a poll cycle last finished without errors.
func (b *Bot) LastPoll() time.Time { return b.poller.LastPoll() }

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
