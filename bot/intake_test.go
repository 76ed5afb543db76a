package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// crowd is n users allowed to use the bot.
func crowd(n int) []telegramtest.User {
	users := make([]telegramtest.User, n)
	for i := range users {
		users[i] = telegramtest.User{ID: int64(50000 + i), FirstName: fmt.Sprint("U", i), LanguageCode: "en"}
	}
	return users
}

// withUsers allows users besides the harness's own.
func withUsers(users []telegramtest.User) option {
	return func(h *harness) {
		for _, u := range users {
			h.cfg.Allowed = append(h.cfg.Allowed, u.ID)
		}
	}
}

// answered counts a user's bot messages that contain part.
func answered(tg *telegramtest.Server, u telegramtest.User, part string) int {
	n := 0
	for _, m := range tg.BotMessages(u.ID) {
		if strings.Contains(m.Text, part) {
			n++
		}
	}
	return n
}

// backlog sends /balance (slowed by the panel) then /help twice from each
// user: 3 updates a user, queued behind the slow call.
func backlog(tg *telegramtest.Server, users []telegramtest.User) {
	for _, u := range users {
		tg.SendText(u, "/balance")
		tg.SendText(u, "/help")
		tg.SendText(u, "/help")
	}
}

// everyoneAnswered reports whether each user has the balance and two helps.
func everyoneAnswered(tg *telegramtest.Server, users []telegramtest.User) bool {
	for _, u := range users {
		if answered(tg, u, "💰") < 1 || answered(tg, u, "What I can do") < 2 {
			return false
		}
	}
	return true
}

func missing(tg *telegramtest.Server, users []telegramtest.User) int {
	n := 0
	for _, u := range users {
		n += max(1-answered(tg, u, "💰"), 0) + max(2-answered(tg, u, "What I can do"), 0)
	}
	return n
}

// TestStopWithABacklogLosesNothing stops the bot (as SIGTERM does) while
// 300 updates wait behind slow panel calls that outlast the stop's grace,
// then starts it again on the same file: every update is answered.
func TestStopWithABacklogLosesNothing(t *testing.T) {
	users := crowd(100)
	h := newHarness(t, withUsers(users), func(h *harness) { h.cfg.DrainGrace = 100 * time.Millisecond })
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "balance", Delay: time.Minute, Count: len(users)})
	backlog(h.tg, users)
	h.eventually("every chat waiting on the panel", func() bool { return h.panel.Count("balance") == len(users) })
	h.stop()
	if got := missing(h.tg, users); got != 3*len(users) {
		t.Logf("%d of %d updates answered before the stop", 3*len(users)-got, 3*len(users))
	}
	h.start()
	h.wait("every update answered after the restart", func() bool { return everyoneAnswered(h.tg, users) })
	h.noRejections()
}

// TestKillWithABacklogLosesNothing kills the bot (SIGKILL) while 300
// updates are in hand, then starts it again on the same file: every
// update is answered.
func TestKillWithABacklogLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	env := newCrashEnv(t)
	users := make([]telegramtest.User, crashChats)
	for i := range users {
		users[i] = crashUser(i)
	}
	env.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "balance", Delay: time.Minute, Count: len(users)})
	backlog(env.tg, users)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), "SMMBOT_CRASH_CHILD=1", "SMMBOT_TG="+env.tgURL, "SMMBOT_PANEL="+env.panelURL, "SMMBOT_DB="+env.dbPath)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	deadline := time.Now().Add(30 * time.Second)
	for env.panel.Count("balance") < len(users) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	t.Logf("killed with %d balance calls in flight, %d updates not yet fetched", env.panel.Count("balance"), env.tg.Pending())

	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); runCrashBot(t, runCtx, env.tgURL, env.panelURL, env.dbPath) }()
	err := env.tg.WaitUntil(ctx, func() bool { return everyoneAnswered(env.tg, users) })
	stop()
	<-done
	if err != nil {
		t.Fatalf("after the restart %d of %d updates are still unanswered: lost", missing(env.tg, users), 3*len(users))
	}
}

// TestWebhookRetryIsNotHandledTwice delivers the same update twice, as
// Telegram does when it missed the first answer: one reply.
func TestWebhookRetryIsNotHandledTwice(t *testing.T) {
	h := newHarness(t, withWebhook)
	h.say("/start")
	body := fmt.Sprintf(`{"update_id": 900001, "message": {"message_id": 9001, "date": %d, "chat": {"id": %d, "type": "private"},
		"from": {"id": %d, "is_bot": false, "first_name": "Dana", "language_code": "en"}, "text": "/help",
		"entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}`, time.Now().Unix(), h.user.ID, h.user.ID)
	for range 2 {
		if code := postWebhook(t, h.addr, body); code != http.StatusOK {
			t.Fatalf("webhook answered %d, want 200", code)
		}
	}
	h.wait("the help", func() bool { return answered(h.tg, h.user, "What I can do") >= 1 })
	h.say("/balance") // later than any second help would be
	if n := answered(h.tg, h.user, "What I can do"); n != 1 {
		t.Errorf("the update delivered twice was answered %d times, want once", n)
	}
}

// TestWebhookKeepsSlowUpdates: a webhook request is answered 2xx quickly
// even when its update waits on a slow panel, because the update is kept
// in the inbox; after a stop and a restart it is answered.
func TestWebhookKeepsSlowUpdates(t *testing.T) {
	h := newHarness(t, withWebhook, func(h *harness) { h.cfg.DrainGrace = 50 * time.Millisecond })
	h.say("/start")
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "balance", Delay: time.Minute})
	h.tg.SendText(h.user, "/balance")
	h.eventually("the balance request in flight", func() bool { return h.panel.Count("balance") == 1 })
	h.eventually("the update kept in the inbox", func() bool {
		items, err := h.db.Inbox(context.Background())
		return err == nil && len(items) == 1
	})
	for _, d := range h.tg.WebhookDeliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("delivery of update %d answered %d, want 200", d.UpdateID, d.Status)
		}
	}
	h.restart()
	h.wait("the balance after the restart", func() bool { return answered(h.tg, h.user, "💰") == 1 })
}

func postWebhook(t *testing.T, addr, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/hook", strings.NewReader(body))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestChatsRunInParallelInOrder: 50 chats each send a whole order
// conversation without waiting; every chat's updates are handled in order
// (out of order, the link would be read as a search) and all end on the
// summary.
func TestChatsRunInParallelInOrder(t *testing.T) {
	users := crowd(50)
	h := newHarness(t, withUsers(users))
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Go(func() {
			for _, text := range []string{"/order", "1", "https://instagram.com/dana", "1500"} {
				h.tg.SendText(u, text)
			}
		})
	}
	wg.Wait()
	h.wait("every summary", func() bool {
		for _, u := range users {
			m, ok := h.tg.LastBotMessage(u.ID)
			if !ok || !strings.Contains(m.Text, "Total price") || !strings.Contains(m.Text, "1.35") {
				return false
			}
		}
		return true
	})
	h.noRejections()
}

// TestSlowChatDoesNotHoldOthers: while one chat waits on a slow panel,
// another chat's messages are answered.
func TestSlowChatDoesNotHoldOthers(t *testing.T) {
	users := crowd(1)
	other := users[0]
	h := newHarness(t, withUsers(users), func(h *harness) { h.cfg.DrainGrace = 50 * time.Millisecond })
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "balance", Delay: time.Minute})
	h.tg.SendText(h.user, "/balance")
	h.eventually("the slow call in flight", func() bool { return h.panel.Count("balance") == 1 })
	for i := range 5 {
		h.tg.SendText(other, "/help")
		h.wait("the other chat's answer", func() bool { return answered(h.tg, other, "What I can do") == i+1 })
	}
	if n := answered(h.tg, h.user, "💰"); n != 0 {
		t.Fatalf("the slow chat was answered (%d) before its panel call returned", n)
	}
}

// TestFloodSlowsOnlyTheFlooder: one user sends 300 messages at once: the
// bot tells them once to slow down, keeps answering another user, and
// answers at most a chat's backlog of the flood.
func TestFloodSlowsOnlyTheFlooder(t *testing.T) {
	users := crowd(1)
	other := users[0]
	h := newHarness(t, withUsers(users))
	for range 300 {
		h.tg.SendText(h.user, "/help")
	}
	h.tg.SendText(other, "/help")
	h.wait("the other user's answer", func() bool { return answered(h.tg, other, "What I can do") == 1 })
	h.wait("the flood handled", func() bool { return h.tg.Pending() == 0 && answered(h.tg, h.user, "sending faster") == 1 })
	h.restart() // every update in hand is finished
	if n := answered(h.tg, h.user, "sending faster"); n != 1 {
		t.Errorf("the flooder was told to slow down %d times, want once", n)
	}
	helps := answered(h.tg, h.user, "What I can do")
	if helps == 0 || helps >= 300 {
		t.Errorf("%d of 300 flooded messages answered; want some, not all", helps)
	}
	h.noRejections()
}
