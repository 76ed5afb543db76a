// Package telegramtest is a fake Telegram Bot API server, strict like
// Telegram: it parses HTML as Telegram does (and refuses a bare "&" that
// Telegram would keep, to catch unescaped text), enforces the limits on text,
// callback data and keyboards, answers "message is not modified", "chat not
// found", 403 for a user who blocked the bot and 429 for floods, with
// Telegram's wording. Tests act as users (SendText, Press) and read the
// chats back (Messages, CallbackAnswers); fault hooks inject errors.
//
// Beyond private chats it keeps groups, supergroups (forums with topics)
// and channels with the bot's membership (NewGroup, AddBot, RemoveBot,
// Migrate): the bot writes only where it is, and gets Telegram's 400 or
// 403 elsewhere; my_chat_member and edited_message updates follow
// allowed_updates as Telegram applies it (to updates made after the call).
// Users send documents the bot fetches with getFile and /file/bot<token>/;
// SendRaw injects updates a client may not decode; the webhook retries a
// bounded number of times and records every attempt. Every refused call
// is in Rejected.
//
// It is an ordinary package, not a test helper, so the bot's -demo mode
// runs it in process: a Server is an http.Handler serving
// <url>/bot<token>/<method>. Markdown and MarkdownV2 texts are stored as
// sent, not parsed.
package telegramtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultToken is the token of a Server made with an empty Options.Token.
const DefaultToken = "1000000001:TEST-telegramtest-token"

// Options configure a Server.
type Options struct {
	// Token is the bot token; requests with another get 401. Empty means
	// DefaultToken. The bot's user id is the token's number before ":".
	Token string
	// Now is the clock for message dates, the 48-hour delete limit and
	// flood control; nil means time.Now.
	Now func() time.Time
	// Limits enforces Telegram's flood limits with 429 and retry_after:
	// sendMessage 30 a second overall (bursts of 30), sendMessage and edits
	// 1 a second per private chat and 20 a minute per group, supergroup or
	// channel, after a burst of ChatBurst.
	Limits bool
	// ChatBurst is how many sends and edits a chat takes at once before
	// the 1-a-second rate applies (Telegram allows short bursts); 0 means 3.
	ChatBurst int
	// BotUsername and BotName are getMe's username and first name;
	// defaults "smmbot_test_bot" and "SMM Bot".
	BotUsername, BotName string
	// HTTPClient posts webhook deliveries; nil means a client with a
	// 10-second timeout.
	HTTPClient *http.Client
	// Privacy is the bot's group privacy mode (on for bots unless their
	// owner turns it off): in groups and supergroups where it is not an
	// administrator, the bot gets only commands (bare, or addressed to
	// it), replies to its messages and service messages. Off by default,
	// so tests see the bot ignore what a privacy-off bot would get.
	Privacy bool
	// WebhookAttempts is how many times one update is posted to the
	// webhook before it is dropped (Telegram gives up "after a reasonable
	// amount of attempts"); 0 means 10.
	WebhookAttempts int
	// WebhookBackoff is the wait after a failed webhook post, doubled
	// after each further failure of the same update up to 40 times
	// itself; 0 means 50ms.
	WebhookBackoff time.Duration
}

// Server is a fake Bot API server. Its state is behind one mutex; all
// methods are safe for concurrent use.
type Server struct {
	token     string
	now       func() time.Time
	limits    bool
	privacy   bool
	chatBurst float64
	bot       models.User
	client    *http.Client

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced on every change
	closed        bool
	chats         map[int64]*chat
	updates       []entry // not yet confirmed, in update_id order
	history       []entry // the last historySize made, for Redeliver
	lastUpdateID  int64
	pollGen       uint64 // getUpdates calls so far; a newer one ends an older
	polling       int    // getUpdates requests in flight
	allowed       []string
	callbacks     map[string]*callback
	callbackOrder []string
	answers       []CallbackAnswer
	lastCallback  int64
	files         int
	stored        map[string]*storedFile // by file_id
	paths         map[string]*storedFile // by file_path, once getFile gave it
	met           map[int64]bool         // users the bot saw in updates
	lastChat      int64                  // group, supergroup and channel ids made
	attempts      int
	backoff       time.Duration
	commands      map[commandKey][]Command
	calls         map[string]int
	rejected      []Rejection
	fail429       int
	retryAfter    int
	failNext      map[string][]*apiError
	flood         bucket
	hook          *webhook
	deliveries    []Delivery
	subs          []*subscriber
}

// New makes a Server. Call Close when done if a webhook was set.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{
		token:     opts.Token,
		now:       opts.Now,
		limits:    opts.Limits,
		privacy:   opts.Privacy,
		chatBurst: float64(opts.ChatBurst),
		client:    opts.HTTPClient,
		changed:   make(chan struct{}),
		chats:     map[int64]*chat{},
		callbacks: map[string]*callback{},
		commands:  map[commandKey][]Command{},
		calls:     map[string]int{},
		failNext:  map[string][]*apiError{},
		stored:    map[string]*storedFile{},
		paths:     map[string]*storedFile{},
		met:       map[int64]bool{},
		attempts:  opts.WebhookAttempts,
		backoff:   opts.WebhookBackoff,
	}
	id, err := strconv.ParseInt(strings.SplitN(s.token, ":", 2)[0], 10, 64)
	if err != nil || id <= 0 {
		id = 1000000001
	}
	s.bot = models.User{ID: id, IsBot: true, FirstName: opts.BotName, Username: opts.BotUsername, CanJoinGroups: true}
	return s
}

// withDefaults fills the fields left empty.
func (o Options) withDefaults() Options {
	set := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	set(&o.Token, DefaultToken)
	set(&o.BotName, "SMM Bot")
	set(&o.BotUsername, "smmbot_test_bot")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ChatBurst <= 0 {
		o.ChatBurst = defaultChatBurst
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.WebhookAttempts <= 0 {
		o.WebhookAttempts = defaultAttempts
	}
	if o.WebhookBackoff <= 0 {
		o.WebhookBackoff = defaultBackoff
	}
	return o
}

// Token is the bot token the server accepts.
func (s *Server) Token() string { return s.token }

// BotUser is the bot's own user, as getMe answers it.
func (s *Server) BotUser() User {
	return User{ID: s.bot.ID, FirstName: s.bot.FirstName, Username: s.bot.Username}
}

// Close stops webhook deliveries, ends waiting getUpdates calls and
// closes every Subscribe channel. The server still answers requests,
// except getUpdates and setWebhook: 500 from then on.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	hook := s.hook
	s.hook = nil
	for _, sub := range s.subs {
		sub.stop()
	}
	s.subs = nil
	s.notifyLocked()
	s.mu.Unlock()
	if hook != nil {
		hook.stop()
	}
}

// method is one Bot API method the fake serves.
type method struct {
	name    string
	sending bool // subject to Fail429
	fn      func(s *Server, ctx context.Context, p params) (any, *apiError)
}

// methods by lower-case name: Telegram's method names are case-insensitive.
var methods = func() map[string]method {
	m := map[string]method{}
	for _, x := range []method{
		{"getMe", false, (*Server).getMe},
		{"logOut", false, (*Server).ok},
		{"close", false, (*Server).ok},
		{"getUpdates", false, (*Server).getUpdates},
		{"sendMessage", true, (*Server).sendMessage},
		{"sendChatAction", false, (*Server).sendChatAction},
		{"editMessageText", true, (*Server).editMessageText},
		{"editMessageReplyMarkup", true, (*Server).editMessageReplyMarkup},
		{"deleteMessage", true, (*Server).deleteMessage},
		{"answerCallbackQuery", true, (*Server).answerCallbackQuery},
		{"setMyCommands", false, (*Server).setMyCommands},
		{"deleteMyCommands", false, (*Server).deleteMyCommands},
		{"getMyCommands", false, (*Server).getMyCommands},
		{"setWebhook", false, (*Server).setWebhook},
		{"deleteWebhook", false, (*Server).deleteWebhook},
		{"getWebhookInfo", false, (*Server).getWebhookInfo},
		{"getFile", false, (*Server).getFile},
		{"getChat", false, (*Server).getChat},
		{"getChatMember", false, (*Server).getChatMember},
		{"leaveChat", false, (*Server).leaveChat},
	} {
		m[strings.ToLower(x.name)] = x
	}
	return m
}()

// ServeHTTP answers /bot<token>/<method> like the Bot API, and serves
// files at /file/bot<token>/<file_path>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, isBot := strings.CutPrefix(r.URL.Path, "/bot")
	token, name, ok := strings.Cut(rest, "/")
	if !isBot || !ok {
		s.respond(w, r.URL.Path, nil, errNotFound)
		return
	}
	spec, known := methods[strings.ToLower(name)]
	if known {
		name = spec.name
	}
	s.count(name)
	switch {
	case token != s.token:
		s.respond(w, name, nil, errUnauthorized)
		return
	case !known:
		s.respond(w, name, nil, errNotFound)
		return
	}
	if apiErr := s.injectedFault(spec); apiErr != nil {
		s.respond(w, name, nil, apiErr)
		return
	}
	p, err := readParams(r)
	if err != nil {
		s.respond(w, name, nil, badRequest(descBadRequestBody))
		return
	}
	result, apiErr := spec.fn(s, r.Context(), p)
	s.respond(w, name, result, apiErr)
}

// described is a result that comes with a description (setWebhook).
type described struct {
	value any
	desc  string
}

type responseJSON struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *parametersJSON `json:"parameters,omitempty"`
}

type parametersJSON struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

// respond writes the answer, recording an error as a Rejection.
func (s *Server) respond(w http.ResponseWriter, name string, result any, apiErr *apiError) {
	body := responseJSON{OK: apiErr == nil, Result: result}
	status := http.StatusOK
	if d, ok := result.(described); ok {
		body.Result, body.Description = d.value, d.desc
	}
	if apiErr != nil {
		body.Result = nil
		status, body.ErrorCode, body.Description = apiErr.Code, apiErr.Code, apiErr.Description
		if apiErr.RetryAfter > 0 || apiErr.MigrateTo != 0 {
			body.Parameters = &parametersJSON{RetryAfter: apiErr.RetryAfter, MigrateToChatID: apiErr.MigrateTo}
		}
		s.reject(name, apiErr)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// reject records a refused request.
func (s *Server) reject(name string, apiErr *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = append(s.rejected, Rejection{Method: name, Code: apiErr.Code, Description: apiErr.Description})
	s.notifyLocked()
}

func (s *Server) count(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[name]++
	s.notifyLocked()
}

// Rejection is one request answered with an error.
type Rejection struct {
	Method      string
	Code        int
	Description string
}

// Calls is how many requests came for method (as Telegram names it, e.g.
// "sendMessage"), answered with an error or not.
func (s *Server) Calls(method string) int {
	if spec, ok := methods[strings.ToLower(method)]; ok {
		method = spec.name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Rejected is every request answered with an error, in order.
func (s *Server) Rejected() []Rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Rejection(nil), s.rejected...)
}

func (s *Server) getMe(context.Context, params) (any, *apiError) {
	return s.bot, nil
}

// ok answers close and logOut, which need no state in a fake.
func (s *Server) ok(context.Context, params) (any, *apiError) {
	return true, nil
}
