package smmtest_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

// typeCatalogue is a service of every type of API.md, ids 101..116, rate
// 2 per 1000 (a package's price), min 10, max 1000.
func typeCatalogue() []smm.Service {
	types := []string{"Default", "Package", "Custom Comments", "Custom Comments Package", "Mentions",
		"Mentions with Hashtags", "Mentions Custom List", "Mentions Hashtag", "Mentions User Followers",
		"Mentions Media Likers", "Comment Likes", "Comment Replies", "Poll", "Invites from Groups", "SEO", "Subscriptions"}
	var list []smm.Service
	for i, typ := range types {
		list = append(list, smm.Service{ID: int64(101 + i), Name: typ + " service", Type: typ, Category: "Types",
			Rate: decimal.NewFromInt(2), Min: 10, Max: 1000})
	}
	return list
}

// tenLines is a list of ten items.
var tenLines = strings.TrimSpace(strings.Repeat("item\n", 10))

// TestAddEveryType places an order of every type with its fields, as
// panel/API.md lists them, and checks the quantity and the charge.
func TestAddEveryType(t *testing.T) {
	tests := []struct {
		name     string
		fields   []string
		quantity int64
		charge   string
	}{
		{"Default", []string{"service", "101", "link", "x", "quantity", "500"}, 500, "1"},
		{"Package", []string{"service", "102", "link", "x"}, 1, "2"},
		{"Custom Comments", []string{"service", "103", "link", "x", "comments", tenLines}, 10, "0.02"},
		{"Custom Comments Package", []string{"service", "104", "link", "x", "comments", "one\ntwo"}, 1, "2"},
		{"Mentions", []string{"service", "105", "link", "x", "quantity", "500", "usernames", "a\nb"}, 500, "1"},
		{"Mentions with Hashtags", []string{"service", "106", "link", "x", "quantity", "500", "usernames", "a", "hashtags", "#h"}, 500, "1"},
		{"Mentions Custom List", []string{"service", "107", "link", "x", "usernames", tenLines}, 10, "0.02"},
		{"Mentions Hashtag", []string{"service", "108", "link", "x", "quantity", "500", "hashtag", "#h"}, 500, "1"},
		{"Mentions User Followers", []string{"service", "109", "link", "x", "quantity", "500", "username", "nasa"}, 500, "1"},
		{"Mentions Media Likers", []string{"service", "110", "link", "x", "quantity", "500", "media", "https://i.g/p/1"}, 500, "1"},
		{"Comment Likes", []string{"service", "111", "link", "x", "quantity", "500", "username", "nasa"}, 500, "1"},
		{"Comment Replies", []string{"service", "112", "link", "x", "username", "nasa", "comments", tenLines}, 10, "0.02"},
		{"Poll", []string{"service", "113", "link", "x", "quantity", "500", "answer_number", "2"}, 500, "1"},
		{"Invites from Groups", []string{"service", "114", "link", "x", "quantity", "500", "groups", "g1\ng2"}, 500, "1"},
		{"SEO", []string{"service", "115", "link", "x", "quantity", "500", "keywords", "red shoes"}, 500, "1"},
		{"Subscriptions", []string{"service", "116", "username", "nasa", "min", "10", "max", "100", "delay", "0"}, 0, "0"},
		{"Subscriptions, every field", []string{"service", "116", "username", "nasa", "min", "10", "max", "100",
			"posts", "5", "old_posts", "2", "delay", "600", "expiry", "31/12/2027"}, 0, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, smmtest.Options{Services: typeCatalogue()})
			id := f.place(t, keyA, tt.fields...)
			o, ok := f.panel.Order(keyA, id)
			charge := decimal.RequireFromString(tt.charge)
			if !ok || o.Quantity != tt.quantity || !o.Charge.Equal(charge) {
				t.Errorf("order %+v, %v; want quantity %d, charge %v", o, ok, tt.quantity, charge)
			}
			if got, want := f.panel.Balance(keyA), decimal.NewFromInt(100).Sub(charge); !got.Equal(want) {
				t.Errorf("balance %v, want %v", got, want)
			}
		})
	}
}

// TestAddTypeValidation: a missing or malformed field of any type gets
// the panel's error, and nothing is placed or charged.
func TestAddTypeValidation(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{"package without link", []string{"service", "102"}, "Incorrect link"},
		{"package drip-feed", []string{"service", "102", "link", "x", "runs", "2", "interval", "5"}, "Incorrect request"},
		{"comments package without comments", []string{"service", "104", "link", "x"}, "Incorrect request"},
		{"mentions without usernames", []string{"service", "105", "link", "x", "quantity", "500"}, "Incorrect request"},
		{"mentions quantity below min", []string{"service", "105", "link", "x", "quantity", "5", "usernames", "a"}, "Quantity less than minimal 10"},
		{"mentions with hashtags without hashtags", []string{"service", "106", "link", "x", "quantity", "500", "usernames", "a"}, "Incorrect request"},
		{"custom list too short", []string{"service", "107", "link", "x", "usernames", "a\nb"}, "Quantity less than minimal 10"},
		{"custom list missing", []string{"service", "107", "link", "x", "quantity", "500"}, "Incorrect request"},
		{"hashtag missing", []string{"service", "108", "link", "x", "quantity", "500"}, "Incorrect request"},
		{"username with a space", []string{"service", "109", "link", "x", "quantity", "500", "username", "na sa"}, "Incorrect request"},
		{"media missing", []string{"service", "110", "link", "x", "quantity", "500"}, "Incorrect request"},
		{"comment likes without username", []string{"service", "111", "link", "x", "quantity", "500"}, "Incorrect request"},
		{"comment replies without username", []string{"service", "112", "link", "x", "comments", tenLines}, "Incorrect request"},
		{"poll without answer", []string{"service", "113", "link", "x", "quantity", "500"}, "Incorrect request"},
		{"poll answer zero", []string{"service", "113", "link", "x", "quantity", "500", "answer_number", "0"}, "Incorrect request"},
		{"poll answer not a number", []string{"service", "113", "link", "x", "quantity", "500", "answer_number", "two"}, "Incorrect request"},
		{"poll drip-feed", []string{"service", "113", "link", "x", "quantity", "500", "answer_number", "1", "runs", "2", "interval", "5"}, "Incorrect request"},
		{"groups missing", []string{"service", "114", "link", "x", "quantity", "500"}, "Incorrect request"},
		{"keywords blank", []string{"service", "115", "link", "x", "quantity", "500", "keywords", " \n "}, "Incorrect request"},
		{"subscription without username", []string{"service", "116", "min", "10", "max", "100", "delay", "0"}, "Incorrect request"},
		{"subscription without delay", []string{"service", "116", "username", "u", "min", "10", "max", "100"}, "Incorrect request"},
		{"subscription odd delay", []string{"service", "116", "username", "u", "min", "10", "max", "100", "delay", "7"}, "Incorrect request"},
		{"subscription min above max", []string{"service", "116", "username", "u", "min", "100", "max", "10", "delay", "0"}, "Incorrect request"},
		{"subscription min below the service's", []string{"service", "116", "username", "u", "min", "5", "max", "100", "delay", "0"}, "Quantity less than minimal 10"},
		{"subscription max above the service's", []string{"service", "116", "username", "u", "min", "10", "max", "1001", "delay", "0"}, "Quantity more than maximum 1000"},
		{"subscription posts not a number", []string{"service", "116", "username", "u", "min", "10", "max", "100", "delay", "0", "posts", "x"}, "Incorrect request"},
		{"subscription bad expiry", []string{"service", "116", "username", "u", "min", "10", "max", "100", "delay", "0", "expiry", "2027-12-31"}, "Incorrect request"},
	}
	f := newFixture(t, smmtest.Options{Services: typeCatalogue()})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.call(t, keyA, "add", tt.fields...), tt.want)
		})
	}
	if got := f.panel.Orders(keyA); len(got) != 0 {
		t.Errorf("refused adds placed %d orders", len(got))
	}
	if got := f.panel.Balance(keyA); !got.Equal(decimal.NewFromInt(100)) {
		t.Errorf("balance %v after refused adds, want 100", got)
	}
}

// TestAddTypeNames: type names are compared without case or extra
// spaces; a type the emulator does not know is refused.
func TestAddTypeNames(t *testing.T) {
	list := []smm.Service{
		{ID: 1, Name: "odd case", Type: "  mentions   CUSTOM list ", Rate: decimal.NewFromInt(1), Min: 1, Max: 10},
		{ID: 2, Name: "invented", Type: "Story Votes", Rate: decimal.NewFromInt(1), Min: 1, Max: 10},
	}
	f := newFixture(t, smmtest.Options{Services: list})
	f.place(t, keyA, "service", "1", "link", "x", "usernames", "a\nb")
	wantError(t, f.call(t, keyA, "add", "service", "2", "link", "x", "quantity", "5"), "Incorrect request")
}
