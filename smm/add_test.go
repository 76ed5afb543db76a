package smm_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/smmbot/smmbot/smm"
)

// TestAddFieldsEveryType: the add form of every service type of API.md,
// field names and values exactly (besides key and action).
func TestAddFieldsEveryType(t *testing.T) {
	const link = "https://t.me/x"
	tests := []struct {
		name string
		req  smm.AddRequest
		want url.Values
	}{
		{"Default", smm.AddRequest{Service: 1, Link: link, Quantity: 1500},
			url.Values{"link": {link}, "quantity": {"1500"}}},
		{"Default drip-feed", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Runs: 5, Interval: 30},
			url.Values{"link": {link}, "quantity": {"100"}, "runs": {"5"}, "interval": {"30"}}},
		{"Package", smm.AddRequest{Service: 1, Link: link}, url.Values{"link": {link}}},
		{"Custom Comments", smm.AddRequest{Service: 1, Link: link, Quantity: 2, Comments: "nice\ngreat"},
			url.Values{"link": {link}, "comments": {"nice\ngreat"}}},
		{"Custom Comments Package", smm.AddRequest{Service: 1, Link: link, Comments: "nice\ngreat"},
			url.Values{"link": {link}, "comments": {"nice\ngreat"}}},
		{"Mentions", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Usernames: "alice\nbob"},
			url.Values{"link": {link}, "quantity": {"100"}, "usernames": {"alice\nbob"}}},
		{"Mentions with Hashtags", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Usernames: "alice", Hashtags: "#a\n#b"},
			url.Values{"link": {link}, "quantity": {"100"}, "usernames": {"alice"}, "hashtags": {"#a\n#b"}}},
		{"Mentions Custom List", smm.AddRequest{Service: 1, Link: link, Usernames: "alice\nbob"},
			url.Values{"link": {link}, "usernames": {"alice\nbob"}}},
		{"Mentions Hashtag", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Hashtag: "#sun"},
			url.Values{"link": {link}, "quantity": {"100"}, "hashtag": {"#sun"}}},
		{"Mentions User Followers", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Username: "nasa"},
			url.Values{"link": {link}, "quantity": {"100"}, "username": {"nasa"}}},
		{"Mentions Media Likers", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Media: "https://i.g/p/1"},
			url.Values{"link": {link}, "quantity": {"100"}, "media": {"https://i.g/p/1"}}},
		{"Comment Likes", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Username: "nasa"},
			url.Values{"link": {link}, "quantity": {"100"}, "username": {"nasa"}}},
		{"Comment Replies", smm.AddRequest{Service: 1, Link: link, Username: "nasa", Comments: "hi\nyo"},
			url.Values{"link": {link}, "username": {"nasa"}, "comments": {"hi\nyo"}}},
		{"Poll", smm.AddRequest{Service: 1, Link: link, Quantity: 100, AnswerNumber: 3},
			url.Values{"link": {link}, "quantity": {"100"}, "answer_number": {"3"}}},
		{"Invites from Groups", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Groups: "g1\ng2"},
			url.Values{"link": {link}, "quantity": {"100"}, "groups": {"g1\ng2"}}},
		{"SEO", smm.AddRequest{Service: 1, Link: link, Quantity: 100, Keywords: "red shoes\nblue shoes"},
			url.Values{"link": {link}, "quantity": {"100"}, "keywords": {"red shoes\nblue shoes"}}},
		{"Subscriptions", smm.AddRequest{Service: 1, Username: "nasa", Min: 10, Max: 100, Delay: 0},
			url.Values{"username": {"nasa"}, "min": {"10"}, "max": {"100"}, "delay": {"0"}}},
		{"Subscriptions, every field", smm.AddRequest{Service: 1, Username: " nasa ", Min: 10, Max: 100, Posts: 5, OldPosts: 2, Delay: 30, Expiry: "31/12/2027"},
			url.Values{"username": {"nasa"}, "min": {"10"}, "max": {"100"}, "posts": {"5"}, "old_posts": {"2"}, "delay": {"30"}, "expiry": {"31/12/2027"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Set("service", "1")
			got, err := tt.req.Fields()
			if err != nil {
				t.Fatalf("Fields: %v", err)
			}
			if got.Encode() != tt.want.Encode() {
				t.Errorf("fields %s\nwant   %s", got.Encode(), tt.want.Encode())
			}
			c, panel := serve(t, file(t, "add.json"))
			if _, err := c.Add(t.Context(), testKey, tt.req); err != nil {
				t.Fatal(err)
			}
			sent := panel.calls()[0]
			tt.want.Set("key", testKey)
			tt.want.Set("action", "add")
			if sent.Encode() != tt.want.Encode() {
				t.Errorf("sent %s\nwant %s", sent.Encode(), tt.want.Encode())
			}
		})
	}
}

// TestAddFieldsRefused: a request that cannot be valid is refused before
// anything is sent.
func TestAddFieldsRefused(t *testing.T) {
	tests := []struct {
		name string
		req  smm.AddRequest
	}{
		{"negative answer", smm.AddRequest{Service: 1, Link: "x", Quantity: 1, AnswerNumber: -1}},
		{"subscription without username", smm.AddRequest{Service: 1, Min: 1, Max: 10}},
		{"subscription min above max", smm.AddRequest{Service: 1, Username: "u", Min: 11, Max: 10}},
		{"subscription without min", smm.AddRequest{Service: 1, Username: "u", Max: 10}},
		{"subscription with a link", smm.AddRequest{Service: 1, Link: "x", Username: "u", Min: 1, Max: 10}},
		{"subscription with a quantity", smm.AddRequest{Service: 1, Quantity: 5, Username: "u", Min: 1, Max: 10}},
		{"subscription negative delay", smm.AddRequest{Service: 1, Username: "u", Min: 1, Max: 10, Delay: -5}},
		{"subscription negative posts", smm.AddRequest{Service: 1, Username: "u", Min: 1, Max: 10, Posts: -1}},
		{"subscription bad expiry", smm.AddRequest{Service: 1, Username: "u", Min: 1, Max: 10, Expiry: "2027-12-31"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.req.Fields(); !errors.Is(err, smm.ErrIncorrectRequest) {
				t.Errorf("Fields: %v, want ErrIncorrectRequest", err)
			}
			c, panel := serve(t, file(t, "add.json"))
			if _, err := c.Add(t.Context(), testKey, tt.req); !errors.Is(err, smm.ErrIncorrectRequest) {
				t.Errorf("Add: %v, want ErrIncorrectRequest", err)
			}
			if n := len(panel.calls()); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
}
