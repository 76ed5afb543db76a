package bot

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/store"
)

func textFrom(chat int64, id int64) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate},
		From: &models.User{ID: chat}, Text: "x"}}
}

// waitFor polls cond until it holds or a deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestDispatcherKeepsEachChatsOrderAndForgetsIdleChats(t *testing.T) {
	var mu sync.Mutex
	seen := map[int64][]int64{}
	d := newDispatcher(0, func(_ context.Context, u *models.Update) {
		mu.Lock()
		defer mu.Unlock()
		seen[u.Message.Chat.ID] = append(seen[u.Message.Chat.ID], u.ID)
	}, nil)
	var done sync.WaitGroup
	for i := range int64(50) {
		for chat := range int64(20) {
			done.Add(1)
			if !d.submit(textFrom(chat+1, i), done.Done) {
				t.Fatal("submit refused while open")
			}
		}
	}
	done.Wait()
	for chat, ids := range seen {
		for i, id := range ids {
			if id != int64(i) {
				t.Fatalf("chat %d handled %v, want 0..49 in order", chat, ids)
			}
		}
	}
	waitFor(t, "idle mailboxes to go away", func() bool { return d.active() == 0 })
	if !d.close(time.Second) {
		t.Error("close: want everything finished")
	}
	if d.submit(textFrom(1, 99), func() {}) {
		t.Error("submit after close: taken, want refused")
	}
}

func TestDispatcherOneSlowChatHoldsNoOther(t *testing.T) {
	release := make(chan struct{})
	handled := make(chan int64, 10)
	d := newDispatcher(0, func(_ context.Context, u *models.Update) {
		if u.Message.Chat.ID == 1 {
			<-release
		}
		handled <- u.Message.Chat.ID
	}, nil)
	d.submit(textFrom(1, 1), func() {})
	d.submit(textFrom(2, 2), func() {})
	if got := <-handled; got != 2 {
		t.Fatalf("first handled chat %d, want 2 (chat 1 is stuck)", got)
	}
	close(release)
	<-handled
	d.close(time.Second)
}

func TestDispatcherTurnsAwayAFlood(t *testing.T) {
	release := make(chan struct{})
	var warned, away int
	var mu sync.Mutex
	d := newDispatcher(4, func(context.Context, *models.Update) { <-release }, func(_ *models.Update, first bool) {
		mu.Lock()
		defer mu.Unlock()
		away++
		if first {
			warned++
		}
	})
	for i := range int64(20) {
		d.submit(textFrom(1, i), func() {})
	}
	d.submit(textFrom(2, 100), func() {})
	mu.Lock()
	gotAway, gotWarned := away, warned
	mu.Unlock()
	if gotAway < 15 || gotAway > 16 || gotWarned != 1 {
		t.Errorf("a flood of 20 into a backlog of 4: %d turned away, %d warnings; want 15-16 and 1", gotAway, gotWarned)
	}
	close(release)
	d.close(time.Second)
}

func TestDispatcherCloseLeavesWhatRunsOutOfTime(t *testing.T) {
	started := make(chan struct{})
	d := newDispatcher(0, func(ctx context.Context, _ *models.Update) {
		close(started)
		<-ctx.Done()
	}, nil)
	var doneCalls int
	d.submit(textFrom(1, 1), func() { doneCalls++ })
	d.submit(textFrom(1, 2), func() { doneCalls++ })
	<-started
	if d.close(10 * time.Millisecond) {
		t.Error("close reported everything finished; the handler was stuck")
	}
	if doneCalls != 0 {
		t.Errorf("%d updates marked done after running out of time, want 0: they are handled again", doneCalls)
	}
}

// memInbox is an Inbox in memory that counts writes.
type memInbox struct {
	mu     sync.Mutex
	items  map[int64][]byte
	writes int
}

func (m *memInbox) WriteInbox(_ context.Context, put []store.InboxItem, del []int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(put) == 0 && len(del) == 0 {
		return nil
	}
	m.writes++
	for _, it := range put {
		m.items[it.UpdateID] = it.Raw
	}
	for _, id := range del {
		delete(m.items, id)
	}
	return nil
}

func (m *memInbox) Inbox(context.Context) ([]store.InboxItem, error) { return nil, nil }

func TestIntakeKeepsOnlyWhatIsNotHandledInTime(t *testing.T) {
	box := &memInbox{items: map[int64][]byte{}}
	in := newIntake(box)
	quick, _ := in.take(1, []byte("1"), false)
	slow, _ := in.take(2, []byte("2"), false)
	go in.finish(quick)
	if err := in.settle(context.Background(), []*held{quick, slow}, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, ok := box.items[1]; ok || len(box.items) != 1 || box.writes != 1 {
		t.Fatalf("inbox %v after %d writes; want only the slow update, in one write", box.items, box.writes)
	}
	if _, fresh := in.take(2, []byte("2"), false); fresh {
		t.Error("an update in hand taken again: want it skipped")
	}
	in.finish(slow)
	if _, fresh := in.take(2, []byte("2"), false); fresh {
		t.Error("an update handled lately taken again: want it skipped")
	}
	if err := in.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(box.items) != 0 {
		t.Errorf("inbox after the slow update was handled: %v, want empty", box.items)
	}
	writes := box.writes
	if err := in.flush(context.Background()); err != nil || box.writes != writes {
		t.Errorf("a flush with nothing to do wrote (err %v)", err)
	}
}

func TestIntakeForgetsOldIDs(t *testing.T) {
	in := newIntake(&memInbox{items: map[int64][]byte{}})
	for id := range int64(3 * recentKept) {
		h, _ := in.take(id, nil, false)
		in.finish(h)
	}
	if n := len(in.recent); n < recentKept || n >= 2*recentKept || len(in.order) != n {
		t.Errorf("remembering %d ids (%d in order), want %d to %d: the set must stay bounded", n, len(in.order), recentKept, 2*recentKept)
	}
}
