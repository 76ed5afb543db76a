package flows

import (
	"context"
	"errors"
	"fmt"

	"github.com/looplab/fsm"
)

// The states of the order conversation.
const (
	StateIdle     = "idle"
	StateCategory = "category"
	StateService  = "service"
	StateLink     = "link"
	StateQuantity = "quantity"
	StateComments = "comments"
	StateRuns     = "runs"
	StateInterval = "interval"
	StateConfirm  = "confirm"
	StatePlacing  = "placing"
)

// The events of the order conversation, named after where they lead.
const (
	evBrowse       = "browse"        // the category list
	evServices     = "services"      // a category's services, or search results
	evLink         = "link"          // ask for the link
	evQuantity     = "quantity"      // ask for the quantity
	evComments     = "comments"      // ask for the comments
	evRuns         = "runs"          // ask for drip-feed runs
	evInterval     = "interval"      // ask for the drip-feed interval
	evReview       = "review"        // the summary
	evPlace        = "place"         // confirmed
	evPlaced       = "placed"        // the panel took it
	evPlaceFailed  = "place_failed"  // the panel refused it: back to the summary
	evCancel       = "cancel"        // abandon the conversation
	evPlaceUnknown = "place_unknown" // the outcome is unknown: the conversation ends
	evAwaitKey     = "await_key"     // the next message is an API key
)

var everyStep = []string{StateKey, StateCategory, StateService, StateLink, StateQuantity,
	StateComments, StateRuns, StateInterval, StateConfirm}

// orderEvents is the order conversation's transition table: every move the
// conversation makes goes through it, so a move it does not list cannot
// happen, whatever a stale button or a bug asks for.
var orderEvents = fsm.Events{
	{Name: evBrowse, Src: append([]string{StateIdle}, everyStep...), Dst: StateCategory},
	{Name: evServices, Src: []string{StateCategory, StateService, StateLink}, Dst: StateService},
	{Name: evLink, Src: append([]string{StateIdle}, everyStep...), Dst: StateLink},
	{Name: evQuantity, Src: []string{StateLink, StateRuns, StateConfirm}, Dst: StateQuantity},
	{Name: evComments, Src: []string{StateLink, StateRuns, StateConfirm}, Dst: StateComments},
	{Name: evRuns, Src: []string{StateQuantity, StateComments, StateInterval, StateConfirm}, Dst: StateRuns},
	{Name: evInterval, Src: []string{StateRuns, StateConfirm}, Dst: StateInterval},
	{Name: evReview, Src: []string{StateLink, StateQuantity, StateComments, StateRuns, StateInterval, StateConfirm}, Dst: StateConfirm},
	{Name: evPlace, Src: []string{StateConfirm}, Dst: StatePlacing},
	{Name: evPlaced, Src: []string{StatePlacing}, Dst: StateIdle},
	{Name: evPlaceFailed, Src: []string{StatePlacing}, Dst: StateConfirm},
	{Name: evPlaceUnknown, Src: []string{StatePlacing}, Dst: StateIdle},
	{Name: evCancel, Src: append([]string{StatePlacing}, everyStep...), Dst: StateIdle},
	{Name: evAwaitKey, Src: append([]string{StateIdle}, everyStep...), Dst: StateKey},
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
	m := fsm.NewFSM(from, orderEvents, nil)
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
	return fsm.NewFSM(from, orderEvents, nil).Can(event)
}

// StateKey waits for the next message to be a panel API key.
const StateKey = "key"

// AwaitKey makes the session take the next message as an API key.
func AwaitKey(ctx context.Context, s *Session) error { return move(ctx, s, evAwaitKey) }

// EndKey ends the wait for a key.
func EndKey(ctx context.Context, s *Session) error { return move(ctx, s, evCancel) }
