package telegramtest

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/go-telegram/bot/models"
)

// Sentinels returned by the methods that act as a user.
var (
	// ErrNoButton is returned by Press and PressOn when no live bot message
	// of the chat has an inline button whose text contains the label.
	ErrNoButton = errors.New("no inline button with that label")
	// ErrNotCallbackButton is returned by Press and PressOn when the button
	// found carries no callback data (a URL button, say).
	ErrNotCallbackButton = errors.New("button has no callback data")
	// ErrNoMessage is returned by PressOn when the chat has no such message,
	// or it was deleted.
	ErrNoMessage = errors.New("no such message")
	// ErrNoChat is returned by the chat helpers for a chat id the server
	// does not know.
	ErrNoChat = errors.New("no such chat")
	// ErrNotGroup is returned by helpers that need a group, supergroup
	// or channel (a forum, for topics; a basic group, for Migrate).
	ErrNotGroup = errors.New("not a chat of that type")
	// ErrNotMember is returned when the acting user is not in the chat,
	// or a private chat is not theirs.
	ErrNotMember = errors.New("user is not a member of the chat")
	// ErrNoTopic is returned by SendInTopic for a thread id that is no
	// topic of the forum.
	ErrNoTopic = errors.New("no such forum topic")
	// ErrUpgraded is returned by helpers acting on a group that became a
	// supergroup.
	ErrUpgraded = errors.New("group was upgraded to a supergroup")
	// ErrBadUpdate is returned by SendRaw for text that is not a JSON
	// object with one update field.
	ErrBadUpdate = errors.New("not an update object")
	// ErrNoUpdate is returned by Redeliver for an update it does not keep.
	ErrNoUpdate = errors.New("no such update")
)

// Descriptions after "Bad Request: ", as Telegram words them.
const (
	descChatIDEmpty    = "chat_id is empty"
	descChatNotFound   = "chat not found"
	descTextEmpty      = "message text is empty"
	descTooLong        = "message is too long"
	descNotUTF8        = "text must be encoded in UTF-8"
	descEditNotFound   = "message to edit not found"
	descDeleteNotFound = "message to delete not found"
	descReplyNotFound  = "message to be replied not found"
	descNoMessageID    = "message identifier is not specified"
	descCantEdit       = "message can't be edited"
	descNoText         = "there is no text in the message to edit"
	descCantDelete     = "message can't be deleted for everyone"
	descNotModified    = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
	descQueryInvalid   = "query is too old and response timeout expired or query ID is invalid"
	descAnswerTooLong  = "MESSAGE_TOO_LONG"
	descParseMode      = "unsupported parse_mode"
	descEntities       = "can't parse entities: "
	descEntitiesJSON   = "can't parse entities JSON object"
	descMarkupJSON     = "can't parse reply keyboard markup JSON object"
	descInlineExpected = "inline keyboard expected"
	descKeyboardArrays = `Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`
	descButtonParse    = "can't parse inline keyboard button: "
	descTextButton     = descButtonParse + "Text buttons are unallowed in the inline keyboard"
	descButtonText     = descButtonParse + `Field "text" must be of type String`
	descButtonEmpty    = "text must be non-empty"
	descButtonData     = "BUTTON_DATA_INVALID"
	descButtonURL      = "BUTTON_URL_INVALID"
	descMarkupTooLong  = "REPLY_MARKUP_TOO_LONG"
	descChatAction     = "wrong parameter action in request"
	descInlineMessage  = "MESSAGE_ID_INVALID"
	descBadRequestBody = "can't parse request body"
	descCantDeleteThat = "message can't be deleted"
	descUpgraded       = "group chat was upgraded to a supergroup chat"
	descNoThread       = "message thread not found"
	descFileID         = "invalid file_id"
	descFileTooBig     = "file is too big"
	descUserNotFound   = "user not found"
)

// apiError is one error answer of the Bot API.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int   // with Code 429
	MigrateTo   int64 // the supergroup a group became
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s", e.Code, e.Description)
}

// badRequest is a 400 with Telegram's "Bad Request: " prefix.
func badRequest(desc string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + desc}
}

// tooManyRequests is a 429 asking the client to wait retryAfter seconds.
func tooManyRequests(retryAfter int) *apiError {
	return &apiError{
		Code:        http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		RetryAfter:  retryAfter,
	}
}

var (
	errUnauthorized = &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"}
	errNotFound     = &apiError{Code: http.StatusNotFound, Description: "Not Found"}
	errBlocked      = &apiError{Code: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
	errWebhookSet   = &apiError{Code: http.StatusConflict, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	errClosed       = &apiError{Code: http.StatusInternalServerError, Description: "Internal Server Error: the fake server is closed"}
	errCantInitiate = &apiError{Code: http.StatusForbidden, Description: "Forbidden: bot can't initiate conversation with a user"}
	errPollConflict = &apiError{Code: http.StatusConflict, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
)

// upgraded is the answer for a group that became the supergroup to.
func upgraded(to int64) *apiError {
	e := badRequest(descUpgraded)
	e.MigrateTo = to
	return e
}

// kicked is the answer for a chat the bot was removed from; kind is the
// chat's type ("group", "supergroup", "channel").
func kicked(kind models.ChatType) *apiError {
	return &apiError{Code: http.StatusForbidden, Description: fmt.Sprintf("Forbidden: bot was kicked from the %s chat", kind)}
}

// notMember is the answer for a chat the bot left.
func notMember(kind models.ChatType) *apiError {
	return &apiError{Code: http.StatusForbidden, Description: fmt.Sprintf("Forbidden: bot is not a member of the %s chat", kind)}
}
