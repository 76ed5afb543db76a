package bot

import (
	"context"
	"errors"
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

// notifier drains the outbox through the sender: a chat's entries one at
// a time and in order, chats in parallel. An entry is deleted only after
// Telegram accepted its message, so a crash may repeat one, never lose one.
type notifier struct {
	b    *Bot
	wake chan struct{}
}

func newNotifier(b *Bot) *notifier { return &notifier{b: b, wake: make(chan struct{}, 1)} }

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
			n.b.log.Warn("outbox round", "err", err)
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
	entries, err := n.b.db.DueEntries(ctx, time.Now(), outboxRound)
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
	log := n.b.log.With("entry", e.ID, "chat", e.ChatID)
	nt, err := track.Decode(e.Payload)
	if err != nil {
		log.Error("drop unreadable outbox entry", "err", err)
		n.settle(ctx, e)
		return true, time.Time{}
	}
	chat, err := n.b.db.Chat(ctx, e.ChatID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		log.Warn("load chat for notification", "err", err)
		return false, n.retry(ctx, e)
	}
	if errors.Is(err, store.ErrNotFound) || chat.Blocked || (chat.FinishedOnly && nt.Kind == track.KindStatus && !nt.Final) {
		n.settle(ctx, e)
		return true, time.Time{}
	}
	text, kb := n.render(chat.Lang, nt)
	err = n.b.send.Do(ctx, e.ChatID, Notification, func(ctx context.Context) error {
		_, err := n.b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: e.ChatID, Text: text, ParseMode: models.ParseModeHTML,
			ReplyMarkup: kb, LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}})
		return err
	})
	switch {
	case err == nil:
		n.settle(ctx, e)
		n.b.redrawCard(ctx, chat, nt.KeyRef, nt.Order)
		return true, time.Time{}
	case errors.Is(err, ErrBlocked):
		return false, time.Time{} // the sender marked the chat blocked and dropped its queue
	case maybeDelivered(err):
		log.Warn("notification may have reached Telegram: not sent again", "err", maskToken(err, n.b.cfg.Token))
		n.settle(ctx, e)
		return true, time.Time{}
	case e.Attempts < maxNoteAttempts:
		if !isTransient(err) {
			log.Warn("notification refused", "err", maskToken(err, n.b.cfg.Token))
		}
		return false, n.retry(ctx, e)
	}
	log.Error("notification dropped after retries", "err", maskToken(err, n.b.cfg.Token))
	n.settle(ctx, e)
	return true, time.Time{}
}

// render is a notification's text and the order's button; status words
// are in the chat's language.
func (n *notifier) render(lang string, nt track.Note) (string, *models.InlineKeyboardMarkup) {
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
	kb := inline(row(n.b.button(lang, flows.M("btn.open_order", "ID", nt.Order), orderData(flows.VerbCardNew, o))))
	return n.b.screenText(lang, []flows.Msg{m}), kb
}

func (n *notifier) settle(ctx context.Context, e store.OutboxEntry) {
	if err := n.b.db.DeleteEntry(ctx, e.ID); err != nil {
		n.b.log.Error("delete outbox entry", "entry", e.ID, "err", err)
	}
}

// retry postpones an entry with a growing delay, past any 429 pause, and
// says when it falls due.
func (n *notifier) retry(ctx context.Context, e store.OutboxEntry) time.Time {
	due := time.Now().Add(max(backoff(e.Attempts+1), n.b.send.PausedFor(e.ChatID)))
	if err := n.b.db.Postpone(ctx, e.ID, due); err != nil {
		n.b.log.Error("postpone outbox entry", "entry", e.ID, "err", err)
	}
	return due
}
