package flows

import (
	"context"
	"errors"

	"github.com/smmbot/smmbot/smm"
)

// Explain turns an error into words for the user: the one place that does.
// The panel's own words are kept where it gave some.
func Explain(err error) Msg {
	var api *smm.APIError
	words := ""
	if errors.As(err, &api) {
		words = api.Message
	}
	switch {
	case err == nil:
		return Msg{}
	case errors.Is(err, smm.ErrInvalidKey):
		return M("err.invalid_key")
	case errors.Is(err, smm.ErrInsufficientFunds):
		return M("err.funds")
	case errors.Is(err, smm.ErrUnknownService):
		return M("err.unknown_service")
	case errors.Is(err, smm.ErrQuantity):
		return M("err.panel_quantity", "Words", words)
	case errors.Is(err, smm.ErrBadLink):
		return M("err.bad_link")
	case errors.Is(err, smm.ErrDuplicateLink):
		return M("err.duplicate_link")
	case errors.Is(err, smm.ErrUnknownOrder):
		return M("err.unknown_order")
	case errors.Is(err, smm.ErrRateLimited):
		return M("err.rate_limited")
	case errors.Is(err, smm.ErrNotSupported):
		return M("err.not_supported")
	case api != nil:
		return M("err.panel", "Words", words)
	case errors.Is(err, context.DeadlineExceeded):
		return M("err.timeout")
	default:
		var re *smm.ResponseError
		if errors.As(err, &re) {
			return M("err.panel_down", "Status", re.StatusCode)
		}
		return M("err.unreachable")
	}
}

// trouble is the screen for a panel call that failed while browsing.
func trouble(err error, retry string) Screen {
	return Screen{
		Lines:   []Msg{Explain(err)},
		Buttons: [][]Button{{btn("btn.retry", retry), btn("btn.cancel", "x")}},
	}
}
