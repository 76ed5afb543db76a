package bot_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// panelActions are every action of the panel API; panelCalls sums them.
var panelActions = []string{"services", "add", "status", "balance", "refill", "refill_status", "cancel"}

// withServices starts the panel with another catalogue.
func withServices(list []smm.Service) option {
	return func(h *harness) { h.panel.SetServices(list) }
}

// speaking makes the harness's user a speaker of lang (Telegram's
// language_code).
func speaking(lang string) option {
	return func(h *harness) { h.user.LanguageCode = lang }
}

// panelRequests is how many requests the panel saw, of every action.
func (h *harness) panelRequests() int {
	n := len(h.panel.Unknown())
	for _, a := range panelActions {
		n += h.panel.Count(a)
	}
	return n
}

// barrier returns once the bot finished every update the chat sent
// before it: a chat's updates are handled in order, and the bot saves the
// menu's message id after it shows the screen.
func (h *harness) barrier() {
	h.t.Helper()
	h.pressData(0, "zz:barrier")
}

// session is the chat's conversation as stored, once the bot is done
// with what the chat sent.
func (h *harness) session() store.Session {
	h.t.Helper()
	h.barrier()
	s, err := h.db.Session(context.Background(), h.user.ID)
	if err != nil {
		h.t.Fatalf("load session: %v", err)
	}
	return s
}

// chat is the chat as stored.
func (h *harness) chat() store.Chat {
	h.t.Helper()
	c, err := h.db.Chat(context.Background(), h.user.ID)
	if err != nil {
		h.t.Fatalf("load chat: %v", err)
	}
	return c
}

// sameStep reports whether two sessions are at the same step with the same
// draft (the menu message may differ: a reply is a new message).
func sameStep(a, b store.Session) bool {
	return a.State == b.State && a.Version == b.Version && bytes.Equal(a.Data, b.Data)
}

// sticker sends a sticker as the user and returns the bot's reply.
func (h *harness) sticker() telegramtest.Message {
	h.t.Helper()
	mk := h.mark()
	h.tg.SendSticker(h.user)
	return h.settled(mk)
}

// photo sends a photo with a caption as the user and returns the reply.
func (h *harness) photo(caption string) telegramtest.Message {
	h.t.Helper()
	mk := h.mark()
	h.tg.SendPhoto(h.user, caption)
	return h.settled(mk)
}

// pressData sends a callback query with any data on message msgID (a
// forged or stale tap) and returns the bot's answer to it.
func (h *harness) pressData(msgID int, data string) telegramtest.CallbackAnswer {
	h.t.Helper()
	n := len(h.tg.CallbackAnswers())
	h.tg.PressData(h.user, msgID, data)
	h.wait("the answer to "+data, func() bool {
		return len(h.tg.CallbackAnswers()) > n && len(h.tg.Unanswered()) == 0
	})
	return h.tg.CallbackAnswers()[n]
}

// sayAs types text as another user and returns the bot's first message
// to that user after it.
func (h *harness) sayAs(u telegramtest.User, text string) telegramtest.Message {
	h.t.Helper()
	n := len(h.tg.BotMessages(u.ID))
	h.tg.SendText(u, text)
	h.wait("the reply to user "+text, func() bool { return len(h.tg.BotMessages(u.ID)) > n })
	return h.tg.BotMessages(u.ID)[n]
}

// waitText waits until a live bot message contains every part, and
// returns the newest such message.
func (h *harness) waitText(parts ...string) telegramtest.Message {
	h.t.Helper()
	var found telegramtest.Message
	h.wait("a message with "+strings.Join(parts, ", "), func() bool {
		msgs := h.tg.BotMessages(h.user.ID)
		for i := len(msgs) - 1; i >= 0; i-- {
			if !msgs[i].Deleted && containsAll(msgs[i].Text, parts...) {
				found = msgs[i]
				return len(h.tg.Unanswered()) == 0
			}
		}
		return false
	})
	return found
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// botMessagesWith counts the live bot messages containing s.
func (h *harness) botMessagesWith(s string) int {
	n := 0
	for _, m := range h.tg.BotMessages(h.user.ID) {
		if !m.Deleted && strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

// buttonData is the callback data of the first button of m whose label
// contains label, or "".
func buttonData(m telegramtest.Message, label string) string {
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.Data
			}
		}
	}
	return ""
}

// toQuantity walks a Default service's order to the quantity prompt.
func (h *harness) toQuantity() telegramtest.Message {
	h.t.Helper()
	h.say("/order")
	h.press("First Category")
	h.press("Followers")
	m := h.say("https://instagram.com/dana")
	expect(h.t, m, "50", "10000")
	return m
}

// toSummary walks a Default service's order of 1500 to the summary.
func (h *harness) toSummary() telegramtest.Message {
	h.t.Helper()
	h.toQuantity()
	return h.say("1500")
}

// recorder keeps every state of every bot message the chat showed: each
// send and each edit, as Telegram accepted it.
type recorder struct {
	mu      sync.Mutex
	seen    []telegramtest.Message
	changed chan struct{}
}

// record starts recording the bot's messages to the harness's user.
func (h *harness) record() *recorder {
	r := &recorder{changed: make(chan struct{})}
	events, stop := h.tg.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range events {
			if !ev.Message.FromBot || ev.Message.ChatID != h.user.ID || ev.Kind == telegramtest.EventDelete {
				continue
			}
			r.mu.Lock()
			r.seen = append(r.seen, ev.Message)
			close(r.changed)
			r.changed = make(chan struct{})
			r.mu.Unlock()
		}
	}()
	h.t.Cleanup(func() { stop(); <-done })
	return r
}

// caughtUp waits until the recorder saw the present state of every bot
// message of the chat.
func (r *recorder) caughtUp(h *harness) {
	h.t.Helper()
	deadline := time.After(waitFor)
	for {
		r.mu.Lock()
		have := map[[2]int]bool{}
		for _, m := range r.seen {
			have[[2]int{m.ID, m.Edits}] = true
		}
		ok := true
		for _, m := range h.tg.BotMessages(h.user.ID) {
			if !m.Deleted && !have[[2]int{m.ID, m.Edits}] {
				ok = false
			}
		}
		changed := r.changed
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			h.t.Fatalf("the recorder missed bot messages:\n%s", h.transcript())
		}
	}
}

// messages is every state of every bot message recorded so far.
func (r *recorder) messages() []telegramtest.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]telegramtest.Message(nil), r.seen...)
}

// checkKeyboard fails unless m's keyboard is one Telegram takes and a
// user can read: callback data of 1..64 bytes, at most 100 buttons,
// labels that are not blank.
func checkKeyboard(tb testing.TB, m telegramtest.Message) {
	tb.Helper()
	n := 0
	for _, row := range m.Buttons {
		if len(row) == 0 {
			tb.Errorf("message %d %q has an empty keyboard row", m.ID, firstLine(m.Text))
		}
		for _, b := range row {
			n++
			if strings.TrimSpace(b.Text) == "" {
				tb.Errorf("message %d %q has a button without a label (data %q)", m.ID, firstLine(m.Text), b.Data)
			}
			if b.URL == "" && (len(b.Data) < 1 || len(b.Data) > bot.MaxCallbackData) {
				tb.Errorf("message %d: button %q has %d bytes of callback data %q, want 1..%d", m.ID, b.Text, len(b.Data), b.Data, bot.MaxCallbackData)
			}
			if !utf8.ValidString(b.Data) {
				tb.Errorf("message %d: button %q has callback data that is not UTF-8: %q", m.ID, b.Text, b.Data)
			}
		}
	}
	if n > 100 {
		tb.Errorf("message %d %q has %d buttons, want at most 100", m.ID, firstLine(m.Text), n)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// prefix is the first n runes of s.
func prefix(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
