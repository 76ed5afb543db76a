package bot

import (
	"context"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultChatBacklog is how many updates may wait for one chat; more are
// turned away (the chat is told to slow down once) so that one flooding
// chat costs the others nothing.
const DefaultChatBacklog = 64

// dispatcher hands every update to its chat's mailbox. A mailbox handles
// its updates one at a time, in order, on a goroutine of its own that ends
// when the mailbox is empty; different chats never wait for each other,
// and handing an update over never blocks.
type dispatcher struct {
	handle   func(ctx context.Context, u *models.Update)
	overflow func(u *models.Update, first bool) // an update turned away; first of a flood
	backlog  int

	ctx    context.Context // the handlers' context; cancelled when draining runs out of time
	cancel context.CancelFunc

	mu     sync.Mutex
	boxes  map[int64]*mailbox
	warned map[int64]time.Time // chats told to slow down, until when they are not told again
	closed bool
	wg     sync.WaitGroup
}

type mailbox struct {
	queue []job
}

// warnEvery is how often a flooding chat is told to slow down.
const warnEvery = time.Minute

type job struct {
	u    *models.Update
	done func()
}

func newDispatcher(backlog int, handle func(context.Context, *models.Update), overflow func(*models.Update, bool)) *dispatcher {
	if backlog <= 0 {
		backlog = DefaultChatBacklog
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &dispatcher{handle: handle, overflow: overflow, backlog: backlog, ctx: ctx, cancel: cancel,
		boxes: map[int64]*mailbox{}, warned: map[int64]time.Time{}}
}

// submit queues u on its chat's mailbox; done runs once u is handled (or
// turned away). It reports false, without calling done, once the
// dispatcher is closed: the update was not taken.
func (d *dispatcher) submit(u *models.Update, done func()) bool {
	key := mailboxOf(u)
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return false
	}
	box := d.boxes[key]
	if box == nil {
		box = &mailbox{}
		d.boxes[key] = box
		d.wg.Add(1)
		go d.run(key, box)
	}
	if len(box.queue) >= d.backlog {
		first := d.warn(key)
		d.mu.Unlock()
		if d.overflow != nil {
			d.overflow(u, first)
		}
		done()
		return true
	}
	box.queue = append(box.queue, job{u: u, done: done})
	d.mu.Unlock()
	return true
}

// run handles a mailbox's updates until it is empty, then removes it.
func (d *dispatcher) run(key int64, box *mailbox) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		if len(box.queue) == 0 {
			delete(d.boxes, key)
			d.mu.Unlock()
			return
		}
		j := box.queue[0]
		box.queue[0] = job{}
		box.queue = box.queue[1:]
		if len(box.queue) == 0 {
			box.queue = nil // let a grown backing array go
		}
		d.mu.Unlock()
		if d.ctx.Err() != nil {
			continue // out of time at shutdown: left for the next run
		}
		ctx, cancel := context.WithTimeout(d.ctx, updateTimeout)
		d.handle(ctx, j.u)
		cancel()
		if d.ctx.Err() == nil {
			j.done() // an update cut short at shutdown is not done: it is handled again
		}
	}
}

// warn reports whether a flooding chat is to be told to slow down: once
// per warnEvery. The memory of it is pruned as it goes. Caller holds d.mu.
func (d *dispatcher) warn(key int64) bool {
	now := time.Now()
	for k, until := range d.warned {
		if now.After(until) {
			delete(d.warned, k)
		}
	}
	if _, ok := d.warned[key]; ok {
		return false
	}
	d.warned[key] = now.Add(warnEvery)
	return true
}

// active is the number of chats with updates waiting or in hand.
func (d *dispatcher) active() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.boxes)
}

// close stops taking updates and waits up to grace for those taken to be
// handled; then it cancels the handlers still running and waits for them.
// It reports whether everything finished within grace.
func (d *dispatcher) close(grace time.Duration) bool {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	finished := make(chan struct{})
	go func() { d.wg.Wait(); close(finished) }()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-finished:
		d.cancel()
		return true
	case <-t.C:
	}
	d.cancel()
	<-finished
	return false
}

// mailboxOf is the mailbox an update goes to: its chat's, or for updates
// with no chat (an inline message's button) its user's.
func mailboxOf(u *models.Update) int64 {
	chatID, user := origin(u)
	if chatID == 0 && user != nil {
		return user.ID
	}
	return chatID
}
