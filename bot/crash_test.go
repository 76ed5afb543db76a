package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/bot/telegramtest"
	"github.com/smmbot/smmbot/locales"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
	"github.com/smmbot/smmbot/store"
)

const crashChats = 100

// TestCrashChild is the child half of TestNotificationsSurviveKill: run
// with SMMBOT_CRASH_CHILD set, it runs the bot until it is killed.
func TestCrashChild(t *testing.T) {
	if os.Getenv("SMMBOT_CRASH_CHILD") == "" {
		return // only TestNotificationsSurviveKill runs it, as a child process
	}
	runCrashBot(t, context.Background(), os.Getenv("SMMBOT_TG"), os.Getenv("SMMBOT_PANEL"), os.Getenv("SMMBOT_DB"))
}

// runCrashBot runs the bot in operator mode until ctx ends, polling at
// start.
func runCrashBot(tb testing.TB, ctx context.Context, tgURL, panelURL, dbPath string) {
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	defer db.Close()
	words, err := locales.Load()
	if err != nil {
		tb.Fatal(err)
	}
	client := smm.NewClient(panelURL, smm.Options{Timeout: 5 * time.Second})
	allowed := make([]int64, crashChats)
	for i := range allowed {
		allowed[i] = crashUser(i).ID
	}
	b, err := bot.New(ctx, bot.Config{Token: telegramtest.DefaultToken, APIURL: tgURL, OperatorKey: panelKey, Allowed: allowed,
		PollEvery: time.Hour, Logger: slog.New(slog.DiscardHandler)}, db, client, smm.NewCache(client, time.Minute), words)
	if err != nil {
		tb.Fatalf("new bot: %v", err)
	}
	if err := b.Run(ctx); err != nil {
		tb.Errorf("run: %v", err)
	}
}

func crashUser(i int) telegramtest.User {
	return telegramtest.User{ID: int64(10000 + i), FirstName: "U" + strconv.Itoa(i), LanguageCode: "en"}
}

// TestNotificationsSurviveKill kills the bot (SIGKILL) in the middle of a
// burst of 100 notifications, restarts it on the same database and checks
// that every notification arrives: duplicates are allowed and counted,
// losses are not.
func TestNotificationsSurviveKill(t *testing.T) {
	env := newCrashEnv(t)
	tg, panel, dbPath := env.tg, env.panel, env.dbPath
	tgSrv, panelSrv := struct{ URL string }{env.tgURL}, struct{ URL string }{env.panelURL}

	ids := seedCrashOrders(t, tg, tgSrv.URL, panel, panelSrv.URL, dbPath)
	for _, id := range ids {
		panel.SetStatus(id, "In progress", 10)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), "SMMBOT_CRASH_CHILD=1", "SMMBOT_TG="+tgSrv.URL, "SMMBOT_PANEL="+panelSrv.URL, "SMMBOT_DB="+dbPath)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := tg.WaitUntil(ctx, func() bool { return delivered(tg) >= 20 }); err != nil {
		_ = cmd.Process.Kill()
		t.Fatalf("child delivered %d notifications before the deadline", delivered(tg))
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	atKill := delivered(tg)
	t.Logf("killed after %d of %d notifications", atKill, crashChats)

	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); runCrashBot(t, runCtx, tgSrv.URL, panelSrv.URL, dbPath) }()
	err := tg.WaitUntil(ctx, func() bool { return chatsNotified(tg) == crashChats })
	stop()
	<-done
	if err != nil {
		t.Fatalf("after restart %d of %d chats notified: notifications lost", chatsNotified(tg), crashChats)
	}
	t.Logf("all %d chats notified; %d duplicates", crashChats, delivered(tg)-crashChats)
}

// crashEnv is what a crash test's bot runs against: the fake Bot API, the
// panel emulator and a database file, outliving the bot process.
type crashEnv struct {
	tg              *telegramtest.Server
	panel           *smmtest.Panel
	tgURL, panelURL string
	dbPath          string
}

func newCrashEnv(t *testing.T) crashEnv {
	t.Helper()
	tg := telegramtest.New(telegramtest.Options{})
	tgSrv := httptest.NewServer(tg)
	t.Cleanup(tgSrv.Close)
	t.Cleanup(tg.Close)
	panel := smmtest.New(smmtest.Options{Step: time.Hour})
	panel.AddKey(panelKey, decimal.NewFromInt(1000))
	panelSrv := httptest.NewServer(panel)
	t.Cleanup(panelSrv.Close)
	return crashEnv{tg: tg, panel: panel, tgURL: tgSrv.URL, panelURL: panelSrv.URL, dbPath: filepath.Join(t.TempDir(), "crash.db")}
}

// seedCrashOrders makes 100 chats, each with one order on the panel and in
// the store, and drains the fake's updates so the bot sees none of them.
func seedCrashOrders(t *testing.T, tg *telegramtest.Server, tgURL string, panel *smmtest.Panel, panelURL, dbPath string) []int64 {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ref, err := db.PutKey(ctx, panelKey)
	if err != nil {
		t.Fatal(err)
	}
	client := smm.NewClient(panelURL, smm.Options{})
	var ids []int64
	for i := range crashChats {
		u := crashUser(i)
		tg.SendText(u, "hi") // the chat exists for Telegram
		id, err := client.Add(ctx, panelKey, smm.AddRequest{Service: 1, Link: "https://t.me/x", Quantity: 100})
		if err != nil {
			t.Fatal(err)
		}
		o := store.Order{ChatID: u.ID, KeyRef: ref, PanelID: id, Link: "https://t.me/x", Quantity: 100, Status: "Pending",
			Service: store.ServiceSnapshot{ID: 1, Name: "Followers"}}
		if err := db.PutOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TouchChat(ctx, u.ID, "en"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	drainUpdates(t, tgURL)
	return ids
}

// drainUpdates confirms every queued update, as a previous run of the bot
// would have.
func drainUpdates(t testing.TB, tgURL string) {
	t.Helper()
	get := func(offset int64) []struct {
		UpdateID int64 `json:"update_id"`
	} {
		resp, err := http.PostForm(tgURL+"/bot"+telegramtest.DefaultToken+"/getUpdates",
			url.Values{"offset": {fmt.Sprint(offset)}, "timeout": {"0"}, "limit": {"100"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			Result []struct {
				UpdateID int64 `json:"update_id"`
			} `json:"result"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r.Result
	}
	var offset int64
	for {
		ups := get(offset)
		if len(ups) == 0 {
			return
		}
		offset = ups[len(ups)-1].UpdateID + 1
	}
}

func delivered(tg *telegramtest.Server) int {
	n := 0
	for i := range crashChats {
		for _, m := range tg.BotMessages(crashUser(i).ID) {
			if strings.HasPrefix(m.Text, "🔔") {
				n++
			}
		}
	}
	return n
}

func chatsNotified(tg *telegramtest.Server) int {
	n := 0
	for i := range crashChats {
		for _, m := range tg.BotMessages(crashUser(i).ID) {
			if strings.HasPrefix(m.Text, "🔔") {
				n++
				break
			}
		}
	}
	return n
}
