package bot

import (
	"context"
	"errors"
	"time"
	"unicode/utf16"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// Placing a mass order runs in the chat's own turn, as an order's
// placing does: the chat's later updates (a second Confirm) wait for it
// and then find it done. It is not bound by the turn's time limit (500
// lines take minutes on a real panel), only by the bot's stop: then no
// further line is sent, and the lines left are recorded as not sent.

// progressEvery is how often the progress message is edited at most.
const progressEvery = time.Second

// maxMessageText is where a long screen is split into messages, in
// UTF-16 code units of its HTML (Telegram's limit is 4096 of the text).
const maxMessageText = 4000

// placeMass places a confirmed mass order, editing message msgID with
// its progress and then with every line's outcome.
func (b *Bot) placeMass(ctx context.Context, t *turn, ms *flows.MassSession, key, ref string, msgID int) error {
	pctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	defer context.AfterFunc(b.disp.ctx, stop)() // the bot stops: no further line is sent
	l := &massLedger{db: b.db, keyRef: ref, placed: b.metrics.ordersPlaced.Inc}
	last := time.Now()
	progress := func(sc flows.MassScreen) {
		if time.Since(last) < progressEvery {
			return
		}
		last = time.Now()
		if _, err := b.massPresent(pctx, t, ms.Version, sc, msgID); err != nil {
			b.log.Warn("mass order progress", "chat", t.chat.ID, "err", err)
		}
	}
	sc, err := b.massFlow(ref).Place(pctx, key, ms, l, progress)
	switch {
	case sc.Keep || len(sc.Buttons) > 0: // refused before anything was sent: the menu stays
		return errors.Join(err, b.massShow(pctx, t, *ms, sc, msgID, nil))
	case len(sc.Lines) == 0:
		return err
	}
	show, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second) // the result is shown, stopping or not
	defer cancel()
	_, serr := b.massPresent(show, t, ms.Version, sc, msgID)
	return errors.Join(err, serr)
}

// massInterrupted ends a mass order a stop left placing and shows what
// became of each line: placed, refused, unknown (sent, no answer
// recorded) or not sent. Nothing is sent again.
func (b *Bot) massInterrupted(ctx context.Context, t *turn, ms *flows.MassSession, ref string) error {
	l := &massLedger{db: b.db, keyRef: ref}
	sc, err := b.massFlow(ref).End(ctx, ms, l)
	sc.Lines = append([]flows.Msg{flows.M("mass.interrupted")}, sc.Lines...)
	_, serr := b.massPresent(ctx, t, ms.Version, sc, 0)
	return errors.Join(err, serr)
}

// packLines joins lines into as few texts as hold them, each at most
// limit UTF-16 code units (a line longer than that is a text alone).
func packLines(lines []string, limit int) []string {
	var out []string
	cur, n := "", 0
	for _, l := range lines {
		size := len(utf16.Encode([]rune(l)))
		switch {
		case cur == "" && n == 0:
			cur, n = l, size
		case n+1+size > limit:
			out = append(out, cur)
			cur, n = l, size
		default:
			cur, n = cur+"\n"+l, n+1+size
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}

// massLedger is the store as a mass order's record.
type massLedger struct {
	db     *store.DB
	keyRef string
	placed func() // counts an order recorded
}

// maxWords bounds the panel's words kept with a refused line.
const maxWords = 200

func (l *massLedger) BeginMass(ctx context.Context, chatID, version int64, orders []flows.MassOrder) error {
	lines := make([]store.MassLine, len(orders))
	for i, o := range orders {
		lines[i] = store.MassLine{N: o.N, Link: o.Draft.Link}
	}
	err := l.db.BeginMass(ctx, chatID, version, lines)
	switch {
	case errors.Is(err, store.ErrAlreadyPlacing):
		return flows.ErrAlreadyPlacing
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrNotConfirming):
		return flows.ErrStale
	}
	return err
}

func (l *massLedger) MassSending(ctx context.Context, chatID int64, i int) error {
	return l.db.MassSending(ctx, chatID, i)
}

func (l *massLedger) MassPlaced(ctx context.Context, chatID int64, i int, p flows.Placed) error {
	o := store.Order{ChatID: p.ChatID, KeyRef: l.keyRef, PanelID: p.OrderID, Service: snapshot(p.Service),
		Link: p.Link, Quantity: p.Quantity, Comments: p.Comments, Extra: p.Extra, Runs: p.Runs, Interval: p.Interval,
		Price: p.Price, Created: p.Created, Status: "Pending"}
	if err := l.db.MassPlaced(ctx, chatID, i, o); err != nil {
		return err
	}
	if l.placed != nil {
		l.placed()
	}
	return nil
}

func (l *massLedger) MassFailed(ctx context.Context, chatID int64, i int, unknown bool, why flows.Msg) error {
	if unknown {
		return l.db.MassFailed(ctx, chatID, i, store.LineUnknown, "", "")
	}
	words, _ := why.Args["Words"].(string)
	return l.db.MassFailed(ctx, chatID, i, store.LineRefused, why.ID, flows.Shorten(words, maxWords))
}

func (l *massLedger) EndMass(ctx context.Context, chatID int64) ([]flows.MassOutcome, error) {
	mb, err := l.db.EndMass(ctx, chatID)
	if err != nil {
		return nil, err
	}
	out := make([]flows.MassOutcome, len(mb.Lines))
	for i, ln := range mb.Lines {
		out[i] = flows.MassOutcome{N: ln.N, Link: ln.Link, Status: ln.Status, OrderID: ln.PanelID}
		if ln.Reason != "" {
			out[i].Reason = flows.M(ln.Reason, "Words", ln.Words)
		}
	}
	return out, nil
}
