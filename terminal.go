package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/width"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

// indent starts every printed line of a message after its first.
const indent = "     "

// terminal is the demo user's chat on a terminal. Each line typed is a
// message to the bot; the bot's messages are printed as they come, edits
// printed again, deletions noted, each followed by a blank line, long
// lines wrapped at word boundaries with an indent. A message with buttons
// gets a number M ("bot #M:"); its buttons are numbered 1..N. "#N"
// presses button N of the last message printed with buttons, "#M.N"
// button N of message M (on an old menu the bot answers that it
// expired).
type terminal struct {
	tg    *telegramtest.Server
	user  telegramtest.User
	width func() int // columns to wrap at
	// typedShown: what the user types is on the screen already (a line
	// editor shows it after its prompt), so it is not printed again.
	typedShown bool

	mu      sync.Mutex // guards out and what follows
	out     io.Writer
	menus   map[int]*menu  // message id → its buttons
	byNum   []*menu        // menu M is byNum[M-1]
	recent  []*menu        // most recently printed last
	heads   map[int]string // message id → first line, to name a deleted message
	partial []string       // lines ending in "\", waiting for the rest of the message
}

// menu is a message's callback buttons as last printed.
type menu struct {
	num     int
	msgID   int
	buttons []string // callback data; button N is buttons[N-1]
}

func newTerminal(out io.Writer, tg *telegramtest.Server, user telegramtest.User) *terminal {
	return &terminal{tg: tg, user: user, out: out, width: func() int { return 80 },
		menus: make(map[int]*menu), heads: make(map[int]string)}
}

// banner says what the demo is and how to use it.
func (t *terminal) banner(services int, opts demoOptions) {
	t.print(fmt.Sprintf(`smmbot demo: the real bot, a panel emulator and a fake Telegram, all on this machine.
Balance %d on a catalogue of %d services; orders go Pending → In progress →
Completed, %s a step, and the bot checks them every %s.

  Type a message and press Enter: it goes to the bot (/order, a link, 1500...).
  #N presses button [N] of the last message with buttons; #M.N presses
  button [N] of message #M, even an old one.
  End a line with \ to go on with the same message on the next line.
  /help lists the bot's commands; Ctrl-D or /quit ends the demo.
`, emulatorBalance, services, opts.Step, opts.PollInterval))
}

// say sends text as the user's message and shows it (for messages the user
// did not type).
func (t *terminal) say(text string) {
	t.print("you: " + text + "\n")
	t.tg.SendText(t.user, text)
}

// input acts on one typed line; it reports whether the user asked to quit.
func (t *terminal) input(line string) (quit bool) {
	switch {
	case strings.TrimSpace(line) == "":
	case t.typedShown:
		t.print("") // the blank line after the message
	default:
		t.print("you: " + line + "\n")
	}
	if rest, ok := strings.CutSuffix(line, `\`); ok {
		t.mu.Lock()
		t.partial = append(t.partial, rest)
		t.mu.Unlock()
		return false
	}
	t.mu.Lock()
	text := strings.Join(append(t.partial, line), "\n")
	t.partial = nil
	t.mu.Unlock()
	switch trimmed := strings.TrimSpace(text); {
	case trimmed == "":
		return false
	case trimmed == "/quit":
		return true
	case demoPress.MatchString(trimmed):
		m := demoPress.FindStringSubmatch(trimmed)
		t.press(m[1], m[2])
	default:
		t.tg.SendText(t.user, text)
	}
	return false
}

// demoPress is a typed button press: "#3" or "#2.3".
var demoPress = regexp.MustCompile(`^#\s*(\d{1,9})(?:\.(\d{1,9}))?$`)

// press presses a button: "#a" is button a of the last message with
// buttons, "#a.b" button b of message a.
func (t *terminal) press(a, b string) {
	t.mu.Lock()
	m, n, what := t.lastMenu(), a, "#"+a
	if b != "" {
		num, _ := strconv.Atoi(a)
		m, n, what = nil, b, "#"+a+"."+b
		if num >= 1 && num <= len(t.byNum) {
			m = t.byNum[num-1]
		}
	}
	i, _ := strconv.Atoi(n)
	if m == nil || i < 1 || i > len(m.buttons) {
		t.mu.Unlock()
		t.print(fmt.Sprintf("(there is no button %s)\n", what))
		return
	}
	msgID, data := m.msgID, m.buttons[i-1]
	t.mu.Unlock()
	t.tg.PressData(t.user, msgID, data)
}

// lastMenu is the message printed last that still has buttons; nil if none.
func (t *terminal) lastMenu() *menu {
	for i := len(t.recent) - 1; i >= 0; i-- {
		if len(t.recent[i].buttons) > 0 {
			return t.recent[i]
		}
	}
	return nil
}

// watch prints the chat's changes and the bot's callback answers as they
// come, until ctx ends; the returned function waits for the printing to
// stop (call it after ctx ended).
func (t *terminal) watch(ctx context.Context) (wait func()) {
	events, unsubscribe := t.tg.Subscribe()
	var wg sync.WaitGroup
	wg.Go(func() {
		for ev := range events {
			t.show(ev)
		}
	})
	wg.Go(func() {
		t.toasts(ctx)
		unsubscribe()
	})
	return wg.Wait
}

// show prints one change of the user's chat.
func (t *terminal) show(ev telegramtest.Event) {
	m := ev.Message
	if m.ChatID != t.user.ID {
		return
	}
	switch {
	case ev.Kind == telegramtest.EventDelete && !m.FromBot:
		t.print("(your message was deleted)\n")
	case ev.Kind == telegramtest.EventDelete:
		t.mu.Lock()
		head := t.heads[m.ID]
		t.mu.Unlock()
		t.print(fmt.Sprintf("bot (deleted): %s\n", head))
	case m.FromBot && ev.Kind == telegramtest.EventEdit:
		t.print(t.render(" (edited)", m))
	case m.FromBot:
		t.print(t.render("", m))
	}
}

// render is a bot message as printed: "bot", its number if it has
// buttons, the note, its text, then its buttons a row to a line.
func (t *terminal) render(note string, m telegramtest.Message) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	text := m.Text
	if text == "" && m.Media != "" {
		text = "(" + m.Media + ")"
	}
	lines := strings.Split(text, "\n")
	t.heads[m.ID] = shorten(lines[0], 40)
	rows := t.numberButtons(m)
	label := "bot"
	if mn := t.menus[m.ID]; mn != nil {
		label += " #" + strconv.Itoa(mn.num)
	}
	w := t.width()
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && strings.TrimSpace(l) == "" { // a blank line is the end of a message
			continue
		}
		first := indent
		if i == 0 {
			first = label + note + ": "
		}
		for _, out := range wrap(strings.Fields(l), first, indent, " ", w) {
			b.WriteString(out + "\n")
		}
	}
	for _, cells := range rows {
		for _, out := range wrap(cells, indent, indent, "  ", w) {
			b.WriteString(out + "\n")
		}
	}
	return b.String()
}

// numberButtons records m's callback buttons as its menu (a new number
// for a message not seen with buttons before) and returns its rows as
// printed cells.
func (t *terminal) numberButtons(m telegramtest.Message) [][]string {
	var data []string
	rows := make([][]string, 0, len(m.Buttons))
	for _, row := range m.Buttons {
		cells := make([]string, 0, len(row))
		for _, btn := range row {
			if btn.Data == "" {
				cells = append(cells, fmt.Sprintf("[%s <%s>]", btn.Text, btn.URL))
				continue
			}
			data = append(data, btn.Data)
			cells = append(cells, fmt.Sprintf("[%d] %s", len(data), btn.Text))
		}
		rows = append(rows, cells)
	}
	mn := t.menus[m.ID]
	if mn == nil && len(data) == 0 {
		return rows
	}
	if mn == nil {
		mn = &menu{num: len(t.byNum) + 1, msgID: m.ID}
		t.menus[m.ID] = mn
		t.byNum = append(t.byNum, mn)
	}
	mn.buttons = data
	for i, r := range t.recent {
		if r == mn {
			t.recent = append(t.recent[:i], t.recent[i+1:]...)
			break
		}
	}
	t.recent = append(t.recent, mn)
	return rows
}

// wrap lays words out in lines of at most width columns, joined by sep:
// the first line starts with first, the others with rest. A word longer
// than a line is cut.
func wrap(words []string, first, rest, sep string, width int) []string {
	var lines []string
	line, empty := first, true
	for _, word := range words {
		switch {
		case empty:
		case columns(line)+columns(sep)+columns(word) <= width:
			line += sep
		default:
			lines = append(lines, line)
			line = rest
		}
		for room := width - columns(line); columns(word) > room && room > 0 && columns(rest) < width/2; room = width - columns(line) {
			head, tail := cut(word, room)
			lines = append(lines, line+head)
			line, word = rest, tail
		}
		line, empty = line+word, false
	}
	return append(lines, line)
}

// columns is how many terminal columns s takes (wide characters take two).
func columns(s string) int {
	n := 0
	for _, r := range s {
		n++
		if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			n++
		}
	}
	return n
}

// cut splits s after at most n columns (at least one rune).
func cut(s string, n int) (head, tail string) {
	used := 0
	for i, r := range s {
		c := columns(string(r))
		if used+c > n && i > 0 {
			return s[:i], s[i:]
		}
		used += c
	}
	return s, ""
}

// toasts prints the bot's callback answers that carry text, until ctx ends.
func (t *terminal) toasts(ctx context.Context) {
	seen := len(t.tg.CallbackAnswers())
	for {
		if t.tg.WaitUntil(ctx, func() bool { return len(t.tg.CallbackAnswers()) > seen }) != nil {
			return
		}
		answers := t.tg.CallbackAnswers()
		for _, a := range answers[seen:] {
			if a.Text == "" {
				continue
			}
			label := "toast: "
			if a.ShowAlert {
				label = "alert: "
			}
			t.print(label + a.Text + "\n")
		}
		seen = len(answers)
	}
}

// print writes one block of output followed by a blank line.
func (t *terminal) print(block string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.out, block+"\n")
}

// shorten cuts s to n characters, with an ellipsis if it was longer.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
