package telegramtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/smmbot/smmbot/bot/telegramtest"
)

func TestWaitUntil(t *testing.T) {
	s, _ := newServer(t, telegramtest.Options{})
	t.Run("wakes on a change", func(t *testing.T) {
		go s.SendText(alice, "hello")
		waitFor(t, s, "the message", func() bool { return len(s.Messages(alice.ID)) == 1 })
	})
	t.Run("true at once", func(t *testing.T) {
		if err := s.WaitUntil(t.Context(), func() bool { return true }); err != nil {
			t.Errorf("WaitUntil: %v", err)
		}
	})
	t.Run("context ends first", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		if err := s.WaitUntil(ctx, func() bool { return false }); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("WaitUntil = %v, want DeadlineExceeded", err)
		}
	})
}

func TestSubscribe(t *testing.T) {
	s, url := newServer(t, telegramtest.Options{})
	b := newBot(t, url)
	events, unsubscribe := s.Subscribe()
	s.SendText(alice, "/start")
	m, err := b.SendMessage(t.Context(), &bot.SendMessageParams{ChatID: alice.ID, Text: "menu"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "menu 2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.DeleteMessage(t.Context(), &bot.DeleteMessageParams{ChatID: alice.ID, MessageID: m.ID}); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind    telegramtest.EventKind
		fromBot bool
		text    string
	}{
		{telegramtest.EventNew, false, "/start"},
		{telegramtest.EventNew, true, "menu"},
		{telegramtest.EventEdit, true, "menu 2"},
		{telegramtest.EventDelete, true, ""},
	}
	for i, w := range want {
		ev := <-events
		if ev.Kind != w.kind || ev.Message.FromBot != w.fromBot || ev.Message.Text != w.text {
			t.Errorf("event %d = %v %+v, want %v %q", i, ev.Kind, ev.Message, w.kind, w.text)
		}
	}
	unsubscribe()
	s.SendText(alice, "after")
	if _, ok := <-events; ok {
		t.Error("an event after unsubscribing; want the channel closed")
	}
}

func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	s, _ := newServer(t, telegramtest.Options{})
	events, unsubscribe := s.Subscribe()
	defer unsubscribe()
	for i := range 2000 {
		s.SendText(telegramtest.User{ID: int64(i + 1)}, "spam")
	}
	first := <-events
	if first.Kind != telegramtest.EventNew || first.Message.ChatID != 1 {
		t.Errorf("first event = %+v, want the first message", first)
	}
}

func TestCloseEndsSubscriptions(t *testing.T) {
	s, _ := newServer(t, telegramtest.Options{})
	events, unsubscribe := s.Subscribe()
	s.Close()
	if _, ok := <-events; ok {
		t.Error("event after Close; want the channel closed")
	}
	unsubscribe()
	late, _ := s.Subscribe()
	if _, ok := <-late; ok {
		t.Error("Subscribe after Close gave an open channel")
	}
}
