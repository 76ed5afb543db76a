package smmtest_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

var apiTypes = []string{
	"Default", "Package", "Custom Comments", "Custom Comments Package",
	"Mentions", "Mentions with Hashtags", "Mentions Custom List",
	"Mentions Hashtag", "Mentions User Followers", "Mentions Media Likers",
	"Comment Likes", "Comment Replies", "Poll", "Subscriptions",
	"Invites from Groups", "SEO",
}

func TestGenerateCatalogueIsDeterministic(t *testing.T) {
	a, b := smmtest.GenerateCatalogue(2000, 7), smmtest.GenerateCatalogue(2000, 7)
	if !reflect.DeepEqual(a, b) {
		t.Error("two catalogues of the same seed differ")
	}
	if reflect.DeepEqual(a, smmtest.GenerateCatalogue(2000, 8)) {
		t.Error("catalogues of seeds 7 and 8 are equal")
	}
}

func TestGenerateCatalogueSizes(t *testing.T) {
	tests := []struct {
		n, minCats, maxCats int
	}{
		{-1, 0, 0}, {0, 0, 0}, {1, 1, 1}, {10, 1, 1}, {40, 1, 1},
		{400, 10, 10}, {5000, 100, 130},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			s := smmtest.GenerateCatalogue(tt.n, 1)
			if len(s) != max(tt.n, 0) {
				t.Fatalf("got %d services, want %d", len(s), tt.n)
			}
			if cats := categories(t, s); len(cats) < tt.minCats || len(cats) > tt.maxCats {
				t.Errorf("got %d categories, want %d..%d", len(cats), tt.minCats, tt.maxCats)
			}
		})
	}
}

// categories returns the catalogue's categories in panel order, checking
// that each one's services are contiguous.
func categories(tb testing.TB, s []smm.Service) []string {
	tb.Helper()
	var cats []string
	for i, svc := range s {
		if i > 0 && svc.Category == s[i-1].Category {
			continue
		}
		if slices.Contains(cats, svc.Category) {
			tb.Errorf("category %q comes back at service %d: not contiguous", svc.Category, svc.ID)
		}
		cats = append(cats, svc.Category)
	}
	return cats
}

func TestGenerateCatalogueHasEveryType(t *testing.T) {
	for _, n := range []int{16, 100, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			count := make(map[string]int)
			for _, s := range smmtest.GenerateCatalogue(n, 3) {
				count[s.Type]++
			}
			for _, typ := range apiTypes {
				if count[typ] == 0 {
					t.Errorf("no service of type %q", typ)
				}
			}
			if len(count) != len(apiTypes) {
				t.Errorf("types %v, want only API.md's", count)
			}
			if n == 5000 && count["Default"] < n/2 {
				t.Errorf("%d Default services of %d, want most", count["Default"], n)
			}
		})
	}
}

func TestGenerateCatalogueNamesAreTricky(t *testing.T) {
	tricky := []struct {
		name string
		has  func(rune) bool
	}{
		{"emoji", func(r rune) bool { return r >= 0x1F300 }},
		{"Cyrillic", func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }},
		{"Arabic", func(r rune) bool { return unicode.Is(unicode.Arabic, r) }},
		{"bracket", func(r rune) bool { return r == '[' }},
		{"ampersand", func(r rune) bool { return r == '&' }},
		{"less-than", func(r rune) bool { return r == '<' }},
	}
	for _, n := range []int{6, 5000} {
		s := smmtest.GenerateCatalogue(n, 11)
		for _, tt := range tricky {
			t.Run(fmt.Sprint(n, "/", tt.name), func(t *testing.T) {
				if !slices.ContainsFunc(s, func(svc smm.Service) bool { return strings.ContainsFunc(svc.Name, tt.has) }) {
					t.Errorf("no service name has a %s", tt.name)
				}
			})
		}
	}
	longest := 0
	for _, svc := range smmtest.GenerateCatalogue(5000, 11) {
		n := utf8.RuneCountInString(svc.Name)
		if !utf8.ValidString(svc.Name) || n == 0 || n > 120 {
			t.Errorf("service %d: name %q of %d characters, want 1..120 valid UTF-8", svc.ID, svc.Name, n)
		}
		longest = max(longest, n)
	}
	if longest < 90 {
		t.Errorf("longest name %d characters, want some near 120", longest)
	}
}

func TestGenerateCatalogueValues(t *testing.T) {
	s := smmtest.GenerateCatalogue(5000, 5)
	var refill, cancel, drip, noDesc int
	exps := make(map[int32]bool)
	for i, svc := range s {
		if i > 0 && svc.ID <= s[i-1].ID {
			t.Errorf("service %d after %d: ids not increasing", svc.ID, s[i-1].ID)
		}
		if !svc.Rate.IsPositive() || svc.Min < 1 || svc.Max < svc.Min {
			t.Errorf("service %d: rate %v min %d max %d", svc.ID, svc.Rate, svc.Min, svc.Max)
		}
		if svc.Type == "Package" && (svc.Min != 1 || svc.Max != 1) {
			t.Errorf("package %d: min %d max %d, want 1 1", svc.ID, svc.Min, svc.Max)
		}
		if svc.Dripfeed && svc.Type != "Default" {
			t.Errorf("service %d: drip-feed on a %s", svc.ID, svc.Type)
		}
		exps[svc.Rate.Exponent()] = true
		refill, cancel, drip = refill+b2i(svc.Refill), cancel+b2i(svc.Cancel), drip+b2i(svc.Dripfeed)
		noDesc += b2i(svc.Description == "")
	}
	for _, c := range []struct {
		what string
		n    int
	}{{"refill", refill}, {"cancel", cancel}, {"drip-feed", drip}, {"no description", noDesc}} {
		if c.n < len(s)/20 || c.n > len(s)*3/4 {
			t.Errorf("%d services with %s of %d, want some, not most", c.n, c.what, len(s))
		}
	}
	for _, exp := range []int32{0, -1, -2, -4} {
		if !exps[exp] {
			t.Errorf("no rate with %d decimals; exponents seen %v", -exp, exps)
		}
	}
}

func TestGeneratedCatalogueOnTheWire(t *testing.T) {
	f := newFixture(t, smmtest.Options{Services: smmtest.GenerateCatalogue(5000, 9)})
	got := f.call(t, keyA, "services").([]any)
	want := f.panel.Services()
	if len(got) != len(want) {
		t.Fatalf("got %d services, want %d", len(got), len(want))
	}
	for i, e := range got {
		m := e.(map[string]any)
		if m["name"] != want[i].Name || m["category"] != want[i].Category || asInt(t, m["service"]) != want[i].ID {
			t.Errorf("service %d: got %v %v, want %q in %q", want[i].ID, m["name"], m["category"], want[i].Name, want[i].Category)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
