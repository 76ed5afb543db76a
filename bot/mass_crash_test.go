package bot_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/smm/smmtest"
	"github.com/smmbot/smmbot/store"
)

// TestMassCrashChild is the child half of TestMassOrderSurvivesKill: run
// with SMMBOT_MASS_CHILD set, it runs the bot until it is killed.
func TestMassCrashChild(t *testing.T) {
	if os.Getenv("SMMBOT_MASS_CHILD") == "" {
		return // only TestMassOrderSurvivesKill runs it, as a child process
	}
	runCrashBot(t, context.Background(), os.Getenv("SMMBOT_TG"), os.Getenv("SMMBOT_PANEL"), os.Getenv("SMMBOT_DB"))
}

// TestMassOrderSurvivesKill kills the bot (SIGKILL) in the middle of
// placing a 20-line mass order and restarts it on the same database: the
// record tells which lines were placed (with their ids), which outcome is
// unknown and which were never sent, and nothing is sent again.
func TestMassOrderSurvivesKill(t *testing.T) {
	env := newCrashEnv(t)
	tg, panel := env.tg, env.panel
	user := crashUser(0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	waitBot := func(what string, cond func() bool) {
		t.Helper()
		if err := tg.WaitUntil(ctx, cond); err != nil {
			t.Fatalf("waiting for %s: %v\n%s", what, err, chatText(tg, user.ID))
		}
	}
	withText := func(s string) func() bool {
		return func() bool {
			for _, m := range tg.BotMessages(user.ID) {
				if strings.Contains(m.Text, s) {
					return true
				}
			}
			return false
		}
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestMassCrashChild$")
	cmd.Env = append(os.Environ(), "SMMBOT_MASS_CHILD=1", "SMMBOT_TG="+env.tgURL, "SMMBOT_PANEL="+env.panelURL, "SMMBOT_DB="+env.dbPath)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	tg.SendText(user, "/mass")
	waitBot("the mass order prompt", withText("service_id|link|quantity"))
	var lines strings.Builder
	for i := 1; i <= 20; i++ {
		lines.WriteString("1|https://instagram.com/k" + strconv.Itoa(i) + "|100\n")
	}
	tg.SendText(user, lines.String())
	waitBot("the summary", withText("Valid lines: 20 of 20"))
	// Each add takes a while, so that the kill comes in the middle.
	panel.Inject(smmtest.Fault{Kind: smmtest.FaultDelay, Action: "add", Count: 100, Delay: 50 * time.Millisecond})
	if err := tg.Press(user, "Confirm"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for panel.Count("add") < 5 {
		if time.Now().After(deadline) {
			t.Fatalf("the child sent %d adds before the deadline", panel.Count("add"))
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	killed = true
	sentAtKill := panel.Count("add")
	placedAtKill := len(panel.Orders(panelKey))
	t.Logf("killed after %d adds (%d orders placed)", sentAtKill, placedAtKill)
	if sentAtKill >= 20 {
		t.Fatalf("the kill came too late: %d adds", sentAtKill)
	}

	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); runCrashBot(t, runCtx, env.tgURL, env.panelURL, env.dbPath) }()
	tg.SendText(user, "/mass") // shows the record, if the replayed Confirm has not already
	waitBot("the record of the interrupted mass order", withText("cut short"))
	waitBot("the new mass order's prompt", func() bool {
		m, ok := tg.LastBotMessage(user.ID)
		return ok && strings.Contains(m.Text, "service_id|link|quantity")
	})
	stop()
	<-done

	if got := panel.Count("add"); got != sentAtKill {
		t.Errorf("the restarted bot sent %d more adds: a line was sent again", got-sentAtKill)
	}
	record := ""
	for _, m := range tg.BotMessages(user.ID) {
		if strings.Contains(m.Text, "cut short") {
			record = m.Text
		}
	}
	placed := regexp.MustCompile(`✅ order (\d+)`).FindAllStringSubmatch(record, -1)
	unknown := strings.Count(record, "outcome unknown")
	notSent := strings.Count(record, "not sent —")
	if len(placed)+unknown+notSent != 20 {
		t.Fatalf("the record accounts for %d placed, %d unknown, %d not sent: want 20 lines\n%s", len(placed), unknown, notSent, record)
	}
	if unknown > 1 || len(placed) > placedAtKill || placedAtKill > len(placed)+unknown {
		t.Errorf("record: %d placed, %d unknown; panel: %d orders\n%s", len(placed), unknown, placedAtKill, record)
	}
	for _, p := range placed {
		id, _ := strconv.ParseInt(p[1], 10, 64)
		if _, ok := panel.Order(panelKey, id); !ok {
			t.Errorf("the record says order %d was placed; the panel does not have it", id)
		}
	}
	db, err := store.Open(env.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.CountOrders(context.Background(), user.ID); err != nil || n != len(placed) {
		t.Errorf("history has %d orders (%v), want the %d placed", n, err, len(placed))
	}
}

// chatText is a chat's bot messages, for failure messages.
func chatText(tg *telegramtest.Server, chatID int64) string {
	var b strings.Builder
	for _, m := range tg.BotMessages(chatID) {
		b.WriteString(m.Text + "\n---\n")
	}
	return b.String()
}
