package bot

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
)

// ErrBlocked is returned for a chat whose user blocked the bot.
var ErrBlocked = errors.New("the user blocked the bot")

// errGone means a message can no longer be edited.
var errGone = errors.New("message can no longer be edited")

func isNotModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified")
}

func isForbidden(err error) bool { return errors.Is(err, tg.ErrorForbidden) }

func isTooMany(err error) bool {
	var tooMany *tg.TooManyRequestsError
	return errors.As(err, &tooMany)
}

// isMigrated reports a group that became a supergroup: the old id is dead.
func isMigrated(err error) bool {
	var m *tg.MigrateError
	return errors.As(err, &m)
}

// isPermanent reports an error that no retry and no apology can get past:
// the chat is gone, blocked, migrated or not ours to write to.
func isPermanent(err error) bool {
	if isMigrated(err) || isForbidden(err) || errors.Is(err, ErrBlocked) {
		return true
	}
	return errors.Is(err, tg.ErrorBadRequest) && (strings.Contains(err.Error(), "chat not found") ||
		strings.Contains(err.Error(), "bot can't initiate conversation") || strings.Contains(err.Error(), "user not found"))
}

// isTransient reports whether a call may succeed if tried again: network
// trouble and Telegram's 5xx, not a 4xx refusal.
func isTransient(err error) bool {
	if isTooMany(err) {
		return true
	}
	if isMigrated(err) {
		return false
	}
	for _, perm := range []error{tg.ErrorBadRequest, tg.ErrorUnauthorized, tg.ErrorNotFound, tg.ErrorConflict, tg.ErrorForbidden, context.Canceled} {
		if errors.Is(err, perm) {
			return false
		}
	}
	if m := otherCode.FindStringSubmatch(err.Error()); m != nil {
		code, _ := strconv.Atoi(m[1])
		return code >= 500
	}
	return true
}

// mayHaveArrived reports whether a failed request may have reached
// Telegram (and been acted on): anything but a connection never made.
func mayHaveArrived(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	return true
}

// maybeDelivered reports a failed send that Telegram may have taken all
// the same (a timeout, a reset, a 5xx): not to be sent again blindly.
func maybeDelivered(err error) bool {
	return isTransient(err) && !isTooMany(err) && mayHaveArrived(err)
}

// otherCode finds the code go-telegram/bot puts in the error of an answer
// it has no sentinel for.
var otherCode = regexp.MustCompile(`error response from telegram for method \S+, (\d{3}) `)

func backoff(attempt int) time.Duration {
	d := time.Duration(1<<min(attempt, 6)) * 100 * time.Millisecond
	return d + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
