package locales

import (
	"slices"
	"strings"
	"testing"
)

func load(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return c
}

func TestEveryLocaleHasEveryMessage(t *testing.T) {
	c := load(t)
	want := c.IDs(Default)
	if len(want) == 0 {
		t.Fatal("English has no messages")
	}
	for _, l := range c.Languages() {
		t.Run(l.Code, func(t *testing.T) {
			got := c.IDs(l.Code)
			for _, id := range want {
				if !slices.Contains(got, id) {
					t.Errorf("%s lacks %q", l.Code, id)
				}
			}
			for _, id := range got {
				if !slices.Contains(want, id) {
					t.Errorf("%s has %q, which English lacks", l.Code, id)
				}
			}
		})
	}
}

func TestLanguages(t *testing.T) {
	c := load(t)
	var codes []string
	for _, l := range c.Languages() {
		codes = append(codes, l.Code)
		if l.Name == l.Code {
			t.Errorf("%s has no lang.name", l.Code)
		}
	}
	for _, want := range []string{"en", "ar", "ru"} {
		if !slices.Contains(codes, want) {
			t.Errorf("languages %v lack %s", codes, want)
		}
	}
	if codes[0] != "en" {
		t.Errorf("first language = %s, want en", codes[0])
	}
}

func TestMatch(t *testing.T) {
	c := load(t)
	for in, want := range map[string]string{"ru": "ru", "ar-SA": "ar", "EN-us": "en", "pt-br": "en", "": "en"} {
		if got := c.Match(in); got != want {
			t.Errorf("Match(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlurals renders every plural message for many counts in every
// language: no form may be missing or leave a template behind.
func TestPlurals(t *testing.T) {
	c := load(t)
	args := map[string]any{"Count": 0, "Page": 1, "Pages": 2, "Min": 1, "Max": 9, "Category": "C", "Query": "q"}
	for _, l := range c.Languages() {
		for _, id := range []string{"order.categories", "order.services", "order.results", "err.comment_count", "err.line_count"} {
			for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 102} {
				args["Count"] = n
				got := c.Text(l.Code, id, args, n)
				if got == id || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
					t.Errorf("%s %s count %d = %q", l.Code, id, n, got)
				}
			}
		}
	}
}

func TestTextFallsBack(t *testing.T) {
	c := load(t)
	if got := c.Text("xx", "lang.name", nil, nil); got != "English" {
		t.Errorf("unknown language = %q, want English", got)
	}
	if got := c.Text("en", "no.such.id", nil, nil); got != "no.such.id" {
		t.Errorf("unknown id = %q, want the id", got)
	}
	if got := c.Text("en", "order.no_such_service", map[string]any{"ID": 42}, nil); got != "There is no service #42." {
		t.Errorf("args = %q", got)
	}
}
