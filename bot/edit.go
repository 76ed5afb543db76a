package bot

import (
	"context"
	"sync"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
)

// An edited message replaces the input it carried when it is the last
// text the conversation took and nothing happened since: the step is run
// again from the session before it, and the screen redrawn. Older edits
// are ignored. What the last input was is kept in memory only (bounded):
// after a restart, edits of earlier messages are ignored too.

// maxInputs bounds the chats whose last input is remembered.
const maxInputs = 10_000

// lastInput is a chat's last text input and the sessions around it.
type lastInput struct {
	msgID  int
	before flows.Session
	after  flows.Session
}

// inputs remembers the last input of recently active chats, in two
// generations: when the young one is full, the old one is dropped.
type inputs struct {
	mu         sync.Mutex
	young, old map[int64]lastInput
}

func (in *inputs) put(chat int64, li lastInput) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.young == nil || len(in.young) >= maxInputs/2 {
		in.old, in.young = in.young, make(map[int64]lastInput)
	}
	in.young[chat] = li
	delete(in.old, chat)
}

func (in *inputs) get(chat int64) (lastInput, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if li, ok := in.young[chat]; ok {
		return li, true
	}
	li, ok := in.old[chat]
	return li, ok
}

func (in *inputs) len() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.young) + len(in.old)
}

// edited handles an edited message.
func (b *Bot) edited(ctx context.Context, t *turn, m *models.Message) error {
	li, ok := b.inputs.get(t.chat.ID)
	if !ok || li.msgID != m.ID || m.Text == "" {
		return nil
	}
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	if s.Version != li.after.Version || s.State != li.after.State || s.MenuID != li.after.MenuID {
		return nil // the conversation has moved on
	}
	t.u = &models.Update{ID: t.u.ID, Message: m} // the edit is now the last input
	return b.step(ctx, t, s, li.before, flows.Text(m.Text))
}
