package track

import "errors"

var (
	// ErrBadNote is an outbox payload that is not a Note.
	ErrBadNote = errors.New("not a notification")
	// ErrConfig is a Config that New refuses: no Store, no Panel, a
	// negative limit.
	ErrConfig = errors.New("invalid poller config")
)
