package bot

import (
	"context"
	"sync"
	"time"

	"github.com/smmbot/smmbot/store"
)

// Inbox is where received updates wait, durably, when they are confirmed
// to Telegram before they are handled.
type Inbox interface {
	WriteInbox(ctx context.Context, put []store.InboxItem, del []int64) error
	Inbox(ctx context.Context) ([]store.InboxItem, error)
}

// recentKept is how many handled update ids, at least, are remembered (at
// most twice as many), so that a repeated delivery (a webhook retry, a
// batch fetched again) is dropped.
const recentKept = 4096

// intake keeps account of the updates received and not yet handled, so
// that none is confirmed to Telegram (the next getUpdates offset, a
// webhook 2xx) before it is handled or kept in the inbox. Updates handled
// quickly never touch the disk; the slow ones are written in one
// transaction per batch, and deleted in a later one once handled.
type intake struct {
	inbox Inbox

	mu      sync.Mutex
	inHand  map[int64]*held
	settled []int64 // handled updates still in the inbox
	recent  map[int64]struct{}
	order   []int64 // recent, oldest first

	wmu sync.Mutex // one inbox write at a time, so puts and deletes stay in order
}

// held is an update in hand.
type held struct {
	id   int64
	raw  []byte
	kept bool // written to the inbox
	done chan struct{}
}

func newIntake(inbox Inbox) *intake {
	return &intake{inbox: inbox, inHand: map[int64]*held{}, recent: map[int64]struct{}{}}
}

// take registers an update received; it reports false for one already in
// hand or handled lately (a repeated delivery), which must be skipped.
func (in *intake) take(id int64, raw []byte, kept bool) (*held, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if _, ok := in.inHand[id]; ok {
		return nil, false
	}
	if _, ok := in.recent[id]; ok {
		return nil, false
	}
	h := &held{id: id, raw: raw, kept: kept, done: make(chan struct{})}
	in.inHand[id] = h
	return h, true
}

// finish marks an update handled.
func (in *intake) finish(h *held) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.inHand, h.id)
	if h.kept {
		in.settled = append(in.settled, h.id)
	}
	in.remember(h.id)
	close(h.done)
}

// release forgets an update that was not taken (the bot is stopping): it
// is neither handled nor remembered, so a later delivery is taken.
func (in *intake) release(h *held) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.inHand, h.id)
}

func (in *intake) remember(id int64) {
	in.recent[id] = struct{}{}
	in.order = append(in.order, id)
	if len(in.order) >= 2*recentKept { // forget the older half at once
		for _, o := range in.order[:recentKept] {
			delete(in.recent, o)
		}
		in.order = append(in.order[:0], in.order[recentKept:]...)
	}
}

// settle makes the updates of hs safe to confirm: it waits up to wait for
// them to be handled, then keeps every update still in hand in the inbox,
// with the deletes of those handled since the last write, in one
// transaction. On an error nothing may be confirmed. The write is not cut
// short by ctx: a stop must not leave a batch half kept.
func (in *intake) settle(ctx context.Context, hs []*held, wait time.Duration) error {
	if wait > 0 && len(hs) > 0 {
		t := time.NewTimer(wait)
	loop:
		for _, h := range hs {
			select {
			case <-h.done:
			case <-t.C:
				break loop
			case <-ctx.Done():
				break loop
			}
		}
		t.Stop()
	}
	return in.write(context.WithoutCancel(ctx), true)
}

// write deletes the settled updates from the inbox and, with keep, adds
// those in hand that are not in it yet.
func (in *intake) write(ctx context.Context, keep bool) error {
	in.wmu.Lock()
	defer in.wmu.Unlock()
	in.mu.Lock()
	var put []store.InboxItem
	var marked []*held
	if keep {
		for _, h := range in.inHand {
			if !h.kept {
				h.kept = true
				marked = append(marked, h)
				put = append(put, store.InboxItem{UpdateID: h.id, Raw: h.raw})
			}
		}
	}
	del := in.settled
	in.settled = nil
	in.mu.Unlock()
	err := in.inbox.WriteInbox(ctx, put, del)
	if err != nil {
		in.mu.Lock()
		for _, h := range marked {
			if _, ok := in.inHand[h.id]; ok {
				h.kept = false
			} else { // handled meanwhile: nothing to keep or delete
				in.dropSettled(h.id)
			}
		}
		in.settled = append(in.settled, del...)
		in.mu.Unlock()
	}
	return err
}

func (in *intake) dropSettled(id int64) {
	for i, s := range in.settled {
		if s == id {
			in.settled = append(in.settled[:i], in.settled[i+1:]...)
			return
		}
	}
}

// flush deletes the handled updates from the inbox.
func (in *intake) flush(ctx context.Context) error { return in.write(ctx, false) }

// forget deletes a kept update that will never be handled (it cannot be
// read) at the next write.
func (in *intake) forget(id int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.settled = append(in.settled, id)
}

// pending is the number of updates in hand.
func (in *intake) pending() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.inHand)
}

// unkept is the number of updates in hand and not in the inbox.
func (in *intake) unkept() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := 0
	for _, h := range in.inHand {
		if !h.kept {
			n++
		}
	}
	return n
}
