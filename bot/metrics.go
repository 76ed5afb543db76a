package bot

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// metrics are the bot's figures in the Prometheus format.
type metrics struct {
	reg          *prometheus.Registry
	updates      prometheus.Counter
	ordersPlaced prometheus.Counter
	panelCalls   *prometheus.CounterVec
	panelErrors  *prometheus.CounterVec
	pollSeconds  prometheus.Histogram
	undecodable  prometheus.Counter
	turnedAway   prometheus.Counter
}

// newMetrics makes the bot's metrics; the gauges read the store, the
// sender, the mailboxes and the intake when scraped.
func newMetrics(db *store.DB, send *Sender, disp *dispatcher, in *intake) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		updates: prometheus.NewCounter(prometheus.CounterOpts{Name: "smmbot_updates_total",
			Help: "Telegram updates handled."}),
		ordersPlaced: prometheus.NewCounter(prometheus.CounterOpts{Name: "smmbot_orders_placed_total",
			Help: "Orders the panel accepted."}),
		panelCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smmbot_panel_requests_total",
			Help: "Panel API calls, by action."}, []string{"action"}),
		panelErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smmbot_panel_errors_total",
			Help: "Panel API calls that failed, by action."}, []string{"action"}),
		pollSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "smmbot_poll_cycle_seconds",
			Help: "Duration of one status poll cycle.", Buckets: prometheus.ExponentialBuckets(0.01, 4, 8)}),
		undecodable: prometheus.NewCounter(prometheus.CounterOpts{Name: "smmbot_updates_undecodable_total",
			Help: "Updates skipped because they could not be decoded."}),
		turnedAway: prometheus.NewCounter(prometheus.CounterOpts{Name: "smmbot_updates_turned_away_total",
			Help: "Updates turned away from a chat whose backlog was full (a flood)."}),
	}
	outbox := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "smmbot_outbox_depth",
		Help: "Notifications waiting in the outbox."}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := db.OutboxLen(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	sent := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "smmbot_messages_sent_total",
		Help: "Calls Telegram accepted from the sender."}, func() float64 { return float64(send.Sent()) })
	throttled := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "smmbot_telegram_429_total",
		Help: "Too Many Requests answers from Telegram."}, func() float64 { return float64(send.Throttled()) })
	active := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "smmbot_active_chats",
		Help: "Chats with updates waiting or in hand."}, func() float64 { return float64(disp.active()) })
	inHand := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "smmbot_updates_in_hand",
		Help: "Updates received and not yet handled."}, func() float64 { return float64(in.pending()) })
	commits := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "smmbot_store_commits_total",
		Help: "Store write transactions committed (shared commits count once)."}, func() float64 { return float64(db.Commits()) })
	dropped := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "smmbot_outbox_dropped_total",
		Help: "Notifications dropped by the outbox's bounds."}, func() float64 { return float64(db.OutboxDropped()) })
	m.reg.MustRegister(commits, dropped, m.updates, m.ordersPlaced, m.panelCalls, m.panelErrors, m.pollSeconds, m.undecodable, m.turnedAway,
		outbox, sent, throttled, active, inHand,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts one panel call.
func (m *metrics) observe(action string, err error) {
	m.panelCalls.WithLabelValues(action).Inc()
	if err != nil {
		m.panelErrors.WithLabelValues(action).Inc()
	}
}

// meteredPanel counts every panel call the bot makes.
type meteredPanel struct {
	p Panel
	m *metrics
}

func (mp meteredPanel) Services(ctx context.Context, key string) ([]smm.Service, error) {
	s, err := mp.p.Services(ctx, key)
	mp.m.observe("services", err)
	return s, err
}

func (mp meteredPanel) Balance(ctx context.Context, key string) (smm.Balance, error) {
	b, err := mp.p.Balance(ctx, key)
	mp.m.observe("balance", err)
	return b, err
}

func (mp meteredPanel) Add(ctx context.Context, key string, req smm.AddRequest) (int64, error) {
	id, err := mp.p.Add(ctx, key, req)
	mp.m.observe("add", err)
	return id, err
}

func (mp meteredPanel) Status(ctx context.Context, key string, order int64) (smm.Status, error) {
	s, err := mp.p.Status(ctx, key, order)
	mp.m.observe("status", err)
	return s, err
}

func (mp meteredPanel) Statuses(ctx context.Context, key string, orders []int64) (map[int64]smm.StatusResult, error) {
	s, err := mp.p.Statuses(ctx, key, orders)
	mp.m.observe("status", err)
	return s, err
}

func (mp meteredPanel) Refill(ctx context.Context, key string, order int64) (int64, error) {
	id, err := mp.p.Refill(ctx, key, order)
	mp.m.observe("refill", err)
	return id, err
}

func (mp meteredPanel) RefillStatuses(ctx context.Context, key string, refills []int64) (map[int64]smm.RefillStatusResult, error) {
	s, err := mp.p.RefillStatuses(ctx, key, refills)
	mp.m.observe("refill_status", err)
	return s, err
}

func (mp meteredPanel) Cancel(ctx context.Context, key string, orders []int64) (map[int64]error, error) {
	r, err := mp.p.Cancel(ctx, key, orders)
	mp.m.observe("cancel", err)
	return r, err
}

func (mp meteredPanel) Supports(f smm.Feature) (known, ok bool) { return mp.p.Supports(f) }
