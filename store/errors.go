package store

import "errors"

var (
	// ErrNotFound means the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrLocked means another process (or another Open in this one) holds
	// the database file.
	ErrLocked = errors.New("database is locked")
	// ErrSchemaTooNew means the file was written by a newer version of the
	// store than this build understands.
	ErrSchemaTooNew = errors.New("database schema is newer than this build")
	// ErrStale means a menu carried an older session version than the
	// current one: the tap belongs to a conversation that is over.
	ErrStale = errors.New("stale session version")
	// ErrAlreadyPlacing means the session is already placing its order.
	ErrAlreadyPlacing = errors.New("order is already being placed")
	// ErrNotConfirming means the session is not at the confirm step.
	ErrNotConfirming = errors.New("session is not awaiting confirmation")
	// ErrInvalid means an argument or option was rejected before anything
	// was written.
	ErrInvalid = errors.New("invalid argument")
	// ErrWrongKey means the encryption key given (or found in the key file)
	// is not the one the database was created with.
	ErrWrongKey = errors.New("wrong encryption key")
	// ErrTooManyFavourites means a chat has MaxFavourites already.
	ErrTooManyFavourites = errors.New("too many favourites")
)
