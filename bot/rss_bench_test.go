package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
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

// The memory benchmark runs the whole bot in a child process (this test
// binary, as TestRSSChild) on a store of 100,000 orders, 1,000 of them
// unfinished (the newest, or every 100th: scattered through the file),
// against a panel of 5,000 services, and reads the child's resident
// memory after it has loaded the catalogue, browsed it and polled.
// go test -run '^$' -bench RSS -benchtime 1x ./bot/

const (
	rssOrders  = 100_000
	rssTracked = 1_000
	rssChats   = 100
)

func BenchmarkRSS(b *testing.B) {
	for _, layout := range []string{"newest", "scattered"} {
		b.Run(layout, func(b *testing.B) {
			for b.Loop() {
				peak, now, file := rssRun(b, layout == "scattered")
				b.ReportMetric(peak, "peak-MB")
				b.ReportMetric(now, "rss-MB")
				b.ReportMetric(file, "file-MB")
			}
		})
	}
}

// TestRSSChild is the child half of BenchmarkRSS.
func TestRSSChild(t *testing.T) {
	if os.Getenv("SMMBOT_RSS_CHILD") == "" {
		return // only BenchmarkRSS runs it, as a child process
	}
	db, err := store.Open(os.Getenv("SMMBOT_DB"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	words, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	client := smm.NewClient(os.Getenv("SMMBOT_PANEL"), smm.Options{Timeout: 30 * time.Second})
	var allowed []int64
	for _, u := range crowd(rssChats) {
		allowed = append(allowed, u.ID)
	}
	b, err := bot.New(t.Context(), bot.Config{Token: telegramtest.DefaultToken, APIURL: os.Getenv("SMMBOT_TG"), OperatorKey: panelKey,
		Allowed: allowed, Logger: slog.New(slog.DiscardHandler)}, db, client, nil, words)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range time.Tick(200 * time.Millisecond) {
			fmt.Printf("rss %d %d %d\n", memKB("VmHWM"), memKB("VmRSS"), b.LastPoll().UnixNano())
		}
	}()
	if err := b.Run(t.Context()); err != nil {
		t.Error(err)
	}
}

// memKB reads a line of /proc/self/status, in kB.
func memKB(field string) int64 {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// rssRun builds the store, runs the child, drives it and returns its peak
// and final RSS and the file's size, in MB.
func rssRun(b *testing.B, scattered bool) (peak, now, file float64) {
	fake := telegramtest.New(telegramtest.Options{})
	tgSrv := httptest.NewServer(fake)
	defer tgSrv.Close()
	defer fake.Close()
	panel := smmtest.New(smmtest.Options{Step: time.Hour})
	services := smmtest.GenerateCatalogue(5000, 1)
	panel.SetServices(services)
	panel.AddKey(panelKey, decimal.NewFromInt(1_000_000_000))
	panelSrv := httptest.NewServer(panel)
	defer panelSrv.Close()
	dbPath := b.TempDir() + "/rss.db"
	users := crowd(rssChats)
	buildRSSStore(b, dbPath, panelSrv.URL, users, defaultService(b, services), scattered)
	st, err := os.Stat(dbPath)
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRSSChild$")
	cmd.Env = append(os.Environ(), "SMMBOT_RSS_CHILD=1", "SMMBOT_TG="+tgSrv.URL, "SMMBOT_PANEL="+panelSrv.URL, "SMMBOT_DB="+dbPath)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := make(chan [3]int64, 1024)
	go readRSS(out, lines)
	browse(b, fake, users[:10])
	var last [3]int64
	deadline := time.After(2 * time.Minute)
	for last[2] == 0 { // until a poll cycle finished, then one more reading
		select {
		case last = <-lines:
		case <-deadline:
			b.Fatal("the child never finished a poll cycle")
		}
	}
	last = <-lines
	return float64(last[0]) / 1024, float64(last[1]) / 1024, float64(st.Size()) / (1 << 20)
}

func readRSS(out interface{ Read([]byte) (int, error) }, lines chan<- [3]int64) {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var v [3]int64
		if n, _ := fmt.Sscanf(sc.Text(), "rss %d %d %d", &v[0], &v[1], &v[2]); n == 3 {
			if v[2] < 0 {
				v[2] = 0
			}
			lines <- v
		}
	}
	close(lines)
}

// browse has users open /order (the catalogue is fetched and cached),
// a category, and search.
func browse(b *testing.B, fake *telegramtest.Server, users []telegramtest.User) {
	d := newDriver(fake)
	defer d.stop()
	for _, u := range users {
		for _, act := range []func() error{
			func() error { fake.SendText(u, "/order"); return nil },
			func() error { return fake.Press(u, "(") }, // a category button: "Name (count)"
			func() error { fake.SendText(u, "/order"); return nil },
			func() error { fake.SendText(u, "followers"); return nil },
		} {
			if _, err := d.step(u.ID, act); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// defaultService is a Default service that takes a quantity of 1000.
func defaultService(b *testing.B, services []smm.Service) int64 {
	for _, s := range services {
		if s.Type == "Default" && s.Min <= 1000 && s.Max >= 1000 {
			return s.ID
		}
	}
	b.Fatal("no Default service takes 1000")
	return 0
}

// buildRSSStore writes rssOrders orders of users, rssTracked of them
// unfinished and known to the panel.
func buildRSSStore(b *testing.B, path, panelURL string, users []telegramtest.User, svc int64, scattered bool) {
	ctx := context.Background()
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ref, err := db.PutKey(ctx, panelKey)
	if err != nil {
		b.Fatal(err)
	}
	client := smm.NewClient(panelURL, smm.Options{})
	tracked := func(i int) bool {
		if scattered {
			return i%(rssOrders/rssTracked) == 0
		}
		return i >= rssOrders-rssTracked
	}
	created := time.Now().Add(-rssOrders * time.Minute)
	for i := range rssOrders {
		u := users[i%len(users)]
		o := store.Order{ChatID: u.ID, KeyRef: ref, PanelID: int64(50_000_000 + i), Link: "https://instagram.com/p/" + strconv.Itoa(i),
			Quantity: 1000, Price: decimal.RequireFromString("0.90"), Status: "Completed", Final: true,
			Service: store.ServiceSnapshot{ID: int64(1 + i%50), Name: "Instagram Followers [Real] " + strconv.Itoa(i%50), Type: "Default"},
			Created: created.Add(time.Duration(i) * time.Minute)}
		if tracked(i) {
			id, err := client.Add(ctx, panelKey, smm.AddRequest{Service: svc, Link: o.Link, Quantity: 1000})
			if err != nil {
				b.Fatal(err)
			}
			o.PanelID, o.Status, o.Final = id, "Pending", false
		}
		if err := db.PutOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	for _, u := range users {
		if _, err := db.TouchChat(ctx, u.ID, "en"); err != nil {
			b.Fatal(err)
		}
	}
}
