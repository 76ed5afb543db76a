package track_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsNoTelegram: the package knows nothing of Telegram; of ours it
// uses smm and store only (neither imports go-telegram either: see
// DESIGN.md's table).
func TestImportsNoTelegram(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			ours := strings.HasPrefix(path, "github.com/smmbot/smmbot/")
			if strings.Contains(path, "telegram") || ours && path != "github.com/smmbot/smmbot/smm" && path != "github.com/smmbot/smmbot/store" ||
				!ours && strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
