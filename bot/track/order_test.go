package track_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot/track"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

func TestApplyStatus(t *testing.T) {
	for _, tc := range []struct {
		name        string
		before      store.Order
		status      string
		final, gone bool
	}{
		{"in progress", store.Order{Status: "Pending"}, "In progress", false, false},
		{"completed", store.Order{Status: "In progress"}, "Completed", true, false},
		{"cancelled spelled the British way", store.Order{}, "CANCELLED", true, false},
		{"unknown word", store.Order{}, "Awaiting", false, false},
		{"a given-up order answers again", store.Order{Status: "Pending", Gone: true}, "In progress", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.before
			track.ApplyStatus(&o, smm.Status{Status: tc.status, Remains: 5, StartCount: 9, Charge: decimal.RequireFromString("0.27")})
			if o.Status != tc.status || o.Final != tc.final || o.Gone != tc.gone || o.Remains != 5 || o.StartCount != 9 || o.Charge.String() != "0.27" {
				t.Errorf("got %+v; want status %q, final %v, gone %v, remains 5, start 9, charge 0.27", o, tc.status, tc.final, tc.gone)
			}
		})
	}
}

// TestApplyStatusKeepsWhatAPlaceholderHides: "Unknown" or "" for a number
// is not zero: what was known stays, and nothing changes.
func TestApplyStatusKeepsWhatAPlaceholderHides(t *testing.T) {
	o := store.Order{Status: "In progress", Remains: 40, StartCount: 300, Charge: decimal.RequireFromString("0.50")}
	track.ApplyStatus(&o, smm.Status{Status: "Partial", Unknown: smm.UnknownRemains | smm.UnknownStartCount | smm.UnknownCharge})
	if o.Status != "Partial" || !o.Final || o.Remains != 40 || o.StartCount != 300 || o.Charge.String() != "0.5" {
		t.Errorf("got %+v; want Partial, final, with remains 40, start 300 and charge 0.5 kept", o)
	}
}
