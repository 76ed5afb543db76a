package bot

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/smmbot/smmbot/bot/ops"
)

// Registry is the bot's metrics registry, for /metrics on the admin
// listener (ops.Admin).
func (b *Bot) Registry() *prometheus.Registry { return b.metrics.reg }

// Health reports whether the store answers, when a poll cycle last
// finished and updates last arrived, and the intake mode ("polling" or
// "webhook"), for /healthz (ops.HealthHandler).
func (b *Bot) Health(ctx context.Context) ops.Health {
	h := ops.Health{LastPoll: b.LastPoll(), LastUpdate: b.LastUpdate(), Mode: "polling"}
	if b.cfg.WebhookURL != "" {
		h.Mode = "webhook"
	}
	if _, err := b.db.OutboxLen(ctx); err != nil {
		h.Store = err
	}
	return h
}

// HealthHandler is /healthz for the public listener: status words only;
// a store error is logged, never sent.
func (b *Bot) HealthHandler() http.Handler { return ops.HealthHandler(b.Health, b.log) }
