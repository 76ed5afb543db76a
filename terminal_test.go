package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name, text string
		width      int
		want       []string
	}{
		{"fits", "a short line", 20, []string{"bot: a short line"}},
		{"at words", "one two three four five six", 16, []string{"bot: one two", "     three four", "     five six"}},
		{"long word cut", "see https://example.com/a/very/long/path ok", 20,
			[]string{"bot: see", "     https://example", "     .com/a/very/lon", "     g/path ok"}},
		{"wide characters", "日本語 日本語 日本語", 18, []string{"bot: 日本語 日本語", "     日本語"}},
		{"wide characters just over", "日本語 日本語 日本語", 17, []string{"bot: 日本語", "     日本語", "     日本語"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(strings.Fields(tt.text), "bot: ", indent, " ", tt.width)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q, %d) =\n%q\nwant\n%q", tt.text, tt.width, got, tt.want)
			}
			for _, l := range got {
				if columns(l) > tt.width {
					t.Errorf("line %q is %d columns, more than %d", l, columns(l), tt.width)
				}
			}
		})
	}
}

// ptyScreen collects what the demo writes to its terminal.
type ptyScreen struct {
	mu      sync.Mutex
	out     strings.Builder
	changed chan struct{}
}

func newPTYScreen(r io.Reader) *ptyScreen {
	s := &ptyScreen{changed: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			close(s.changed)
			s.changed = make(chan struct{})
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// since is the output from byte offset from on, and its length.
func (s *ptyScreen) since(from int) (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.out.String()
	return all[min(from, len(all)):], len(all)
}

// wait waits until the output from offset from matches, and returns it.
func (s *ptyScreen) wait(tb testing.TB, from int, what string, match func(string) bool) string {
	tb.Helper()
	deadline := time.After(demoWait)
	for {
		s.mu.Lock()
		all, changed := s.out.String(), s.changed
		s.mu.Unlock()
		if out := all[min(from, len(all)):]; match(out) {
			return out
		}
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("waiting for %s: timed out; terminal output:\n%q", what, all)
		}
	}
}

// ansi matches the terminal control sequences the line editor writes.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// TestDemoOnTerminal drives the demo through a pseudo-terminal: what is
// typed shows after "you: " and is kept (redrawn) when a message arrives
// meanwhile; long lines wrap at words with an indent at the terminal's
// width; Ctrl-L is ignored; #N presses a button; Ctrl-D ends the demo.
func TestDemoOnTerminal(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptm.Close(); tty.Close() })
	if err := pty.Setsize(ptm, &pty.Winsize{Rows: 40, Cols: 60}); err != nil {
		t.Fatal(err)
	}
	type fake struct {
		tg  *telegramtest.Server
		url string
	}
	started := make(chan fake, 1)
	opts := fastDemo(t.TempDir())
	opts.Width, opts.started = 0, func(tg *telegramtest.Server, url string) { started <- fake{tg, url} }
	ended := make(chan error, 1)
	go func() { ended <- demo(t.Context(), tty, tty, slog.New(slog.DiscardHandler), opts) }()
	scr := newPTYScreen(ptm)
	f := <-started
	scr.wait(t, 0, "the welcome and the prompt", func(s string) bool {
		return strings.Contains(s, "Hello") && strings.HasSuffix(ansi.ReplaceAllString(s, ""), "you: ")
	})
	typeKeys(t, ptm, "/ord\f")
	_, mark := scr.since(0)
	scr.wait(t, 0, "the echo of /ord", func(s string) bool { return strings.HasSuffix(s, "/ord") })

	words := strings.Fields(strings.Repeat("status update for the order placed a minute ago ", 4) + "END")
	botSays(t, f.url, f.tg.Token(), strings.Join(words, " "))
	after := scr.wait(t, mark, "the message, then the kept line", func(s string) bool {
		i := strings.Index(s, "END")
		return i >= 0 && strings.Contains(s[i:], "you: /ord")
	})
	checkWrapped(t, ansi.ReplaceAllString(after, ""), words, 60)

	typeKeys(t, ptm, "er\r")
	scr.wait(t, mark, "the categories", func(s string) bool { return strings.Contains(s, "First Category") })
	var typed []string
	for _, m := range f.tg.Messages(demoUser.ID) {
		if !m.FromBot {
			typed = append(typed, m.Text)
		}
	}
	if want := []string{"/start", "/order"}; strings.Join(typed, "|") != strings.Join(want, "|") {
		t.Errorf("the user's messages = %q, want %q (the line kept whole, Ctrl-L ignored)", typed, want)
	}
	all, _ := scr.since(0)
	if strings.Contains(all, "\x1b[2J") {
		t.Error("Ctrl-L cleared the screen")
	}
	_, mark = scr.since(0)
	typeKeys(t, ptm, "#1\r")
	scr.wait(t, mark, "the services of the first category", func(s string) bool { return strings.Contains(s, "choose a service") })

	typeKeys(t, ptm, "\x04")
	select {
	case err := <-ended:
		if err != nil {
			t.Errorf("demo = %v, want nil", err)
		}
	case <-time.After(demoWait):
		t.Fatal("Ctrl-D did not end the demo")
	}
}

func typeKeys(tb testing.TB, ptm *os.File, keys string) {
	tb.Helper()
	if _, err := io.WriteString(ptm, keys); err != nil {
		tb.Fatalf("type %q: %v", keys, err)
	}
}

// botSays sends text to the demo user as the bot does, through the fake
// Bot API.
func botSays(tb testing.TB, apiURL, token, text string) {
	tb.Helper()
	form := url.Values{"chat_id": {strconv.FormatInt(demoUser.ID, 10)}, "text": {text}}
	resp, err := http.PostForm(apiURL+"/bot"+token+"/sendMessage", form)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("sendMessage: HTTP %d", resp.StatusCode)
	}
}

// checkWrapped finds the message of words in out (lines ending in \r\n)
// and checks that it was wrapped at words, with an indent, within width.
func checkWrapped(tb testing.TB, out string, words []string, width int) {
	tb.Helper()
	lines := strings.Split(out, "\r\n")
	start := -1
	for i, l := range lines {
		// The line editor's prompt was erased before the message.
		if j := strings.Index(l, "bot: "+words[0]); j >= 0 {
			start, lines[i] = i, l[j:]
		}
	}
	if start < 0 {
		tb.Fatalf("no line starts with %q in %q", "bot: "+words[0], out)
	}
	var got []string
	for i, l := range lines[start:] {
		if columns(l) > width {
			tb.Errorf("line %q is wider than %d", l, width)
		}
		if i > 0 && !strings.HasPrefix(l, indent) {
			tb.Errorf("line %q lacks the indent", l)
		}
		got = append(got, strings.Fields(strings.TrimPrefix(l, "bot: "))...)
		if strings.HasSuffix(l, "END") {
			break
		}
	}
	if strings.Join(got, " ") != strings.Join(words, " ") {
		tb.Errorf("wrapped words %q, want %q", got, words)
	}
	if len(lines)-start < 3 {
		tb.Errorf("the message took %d lines, want it wrapped", len(lines)-start)
	}
}
