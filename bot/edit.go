package bot

import (
	"context"

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
