package track_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

func TestFit(t *testing.T) {
	var _ track.Store = (*store.DB)(nil)
	var _ track.Panel = (*smm.Client)(nil)
}

func TestNewRefusesBadConfig(t *testing.T) {
	db, panel := &store.DB{}, &smm.Client{}
	for _, tc := range []struct {
		name string
		cfg  track.Config
	}{
		{"no store", track.Config{Panel: panel}},
		{"no panel", track.Config{Store: db}},
		{"negative keys in flight", track.Config{Store: db, Panel: panel, Limits: track.Limits{KeysInFlight: -1}}},
		{"negative backoff", track.Config{Store: db, Panel: panel, Limits: track.Limits{MaxBackoff: -time.Second}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := track.New(tc.cfg)
			if !errors.Is(err, track.ErrConfig) || p != nil {
				t.Errorf("New = %v, %v; want nil, ErrConfig", p, err)
			}
		})
	}
}

func TestBatchesStatusRequests(t *testing.T) {
	h := newHarness(t, track.Config{}, nil)
	h.seed(keyA, 250)
	h.emu.ResetCounters()
	st := h.poll()
	calls := h.emu.StatusCalls()
	var sizes []int
	for _, c := range calls {
		sizes = append(sizes, len(c))
	}
	if len(calls) != 3 || sizes[0] != 100 || sizes[1] != 100 || sizes[2] != 50 {
		t.Errorf("status requests carry %v ids; want [100 100 50]", sizes)
	}
	if st.Keys != 1 || st.Orders != 250 || st.Changes != 0 || st.Errors != 0 {
		t.Errorf("stats = %+v; want 1 key, 250 orders, no changes, no errors", st)
	}
}

func TestStatusChange(t *testing.T) {
	for _, tc := range []struct {
		status   string
		remains  int64
		final    bool
		followed bool
	}{
		{"Completed", 0, true, false},
		{"partial", 40, true, false},
		{"In progress", 60, false, true},
		{"Awaiting moderation", 100, false, true}, // an unknown word is not final
	} {
		t.Run(tc.status, func(t *testing.T) {
			h := newHarness(t, track.Config{}, nil)
			ids := h.seed(keyA, 3)
			h.emu.SetStatus(ids[1], tc.status, tc.remains)
			st := h.poll()
			if st.Changes != 1 {
				t.Errorf("changes = %d; want 1", st.Changes)
			}
			want := track.Note{Kind: track.KindStatus, Order: ids[1], KeyRef: h.ref(keyA), Name: "Followers",
				Old: "Pending", New: tc.status, Remains: tc.remains, Final: tc.final}
			if got := h.notes(); len(got) != 1 || got[0] != want {
				t.Errorf("outbox = %+v; want one note %+v", got, want)
			}
			o := h.order(keyA, ids[1])
			if o.Status != tc.status || o.Remains != tc.remains || o.Final != tc.final {
				t.Errorf("order = %q, remains %d, final %v; want %q, %d, %v", o.Status, o.Remains, o.Final, tc.status, tc.remains, tc.final)
			}
			if got := len(h.tracked(keyA).Orders); got != 2+btoi(tc.followed) {
				t.Errorf("%d orders tracked; want %d", got, 2+btoi(tc.followed))
			}
			if h.wakes.Load() != 1 {
				t.Errorf("wake called %d times; want 1", h.wakes.Load())
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestNoChangeWritesNothing(t *testing.T) {
	h := newHarness(t, track.Config{}, nil)
	ids := h.seed(keyA, 5)
	before := h.order(keyA, ids[0]).Updated
	h.poll()
	h.clock.Advance(time.Second) // a write now would show in Updated; the panel's orders are still Pending
	st := h.poll()
	if st.Changes != 0 || len(h.notes()) != 0 || h.wakes.Load() != 0 {
		t.Errorf("changes %d, outbox %d, wakes %d; want none", st.Changes, len(h.notes()), h.wakes.Load())
	}
	for _, id := range ids {
		if got := h.order(keyA, id).Updated; !got.Equal(before) {
			t.Errorf("order %d updated at %v; want untouched since %v", id, got, before)
		}
	}
}

func TestProgressWithoutStatusChangeNotifiesNothing(t *testing.T) {
	h := newHarness(t, track.Config{}, nil)
	ids := h.seed(keyA, 1)
	h.emu.SetStatus(ids[0], "Pending", 70) // same word, fewer remains
	st := h.poll()
	if st.Changes != 1 || len(h.notes()) != 0 {
		t.Errorf("changes %d, outbox %d; want 1 change, no note", st.Changes, len(h.notes()))
	}
	if got := h.order(keyA, ids[0]).Remains; got != 70 {
		t.Errorf("remains = %d; want 70", got)
	}
}

func TestGoneOrder(t *testing.T) {
	h := newHarness(t, track.Config{}, nil)
	ids := h.seed(keyA, 2)
	h.emu.Forget(ids[0])
	h.poll()
	want := track.Note{Kind: track.KindGone, Order: ids[0], KeyRef: h.ref(keyA), Name: "Followers", Old: "Pending"}
	if got := h.notes(); len(got) != 1 || got[0] != want {
		t.Errorf("outbox = %+v; want one note %+v", got, want)
	}
	if o := h.order(keyA, ids[0]); !o.Gone {
		t.Error("forgotten order not marked Gone")
	}
	if tr := h.tracked(keyA); len(tr.Orders) != 1 || tr.Orders[0] != ids[1] {
		t.Errorf("tracked orders = %v; want [%d]", tr.Orders, ids[1])
	}
}

func TestRefillStatus(t *testing.T) {
	h := newHarness(t, track.Config{}, nil)
	ids := h.seed(keyA, 1)
	rf := h.seedRefill(keyA, ids[0])
	h.poll() // the order is Completed: one status note
	h.emu.SetRefillStatus(rf, "Completed")
	h.poll()
	notes := h.notes()
	want := track.Note{Kind: track.KindRefill, Order: ids[0], KeyRef: h.ref(keyA), Refill: rf,
		Old: "Pending", New: "Completed", Final: true}
	if len(notes) != 2 || notes[1] != want {
		t.Errorf("outbox = %+v; want a status note then %+v", notes, want)
	}
	if tr := h.tracked(keyA); len(tr.Orders)+len(tr.Refills) != 0 {
		t.Errorf("still tracked: %+v; want nothing", tr)
	}
}

func TestPartialBatchIsRecorded(t *testing.T) {
	// The panel answers the first request of a key's batch, then fails:
	// what it answered is kept, and the key backs off.
	h := newHarness(t, track.Config{}, nil)
	ids := h.seed(keyA, 150)
	h.emu.SetStatus(ids[0], "Completed", 0)
	h.emu.SetStatus(ids[120], "Completed", 0)
	h.failSecondStatus()
	st := h.poll()
	if st.Errors != 1 || st.Changes != 1 {
		t.Errorf("stats = %+v; want 1 error, 1 change", st)
	}
	if got := h.notes(); len(got) != 1 || got[0].Order != ids[0] {
		t.Errorf("outbox = %+v; want one note of order %d", got, ids[0])
	}
}

func TestStopsWhenContextEnds(t *testing.T) {
	h := newHarness(t, track.Config{}, nil)
	h.seed(keyA, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := h.poller.PollOnce(ctx)
	if err == nil && st.Keys != 0 {
		t.Errorf("PollOnce on an ended context = %+v, %v; want nothing polled", st, err)
	}
}

// TestLogsNoKey: a key the panel refuses is logged by reference, never
// by value.
func TestLogsNoKey(t *testing.T) {
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, s := withScripted(t, track.Config{Logger: log, Limits: track.Limits{MaxItemFailures: 1}})
	ids := h.seed(keyA, 2)
	s.setItemErr(ids[0], errPaused)
	h.poll()
	s.setKeyErr(keyA, fmt.Errorf("status: %w", &smm.APIError{Action: "status", Message: "Invalid API key"}))
	h.clock.Advance(interval)
	h.poll()
	out := buf.String()
	if !strings.Contains(out, h.ref(keyA)) || !strings.Contains(out, "stopped following") {
		t.Errorf("log lacks the key reference or the stalled order:\n%s", out)
	}
	if strings.Contains(out, keyA) {
		t.Errorf("log shows the API key:\n%s", out)
	}
}

// syncBuffer is a bytes.Buffer for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
