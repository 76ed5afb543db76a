package track_test

import (
	"errors"
	"testing"

	"github.com/smmbot/smmbot/bot/track"
)

// TestDecodeQueuedNotes reads payloads as the bot wrote them before this
// package: entries queued then still decode after an upgrade.
func TestDecodeQueuedNotes(t *testing.T) {
	for _, tc := range []struct {
		name, payload string
		want          track.Note
	}{
		{"status", `{"k":"status","o":23501,"r":"0a1b2c3d4e5f6a7b","n":"Followers","old":"Pending","new":"Completed","f":true}`,
			track.Note{Kind: track.KindStatus, Order: 23501, KeyRef: "0a1b2c3d4e5f6a7b", Name: "Followers", Old: "Pending", New: "Completed", Final: true}},
		{"status with remains", `{"k":"status","o":7,"r":"ref","old":"Pending","new":"In progress","rem":40}`,
			track.Note{Kind: track.KindStatus, Order: 7, KeyRef: "ref", Old: "Pending", New: "In progress", Remains: 40}},
		{"refill", `{"k":"refill","o":23501,"r":"ref","new":"Completed","rf":7001,"f":true}`,
			track.Note{Kind: track.KindRefill, Order: 23501, KeyRef: "ref", New: "Completed", Refill: 7001, Final: true}},
		{"gone", `{"k":"gone","o":23501,"r":"ref","n":"Likes"}`,
			track.Note{Kind: track.KindGone, Order: 23501, KeyRef: "ref", Name: "Likes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := track.Decode([]byte(tc.payload))
			if err != nil || got != tc.want {
				t.Errorf("Decode = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestNoteRoundTrip(t *testing.T) {
	for _, n := range []track.Note{
		{Kind: track.KindStatus, Order: 1, KeyRef: "r", Name: "<b>&", Old: "Pending", New: "Fail", Final: true},
		{Kind: track.KindStalled, Order: 2, KeyRef: "r", Refill: 9, Old: "Pending"},
		{Kind: track.KindGone, Order: 3, KeyRef: "r"},
	} {
		t.Run(string(n.Kind), func(t *testing.T) {
			got, err := track.Decode(n.Encode())
			if err != nil || got != n {
				t.Errorf("Decode(Encode(%+v)) = %+v, %v", n, got, err)
			}
		})
	}
}

func TestDecodeRefusesWhatIsNotANote(t *testing.T) {
	for _, tc := range []struct{ name, payload string }{
		{"empty", ``},
		{"not json", `🔔 Order 1`},
		{"array", `[1,2]`},
		{"unknown kind", `{"k":"promo","o":1,"r":"ref"}`},
		{"no kind", `{"o":1,"r":"ref"}`},
		{"no order", `{"k":"status","r":"ref"}`},
		{"negative order", `{"k":"gone","o":-4,"r":"ref"}`},
		{"order as text", `{"k":"gone","o":"12","r":"ref"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n, err := track.Decode([]byte(tc.payload)); !errors.Is(err, track.ErrBadNote) {
				t.Errorf("Decode(%q) = %+v, %v; want ErrBadNote", tc.payload, n, err)
			}
		})
	}
}
