package bot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// Notifier bounds.
const (
	outboxRound     = 500             // entries read per round
	notifyWorkers   = 8               // notifications in flight
	maxNoteAttempts = 8               // then a refused entry is dropped
	idleRecheck     = 2 * time.Second // outbox re-read when nothing wakes the notifier
)

// Outbox is what the notifier needs of the store.
type Outbox interface {
	DueEntries(ctx context.Context, now time.Time, limit int) ([]store.OutboxEntry, error)
	DeleteEntry(ctx context.Context, id uint64) error
	Postpone(ctx context.Context, id uint64, until time.Time) error
	Chat(ctx context.Context, id int64) (store.Chat, error)
}

var _ Outbox = (*store.DB)(nil)

// notifier drains the outbox through the sender: a chat's entries one at
// a time and in order, chats in parallel. An entry is deleted only after
// Telegram accepted its message, so a crash may repeat one, never lose one.
type notifier struct {
	outbox Outbox
	send   *Sender
	post   func(ctx context.Context, chatID int64, text string, kb *models.InlineKeyboardMarkup) error // one sendMessage
	render func(lang string, nt track.Note) (string, *models.InlineKeyboardMarkup)
	sent   func(ctx context.Context, chat store.Chat, nt track.Note) // after Telegram took a note
	mask   func(error) error                                         // keeps the token out of a logged error
	log    *slog.Logger
	wake   chan struct{}
}

// newNotifier wires a notifier to the bot's store, sender, Bot API and
// words.
func newNotifier(b *Bot) *notifier {
	return &notifier{
		outbox: b.db, send: b.send, render: b.renderNote, log: b.log.With("component", "notifier"),
		post: func(ctx context.Context, chatID int64, text string, kb *models.InlineKeyboardMarkup) error {
			_, err := b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: chatID, Text: text, ParseMode: models.ParseModeHTML,
				ReplyMarkup: kb, LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}})
			return err
		},
		sent: func(ctx context.Context, chat store.Chat, nt track.Note) {
			b.redrawCard(ctx, chat, nt.KeyRef, nt.Order)
		},
		mask: func(err error) error { return maskToken(err, b.cfg.Token) },
		wake: make(chan struct{}, 1),
	}
}

// poke wakes the notifier (new entries were queued).
func (n *notifier) poke() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// run delivers until ctx ends.
func (n *notifier) run(ctx context.Context) {
	for ctx.Err() == nil {
		sent, soonest, err := n.round(ctx)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("outbox round", "err", err)
		}
		if sent > 0 {
			continue
		}
		wait := idleRecheck
		if !soonest.IsZero() {
			wait = min(wait, max(time.Until(soonest), time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-n.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// round sends the oldest due entry of every chat that has one. It says
// how many it settled and when the soonest entry it postponed falls due.
func (n *notifier) round(ctx context.Context) (int, time.Time, error) {
	entries, err := n.outbox.DueEntries(ctx, time.Now(), outboxRound)
	if err != nil {
		return 0, time.Time{}, err
	}
	seen := map[int64]bool{}
	var firsts []store.OutboxEntry
	for _, e := range entries {
		if !seen[e.ChatID] {
			seen[e.ChatID] = true
			firsts = append(firsts, e)
		}
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		sent    int
		soonest time.Time
		sem     = make(chan struct{}, notifyWorkers)
	)
	for _, e := range firsts {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			ok, due := n.deliver(ctx, e)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				sent++
			}
			if !due.IsZero() && (soonest.IsZero() || due.Before(soonest)) {
				soonest = due
			}
		})
	}
	wg.Wait()
	return sent, soonest, nil
}

// deliver sends one entry and settles it: deleted when accepted (or not to
// be sent), postponed when Telegram could not take it now. It reports
// whether the entry is settled (sent or dropped), and when a postponed
// entry falls due.
func (n *notifier) deliver(ctx context.Context, e store.OutboxEntry) (bool, time.Time) {
	log := n.log.With("entry", e.ID, "chat", e.ChatID)
	nt, err := track.Decode(e.Payload)
	if err != nil {
		log.Error("drop unreadable outbox entry", "err", err)
		n.settle(ctx, e)
		return true, time.Time{}
	}
	chat, err := n.outbox.Chat(ctx, e.ChatID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		log.Warn("load chat for notification", "err", err)
		return false, n.retry(ctx, e)
	}
	if errors.Is(err, store.ErrNotFound) || chat.Blocked || (chat.FinishedOnly && nt.Kind == track.KindStatus && !nt.Final) {
		n.settle(ctx, e)
		return true, time.Time{}
	}
	text, kb := n.render(chat.Lang, nt)
	err = n.send.Do(ctx, e.ChatID, Notification, func(ctx context.Context) error { return n.post(ctx, e.ChatID, text, kb) })
	switch {
	case err == nil:
		n.settle(ctx, e)
		n.sent(ctx, chat, nt)
		return true, time.Time{}
	case errors.Is(err, ErrBlocked):
		return false, time.Time{} // the sender marked the chat blocked and dropped its queue
	case maybeDelivered(err):
		log.Warn("notification may have reached Telegram: not sent again", "err", n.mask(err))
		n.settle(ctx, e)
		return true, time.Time{}
	case e.Attempts < maxNoteAttempts:
		if !isTransient(err) {
			log.Warn("notification refused", "err", n.mask(err))
		}
		return false, n.retry(ctx, e)
	}
	log.Error("notification dropped after retries", "err", n.mask(err))
	n.settle(ctx, e)
	return true, time.Time{}
}

// renderNote is a notification's text and the order's button; status
// words are in the chat's language.
func (b *Bot) renderNote(lang string, nt track.Note) (string, *models.InlineKeyboardMarkup) {
	var m flows.Msg
	switch nt.Kind {
	case track.KindRefill:
		m = flows.M("notify.refill", "ID", nt.Refill, "Order", nt.Order, "Status", flows.StatusWord(nt.New))
	case track.KindGone:
		m = flows.M("notify.gone", "ID", nt.Order, "Name", nt.Name)
	case track.KindStalled:
		m = flows.M("notify.stalled", "ID", nt.Order, "Name", nt.Name)
		if nt.Refill != 0 {
			m = flows.M("notify.stalled_refill", "ID", nt.Refill, "Order", nt.Order)
		}
	default:
		m = flows.M("notify.status", "ID", nt.Order, "Name", nt.Name, "Old", flows.StatusWord(nt.Old),
			"New", flows.StatusWord(nt.New), "Remains", flows.Count(nt.Remains))
	}
	o := store.Order{PanelID: nt.Order, KeyRef: nt.KeyRef}
	kb := inline(row(b.button(lang, flows.M("btn.open_order", "ID", nt.Order), orderData(flows.VerbCardNew, o))))
	return b.screenText(lang, []flows.Msg{m}), kb
}

func (n *notifier) settle(ctx context.Context, e store.OutboxEntry) {
	if err := n.outbox.DeleteEntry(ctx, e.ID); err != nil {
		n.log.Error("delete outbox entry", "entry", e.ID, "err", err)
	}
}

// retry postpones an entry with a growing delay, past any 429 pause, and
// says when it falls due.
func (n *notifier) retry(ctx context.Context, e store.OutboxEntry) time.Time {
	due := time.Now().Add(max(backoff(e.Attempts+1), n.send.PausedFor(e.ChatID)))
	if err := n.outbox.Postpone(ctx, e.ID, due); err != nil {
		n.log.Error("postpone outbox entry", "entry", e.ID, "err", err)
	}
	return due
}
