package smm_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smmbot/smmbot/smm"
)

var sentinels = []error{
	smm.ErrInvalidKey, smm.ErrInsufficientFunds, smm.ErrUnknownService, smm.ErrUnknownOrder,
	smm.ErrQuantity, smm.ErrBadLink, smm.ErrDuplicateLink, smm.ErrRefillNotFound,
	smm.ErrIncorrectRequest, smm.ErrNotAllowed, smm.ErrNotSupported, smm.ErrRateLimited,
}

func TestAPIErrorIs(t *testing.T) {
	tests := []struct {
		msg  string
		want error // nil: no sentinel
	}{
		{"Incorrect request", smm.ErrIncorrectRequest},
		{"Invalid API key", smm.ErrInvalidKey},
		{"INVALID api KEY", smm.ErrInvalidKey},
		{"Incorrect service ID", smm.ErrUnknownService},
		{"Incorrect order ID", smm.ErrUnknownOrder},
		{"Not enough funds on balance", smm.ErrInsufficientFunds},
		{"Quantity less than minimal 50", smm.ErrQuantity},
		{"Quantity more than maximum 10000", smm.ErrQuantity},
		{"Refill not found", smm.ErrRefillNotFound},
		{"Incorrect link", smm.ErrBadLink},
		{"neworder.error.not_enough_funds", smm.ErrInsufficientFunds},
		{"NEWORDER.ERROR.NOT_ENOUGH_FUNDS", smm.ErrInsufficientFunds},
		{"neworder.error.link_duplicate", smm.ErrDuplicateLink},
		{"error.incorrect_service_id", smm.ErrUnknownService},
		{"neworder.error.link", smm.ErrBadLink},
		{"neworder.error.min_quantity", smm.ErrQuantity},
		{"neworder.error.max_quantity", smm.ErrQuantity},
		{"You have active order with this link. Please wait until order being completed.", smm.ErrDuplicateLink},
		{"Refill is disabled for this service", smm.ErrNotAllowed},
		{"Order is not eligible for refill", smm.ErrNotAllowed},
		{"The panel is on fire", nil},
		{"You did not meet the minimum number", smm.ErrQuantity},
		{"Minimum order is 100", smm.ErrQuantity},
		{"Service is inactive or not found", smm.ErrUnknownService},
		{"This service is disabled", smm.ErrUnknownService},
		{"neworder.error.service_inactive", smm.ErrUnknownService},
		{"Authorization failed", smm.ErrInvalidKey},
		{"Unauthorized", smm.ErrInvalidKey},
		{"Refill Request Not found", smm.ErrRefillNotFound},
		{"REFILL NOT FOUND", smm.ErrRefillNotFound},
		{"refill.error.not_found", smm.ErrRefillNotFound},
		{"Order not found", smm.ErrUnknownOrder},
		{"Order does not exist", smm.ErrUnknownOrder},
		{"Insufficient balance", smm.ErrInsufficientFunds},
		{"Your balance is too low", smm.ErrInsufficientFunds},
		{"Invalid link format", smm.ErrBadLink},
		{"Unknown action", smm.ErrNotSupported},
		{"Action is not supported", smm.ErrNotSupported},
		{"Cancel is not available for this order", smm.ErrNotAllowed},
		{"Too many requests", smm.ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			err := error(&smm.APIError{Action: "add", Message: tt.msg, StatusCode: http.StatusOK})
			for _, s := range sentinels {
				if got := errors.Is(err, s); got != (s == tt.want) {
					t.Errorf("errors.Is(%q, %v) = %t, want %t", tt.msg, s, got, s == tt.want)
				}
			}
			if errors.Is(err, smm.ErrUnknownOutcome) {
				t.Errorf("%q at 200 matches ErrUnknownOutcome", tt.msg)
			}
			if want := "panel: " + tt.msg; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestRateLimitedMatchesA429OrItsWords(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"api error 429", &smm.APIError{Message: "Too many requests", StatusCode: 429}, true},
		{"api error 200 saying so", &smm.APIError{Message: "Too many requests", StatusCode: 200}, true},
		{"api error 200", &smm.APIError{Message: "Incorrect order ID", StatusCode: 200}, false},
		{"rate limit error", &smm.RateLimitError{Action: "status", Wait: time.Second}, true},
		{"response error 429", &smm.ResponseError{StatusCode: 429, Reason: "rate limited"}, true},
		{"response error 503", &smm.ResponseError{StatusCode: 503, Reason: "HTML page"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, smm.ErrRateLimited); got != tt.want {
				t.Errorf("errors.Is(%v, ErrRateLimited) = %t, want %t", tt.err, got, tt.want)
			}
		})
	}
}

func TestResponseErrorSaysStatusAndExcerpt(t *testing.T) {
	err := &smm.ResponseError{Action: "services", StatusCode: 503, Reason: "HTML page", Excerpt: "503: Service unavailable"}
	got := err.Error()
	for _, want := range []string{"HTTP 503", "HTML page", `"503: Service unavailable"`} {
		if !strings.Contains(got, want) {
			t.Errorf("Error() = %q: want it to say %q", got, want)
		}
	}
}
