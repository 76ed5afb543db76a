package flows

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// TestRatelessServiceIsNotOrderable: a service whose rate the panel left
// out or gave unreadable is not orderable (never priced at 0); a rate of
// an explicit 0 is.
func TestRatelessServiceIsNotOrderable(t *testing.T) {
	base := smm.Service{ID: 1, Name: "Followers", Type: "Default", Min: 10, Max: 1000}
	rateless := base
	rateless.Unknown = smm.UnknownRate
	free := base
	free.Rate = decimal.Zero
	priced := base
	priced.Rate = decimal.RequireFromString("0.90")
	for _, tc := range []struct {
		name string
		svc  smm.Service
		want bool
	}{{"no rate", rateless, false}, {"an explicit 0", free, true}, {"a rate", priced, true}} {
		if got := Orderable(tc.svc); got != tc.want {
			t.Errorf("%s: Orderable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
