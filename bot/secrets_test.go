package bot_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

// syncBuffer is a log destination safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSecretsNeverLogged drives the bot through keys, panel faults and
// Telegram errors with debug logging on: neither the bot token nor any API
// key appears in the log.
func TestSecretsNeverLogged(t *testing.T) {
	var logs syncBuffer
	h := newHarness(t, perUser, func(h *harness) {
		h.cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	h.panel.AddKey(userKey, decimal.NewFromInt(50))
	h.sendKey("/key NOT-A-VALID-KEY-123456")
	h.sendKey("/key " + userKey)
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultHTML503, Action: "services", Count: 2})
	h.say("/order")
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultEmpty500, Action: "balance", Count: 2})
	h.say("/balance")
	h.tg.FailNext("sendMessage", 500, "Internal Server Error")
	h.say("/help")
	h.tg.FailNext("sendMessage", 400, "Bad Request: chat not found")
	h.tg.SendText(h.user, "/help")
	h.barrier()
	h.stop()
	out := logs.String()
	if out == "" {
		t.Fatal("nothing was logged: the test proves nothing")
	}
	for _, secret := range []string{h.tg.Token(), userKey, "NOT-A-VALID-KEY-123456"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains the secret %q:\n%s", secret, out)
		}
	}
	for _, m := range h.tg.BotMessages(h.user.ID) {
		if strings.Contains(m.Text, userKey) {
			t.Errorf("a bot message shows the key: %q", m.Text)
		}
	}
}
