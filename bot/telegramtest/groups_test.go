package telegramtest_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

var carol = telegramtest.User{ID: 1003, FirstName: "Carol", Username: "carol", LanguageCode: "en"}

// poller reads a fake's updates with getUpdates, confirming each batch.
type poller struct {
	url    string
	offset int64
}

// next is every update queued now, confirmed.
func (p *poller) next(tb testing.TB) []models.Update {
	tb.Helper()
	got := updates(tb, call(tb, p.url, "getUpdates", map[string]any{"offset": p.offset}))
	if n := len(got); n > 0 {
		p.offset = got[n-1].ID + 1
	}
	return got
}

// kinds names each update's kind.
func kinds(us []models.Update) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, kindOf(u))
	}
	return out
}

func TestGroupMessagesReachTheBotOnlyWhenItIsIn(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	p := &poller{url: url}
	group := s.NewGroup("Team", alice, bob)
	steps := []struct {
		name string
		act  func() error
		want []string
	}{
		{"before the bot is added", func() error { _, err := s.SendIn(group, alice, "hello"); return err }, []string{}},
		{"added by alice", func() error { return s.AddBot(group, alice) }, []string{"my_chat_member", "message"}},
		{"a command for another bot", func() error { _, err := s.SendIn(group, bob, "/order@OtherBot"); return err }, []string{"message"}},
		{"carol joins", func() error { return s.AddUser(group, carol, carol) }, []string{"message"}},
		{"carol leaves", func() error { return s.RemoveUser(group, carol, carol) }, []string{"message"}},
		{"removed by bob", func() error { return s.RemoveBot(group, bob) }, []string{"my_chat_member"}},
		{"after removal", func() error { _, err := s.SendIn(group, alice, "/start"); return err }, []string{}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.act(); err != nil {
				t.Fatal(err)
			}
			if got := kinds(p.next(t)); !slices.Equal(got, st.want) {
				t.Errorf("updates %v, want %v", got, st.want)
			}
		})
	}
	msgs := s.Messages(group)
	if len(msgs) != 7 {
		t.Fatalf("transcript has %d messages, want 7 (2 texts, 2 of the bot joining and leaving, 1 command, 2 of carol)", len(msgs))
	}
	if m := msgs[2]; m.Text != "/order@OtherBot" || len(m.Entities) != 1 || m.Entities[0].Length != 15 || m.From != bob.ID {
		t.Errorf("command message = %+v, want a bot_command entity over /order@OtherBot from bob", m)
	}
	if m := msgs[1]; m.Media != "service" || m.From != alice.ID {
		t.Errorf("bot's joining = %+v, want a service message from alice", m)
	}
}

func TestAddedBotUpdates(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	p := &poller{url: url}
	group := s.NewSupergroup("Shop", alice)
	if err := s.AddBot(group, alice); err != nil {
		t.Fatal(err)
	}
	got := p.next(t)
	if len(got) != 2 {
		t.Fatalf("got %d updates, want my_chat_member and new_chat_members", len(got))
	}
	cm := got[0].MyChatMember
	if cm == nil || cm.From.ID != alice.ID || cm.Chat.ID != group || cm.Chat.Type != models.ChatTypeSupergroup ||
		cm.OldChatMember.Type != models.ChatMemberTypeLeft || cm.NewChatMember.Type != models.ChatMemberTypeMember {
		t.Errorf("my_chat_member = %+v, want left to member from alice", cm)
	}
	if m := got[1].Message; m == nil || len(m.NewChatMembers) != 1 || !m.NewChatMembers[0].IsBot {
		t.Errorf("second update = %+v, want new_chat_members with the bot", got[1])
	}
	if err := s.AddBotAdmin(group, alice); err != nil {
		t.Fatal(err)
	}
	got = p.next(t)
	if len(got) != 1 || got[0].MyChatMember == nil || got[0].MyChatMember.NewChatMember.Administrator == nil ||
		!got[0].MyChatMember.NewChatMember.Administrator.CanDeleteMessages {
		t.Errorf("promotion = %+v, want one my_chat_member to administrator", got)
	}
	if r := call(t, url, "leaveChat", map[string]any{"chat_id": group}); !r.OK {
		t.Fatalf("leaveChat: %+v", r)
	}
	got = p.next(t)
	if len(got) != 1 || got[0].MyChatMember == nil || got[0].MyChatMember.From.ID != 123456 ||
		got[0].MyChatMember.NewChatMember.Type != models.ChatMemberTypeLeft {
		t.Errorf("after leaveChat: %+v, want my_chat_member from the bot, new status left", got)
	}
	if r := call(t, url, "leaveChat", map[string]any{"chat_id": group}); r.Description != "Forbidden: bot is not a member of the supergroup chat" {
		t.Errorf("leaving again: %+v", r)
	}
}

func TestChatHelperErrors(t *testing.T) {
	s, _ := newServer(t, telegramtest.Options{})
	group := s.NewGroup("Team", alice)
	forum := s.NewForum("Forum", alice)
	channel := s.NewChannel("News", alice)
	s.SendText(bob, "hi")
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"unknown chat", s.AddBot(-1, alice), telegramtest.ErrNoChat},
		{"private chat", s.AddBot(bob.ID, bob), telegramtest.ErrNotGroup},
		{"stranger adds the bot", s.AddBot(group, bob), telegramtest.ErrNotMember},
		{"stranger writes", second(s.SendIn(group, bob, "hi")), telegramtest.ErrNotMember},
		{"topic in a basic group", second(s.CreateTopic(group, alice, "x")), telegramtest.ErrNotGroup},
		{"unknown topic", second(s.SendInTopic(forum, 999, alice, "x")), telegramtest.ErrNoTopic},
		{"text in a channel", second(s.SendIn(channel, alice, "x")), telegramtest.ErrNotGroup},
		{"post in a group", second(s.ChannelPost(group, "x")), telegramtest.ErrNotGroup},
		{"remove a non-member", s.RemoveUser(group, alice, bob), telegramtest.ErrNotMember},
		{"migrate a supergroup", second(s.Migrate(forum, alice)), telegramtest.ErrNotGroup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) {
				t.Errorf("error %v, want %v", tt.err, tt.want)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestForumTopics(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	p := &poller{url: url}
	forum := s.NewForum("Orders", alice, bob)
	if err := s.AddBot(forum, alice); err != nil {
		t.Fatal(err)
	}
	thread, err := s.CreateTopic(forum, alice, "Refills")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendInTopic(forum, thread, bob, "/order"); err != nil {
		t.Fatal(err)
	}
	got := p.next(t)
	last := got[len(got)-1].Message
	if last == nil || last.MessageThreadID != thread || !last.IsTopicMessage || !last.Chat.IsForum || last.ReplyToMessage == nil {
		t.Fatalf("topic message = %+v, want message_thread_id %d, is_topic_message, a reply to the topic's start", last, thread)
	}
	tests := []struct {
		name       string
		params     bot.SendMessageParams
		wantThread int
		wantErr    string
	}{
		{"in the topic", bot.SendMessageParams{MessageThreadID: thread, Text: "ok"}, thread, ""},
		{"a reply without thread lands in General", bot.SendMessageParams{Text: "ok", ReplyParameters: &models.ReplyParameters{MessageID: last.ID}}, 0, ""},
		{"unknown thread", bot.SendMessageParams{MessageThreadID: 999, Text: "x"}, 0, "message thread not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.params.ChatID = forum
			m, err := b.SendMessage(t.Context(), &tt.params)
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want 400 %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.MessageThreadID != tt.wantThread || m.IsTopicMessage != (tt.wantThread != 0) {
				t.Errorf("sent to thread %d (topic %v), want %d", m.MessageThreadID, m.IsTopicMessage, tt.wantThread)
			}
		})
	}
}

func TestChannelPosts(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	p := &poller{url: url}
	channel := s.NewChannel("News", alice)
	if _, err := s.ChannelPost(channel, "unseen"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddBot(channel, alice); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChannelPost(channel, "/start"); err != nil {
		t.Fatal(err)
	}
	got := p.next(t)
	if k := kinds(got); !slices.Equal(k, []string{"my_chat_member", "channel_post"}) {
		t.Fatalf("updates %v, want my_chat_member, channel_post", k)
	}
	if cm := got[0].MyChatMember; cm.NewChatMember.Type != models.ChatMemberTypeAdministrator {
		t.Errorf("bot joined the channel as %s, want administrator", cm.NewChatMember.Type)
	}
	if post := got[1].ChannelPost; post.From != nil || post.SenderChat == nil || post.SenderChat.ID != channel {
		t.Errorf("channel post from %+v sender_chat %+v, want no from and the channel as sender_chat", post.From, post.SenderChat)
	}
}

func TestPrivacyMode(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{Privacy: true, BotUsername: "shop_bot"})
	b := newBot(t, url)
	p := &poller{url: url}
	group := s.NewSupergroup("Team", alice, bob)
	admins := s.NewSupergroup("Admins", alice)
	if err := s.AddBot(group, alice); err != nil {
		t.Fatal(err)
	}
	if err := s.AddBotAdmin(admins, alice); err != nil {
		t.Fatal(err)
	}
	p.next(t)
	menu, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: group, Text: "menu"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		chat int64
		text string
		seen bool
	}{
		{"chatter", group, "hello all", false},
		{"a bare command", group, "/start", true},
		{"a command for the bot", group, "héllo /order@Shop_Bot", true},
		{"a command for another bot", group, "/order@OtherBot", false},
		{"chatter where the bot is admin", admins, "hello all", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.SendIn(tt.chat, alice, tt.text); err != nil {
				t.Fatal(err)
			}
			if got := len(p.next(t)); got != map[bool]int{false: 0, true: 1}[tt.seen] {
				t.Errorf("%d updates, want seen %v", got, tt.seen)
			}
		})
	}
	t.Run("a reply to the bot", func(t *testing.T) {
		if _, err := s.ReplyIn(group, bob, menu.ID, "2"); err != nil {
			t.Fatal(err)
		}
		got := p.next(t)
		if len(got) != 1 || got[0].Message.ReplyToMessage == nil || got[0].Message.ReplyToMessage.ID != menu.ID {
			t.Errorf("updates %+v, want the reply", got)
		}
	})
	if _, err := s.ReplyIn(group, bob, 999, "x"); !errors.Is(err, telegramtest.ErrNoMessage) {
		t.Errorf("reply to a missing message: %v, want ErrNoMessage", err)
	}
}

func TestGroupFloodLimit(t *testing.T) {
	clk := newClock()
	s, url := newServer(t, telegramtest.Options{Limits: true, ChatBurst: 1, Now: clk.Now})
	b := newBot(t, url)
	group := s.NewGroup("Team", alice)
	if err := s.AddBot(group, alice); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		want    int // retry_after; -1 = sent
	}{
		{"first", 0, -1},
		{"a second later", time.Second, 2},
		{"three seconds after the first", 2 * time.Second, -1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clk.Advance(st.advance)
			if got := retryAfter(send(b, group, "x")); got != st.want {
				t.Errorf("retry_after %d, want %d (20 a minute in a group)", got, st.want)
			}
		})
	}
}
