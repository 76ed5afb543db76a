package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/looplab/fsm"
)

// The states of the order conversation. While a field of the service's
// type is asked, the state is the field's name ("link", "quantity",
// "usernames", ...): the type's row in the table makes those states.
const (
	StateIdle     = "idle"
	StateCategory = "category"
	StateService  = "service"
	StateLink     = fieldLink
	StateQuantity = fieldQuantity
	StateComments = fieldComments
	StateRuns     = fieldRuns
	StateInterval = fieldInterval
	StateConfirm  = "confirm"
	StatePlacing  = "placing"
)

// The events of the order conversation, named after where they lead. A
// field is asked by the event "ask:" + its name.
const (
	evBrowse       = "browse"        // the category list
	evServices     = "services"      // a category's services, or search results
	evReview       = "review"        // the summary
	evPlace        = "place"         // confirmed
	evPlaced       = "placed"        // the panel took it
	evPlaceFailed  = "place_failed"  // the panel refused it: back to the summary
	evCancel       = "cancel"        // abandon the conversation
	evPlaceUnknown = "place_unknown" // the outcome is unknown: the conversation ends
	evAwaitKey     = "await_key"     // the next message is an API key
)

// askEvent is the event that asks for a field.
func askEvent(field string) string { return "ask:" + field }

// fieldStates are the states of every field of every type, drip-feed's
// included; firstStates those of every type's first field.
var fieldStates, firstStates = func() ([]string, []string) {
	all := []string{StateRuns, StateInterval}
	var first []string
	for _, t := range serviceTypes {
		for i, f := range t.Fields {
			if !slices.Contains(all, f.Name) {
				all = append(all, f.Name)
			}
			if i == 0 && !slices.Contains(first, f.Name) {
				first = append(first, f.Name)
			}
		}
	}
	return all, first
}()

// everyStep is every state of a conversation under way.
var everyStep = append([]string{StateKey, StateCategory, StateService, StateConfirm}, fieldStates...)

// commonEvents are the moves of every conversation, whatever the service.
var commonEvents = fsm.Events{
	{Name: evBrowse, Src: append([]string{StateIdle}, everyStep...), Dst: StateCategory},
	{Name: evServices, Src: append([]string{StateCategory, StateService}, firstStates...), Dst: StateService},
	{Name: evPlace, Src: []string{StateConfirm}, Dst: StatePlacing},
	{Name: evPlaced, Src: []string{StatePlacing}, Dst: StateIdle},
	{Name: evPlaceFailed, Src: []string{StatePlacing}, Dst: StateConfirm},
	{Name: evPlaceUnknown, Src: []string{StatePlacing}, Dst: StateIdle},
	{Name: evCancel, Src: append([]string{StatePlacing}, everyStep...), Dst: StateIdle},
	{Name: evAwaitKey, Src: append([]string{StateIdle}, everyStep...), Dst: StateKey},
}

// typeEvents are the moves of a conversation about a service of type t,
// made from its fields: the first is asked from anywhere (a service
// chosen); each next one from the one before (or the one after, going
// back); the summary follows the last required field, and offers the
// optional fields after it and drip-feed (runs, then interval), each of
// which comes back to the summary.
func typeEvents(t *ServiceType) fsm.Events {
	ev := slices.Clone(commonEvents)
	asked := t.Fields[:t.asked()]
	last := asked[len(asked)-1].Name
	review := []string{last, StateConfirm, StateRuns, StateInterval}
	for i, f := range asked {
		src := append([]string{StateIdle}, everyStep...)
		if i > 0 {
			src = []string{asked[i-1].Name}
		}
		if i+1 < len(asked) {
			src = append(src, asked[i+1].Name)
		} else {
			src = append(src, StateConfirm)
		}
		ev = append(ev, fsm.EventDesc{Name: askEvent(f.Name), Src: src, Dst: f.Name})
	}
	for _, f := range t.extras() {
		ev = append(ev, fsm.EventDesc{Name: askEvent(f.Name), Src: []string{StateConfirm}, Dst: f.Name})
		review = append(review, f.Name)
	}
	if t.Dripfeed {
		ev = append(ev,
			fsm.EventDesc{Name: askEvent(StateRuns), Src: []string{StateConfirm, StateInterval}, Dst: StateRuns},
			fsm.EventDesc{Name: askEvent(StateInterval), Src: []string{StateRuns}, Dst: StateInterval})
	}
	return append(ev, fsm.EventDesc{Name: evReview, Src: review, Dst: StateConfirm})
}

// machines are each type's moves, made once.
var machines = func() map[*ServiceType]fsm.Events {
	m := make(map[*ServiceType]fsm.Events, len(serviceTypes))
	for i := range serviceTypes {
		m[&serviceTypes[i]] = typeEvents(&serviceTypes[i])
	}
	return m
}()

// eventsOf are the moves of the session's conversation: its service's
// type's, or the common ones while no (orderable) service is chosen.
func eventsOf(s Session) fsm.Events {
	if s.Draft.Service != nil {
		if t, ok := TypeOf(*s.Draft.Service); ok {
			return machines[t]
		}
	}
	return commonEvents
}

// errMove is a move the transition table does not allow.
var errMove = errors.New("move not allowed")

// move fires event on a machine standing in the session's state and
// stores the new state in the session. A self-transition (a list paged, a
// summary redrawn) is a move too.
func move(ctx context.Context, s *Session, event string) error {
	from := s.State
	if from == "" {
		from = StateIdle
	}
	m := fsm.NewFSM(from, eventsOf(*s), nil)
	err := m.Event(ctx, event)
	var same fsm.NoTransitionError
	if err != nil && !(errors.As(err, &same) && same.Err == nil) {
		var invalid fsm.InvalidEventError
		if errors.As(err, &invalid) {
			return fmt.Errorf("%w: %s in %s", errMove, event, from)
		}
		return fmt.Errorf("move %s from %s: %w", event, from, err)
	}
	s.State = m.Current()
	return nil
}

// can reports whether event is allowed in the session's state.
func can(s Session, event string) bool {
	from := s.State
	if from == "" {
		from = StateIdle
	}
	return fsm.NewFSM(from, eventsOf(s), nil).Can(event)
}

// StateKey waits for the next message to be a panel API key.
const StateKey = "key"

// AwaitKey makes the session take the next message as an API key.
func AwaitKey(ctx context.Context, s *Session) error { return move(ctx, s, evAwaitKey) }

// EndKey ends the wait for a key.
func EndKey(ctx context.Context, s *Session) error { return move(ctx, s, evCancel) }
