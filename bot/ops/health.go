package ops

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// Health is the bot's state at one moment, as a HealthFunc reports it.
type Health struct {
	Store      error     // nil when the store answered
	LastPoll   time.Time // when a status poll cycle last finished; zero = never
	LastUpdate time.Time // when updates last arrived from Telegram; zero = never
	Mode       string    // "polling" or "webhook"
}

// HealthFunc reports the bot's health now.
type HealthFunc func(ctx context.Context) Health

// Status words of /healthz.
const (
	StatusOK          = "ok"
	StatusUnavailable = "unavailable"
)

// healthReply is what /healthz says: words and times, never an error's
// text (the public listener serves it to anyone).
type healthReply struct {
	Status     string    `json:"status"`
	Store      string    `json:"store"`
	LastPoll   time.Time `json:"last_poll,omitzero"`
	LastUpdate time.Time `json:"last_update,omitzero"`
	Mode       string    `json:"mode,omitempty"`
}

// HealthHandler answers /healthz: 200 with status "ok" when the store
// answers, else 503 with status and store "unavailable". The store's
// error is logged, never sent.
func HealthHandler(check HealthFunc, log *slog.Logger) http.Handler {
	log = orDiscard(log)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := check(r.Context())
		reply := healthReply{Status: StatusOK, Store: StatusOK, LastPoll: h.LastPoll, LastUpdate: h.LastUpdate, Mode: h.Mode}
		code := http.StatusOK
		if h.Store != nil {
			log.Error("health check: store unavailable", "err", h.Store)
			reply.Status, reply.Store, code = StatusUnavailable, StatusUnavailable, http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(reply)
	})
}
