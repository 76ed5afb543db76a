package flows

import (
	"context"
	"slices"
	"testing"

	"github.com/smmbot/smmbot/smm"
)

// TestMachinesFromTheTable: for every type, the machine built from its
// row asks its required fields in order (optional ones in between
// included) and then shows the summary; Back retraces the same steps;
// the summary offers exactly the optional fields after the last
// required one, and drip-feed where the type allows it.
func TestMachinesFromTheTable(t *testing.T) {
	ctx := context.Background()
	for _, typ := range serviceTypes {
		t.Run(typ.Name, func(t *testing.T) {
			svc := smm.Service{ID: 1, Type: typ.Name, Dripfeed: true}
			s := Session{State: StateService, Draft: Draft{Service: &svc}}
			var walked []string
			for event := evChoose; s.State != StateConfirm; event = evNext {
				if err := move(ctx, &s, event); err != nil {
					t.Fatalf("%s after %v: %v", event, walked, err)
				}
				walked = append(walked, s.State)
				if len(walked) > len(typ.Fields)+1 {
					t.Fatalf("walked %v: never reached the summary", walked)
				}
			}
			var want []string
			for _, f := range typ.Fields[:typ.asked()] {
				want = append(want, f.Name)
			}
			if got := walked[:len(walked)-1]; !slices.Equal(got, want) {
				t.Errorf("steps %v, want %v", got, want)
			}
			for i := len(want) - 1; i >= 0; i-- {
				if err := move(ctx, &s, evBack); err != nil || s.State != want[i] {
					t.Fatalf("Back to %s: at %s, %v", want[i], s.State, err)
				}
			}
			if can(s, evBack) {
				t.Errorf("Back from the first field is a move of the machine; want the lists")
			}
			s.State = StateConfirm
			for _, f := range typ.Fields {
				offered := slices.ContainsFunc(typ.extras(), func(g Field) bool { return g.Name == f.Name })
				if got := can(s, askEvent(f.Name)); got != offered {
					t.Errorf("summary offers %s: %v, want %v", f.Name, got, offered)
				}
			}
			if got := can(s, askEvent(StateRuns)); got != typ.Dripfeed {
				t.Errorf("summary offers drip-feed: %v, want %v", got, typ.Dripfeed)
			}
		})
	}
}

// TestUnknownTypeHasNoMachine: a service of a type the table lacks has
// the common moves only: nothing can be asked of it.
func TestUnknownTypeHasNoMachine(t *testing.T) {
	svc := smm.Service{ID: 1, Type: "Story Votes"}
	s := Session{State: StateService, Draft: Draft{Service: &svc}}
	if can(s, evChoose) || Orderable(svc) {
		t.Errorf("an unknown type can be chosen")
	}
	if !Orderable(smm.Service{Type: " custom   COMMENTS "}) || !Orderable(smm.Service{}) {
		t.Errorf("type names are compared without case and spaces; no type is Default")
	}
}
