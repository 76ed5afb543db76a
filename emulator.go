package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// panelEmulator is the PANEL_URL that runs the bot against an in-process
// panel emulator instead of a real panel (see useEmulator).
const panelEmulator = "emulator"

// The emulated panel account of -demo and PANEL_URL=emulator.
const (
	emulatorKey      = "DEMO0123456789abcdefDEMO0123456789"
	emulatorServices = 300  // generated services, after smmtest's defaults
	emulatorSeed     = 2026 // the same catalogue on every start
	emulatorStep     = 20 * time.Second
	emulatorBalance  = 1000
)

// emulator is the panel emulator served over HTTP on loopback.
type emulator struct {
	Panel *smmtest.Panel
	URL   string // the panel API endpoint, http://127.0.0.1:port/api/v2
	Key   string // the key the panel accepts, with emulatorBalance
	stop  func()
}

// startEmulator serves a panel emulator on 127.0.0.1 with a realistic
// catalogue (smmtest's default services first, so the well-known
// "Followers" ones are there, then emulatorServices generated ones) and
// one key with a balance of emulatorBalance. Orders are Pending for step,
// In progress for the next step, then Completed; step <= 0 means
// emulatorStep. It fails only when it cannot listen on loopback.
func startEmulator(key string, step time.Duration) (*emulator, error) {
	if step <= 0 {
		step = emulatorStep
	}
	panel := smmtest.New(smmtest.Options{Services: emulatorCatalogue(), Step: step})
	panel.AddKey(key, decimal.NewFromInt(emulatorBalance))
	url, stop, err := serveLoopback(panel)
	if err != nil {
		return nil, fmt.Errorf("start panel emulator: %w", err)
	}
	return &emulator{Panel: panel, URL: url + "/api/v2", Key: key, stop: stop}, nil
}

// Close stops serving.
func (e *emulator) Close() {
	e.stop()
}

// emulatorCatalogue is smmtest's default services followed by a generated
// catalogue whose ids are moved past theirs, so that no id is used twice.
func emulatorCatalogue() []smm.Service {
	services := smmtest.DefaultServices()
	var last int64
	for _, s := range services {
		last = max(last, s.ID)
	}
	for _, s := range smmtest.GenerateCatalogue(emulatorServices, emulatorSeed) {
		s.ID += last
		services = append(services, s)
	}
	return services
}

// useEmulator is PANEL_URL=emulator: it starts the panel emulator and
// points cfg at it, with cfg's PANEL_KEY as the emulator's key, or
// emulatorKey when none is set (the bot runs in operator mode on it either
// way). The returned stop closes the emulator.
func useEmulator(cfg *Config, log *slog.Logger) (stop func(), err error) {
	if cfg.PanelURL != panelEmulator {
		return func() {}, nil
	}
	if cfg.PanelKey == "" {
		cfg.PanelKey = emulatorKey
	}
	emu, err := startEmulator(cfg.PanelKey, 0)
	if err != nil {
		return nil, err
	}
	cfg.PanelURL = emu.URL
	log.Info("panel emulator running: no real panel, no money",
		"url", emu.URL, "services", len(emu.Panel.Services()), "balance", emulatorBalance,
		"order_step", emulatorStep)
	return emu.Close, nil
}

// serveLoopback serves h on 127.0.0.1 on a free port and returns its URL
// and a function that stops it.
func serveLoopback(h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // ErrServerClosed once stopped
	}()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close(); <-done }, nil
}

// withEnv is getenv with name set to value.
func withEnv(getenv func(string) string, name, value string) func(string) string {
	return func(key string) string {
		if key == name {
			return value
		}
		return getenv(key)
	}
}
