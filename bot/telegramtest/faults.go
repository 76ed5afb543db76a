package telegramtest

import (
	"net/http"
	"strings"
)

// Fail429 makes the next count sending requests (sendMessage,
// editMessageText, editMessageReplyMarkup, deleteMessage,
// answerCallbackQuery) fail with 429 and retry_after seconds, before they
// are checked or acted on.
func (s *Server) Fail429(count int, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail429, s.retryAfter = max(count, 0), max(retryAfter, 1)
}

// FailNext makes the next request for method (e.g. "sendMessage") fail
// with code and description, verbatim (Telegram prefixes 400s with
// "Bad Request: "). A 429 carries retry_after 1. Calls queue up.
func (s *Server) FailNext(method string, code int, description string) {
	if spec, ok := methods[strings.ToLower(method)]; ok {
		method = spec.name
	}
	e := &apiError{Code: code, Description: description}
	if code == http.StatusTooManyRequests {
		e.RetryAfter = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[method] = append(s.failNext[method], e)
}

// injectedFault is the FailNext or Fail429 error due for a request to
// spec, consumed, or nil.
func (s *Server) injectedFault(spec method) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.failNext[spec.name]; len(q) > 0 {
		s.failNext[spec.name] = q[1:]
		return q[0]
	}
	if spec.sending && s.fail429 > 0 {
		s.fail429--
		return tooManyRequests(s.retryAfter)
	}
	return nil
}
