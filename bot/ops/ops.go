// Package ops owns the HTTP that operators use: /healthz (status words
// only), /metrics (Prometheus text format) and /backup (a consistent copy
// of the database). It splits them over two listeners: the public one
// (LISTEN_ADDR) serves the webhook and /healthz and nothing else; the
// admin one (ADMIN_ADDR, on loopback or a private network) serves
// /metrics, /backup and /healthz.
package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// shutdownGrace is how long Serve lets requests in flight finish once its
// context ends; a backup still streaming after it is cut.
const shutdownGrace = 10 * time.Second

// Admin is what the admin listener serves. A nil field leaves its path
// unserved (404).
type Admin struct {
	Health  HealthFunc          // /healthz
	Metrics prometheus.Gatherer // /metrics: the bot's registry
	Backup  Backuper            // /backup: the store
	// BackupDir is where a backup is written before it is streamed;
	// "" = os.TempDir(). The file is removed once served.
	BackupDir string
	Logger    *slog.Logger
}

// Handler is the admin mux: /healthz, /metrics and /backup, each at that
// exact path; anything else is 404.
func (a Admin) Handler() http.Handler {
	log := orDiscard(a.Logger)
	routes := map[string]http.Handler{}
	if a.Health != nil {
		routes["/healthz"] = HealthHandler(a.Health, log)
	}
	if a.Metrics != nil {
		routes["/metrics"] = MetricsHandler(a.Metrics, log)
	}
	if a.Backup != nil {
		routes["/backup"] = BackupHandler(a.Backup, a.BackupDir, log)
	}
	return exact(routes)
}

// Public is the public listener's handler: health at /healthz, webhook at
// webhookPath (when webhook is not nil), and 404 for every other path,
// whatever the request's headers, method or host. Paths are matched
// exactly, without cleaning or redirects.
func Public(health http.Handler, webhookPath string, webhook http.Handler) http.Handler {
	routes := map[string]http.Handler{"/healthz": health}
	if webhook != nil {
		routes[webhookPath] = webhook
	}
	return exact(routes)
}

// exact serves each route at its exact path and 404 elsewhere.
func exact(routes map[string]http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := routes[r.URL.Path]; h != nil && r.URL.RawPath == "" {
			h.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
	})
}

// MetricsHandler serves g's metrics in the Prometheus text format.
func MetricsHandler(g prometheus.Gatherer, log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(orDiscard(log).Handler(), slog.LevelError),
	})
}

// Serve serves h on ln until ctx ends, then stops taking connections and
// lets requests in flight finish for up to shutdownGrace before closing
// them. It returns nil after a stop through ctx, or the error that made
// serving fail.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(shut)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	if err != nil {
		return fmt.Errorf("stop serving %s: %w", ln.Addr(), err)
	}
	<-errc // http.ErrServerClosed
	return nil
}

func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
