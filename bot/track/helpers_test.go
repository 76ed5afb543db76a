package track_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
	"github.com/smmbot/smmbot/store"
)

const (
	keyA     = "KEYA0123456789abcdef"
	keyB     = "KEYB0123456789abcdef"
	chatID   = 42
	interval = time.Minute
)

// harness is a poller over a real store on disk and the panel emulator
// over loopback; panel is what the poller calls (the client, or a fake
// around it).
type harness struct {
	tb     testing.TB
	clock  *smmtest.Clock
	emu    *smmtest.Panel
	client *smm.Client
	db     *store.DB
	poller *track.Poller
	wakes  atomic.Int32
	refs   map[string]string // API key → key reference
}

// newHarness makes a harness; wrap, when not nil, makes the panel the
// poller calls from the real client.
func newHarness(tb testing.TB, cfg track.Config, wrap func(track.Panel) track.Panel) *harness {
	tb.Helper()
	h := &harness{tb: tb, clock: smmtest.NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)), refs: map[string]string{}}
	// Orders stay Pending until a test pins their status.
	h.emu = smmtest.New(smmtest.Options{Now: h.clock.Now, Step: 1000 * time.Hour})
	srv := httptest.NewServer(h.emu)
	tb.Cleanup(srv.Close)
	h.client = smm.NewClient(srv.URL, smm.Options{Backoff: time.Millisecond})
	db, err := store.Open(filepath.Join(tb.TempDir(), "smmbot.db"), store.Options{Now: h.clock.Now})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	h.db = db
	cfg.Store, cfg.Panel, cfg.Now = db, track.Panel(h.client), h.clock.Now
	if wrap != nil {
		cfg.Panel = wrap(h.client)
	}
	if cfg.Interval == 0 {
		cfg.Interval = interval
	}
	cfg.Wake = func() { h.wakes.Add(1) }
	h.poller, err = track.New(cfg)
	if err != nil {
		tb.Fatalf("new poller: %v", err)
	}
	return h
}

// ref returns the store's reference of an API key, adding the key to the
// panel and the store the first time.
func (h *harness) ref(key string) string {
	h.tb.Helper()
	if ref, ok := h.refs[key]; ok {
		return ref
	}
	h.emu.AddKey(key, decimal.NewFromInt(1_000_000_000))
	ref, err := h.db.PutKey(context.Background(), key)
	if err != nil {
		h.tb.Fatalf("put key: %v", err)
	}
	h.refs[key] = ref
	return ref
}

// seed places n orders with key on the panel and records them in the
// store as the panel shows them now, so a poll finds nothing new.
func (h *harness) seed(key string, n int) []int64 {
	h.tb.Helper()
	ctx := context.Background()
	ref := h.ref(key)
	ids := make([]int64, 0, n)
	for i := range n {
		id, err := h.client.Add(ctx, key, smm.AddRequest{Service: 1, Link: "https://t.me/c" + strconv.Itoa(i), Quantity: 100})
		if err != nil {
			h.tb.Fatalf("add order: %v", err)
		}
		v, _ := h.emu.Order(key, id)
		o := store.Order{ChatID: chatID, KeyRef: ref, PanelID: id, Link: v.Link, Quantity: v.Quantity,
			Service: store.ServiceSnapshot{ID: 1, Name: "Followers"}, Price: v.Charge, Created: v.Created,
			Status: v.Status, Remains: v.Remains, StartCount: v.StartCount, Charge: v.Charge}
		if err := h.db.PutOrder(ctx, o); err != nil {
			h.tb.Fatalf("put order: %v", err)
		}
		ids = append(ids, id)
	}
	return ids
}

// seedRefill finishes order id on the panel, asks for its refill and
// records the refill as Pending.
func (h *harness) seedRefill(key string, order int64) int64 {
	h.tb.Helper()
	ctx := context.Background()
	h.emu.SetStatus(order, "Completed", 0)
	id, err := h.client.Refill(ctx, key, order)
	if err != nil {
		h.tb.Fatalf("refill: %v", err)
	}
	r := store.Refill{ChatID: chatID, KeyRef: h.ref(key), RefillID: id, OrderID: order, Status: "Pending"}
	if err := h.db.PutRefill(ctx, r); err != nil {
		h.tb.Fatalf("put refill: %v", err)
	}
	return id
}

func (h *harness) poll() track.Stats {
	h.tb.Helper()
	st, err := h.poller.PollOnce(context.Background())
	if err != nil {
		h.tb.Fatalf("PollOnce: %v", err)
	}
	return st
}

// notes decodes the whole outbox, oldest first.
func (h *harness) notes() []track.Note {
	h.tb.Helper()
	entries, err := h.db.DueEntries(context.Background(), h.clock.Now().Add(time.Hour), 100_000)
	if err != nil {
		h.tb.Fatalf("read outbox: %v", err)
	}
	out := make([]track.Note, 0, len(entries))
	for _, e := range entries {
		n, err := track.Decode(e.Payload)
		if err != nil {
			h.tb.Fatalf("outbox entry %d: %v", e.ID, err)
		}
		if e.ChatID != chatID {
			h.tb.Errorf("outbox entry %d is for chat %d, want %d", e.ID, e.ChatID, chatID)
		}
		out = append(out, n)
	}
	return out
}

func (h *harness) order(key string, id int64) store.Order {
	h.tb.Helper()
	o, err := h.db.Order(context.Background(), h.ref(key), id)
	if err != nil {
		h.tb.Fatalf("get order: %v", err)
	}
	return o
}

// tracked is what the store still follows of a key.
func (h *harness) tracked(key string) store.Tracked {
	h.tb.Helper()
	tr, err := h.db.Tracking(context.Background())
	if err != nil {
		h.tb.Fatalf("tracking: %v", err)
	}
	return tr[h.ref(key)]
}

// waitUntil polls cond until it holds, failing the test after a deadline.
func waitUntil(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// failSecondStatus lets the next status request through and fails the
// one after with a CDN page (twice: the client retries a read once).
func (h *harness) failSecondStatus() {
	h.emu.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "status"})
	h.emu.Inject(smmtest.Fault{Kind: smmtest.FaultHTML503, Action: "status", Count: 2})
}
