package store

import (
	"errors"
	"slices"
	"testing"
)

func TestFavourites(t *testing.T) {
	db, _ := testDB(t)
	ctx := t.Context()
	if ids, err := db.Favourites(ctx, 1); err != nil || len(ids) != 0 {
		t.Fatalf("a new file: favourites %v, %v", ids, err)
	}
	steps := []struct {
		chat, svc int64
		on        bool
		want      []int64
	}{
		{1, 30, true, []int64{30}},
		{1, 7, true, []int64{7, 30}},
		{2, 7, true, []int64{7}},
		{1, 30, false, []int64{7}},
	}
	for _, s := range steps {
		on, err := db.ToggleFavourite(ctx, s.chat, s.svc)
		if err != nil || on != s.on {
			t.Fatalf("toggle %d of %d = %v, %v; want %v", s.svc, s.chat, on, err, s.on)
		}
		if got, _ := db.Favourites(ctx, s.chat); !slices.Equal(got, s.want) {
			t.Fatalf("favourites of %d = %v, want %v", s.chat, got, s.want)
		}
	}
	for i := range int64(MaxFavourites - 1) {
		if _, err := db.ToggleFavourite(ctx, 1, 100+i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ToggleFavourite(ctx, 1, 999); !errors.Is(err, ErrTooManyFavourites) {
		t.Errorf("one too many: %v", err)
	}
	if _, err := db.ToggleFavourite(ctx, 1, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("service 0: %v", err)
	}
}
