package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The memory figures come from a child process (this test binary, running
// TestRSSChild) that opens a store of 100,000 orders and polls it as the
// bot does, so that building the file does not count.

var rssKey = bytes.Repeat([]byte{7}, 32)

// buildLayout writes 100,000 orders of 100 chats under 5 keys, placed one
// a step, each step also moving order i-100 to In progress and finishing
// order i-300 (one transaction a step, as the bot would). 1,000 orders
// stay unfinished: the newest ones, or every 100th when scattered.
func buildLayout(tb testing.TB, path string, scattered bool) {
	tb.Helper()
	clk := newClock()
	db, err := Open(path, Options{EncryptionKey: rssKey, Now: clk.Now})
	must(tb, err)
	defer func() { must(tb, db.Close()) }()
	db.bolt.NoSync = true // the layout is the same; only durability differs
	const n = 100000
	rng := rand.New(rand.NewPCG(1, 2))
	tracked := func(i int) bool {
		if scattered {
			return i%100 == 0
		}
		return i >= n-1000
	}
	refs := make([]string, n)
	for i := range n {
		clk.Add(30 * time.Second)
		o := layoutOrder(tb, rng, i, clk.Now())
		refs[i] = o.KeyRef
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			if err := db.putOrder(tx, o); err != nil {
				return err
			}
			if i >= 100 {
				if err := stepOrder(db, tx, refs[i-100], i-100, "In progress", false); err != nil {
					return err
				}
			}
			if i < 300 || tracked(i-300) {
				return nil
			}
			return stepOrder(db, tx, refs[i-300], i-300, "Completed", true)
		})
		must(tb, err)
	}
}

func layoutOrder(tb testing.TB, rng *rand.Rand, i int, now time.Time) Order {
	chat := int64(rng.IntN(100)) + 1
	svc := rng.IntN(50)
	o := sampleOrder(tb, chat, fmt.Sprintf("%016x", chat%5), int64(1000000+i), now)
	o.Service = ServiceSnapshot{ID: int64(100 + svc), Name: fmt.Sprintf("Instagram Followers [Real, HQ] #%d", svc),
		Type: "Default", Category: "Instagram Followers", Rate: o.Service.Rate, Refill: true, Cancel: svc%2 == 0}
	o.Link = fmt.Sprintf("https://www.instagram.com/p/C%010d/", rng.Int64N(1e10))
	o.Comments, o.Extra, o.Runs, o.Interval = "", nil, 0, 0
	o.Quantity = int64(100 * (1 + rng.IntN(100)))
	return o
}

func stepOrder(db *DB, tx *bolt.Tx, ref string, i int, status string, final bool) error {
	o, err := getOrder(tx, ref, int64(1000000+i))
	if err != nil {
		return err
	}
	o.Status, o.Final, o.Remains, o.StartCount = status, final, o.Quantity/2, 1234
	o.Charge = o.Price
	return db.putOrder(tx, o)
}

// TestRSSChild is the child process of BenchmarkPollRSS; it skips unless
// STORE_RSS_DB names a store built by buildLayout.
func TestRSSChild(t *testing.T) {
	path := os.Getenv("STORE_RSS_DB")
	if path == "" {
		t.Skip("child of BenchmarkPollRSS")
	}
	base := procStatus(t)["VmRSS"]
	db := openAt(t, path, Options{EncryptionKey: rssKey})
	ctx := context.Background()
	start := time.Now()
	const cycles = 5
	changed := 0
	for cycle := range cycles {
		changed += pollCycle(t, db, cycle)
	}
	perCycle := time.Since(start) / cycles
	start = time.Now()
	if n := pollCycle(t, db, -1); n != 0 {
		t.Fatalf("idle poll changed %d", n)
	}
	idle := time.Since(start)
	for chat := int64(1); chat <= 10; chat++ {
		_, err := db.FilterOrders(ctx, chat, FilterAll, Cursor{}, 8)
		must(t, err)
	}
	st := procStatus(t)
	fmt.Printf("rss: base=%d hwm=%d rss=%d cycle=%d idle=%d changed=%d\n", base, st["VmHWM"], st["VmRSS"],
		perCycle.Nanoseconds(), idle.Nanoseconds(), changed)
}

// pollCycle polls every tracked order as the bot does, the panel giving
// the same answer except for a tenth of them (none when cycle < 0).
func pollCycle(tb testing.TB, db *DB, cycle int) int {
	tb.Helper()
	tr, err := db.Tracking(context.Background())
	must(tb, err)
	changed := 0
	for ref, t := range tr {
		change := map[int64]bool{}
		for i, id := range t.Orders {
			change[id] = cycle >= 0 && i%10 == cycle%10
		}
		for start := 0; start < len(t.Orders); start += 100 {
			chunk := t.Orders[start:min(start+100, len(t.Orders))]
			n, err := db.UpdateOrders(context.Background(), ref, chunk, func(o *Order) (bool, []byte, error) {
				if !change[o.PanelID] || o.Remains == int64(cycle) {
					return false, nil, nil
				}
				o.Remains = int64(cycle)
				return true, nil, nil
			})
			must(tb, err)
			changed += n
		}
	}
	return changed
}

// procStatus reads the kB figures of /proc/self/status.
func procStatus(tb testing.TB) map[string]int {
	tb.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status")
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if fields := strings.Fields(rest); ok && len(fields) == 2 && fields[1] == "kB" {
			out[name], _ = strconv.Atoi(fields[0])
		}
	}
	return out
}

// BenchmarkPollRSS builds 100,000 orders with the unfinished ones newest or
// scattered (or a schema 1 file to migrate), and reports the file size and the memory of a child process
// that polls them five times (a tenth of them changing each time, as
// ms/poll), once more with no change (ms/idle-poll), and reads ten newest
// pages (MB-hwm: peak RSS, MB-base: the child before opening).
func BenchmarkPollRSS(b *testing.B) {
	layouts := map[string]func(tb testing.TB, path string){
		"newest":    func(tb testing.TB, path string) { buildLayout(tb, path, false) },
		"scattered": func(tb testing.TB, path string) { buildLayout(tb, path, true) },
		// A schema 1 file, every 100th order unfinished: the child
		// migrates it on Open (MB-hwm includes the migration).
		"migrated": func(tb testing.TB, path string) { writeV1(tb, path, v1Fixture(tb, 100000, 100)) },
	}
	for _, name := range []string{"newest", "scattered", "migrated"} {
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			layouts[name](b, filepath.Join(dir, "built.db"))
			path := filepath.Join(dir, "smmbot.db")
			var fig map[string]float64
			for b.Loop() {
				b.StopTimer()
				data, err := os.ReadFile(filepath.Join(dir, "built.db"))
				must(b, err)
				writeSynced(b, path, data)
				b.StartTimer()
				fig = rssChild(b, path)
			}
			fi, err := os.Stat(path)
			must(b, err)
			b.ReportMetric(float64(fi.Size())/1e6, "MB-file")
			b.ReportMetric(float64(fi.Size())/100000, "B/order")
			b.ReportMetric(fig["hwm"]/1024, "MB-hwm")
			b.ReportMetric(fig["rss"]/1024, "MB-rss")
			b.ReportMetric(fig["base"]/1024, "MB-base")
			b.ReportMetric(fig["cycle"]/1e6, "ms/poll")
			b.ReportMetric(fig["idle"]/1e6, "ms/idle-poll")
			b.ReportMetric(fig["changed"], "changed")
		})
	}
}

func rssChild(tb testing.TB, path string) map[string]float64 {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRSSChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "STORE_RSS_DB="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("child: %v\n%s", err, out)
	}
	_, line, ok := strings.Cut(string(out), "rss: ")
	if !ok {
		tb.Fatalf("child printed no figures:\n%s", out)
	}
	line, _, _ = strings.Cut(line, "\n")
	fig := map[string]float64{}
	for _, kv := range strings.Fields(line) {
		k, v, _ := strings.Cut(kv, "=")
		fig[k], _ = strconv.ParseFloat(v, 64)
	}
	return fig
}

// writeSynced writes a file and syncs it, as a file copied or restored
// some time ago would be.
func writeSynced(tb testing.TB, path string, data []byte) {
	tb.Helper()
	f, err := os.Create(path)
	must(tb, err)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	must(tb, errors.Join(err, f.Close()))
}
