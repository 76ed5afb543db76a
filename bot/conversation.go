package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// converse runs one step of the order conversation and shows its screen:
// a tap edits the menu it was made on, anything else sends a new menu.
func (b *Bot) converse(ctx context.Context, t *turn, s flows.Session, in flows.Input) error {
	key, ref, err := b.keyOf(ctx, t.chat)
	if err != nil {
		return err
	}
	if key == "" {
		return b.reply(ctx, t, "start.need_key")
	}
	o := &flows.Order{Panel: panelView{b.panel, b.cache}, Ledger: ledger{db: b.db, keyRef: ref, placed: b.metrics.ordersPlaced.Inc}, KeyRef: ref}
	before := s.MenuID
	next, sc, herr := o.Handle(ctx, key, s, in)
	// The state is saved before the screen is shown: should showing fail
	// or the bot stop, the next message is read against the state the
	// conversation is really in, and the prompt shown again if it does not
	// fit.
	if err := b.saveSession(ctx, next); err != nil {
		return errors.Join(herr, err)
	}
	menu := next.MenuID
	if err := b.present(ctx, t, &next, sc, in.Kind == flows.KindPress && in.MessageID == before && before != 0); err != nil {
		herr = errors.Join(herr, err)
	}
	if next.MenuID != menu {
		if err := b.saveSession(ctx, next); err != nil {
			herr = errors.Join(herr, err)
		}
	}
	return herr
}

// present shows a conversation screen and keeps the menu's message id in
// the session.
func (b *Bot) present(ctx context.Context, t *turn, s *flows.Session, sc flows.Screen, edit bool) error {
	if sc.Empty() {
		return nil
	}
	if sc.Keep {
		_, err := b.sendText(ctx, t.chat.ID, b.line(t.lang, sc.Notice), nil)
		return err
	}
	target := 0
	if edit {
		target = s.MenuID
	}
	id, err := b.show(ctx, t.chat.ID, target, b.text(t.lang, sc.Lines), b.keyboard(t.lang, s.Version, sc.Buttons))
	if err != nil {
		return err
	}
	// A screen with buttons becomes the menu; a plain reply (a hint)
	// leaves the menu as it was, and a record (a receipt) is no menu.
	if len(sc.Buttons) > 0 {
		s.MenuID = id
	}
	if sc.Detach {
		s.MenuID = 0
	}
	return nil
}

// session loads the chat's conversation.
func (b *Bot) session(ctx context.Context, chatID int64) (flows.Session, error) {
	ss, err := b.db.Session(ctx, chatID)
	if err != nil {
		return flows.Session{}, fmt.Errorf("load session: %w", err)
	}
	return fromStore(ss)
}

func fromStore(ss store.Session) (flows.Session, error) {
	d, err := flows.UnmarshalDraft(ss.Data)
	if err != nil {
		// A draft this code cannot read (an older format) is dropped, not
		// fatal: the user starts again.
		return flows.Session{ChatID: ss.ChatID, Version: ss.Version}, nil
	}
	return flows.Session{ChatID: ss.ChatID, State: ss.State, Version: ss.Version, MenuID: ss.MenuID, Draft: d}, nil
}

func toStore(s flows.Session) (store.Session, error) {
	data, err := flows.MarshalDraft(s.Draft)
	if err != nil {
		return store.Session{}, err
	}
	state := s.State
	if state == flows.StateIdle {
		state = ""
	}
	return store.Session{ChatID: s.ChatID, State: state, Version: s.Version, MenuID: s.MenuID, Data: data}, nil
}

func (b *Bot) saveSession(ctx context.Context, s flows.Session) error {
	ss, err := toStore(s)
	if err != nil {
		return err
	}
	if err := b.db.SaveSession(ctx, ss); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// panelView is the panel as the order conversation sees it: the catalogue
// through the cache.
type panelView struct {
	Panel
	cache *smm.Cache
}

func (p panelView) Catalogue(ctx context.Context, key string) (*smm.Catalogue, error) {
	return p.cache.Catalogue(ctx, key)
}

// ledger is the store as the order conversation's placing guard.
type ledger struct {
	db     *store.DB
	keyRef string
	placed func() // counts an order recorded
}

func (l ledger) BeginPlacing(ctx context.Context, chatID, version int64) error {
	_, err := l.db.BeginPlacing(ctx, chatID, version)
	switch {
	case errors.Is(err, store.ErrAlreadyPlacing):
		return flows.ErrAlreadyPlacing
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrNotConfirming):
		return flows.ErrStale
	}
	return err
}

func (l ledger) FinishPlacing(ctx context.Context, p *flows.Placed, next flows.Session) error {
	ss, err := toStore(next)
	if err != nil {
		return err
	}
	var o *store.Order
	if p != nil {
		o = &store.Order{ChatID: p.ChatID, KeyRef: l.keyRef, PanelID: p.OrderID, Service: snapshot(p.Service),
			Link: p.Link, Quantity: p.Quantity, Comments: p.Comments, Extra: p.Extra, Runs: p.Runs, Interval: p.Interval,
			Price: p.Price, Created: p.Created, Status: "Pending"}
	}
	if err := l.db.FinishPlacing(ctx, o, ss); err != nil {
		return err
	}
	if o != nil && l.placed != nil {
		l.placed()
	}
	return nil
}

func snapshot(s smm.Service) store.ServiceSnapshot {
	return store.ServiceSnapshot{ID: s.ID, Name: s.Name, Type: s.Type, Category: s.Category, Rate: s.Rate,
		Refill: s.Refill, Cancel: s.Cancel, Dripfeed: s.Dripfeed}
}
