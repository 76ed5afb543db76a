package telegramtest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestUserEdits(t *testing.T) {
	clk := newClock()
	s, url := newServer(t, telegramtest.Options{Now: clk.Now})
	p := &poller{url: url}
	id := s.SendText(alice, "/orders 12")
	p.next(t)
	clk.Advance(90 * time.Second)
	group := s.NewGroup("Team", alice, bob)
	gid := must(s.SendIn(group, bob, "hello")) // the bot is not in the group
	tests := []struct {
		name    string
		from    telegramtest.User
		chat    int64
		msgID   int
		wantErr error
		updates int
	}{
		{"own message", alice, alice.ID, id, nil, 1},
		{"someone else's", bob, alice.ID, id, telegramtest.ErrNoMessage, 0},
		{"no such message", alice, alice.ID, 99, telegramtest.ErrNoMessage, 0},
		{"in a group without the bot", bob, group, gid, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.EditText(tt.from, tt.chat, tt.msgID, "/orders 13")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("EditText: %v, want %v", err, tt.wantErr)
			}
			got := p.next(t)
			if len(got) != tt.updates {
				t.Fatalf("%d updates, want %d", len(got), tt.updates)
			}
			if tt.updates == 0 {
				return
			}
			m := got[0].EditedMessage
			if m == nil || m.ID != tt.msgID || m.Text != "/orders 13" || m.EditDate == 0 || m.EditDate == m.Date || len(m.Entities) != 1 {
				t.Errorf("edited_message = %+v", m)
			}
		})
	}
	if m := s.Messages(alice.ID)[0]; m.Text != "/orders 13" || m.Edits != 1 {
		t.Errorf("transcript = %+v, want the new text", m)
	}
}

func TestFlood(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	ids := s.Flood(alice, 150)
	if len(ids) != 150 || ids[149] != 150 {
		t.Fatalf("ids %v", ids)
	}
	p := &poller{url: url}
	if got := p.next(t); len(got) != 100 || got[0].Message.Text != "flood 1" {
		t.Errorf("first batch: %d updates, want 100", len(got))
	}
	if got := p.next(t); len(got) != 50 {
		t.Errorf("second batch: %d updates, want 50", len(got))
	}
}
