package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/go-telegram/bot/models"
)

// Intake timing.
const (
	// confirmWait is how long the polling loop waits for a batch to be
	// handled (and a webhook request for its update) before it keeps the
	// rest in the inbox and goes on: long enough for a quick handler,
	// short enough not to delay others.
	confirmWait = 20 * time.Millisecond
	// pollTimeout is getUpdates' long-polling timeout.
	pollTimeout = 25 * time.Second
	// flushEvery is how often handled updates are deleted from the inbox.
	flushEvery = time.Second
	// drainGrace is how long a stop waits for the updates in hand.
	drainGrace = 8 * time.Second
	// maxUpdatesBody caps a getUpdates answer (100 updates).
	maxUpdatesBody = 64 << 20
)

// allowedUpdates are the update kinds the bot asks Telegram for.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member"}

// acceptance is what became of an update received.
type acceptance int

const (
	taken      acceptance = iota // in a mailbox
	repeated                     // already in hand or handled lately: skipped
	refused                      // the bot is stopping: not taken
	unreadable                   // cannot be decoded: skipped
)

// decodeUpdate reads one update on its own, so that one the library
// cannot decode (a kind Telegram added later) spoils nothing else; its id
// is still read when it can be.
func decodeUpdate(raw []byte) (int64, *models.Update, error) {
	var u models.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		var head struct {
			ID int64 `json:"update_id"`
		}
		_ = json.Unmarshal(raw, &head) // best effort: the id may be all there is
		return head.ID, nil, err
	}
	return u.ID, &u, nil
}

// accept hands a received update to its chat's mailbox. It returns the
// update's id (0 when not even that can be read), the update in hand when
// taken, and what became of it.
func (b *Bot) accept(raw []byte, kept bool) (int64, *held, acceptance) {
	id, u, err := decodeUpdate(raw)
	if err != nil {
		b.log.Warn("skip undecodable update", "update", id, "err", err)
		b.metrics.undecodable.Inc()
		return id, nil, unreadable
	}
	h, fresh := b.in.take(id, raw, kept)
	if !fresh {
		return id, nil, repeated
	}
	if !b.disp.submit(u, func() { b.in.finish(h) }) {
		b.in.release(h)
		return id, nil, refused
	}
	return id, h, taken
}

// replay hands over the updates kept in the inbox by an earlier run.
func (b *Bot) replay(ctx context.Context) error {
	items, err := b.db.Inbox(ctx)
	if err != nil {
		return err
	}
	for _, it := range items {
		if _, _, a := b.accept(it.Raw, true); a == unreadable {
			b.in.forget(it.UpdateID)
		}
	}
	if len(items) > 0 {
		b.log.Info("replaying kept updates", "count", len(items))
	}
	return nil
}

// poll takes updates by long polling until ctx ends. An update is
// confirmed (the next offset asked for) only once it is handled or kept.
// After a batch, the next call does not wait (timeout 0): it confirms the
// batch at once, so that a stop, which cuts a long poll short, seldom
// leaves a batch handled and unconfirmed; when it does, the stop confirms
// it with a call of its own.
func (b *Bot) poll(ctx context.Context) {
	var offset int64
	fails, wait := 0, pollTimeout
	for ctx.Err() == nil {
		raws, err := b.getUpdates(ctx, offset, wait, 100)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			fails++
			b.log.Warn("get updates", "err", err)
			_ = sleep(ctx, max(retryAfterOf(err), backoff(fails)))
			continue
		}
		fails, wait = 0, pollTimeout
		b.lastUpdate.Store(time.Now().UnixNano())
		if len(raws) == 0 {
			continue
		}
		next, batch := b.acceptBatch(raws, offset)
		if err := b.in.settle(ctx, batch, b.cfg.ConfirmWait); err != nil {
			b.log.Error("keep updates in the inbox", "err", err)
			_ = sleep(ctx, time.Second) // not confirmed: fetched again, and those in hand skipped
			continue
		}
		offset, wait = next, 0
	}
	if wait == 0 { // the last batch is settled, not confirmed
		b.confirm(offset)
	}
}

// confirm tells Telegram, at a stop, that every update before offset is
// taken care of, so that a restart does not get them again.
func (b *Bot) confirm(offset int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := b.getUpdates(ctx, offset, 0, 1); err != nil {
		b.log.Warn("confirm updates at stop", "err", err)
	}
}

// acceptBatch hands a batch's updates over and returns the offset that
// confirms them, with those taken.
func (b *Bot) acceptBatch(raws []json.RawMessage, offset int64) (int64, []*held) {
	batch := make([]*held, 0, len(raws))
	for _, raw := range raws {
		id, h, a := b.accept(raw, false)
		if id >= offset {
			offset = id + 1
		}
		if a == taken {
			batch = append(batch, h)
		}
	}
	return offset, batch
}

// apiReply is the Bot API's answer envelope.
type apiReply struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// apiError is a getUpdates refusal.
type apiError struct {
	Code       int
	Desc       string
	RetryAfter time.Duration
}

func (e *apiError) Error() string { return fmt.Sprintf("telegram: %d %s", e.Code, e.Desc) }

func retryAfterOf(err error) time.Duration {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}

// getUpdates asks for the updates from offset on, each kept as raw JSON.
func (b *Bot) getUpdates(ctx context.Context, offset int64, timeout time.Duration, limit int) ([]json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"offset": offset, "limit": limit,
		"timeout": int(timeout / time.Second), "allowed_updates": allowedUpdates}) // plain values always encode
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.apiURL+"/bot"+b.cfg.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("get updates: %w", maskToken(err, b.cfg.Token))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.pollClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get updates: %w", maskToken(err, b.cfg.Token))
	}
	defer resp.Body.Close()
	var r apiReply
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxUpdatesBody)).Decode(&r); err != nil {
		return nil, fmt.Errorf("get updates: HTTP %d: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, fmt.Errorf("get updates: %w", &apiError{Code: r.ErrorCode, Desc: r.Description,
			RetryAfter: time.Duration(r.Parameters.RetryAfter) * time.Second})
	}
	return r.Result, nil
}
