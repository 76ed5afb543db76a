package smm_test

import (
	"fmt"
	"testing"

	"github.com/smmbot/smmbot/smm"
)

// scattered is a catalogue whose categories interleave, as real ones do.
var scattered = []smm.Service{
	{ID: 10, Name: "Instagram Followers [Real]", Category: "Instagram"},
	{ID: 20, Name: "Telegram Members", Category: "Telegram"},
	{ID: 11, Name: "Instagram Likes", Category: "Instagram"},
	{ID: 30, Name: "Подписчики Instagram", Category: "Другое"},
	{ID: 21, Name: "Telegram Post Views", Category: "Telegram"},
	{ID: 12, Name: "INSTAGRAM followers (slow)", Category: "Instagram"},
	{ID: 10, Name: "Duplicate of 10", Category: "Telegram"},
	{ID: 40, Name: "First 40", Category: "Новое"},
	{ID: 40, Name: "Second 40, in an earlier category", Category: "Instagram"},
}

func ids(list []smm.Service) string {
	s := ""
	for _, x := range list {
		s += fmt.Sprintf("%d ", x.ID)
	}
	return s
}

func TestCatalogueGroupsInPanelOrder(t *testing.T) {
	c := smm.NewCatalogue(scattered)
	var got []string
	for _, cat := range c.Categories {
		got = append(got, cat.Name+": "+ids(cat.Services))
	}
	want := []string{"Instagram: 10 11 12 40 ", "Telegram: 20 21 10 ", "Другое: 30 ", "Новое: 40 "}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("categories %q, want %q", got, want)
	}
	if c.Len() != len(scattered) {
		t.Errorf("Len() = %d, want %d", c.Len(), len(scattered))
	}
	if c.Fetched.IsZero() {
		t.Error("Fetched is zero")
	}
}

func TestCatalogueService(t *testing.T) {
	c := smm.NewCatalogue(scattered)
	tests := []struct {
		id   int64
		name string // "" = not found
	}{
		{10, "Instagram Followers [Real]"},
		{21, "Telegram Post Views"},
		{30, "Подписчики Instagram"},
		{40, "First 40"},
		{99, ""},
		{0, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.id), func(t *testing.T) {
			s, found := c.Service(tt.id)
			if found != (tt.name != "") || s.Name != tt.name {
				t.Errorf("Service(%d) = %q, %t; want %q", tt.id, s.Name, found, tt.name)
			}
		})
	}
}

func TestCatalogueSearch(t *testing.T) {
	c := smm.NewCatalogue(scattered)
	tests := []struct {
		query string
		limit int
		want  string
	}{
		{"instagram", 0, "10 11 30 12 "},
		{"40", 0, "40 40 "},
		{"FOLLOWERS instagram", 0, "10 12 "},
		{"  followers   real ", 0, "10 "},
		{"instagram", 2, "10 11 "},
		{"подписчики", 0, "30 "},
		{"ПОДПИСЧИКИ", 0, "30 "},
		{"[real]", 0, "10 "},
		{"tiktok", 0, ""},
		{"", 0, ""},
		{"   ", 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := ids(c.Search(tt.query, tt.limit)); got != tt.want {
				t.Errorf("Search(%q, %d) = %q, want %q", tt.query, tt.limit, got, tt.want)
			}
		})
	}
}

func TestCatalogueLiteralAndNil(t *testing.T) {
	lit := &smm.Catalogue{Categories: []smm.Category{
		{Name: "A", Services: []smm.Service{{ID: 1, Name: "One"}, {ID: 2, Name: "Two"}}},
		{Name: "B", Services: []smm.Service{{ID: 3, Name: "Three one"}}},
	}}
	if s, found := lit.Service(3); !found || s.Name != "Three one" {
		t.Errorf("literal Service(3) = %v, %t", s, found)
	}
	if got := ids(lit.Search("one", 0)); got != "1 3 " {
		t.Errorf("literal Search = %q, want 1 3", got)
	}
	if lit.Len() != 3 {
		t.Errorf("literal Len() = %d, want 3", lit.Len())
	}
	var none *smm.Catalogue
	if _, found := none.Service(1); found || none.Len() != 0 || none.Search("x", 0) != nil {
		t.Error("a nil Catalogue finds something")
	}
	empty := smm.NewCatalogue(nil)
	if empty.Len() != 0 || len(empty.Categories) != 0 {
		t.Errorf("empty catalogue: %d services, %d categories", empty.Len(), len(empty.Categories))
	}
}
