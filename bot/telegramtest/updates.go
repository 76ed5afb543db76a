package telegramtest

import (
	"context"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

// Update kinds a bot gets when it names none in allowed_updates.
var defaultAllowed = []string{
	"message", "edited_message", "channel_post", "edited_channel_post",
	"business_connection", "business_message", "edited_business_message",
	"deleted_business_messages", "inline_query", "chosen_inline_result",
	"callback_query", "shipping_query", "pre_checkout_query",
	"purchased_paid_media", "poll", "poll_answer", "my_chat_member",
	"chat_join_request", "chat_boost", "removed_chat_boost",
}

// enqueueLocked gives u the next update_id and queues it. Caller holds s.mu.
func (s *Server) enqueueLocked(u models.Update) int64 {
	s.lastUpdateID++
	u.ID = s.lastUpdateID
	s.updates = append(s.updates, u)
	s.notifyLocked()
	return u.ID
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
	for n < len(s.updates) && s.updates[n].ID < offset {
		n++
	}
	s.updates = slices.Delete(s.updates, 0, n)
}

// pendingLocked is up to limit queued updates of the allowed kinds.
// Caller holds s.mu.
func (s *Server) pendingLocked(limit int) []models.Update {
	allowed := s.allowed
	if len(allowed) == 0 {
		allowed = defaultAllowed
	}
	out := []models.Update{}
	for _, u := range s.updates {
		if len(out) == limit {
			break
		}
		if slices.Contains(allowed, updateKind(u)) {
			out = append(out, u)
		}
	}
	return out
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
	s.notifyLocked()
	return s.waitUpdatesLocked(ctx, s.pollGen, q)
}

// waitUpdatesLocked waits for updates, the timeout, the request's end, a
// conflict or Close (then 500, so that a client still polling backs off). Caller holds s.mu; it is released while waiting.
func (s *Server) waitUpdatesLocked(ctx context.Context, gen uint64, q poll) ([]models.Update, *apiError) {
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
