package bot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestPackLines(t *testing.T) {
	var lines []string
	for i := range 500 {
		lines = append(lines, fmt.Sprintf("Line %d: ✅ order <b>%d</b> — https://instagram.com/a-rather-long-link-%d", i+1, 23501+i, i))
	}
	chunks := packLines(lines, maxMessageText)
	if len(chunks) < 2 {
		t.Fatalf("500 lines packed into %d message", len(chunks))
	}
	for i, c := range chunks {
		if n := len(utf16.Encode([]rune(c))); n > maxMessageText {
			t.Errorf("chunk %d is %d UTF-16 units, want <= %d", i, n, maxMessageText)
		}
	}
	if got := strings.Join(chunks, "\n"); got != strings.Join(lines, "\n") {
		t.Error("packing lost or changed lines")
	}
	if got := packLines(nil, 10); len(got) != 1 || got[0] != "" {
		t.Errorf("packLines(nil) = %q", got)
	}
	if got := packLines([]string{"abcdef", "gh"}, 4); len(got) != 2 || got[0] != "abcdef" {
		t.Errorf("a line longer than the limit: %q", got)
	}
}
