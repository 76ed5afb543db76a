package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// input is where the demo's typed lines come from and its chat goes to.
type input struct {
	lines lineSource
	out   io.Writer  // the chat's output
	width func() int // columns to wrap at
	shown bool       // typed text is on the screen already (a line editor)
	close func()     // gives the terminal back as it was
}

// lineSource gives one typed line at a time; io.EOF when input ends.
type lineSource interface {
	ReadLine() (string, error)
}

// openInput is a line editor when stdin and stdout are a terminal (what
// is typed stays on its line, after the "you: " prompt, while the bot's
// messages are printed above it), else plain lines from stdin.
func openInput(stdin io.Reader, stdout io.Writer) (input, error) {
	in, _ := stdin.(*os.File)
	out, _ := stdout.(*os.File)
	if !isTerminal(stdin) || !isTerminal(stdout) {
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		return input{lines: plainLines{sc}, out: stdout, width: func() int { return 80 }, close: func() {}}, nil
	}
	state, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return input{}, fmt.Errorf("demo: terminal: %w", err)
	}
	ed := &editor{Terminal: term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{ignoreKeys{in}, out}, "you: "), outFd: int(out.Fd())}
	ed.width()
	return input{lines: ed, out: ed, width: ed.width, shown: true,
		close: func() { _ = term.Restore(int(in.Fd()), state) }}, nil
}

// plainLines reads lines from a pipe or a file.
type plainLines struct{ sc *bufio.Scanner }

func (p plainLines) ReadLine() (string, error) {
	if p.sc.Scan() {
		return p.sc.Text(), nil
	}
	if err := p.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

// editor is x/term's line editor on the demo's terminal: Enter sends,
// Ctrl-D on an empty line or Ctrl-C ends, arrows edit and recall. Its
// Write prints above the line being typed and redraws it.
type editor struct {
	*term.Terminal
	outFd int
	cols  int // the width last given to the Terminal
}

// width is the terminal's width now (80 if unknown); the line editor is
// told when it changed. Called with the terminal's mutex held.
func (e *editor) width() int {
	w, h, err := term.GetSize(e.outFd)
	if err != nil || w <= 0 {
		return 80
	}
	if w != e.cols {
		e.cols = w
		_ = e.SetSize(w, h)
	}
	return w
}

// ignoreKeys drops the control keys the demo ignores: Ctrl-L would make
// the line editor clear the screen (and the chat with it).
type ignoreKeys struct{ r io.Reader }

func (k ignoreKeys) Read(p []byte) (int, error) {
	for {
		n, err := k.r.Read(p)
		kept := p[:0]
		for _, c := range p[:n] {
			if c != '\f' {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 || err != nil || n == 0 {
			return len(kept), err
		}
	}
}

// isTerminal reports whether f is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// crlfWriter ends lines with \r\n, as a terminal in raw mode needs.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
