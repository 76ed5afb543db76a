package track_test

import (
	"context"
	"log/slog"
	"time"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// The bot wires a Poller to its store, its panel client, its notifier and
// its metrics, and runs it beside the notifier.
func ExampleNew() {
	ctx := context.Background()
	db, err := store.Open("smmbot.db", store.Options{})
	if err != nil {
		return
	}
	defer db.Close()
	wake := make(chan struct{}, 1) // the notifier's
	p, err := track.New(track.Config{
		Store:    db,
		Panel:    smm.NewClient("https://panel.example/api/v2", smm.Options{}),
		Interval: time.Minute,
		Logger:   slog.Default(),
		Wake: func() {
			select {
			case wake <- struct{}{}:
			default:
			}
		},
		Observe: func(d time.Duration, st track.Stats) {
			slog.Debug("poll cycle", "seconds", d.Seconds(), "keys", st.Keys, "changes", st.Changes)
		},
	})
	if err != nil {
		return
	}
	go p.Run(ctx)
}
