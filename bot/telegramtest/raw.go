package telegramtest

import (
	"encoding/json"
	"fmt"
	"slices"
)

// SendRaw queues update, a JSON object with an update field (say
// {"message": {...}}, or a kind or a field that models.Update cannot
// decode), under the next update_id (any update_id in it is replaced). It
// is delivered as is, through getUpdates and the webhook, if the bot's
// allowed_updates take its kind (the object's first field by name). It
// returns the update_id, 0 when its kind is not allowed, or ErrBadUpdate.
func (s *Server) SendRaw(update string) (int, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(update), &fields); err != nil || fields == nil {
		return 0, fmt.Errorf("send raw update: %w", ErrBadUpdate)
	}
	delete(fields, "update_id")
	kinds := make([]string, 0, len(fields))
	for k := range fields {
		kinds = append(kinds, k)
	}
	if len(kinds) == 0 {
		return 0, fmt.Errorf("send raw update: no update field: %w", ErrBadUpdate)
	}
	slices.Sort(kinds)
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := s.enqueueRawLocked(kinds[0], fields)
	if err != nil {
		return 0, fmt.Errorf("send raw update: %w", err)
	}
	return int(id), nil
}
