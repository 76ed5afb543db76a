package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// converse feeds inputs to the order conversation (all but the last
// unseen) and shows the last screen: a tap edits the menu it was made on,
// anything else sends a new menu.
func (b *Bot) converse(ctx context.Context, t *turn, s flows.Session, ins ...flows.Input) error {
	return b.step(ctx, t, s, s, ins...)
}

// step runs inputs from session s, the store holding stored, and writes
// the session once, after the screen is shown, so that it carries the
// menu's message id; and not at all when nothing changed. Should the bot
// stop between the two, the update is handled again after the restart (it
// is confirmed to Telegram only once handled).
func (b *Bot) step(ctx context.Context, t *turn, stored, s flows.Session, ins ...flows.Input) error {
	key, ref, err := b.keyOf(ctx, t.chat)
	if err != nil {
		return err
	}
	if key == "" {
		return b.reply(ctx, t, "start.need_key")
	}
	l := &ledger{db: b.db, keyRef: ref, placed: b.metrics.ordersPlaced.Inc}
	o := &flows.Order{Panel: b.panelView(), Ledger: l, KeyRef: ref, FinishedOnly: t.chat.FinishedOnly}
	next, sc, herr := s, flows.Screen{}, error(nil)
	for _, in := range ins {
		if next, sc, herr = o.Handle(ctx, key, next, in); herr != nil {
			break
		}
	}
	sc = b.withFavourites(ctx, t.chat.ID, key, next, sc)
	last := ins[len(ins)-1]
	if err := b.present(ctx, t, &next, sc, last.Kind == flows.KindPress && last.MessageID == s.MenuID && s.MenuID != 0); err != nil {
		herr = errors.Join(herr, err)
	}
	if last.Kind == flows.KindText && t.u.Message != nil {
		b.inputs.put(t.chat.ID, lastInput{msgID: t.u.Message.ID, before: s, after: next})
	}
	var err2 error // the session is written once, as the store does not hold it yet
	switch {
	case l.wrote != nil:
		err2 = b.saveChanged(ctx, *l.wrote, next)
	case l.began: // the store says "placing" now
		err2 = b.saveSession(ctx, next)
	default:
		err2 = b.saveChanged(ctx, stored, next)
	}
	return errors.Join(herr, err2)
}

// saveChanged writes the session unless it is what the store holds.
func (b *Bot) saveChanged(ctx context.Context, stored, next flows.Session) error {
	a, errA := toStore(stored)
	z, errZ := toStore(next)
	if errA == nil && errZ == nil && a.State == z.State && a.Version == z.Version && a.MenuID == z.MenuID && bytes.Equal(a.Data, z.Data) {
		return nil
	}
	return b.saveSession(ctx, next)
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
func (b *Bot) panelView() panelView { return panelView{b.panel, b.cache, &b.currencies} }

type panelView struct {
	Panel
	cache      *smm.Cache
	currencies *currencies
}

func (p panelView) Catalogue(ctx context.Context, key string) (*smm.Catalogue, error) {
	return p.cache.Catalogue(ctx, key)
}

// ledger is the store as the order conversation's placing guard.
type ledger struct {
	db     *store.DB
	keyRef string
	placed func()         // counts an order recorded
	began  bool           // BeginPlacing moved the stored session to placing
	wrote  *flows.Session // the session FinishPlacing stored
}

func (l *ledger) BeginPlacing(ctx context.Context, chatID, version int64) error {
	_, err := l.db.BeginPlacing(ctx, chatID, version)
	l.began = err == nil
	switch {
	case errors.Is(err, store.ErrAlreadyPlacing):
		return flows.ErrAlreadyPlacing
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrNotConfirming):
		return flows.ErrStale
	}
	return err
}

// FinishPlacing records the order and the session after it. Placing ends
// with a receipt, a record that is no menu, so the session is stored with
// no menu: showing the receipt then changes nothing to write.
func (l *ledger) FinishPlacing(ctx context.Context, p *flows.Placed, next flows.Session) error {
	next.MenuID = 0
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
	l.wrote = &next
	if o != nil && l.placed != nil {
		l.placed()
	}
	return nil
}

func snapshot(s smm.Service) store.ServiceSnapshot {
	return store.ServiceSnapshot{ID: s.ID, Name: s.Name, Type: s.Type, Category: s.Category, Rate: s.Rate,
		Refill: s.Refill, Cancel: s.Cancel, Dripfeed: s.Dripfeed}
}
