package telegramtest

import (
	"math"
	"time"

	"github.com/go-telegram/bot/models"
)

// Flood limits with Options.Limits: token buckets, refilled continuously.
const (
	globalRate  = 30.0 // sendMessage a second, all chats
	globalBurst = 30.0
	chatRate    = 1.0       // sendMessage and edits a second, one chat
	groupRate   = 20.0 / 60 // in a group, supergroup or channel

	defaultChatBurst = 3

	epsilon = 1e-9 // for rates like 20/60 that floats do not hold exactly
)

// bucket is a token bucket; the zero value is full.
type bucket struct {
	used  float64 // tokens spent and not yet refilled
	last  time.Time
	begun bool
}

// refill returns the tokens available at now.
func (b *bucket) refill(now time.Time, rate, burst float64) float64 {
	if b.begun && now.After(b.last) {
		b.used = max(b.used-now.Sub(b.last).Seconds()*rate, 0)
	}
	if !b.begun || now.After(b.last) {
		b.last, b.begun = now, true
	}
	return burst - b.used
}

// retryAfter is the whole seconds until one token is back, at least 1.
func retryAfter(available, rate float64) int {
	return max(int(math.Ceil((1-available)/rate-epsilon)), 1)
}

// floodLocked takes a token from the chat's bucket and, for new messages,
// from the global one, or answers 429 without taking any. Caller holds s.mu.
func (s *Server) floodLocked(c *chat, newMessage bool) *apiError {
	if !s.limits {
		return nil
	}
	now := s.now()
	rate := chatRate
	if c.info.Type != models.ChatTypePrivate {
		rate = groupRate
	}
	if avail := c.flood.refill(now, rate, s.chatBurst); avail < 1-epsilon {
		return tooManyRequests(retryAfter(avail, rate))
	}
	if newMessage {
		if avail := s.flood.refill(now, globalRate, globalBurst); avail < 1-epsilon {
			return tooManyRequests(retryAfter(avail, globalRate))
		}
		s.flood.used++
	}
	c.flood.used++
	return nil
}
