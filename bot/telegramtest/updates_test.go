package telegramtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func updates(tb testing.TB, r apiReply) []models.Update {
	tb.Helper()
	if !r.OK {
		tb.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
		return nil
	}
	var us []models.Update
	if err := json.Unmarshal(r.Result, &us); err != nil {
		tb.Errorf("decode updates: %v", err)
	}
	return us
}

func ids(us []models.Update) []int {
	out := []int{}
	for _, u := range us {
		out = append(out, int(u.ID))
	}
	return out
}

func TestGetUpdatesOffsets(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	for _, text := range []string{"one", "two", "three", "four"} {
		s.SendText(alice, text)
	}
	tests := []struct {
		name string
		body map[string]any
		want []int
	}{
		{"all", map[string]any{}, []int{1, 2, 3, 4}},
		{"unconfirmed come again", map[string]any{"limit": 2}, []int{1, 2}},
		{"offset confirms", map[string]any{"offset": 3}, []int{3, 4}},
		{"confirmed are gone", map[string]any{}, []int{3, 4}},
		{"negative offset keeps the last", map[string]any{"offset": -1}, []int{4}},
		{"past the end", map[string]any{"offset": 5}, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(updates(t, call(t, url, "getUpdates", tt.body))); !equalInts(got, tt.want) {
				t.Errorf("update ids %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEachUpdateReachesTheBotOnce(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	rec := &recorder{}
	startBot(t, newBot(t, url, bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { rec.add(u) })))
	for i := range 5 {
		s.SendText(alice, strings.Repeat("x", i+1))
	}
	waitFor(t, s, "five updates", func() bool { return rec.count() >= 5 })
	s.SendText(bob, "last")
	waitFor(t, s, "the sixth", func() bool { return rec.count() >= 6 })
	var got []int
	for _, u := range rec.byID() {
		got = append(got, int(u.ID))
	}
	if want := []int{1, 2, 3, 4, 5, 6}; !equalInts(got, want) {
		t.Errorf("the bot saw updates %v, want each of %v once", got, want)
	}
	// The client confirms them with its next offset.
	waitFor(t, s, "the queue to empty", func() bool { return s.Pending() == 0 })
}

func TestLongPollAnswersWhenAnUpdateArrives(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	done := make(chan []models.Update)
	go func() {
		done <- updates(t, call(t, url, "getUpdates", map[string]any{"timeout": 30}))
	}()
	waitFor(t, s, "the poll", func() bool { return s.Calls("getUpdates") == 1 })
	s.SendText(alice, "wake up")
	if got := <-done; len(got) != 1 || got[0].Message.Text != "wake up" {
		t.Errorf("poll answered %+v, want the new message", got)
	}
}

func TestLongPollTimesOut(t *testing.T) {
	_, url := newServer(t, telegramtest.Options{})
	if got := updates(t, call(t, url, "getUpdates", map[string]any{"timeout": 1})); len(got) != 0 {
		t.Errorf("got %d updates, want none after the timeout", len(got))
	}
}

func TestLongPollEndsWithItsRequest(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/bot"+testToken+"/getUpdates?timeout=60", nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	waitFor(t, s, "the poll", func() bool { return s.Calls("getUpdates") == 1 })
	cancel()
	if err := <-done; err == nil {
		t.Error("the cancelled poll answered; want the request's error")
	}
}

func TestSecondPollEndsTheFirst(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	results := make(chan apiReply, 2)
	for range 2 {
		go func() { results <- call(t, url, "getUpdates", map[string]any{"timeout": 30}) }()
	}
	first := <-results
	if first.OK || first.ErrorCode != 409 || !strings.HasPrefix(first.Description, "Conflict: terminated by other getUpdates request") {
		t.Errorf("first answer %+v, want 409 terminated by other getUpdates request", first)
	}
	s.SendText(alice, "hi")
	if got := updates(t, <-results); len(got) != 1 {
		t.Errorf("the remaining poll got %d updates, want 1", len(got))
	}
}

// TestAllowedUpdates: as in Telegram, allowed_updates persists and
// applies to updates made after the call, not to those already queued.
func TestAllowedUpdates(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	s.SendText(alice, "before")
	s.PressData(alice, 1, "x")
	got := updates(t, call(t, url, "getUpdates", map[string]any{"allowed_updates": []string{"callback_query"}, "timeout": 0}))
	if len(got) != 2 {
		t.Errorf("got %d updates made before allowed_updates was set, want both", len(got))
	}
	call(t, url, "getUpdates", map[string]any{"offset": 3})
	steps := []struct {
		name string
		act  func()
		body map[string]any
		want string // the kind of the one update expected, "" for none
	}{
		{"message left out", func() { s.SendText(alice, "after") }, map[string]any{}, ""},
		{"callback query taken", func() { s.PressData(alice, 1, "y") }, map[string]any{}, "callback_query"},
		{"my_chat_member left out", func() { s.Block(alice.ID) }, map[string]any{}, ""},
		{"empty list resets to the default", func() {}, map[string]any{"allowed_updates": []string{}}, ""},
		{"my_chat_member by default", func() { s.Unblock(alice.ID) }, map[string]any{}, "my_chat_member"},
		{"chat_member never by default", func() {
			if _, err := s.SendRaw(`{"chat_member": {}}`); err != nil {
				t.Fatal(err)
			}
		}, map[string]any{}, ""},
		{"message by default", func() { s.SendText(alice, "again") }, map[string]any{}, "message"},
	}
	offset := 3
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.act()
			st.body["offset"] = offset
			got := updates(t, call(t, url, "getUpdates", st.body))
			var kinds []string
			for _, u := range got {
				offset = int(u.ID) + 1
				kinds = append(kinds, kindOf(u))
			}
			if want := []string{st.want}; (st.want == "" && len(kinds) != 0) || (st.want != "" && !slices.Equal(kinds, want)) {
				t.Errorf("got updates %v, want %q", kinds, st.want)
			}
		})
	}
}

// kindOf names the kinds the tests make.
func kindOf(u models.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.ChannelPost != nil:
		return "channel_post"
	}
	return "other"
}

func TestRequestEncodings(t *testing.T) {
	s, srvURL := newServer(t, telegramtest.Options{})
	s.SendText(alice, "hi")
	markup := `{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]}`
	form := url.Values{"chat_id": {"1001"}, "text": {"<b>form</b>"}, "parse_mode": {"HTML"}, "reply_markup": {markup}}
	resp, err := http.PostForm(srvURL+"/bot"+testToken+"/sendMessage", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("urlencoded sendMessage: HTTP %d", resp.StatusCode)
	}
	r := call(t, srvURL, "sendMessage", map[string]any{
		"chat_id": 1001, "text": "json", "reply_markup": json.RawMessage(markup),
		"link_preview_options": map[string]any{"is_disabled": true}, "disable_web_page_preview": true,
	})
	if !r.OK {
		t.Errorf("JSON sendMessage: %+v", r)
	}
	resp, err = http.Get(srvURL + "/bot" + testToken + "/getMe")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET getMe: HTTP %d", resp.StatusCode)
	}
	msgs := s.BotMessages(alice.ID)
	if len(msgs) != 2 || msgs[0].Text != "form" || msgs[1].Buttons[0][0].Data != "go" {
		t.Errorf("bot messages = %+v", msgs)
	}
	bad := call(t, srvURL, "sendMessage", map[string]any{"chat_id": 1001, "text": "x", "reply_markup": "{not json"})
	if bad.Description != "Bad Request: can't parse reply keyboard markup JSON object" {
		t.Errorf("bad markup: %+v", bad)
	}
}
