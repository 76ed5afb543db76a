package telegramtest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
)

// notByDefault are the update kinds a bot gets only when it names them in
// allowed_updates; an empty list means every other kind.
var notByDefault = []string{"chat_member", "message_reaction", "message_reaction_count"}

// historySize bounds the updates kept for Redeliver.
const historySize = 1000

// entry is one queued update: u, or raw JSON (which models.Update may not
// decode) with its update_id already in it.
type entry struct {
	id   int64
	kind string
	u    models.Update
	raw  json.RawMessage
}

// MarshalJSON is the update as Telegram sends it.
func (e entry) MarshalJSON() ([]byte, error) {
	if e.raw != nil {
		return e.raw, nil
	}
	return json.Marshal(e.u)
}

// allowedLocked reports whether the bot asked for updates of kind. Caller
// holds s.mu.
func (s *Server) allowedLocked(kind string) bool {
	if len(s.allowed) == 0 {
		return !slices.Contains(notByDefault, kind)
	}
	return slices.Contains(s.allowed, kind)
}

// enqueueLocked gives u the next update_id and queues it, unless the bot's
// allowed_updates leave its kind out: then, as in Telegram, the update is
// never made and the result is 0. Caller holds s.mu.
func (s *Server) enqueueLocked(u models.Update) int64 {
	kind := updateKind(u)
	if !s.allowedLocked(kind) {
		return 0
	}
	s.lastUpdateID++
	u.ID = s.lastUpdateID
	return s.pushLocked(entry{id: u.ID, kind: kind, u: u})
}

// enqueueRawLocked queues fields (the update's own, without update_id)
// as raw JSON under the next update_id, unless kind is not allowed.
// Caller holds s.mu.
func (s *Server) enqueueRawLocked(kind string, fields map[string]json.RawMessage) (int64, error) {
	if !s.allowedLocked(kind) {
		return 0, nil
	}
	delete(fields, "update_id")
	body, err := json.Marshal(fields)
	if err != nil {
		return 0, fmt.Errorf("encode update: %w", err)
	}
	s.lastUpdateID++
	raw := []byte(`{"update_id":` + strconv.FormatInt(s.lastUpdateID, 10)) // first, as Telegram puts it
	if len(body) > 2 {
		raw = append(raw, ',')
	}
	raw = append(raw, body[1:]...)
	return s.pushLocked(entry{id: s.lastUpdateID, kind: kind, raw: raw}), nil
}

// pushLocked queues e and keeps it for Redeliver. Caller holds s.mu.
func (s *Server) pushLocked(e entry) int64 {
	s.updates = append(s.updates, e)
	s.history = append(s.history, e)
	if len(s.history) > historySize {
		s.history = slices.Delete(s.history, 0, len(s.history)-historySize)
	}
	s.notifyLocked()
	return e.id
}

// confirmLocked forgets the updates before offset; a negative offset keeps
// only the last -offset. Caller holds s.mu.
func (s *Server) confirmLocked(offset int64) {
	if offset < 0 {
		if keep := int(-offset); keep < len(s.updates) {
			s.updates = slices.Delete(s.updates, 0, len(s.updates)-keep)
		}
		return
	}
	n := 0
	for n < len(s.updates) && s.updates[n].id < offset {
		n++
	}
	s.updates = slices.Delete(s.updates, 0, n)
}

// pendingLocked is up to limit queued updates. Caller holds s.mu.
func (s *Server) pendingLocked(limit int) []entry {
	return append([]entry{}, s.updates[:min(limit, len(s.updates))]...)
}

// Redeliver queues an update that was already confirmed again, with its
// update_id, as Telegram does when it did not see the webhook's answer in
// time. It returns ErrNoUpdate when the update is not among the last
// 1000 made.
func (s *Server) Redeliver(updateID int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.history, func(e entry) bool { return e.id == int64(updateID) })
	if i < 0 {
		return fmt.Errorf("redeliver update %d: %w", updateID, ErrNoUpdate)
	}
	at, _ := slices.BinarySearchFunc(s.updates, int64(updateID), func(e entry, id int64) int { return cmp.Compare(e.id, id) })
	s.updates = slices.Insert(s.updates, at, s.history[i])
	s.notifyLocked()
	return nil
}

// Pending is how many updates are queued and not yet confirmed (by a
// getUpdates offset, or a webhook's 2xx).
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// poll is a getUpdates request's fields.
type poll struct {
	limit      int
	wait       time.Duration
	allowed    []string
	setAllowed bool
}

func readPoll(p params) (poll, *apiError) {
	q := poll{limit: p.int("limit"), wait: time.Duration(max(p.int("timeout"), 0)) * time.Second}
	if q.limit <= 0 || q.limit > 100 {
		q.limit = 100
	}
	if p.has("allowed_updates") {
		if err := p.decode("allowed_updates", &q.allowed); err != nil {
			return q, badRequest("can't parse allowed updates")
		}
		q.setAllowed = true
	}
	return q, nil
}

// getUpdates is long polling: it confirms the updates before offset and
// answers as soon as there are updates, or after timeout seconds. A newer
// getUpdates call ends a waiting one with 409, as Telegram does.
func (s *Server) getUpdates(ctx context.Context, p params) (any, *apiError) {
	q, apiErr := readPoll(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, errClosed
	case s.hook != nil:
		return nil, errWebhookSet
	}
	if off, ok := p.int64("offset"); ok {
		s.confirmLocked(off)
	}
	if q.setAllowed {
		s.allowed = q.allowed
	}
	s.pollGen++
	s.polling++
	defer func() { s.polling--; s.notifyLocked() }() // runs with s.mu held again
	s.notifyLocked()
	return s.waitUpdatesLocked(ctx, s.pollGen, q)
}

// Polling is the number of getUpdates requests in flight: a client that
// went away is still counted until the server notices.
func (s *Server) Polling() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling
}

// waitUpdatesLocked waits for updates, the timeout, the request's end, a
// conflict or Close (then 500, so that a client still polling backs off). Caller holds s.mu; it is released while waiting.
func (s *Server) waitUpdatesLocked(ctx context.Context, gen uint64, q poll) ([]entry, *apiError) {
	timer := time.NewTimer(q.wait)
	defer timer.Stop()
	wait := q.wait > 0
	for {
		switch batch := s.pendingLocked(q.limit); {
		case s.hook != nil:
			return nil, errWebhookSet
		case gen != s.pollGen:
			return nil, errPollConflict
		case s.closed:
			return nil, errClosed
		case len(batch) > 0 || !wait:
			return batch, nil
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			wait = false
		case <-ctx.Done():
			wait = false
		}
		s.mu.Lock()
	}
}

// updateKind is the allowed_updates name of u's kind.
func updateKind(u models.Update) string {
	kinds := []struct {
		set  bool
		name string
	}{
		{u.Message != nil, "message"}, {u.EditedMessage != nil, "edited_message"},
		{u.ChannelPost != nil, "channel_post"}, {u.EditedChannelPost != nil, "edited_channel_post"},
		{u.BusinessConnection != nil, "business_connection"}, {u.BusinessMessage != nil, "business_message"},
		{u.EditedBusinessMessage != nil, "edited_business_message"},
		{u.DeletedBusinessMessages != nil, "deleted_business_messages"},
		{u.MessageReaction != nil, "message_reaction"}, {u.MessageReactionCount != nil, "message_reaction_count"},
		{u.InlineQuery != nil, "inline_query"}, {u.ChosenInlineResult != nil, "chosen_inline_result"},
		{u.CallbackQuery != nil, "callback_query"}, {u.ShippingQuery != nil, "shipping_query"},
		{u.PreCheckoutQuery != nil, "pre_checkout_query"}, {u.PurchasedPaidMedia != nil, "purchased_paid_media"},
		{u.Poll != nil, "poll"}, {u.PollAnswer != nil, "poll_answer"},
		{u.MyChatMember != nil, "my_chat_member"}, {u.ChatMember != nil, "chat_member"},
		{u.ChatJoinRequest != nil, "chat_join_request"}, {u.ChatBoost != nil, "chat_boost"},
		{u.RemovedChatBoost != nil, "removed_chat_boost"},
	}
	for _, k := range kinds {
		if k.set {
			return k.name
		}
	}
	return "message" // an empty update: let it through
}
