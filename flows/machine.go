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
	evChoose       = "choose"        // a service chosen: its type's first field
	evNext         = "next"          // a field filled: the next field, or the summary
	evBack         = "back"          // the step before
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
// made from its fields; they decide where "next" and "back" lead. The
// first field is asked from anywhere (a service chosen); each field asked
// in turn leads to the next, and the last required one to the summary.
// From the summary, Back leads to that field, and the optional fields
// after it and drip-feed (runs, then interval) are offered: each comes
// back to the summary.
func typeEvents(t *ServiceType) fsm.Events {
	asked := t.Fields[:t.asked()]
	last := asked[len(asked)-1].Name
	ev := append(slices.Clone(commonEvents),
		fsm.EventDesc{Name: evChoose, Src: append([]string{StateIdle}, everyStep...), Dst: asked[0].Name},
		fsm.EventDesc{Name: evBack, Src: []string{StateConfirm}, Dst: last})
	for i, f := range asked {
		next := StateConfirm
		if i+1 < len(asked) {
			next = asked[i+1].Name
		}
		ev = append(ev, fsm.EventDesc{Name: evNext, Src: []string{f.Name}, Dst: next})
		if i > 0 {
			ev = append(ev, fsm.EventDesc{Name: evBack, Src: []string{f.Name}, Dst: asked[i-1].Name})
		}
	}
	for _, f := range t.extras() {
		ev = append(ev, offered(f.Name, StateConfirm)...)
	}
	if t.Dripfeed {
		ev = append(ev, offered(StateRuns, StateInterval)...)
		ev = append(ev, fsm.EventDesc{Name: evNext, Src: []string{StateInterval}, Dst: StateConfirm},
			fsm.EventDesc{Name: evBack, Src: []string{StateInterval}, Dst: StateRuns})
	}
	return ev
}

// offered are the moves of a step the summary offers: asked from the
// summary, it leads to next, and back to the summary.
func offered(step, next string) fsm.Events {
	return fsm.Events{
		{Name: askEvent(step), Src: []string{StateConfirm}, Dst: step},
		{Name: evNext, Src: []string{step}, Dst: next},
		{Name: evBack, Src: []string{step}, Dst: StateConfirm},
	}
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
