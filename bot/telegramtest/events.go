package telegramtest

import (
	"context"
	"sync"
)

// EventKind says what happened to a message.
type EventKind int

// The kinds of Event.
const (
	EventNew EventKind = iota + 1
	EventEdit
	EventDelete
)

func (k EventKind) String() string {
	switch k {
	case EventNew:
		return "new"
	case EventEdit:
		return "edit"
	case EventDelete:
		return "delete"
	}
	return "unknown"
}

// Event is a change to a chat's transcript; Message is the message as it
// is after the change.
type Event struct {
	Kind    EventKind
	Message Message
}

// notifyLocked wakes everyone waiting for a change. Caller holds s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// emitLocked tells subscribers about msg and wakes waiters. Caller holds s.mu.
func (s *Server) emitLocked(kind EventKind, msg *message) {
	ev := Event{Kind: kind, Message: msg.view()}
	for _, sub := range s.subs {
		sub.push(ev)
	}
	s.notifyLocked()
}

// WaitUntil returns nil once cond is true, checking it now and after every
// change of the server's state, or ctx's error when ctx ends first. cond
// may call the server's methods.
func (s *Server) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Subscribe returns a channel of every later transcript change, user and
// bot messages, in order, and a function that ends the subscription and
// closes the channel. A slow reader never blocks the server: events queue
// without bound until read. Close ends every subscription.
func (s *Server) Subscribe() (<-chan Event, func()) {
	sub := &subscriber{wake: make(chan struct{}, 1), done: make(chan struct{}), out: make(chan Event)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		sub.stop()
		close(sub.out)
		return sub.out, func() {}
	}
	s.subs = append(s.subs, sub)
	s.mu.Unlock()
	go sub.run()
	return sub.out, func() {
		s.mu.Lock()
		for i, x := range s.subs {
			if x == sub {
				s.subs = append(s.subs[:i:i], s.subs[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
		sub.stop()
	}
}

// subscriber is an unbounded queue in front of an unbuffered channel.
type subscriber struct {
	mu       sync.Mutex
	queue    []Event
	wake     chan struct{} // one token: the queue grew
	done     chan struct{}
	stopOnce sync.Once
	out      chan Event
}

func (sub *subscriber) push(ev Event) {
	sub.mu.Lock()
	sub.queue = append(sub.queue, ev)
	sub.mu.Unlock()
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}

func (sub *subscriber) stop() {
	sub.stopOnce.Do(func() { close(sub.done) })
}

// run forwards the queue to out until stopped, then closes out.
func (sub *subscriber) run() {
	defer close(sub.out)
	for {
		sub.mu.Lock()
		if len(sub.queue) == 0 {
			sub.mu.Unlock()
			select {
			case <-sub.wake:
				continue
			case <-sub.done:
				return
			}
		}
		ev := sub.queue[0]
		sub.queue[0] = Event{}
		sub.queue = sub.queue[1:]
		sub.mu.Unlock()
		select {
		case sub.out <- ev:
		case <-sub.done:
			return
		}
	}
}
