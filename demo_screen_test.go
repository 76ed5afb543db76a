package main

import (
	"bufio"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// screen reads the demo's output into blocks: the lines up to a blank
// line.
type screen struct {
	mu      sync.Mutex
	blocks  []block
	changed chan struct{} // closed and replaced when a block comes
	closed  bool
	read    int // blocks that next has looked at
}

// block is one printed message: "bot: text" or "bot (edited): text",
// "toast: text", and its buttons by number.
type block struct {
	label, text string
	menu        string // "3" for "bot #3: ..."
	buttons     []labelled
}

type labelled struct{ num, text string }

func newScreen(r io.Reader) *screen {
	s := &screen{changed: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(r)
		var lines []string
		for sc.Scan() {
			if sc.Text() != "" {
				lines = append(lines, sc.Text())
				continue
			}
			s.add(parseBlock(lines))
			lines = nil
		}
		_, _ = io.Copy(io.Discard, r)
		s.mu.Lock()
		s.closed = true
		close(s.changed)
		s.mu.Unlock()
	}()
	return s
}

func (s *screen) add(b block) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocks = append(s.blocks, b)
	close(s.changed)
	s.changed = make(chan struct{})
}

// next waits for the next block that matches and returns it; blocks
// before it are passed over.
func (s *screen) next(t *testing.T, what string, match func(block) bool) block {
	t.Helper()
	deadline := time.After(demoWait)
	for {
		s.mu.Lock()
		for s.read < len(s.blocks) {
			b := s.blocks[s.read]
			s.read++
			if match(b) {
				s.mu.Unlock()
				return b
			}
		}
		changed, closed := s.changed, s.closed
		s.mu.Unlock()
		if closed {
			t.Fatalf("waiting for %s: the demo's output ended\noutput:\n%s", what, s.all())
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("waiting for %s: timed out\noutput:\n%s", what, s.all())
		}
	}
}

// all is the output so far, for failure messages.
func (s *screen) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, blk := range s.blocks {
		b.WriteString(blk.label + ": " + blk.text + "\n")
		for _, btn := range blk.buttons {
			b.WriteString("  [" + btn.num + "] " + btn.text + "\n")
		}
	}
	return b.String()
}

// buttonCell is one numbered button of a row: "[12] ‹ Back".
var buttonCell = regexp.MustCompile(`\[(\d+)\] (.*?)(?:  |$)`)

// menuLabel is the label of a message with buttons: "bot #3" or
// "bot #3 (edited)".
var menuLabel = regexp.MustCompile(`^bot #(\d+)(.*)$`)

func parseBlock(lines []string) block {
	var b block
	var text []string
	for i, l := range lines {
		if i == 0 {
			if label, rest, ok := strings.Cut(l, ": "); ok {
				b.label, l = label, rest
			}
			if m := menuLabel.FindStringSubmatch(b.label); m != nil {
				b.label, b.menu = "bot"+m[2], m[1]
			}
			text = append(text, l)
			continue
		}
		l = strings.TrimPrefix(l, "     ")
		if strings.HasPrefix(l, "[") && buttonCell.MatchString(l) {
			for _, m := range buttonCell.FindAllStringSubmatch(l, -1) {
				b.buttons = append(b.buttons, labelled{m[1], m[2]})
			}
			continue
		}
		text = append(text, l)
	}
	b.text = strings.Join(text, "\n")
	return b
}

// has reports whether the block has a button whose text contains label.
func (b block) has(label string) bool {
	for _, btn := range b.buttons {
		if strings.Contains(btn.text, label) {
			return true
		}
	}
	return false
}

// button is the number of the block's first button whose text contains
// label, as "#N" presses it while the block is the last with buttons.
func (b block) button(t *testing.T, label string) string {
	t.Helper()
	for _, btn := range b.buttons {
		if strings.Contains(btn.text, label) {
			return btn.num
		}
	}
	t.Fatalf("no button %q in %+v", label, b)
	return ""
}

// press is "M.N" for the block's first button whose text contains label:
// "#M.N" presses it whatever came after.
func (b block) press(t *testing.T, label string) string {
	t.Helper()
	if b.menu == "" {
		t.Fatalf("block without a menu number: %+v", b)
	}
	return b.menu + "." + b.button(t, label)
}
