package flows

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// Handle is one step of the order conversation: the chat's session and
// what the user did give the next session and the screen to show. key is
// the panel API key the chat orders with. An error is an unexpected
// failure (the screen may still say what it can); expected trouble, such
// as a panel refusing, is a screen.
func (o *Order) Handle(ctx context.Context, key string, s Session, in Input) (Session, Screen, error) {
	if s.State == "" {
		s.State = StateIdle
	}
	sc, err := o.handle(ctx, key, &s, in)
	return s, sc, err
}

func (o *Order) handle(ctx context.Context, key string, s *Session, in Input) (Screen, error) {
	switch in.Kind {
	case KindStart:
		return o.start(ctx, key, s)
	case KindRepeat:
		return o.repeat(ctx, key, s, in)
	case KindCancel:
		return o.cancel(ctx, s)
	case KindResume:
		return o.current(ctx, key, s)
	case KindPress:
		if Stale(*s, in) {
			return notice("menu.expired"), nil
		}
		return o.press(ctx, key, s, in.Action)
	case KindOther:
		if s.Idle() {
			return Screen{Lines: []Msg{M("idle.hint")}}, nil
		}
		return o.redraw(ctx, key, s, M("err.not_text"))
	default:
		return o.text(ctx, key, s, in.Text)
	}
}

// Resumable reports whether an order is under way that /start can offer
// to continue: a list or a step of it is on screen (not idle, not placing,
// not awaiting a key).
func Resumable(s Session) bool {
	return !s.Idle() && s.State != StatePlacing && s.State != StateKey
}

// Stale reports whether a tap is on a menu that is no longer current: one
// drawn for an older conversation, or not the menu message on screen.
//
// "new" (a new order) is never stale: starting over is harmless from any
// message. Any other tap is stale when it does not fit the state, such as
// a second Confirm after the order was placed.
func Stale(s Session, in Input) bool {
	if in.Kind != KindPress {
		return false
	}
	verb, _, _ := strings.Cut(in.Action, ":")
	switch {
	case verb == "new":
		return false
	case in.Version != s.Version || (s.MenuID != 0 && in.MessageID != s.MenuID):
		return true
	case verb == "x" || verb == "b" || verb == "retry":
		return s.Idle()
	}
	return !allowedIn(s, verb)
}

// start begins a new conversation at the category list. The session is
// left as it was when the catalogue cannot be had.
func (o *Order) start(ctx context.Context, key string, s *Session) (Screen, error) {
	if s.State == StatePlacing {
		// Left placing by a crash: the outcome of that order is unknown.
		return o.unknown(ctx, s, errors.New("session left placing"))
	}
	if _, err := o.Panel.Catalogue(ctx, key); err != nil {
		return trouble(err, "new"), nil
	}
	o.begin(s)
	return o.categories(ctx, key, s)
}

// begin starts a new conversation: a new version makes every older menu
// stale.
func (o *Order) begin(s *Session) {
	s.Version++
	s.Draft = Draft{}
}

func (o *Order) cancel(ctx context.Context, s *Session) (Screen, error) {
	if s.Idle() {
		return Screen{Lines: []Msg{M("order.nothing_to_cancel")}}, nil
	}
	if s.State == StatePlacing {
		return o.unknown(ctx, s, errors.New("cancelled while placing"))
	}
	if err := move(ctx, s, evCancel); err != nil {
		return Screen{}, err
	}
	s.Draft = Draft{}
	return Screen{Lines: []Msg{M("order.cancelled")}, Buttons: [][]Button{{btn("btn.new_order", "new")}}}, nil
}

// repeat starts a new conversation at the link step with a service of an
// earlier order, as the panel offers it now.
func (o *Order) repeat(ctx context.Context, key string, s *Session, in Input) (Screen, error) {
	cat, err := o.Panel.Catalogue(ctx, key)
	if err != nil {
		return trouble(err, "retry"), nil
	}
	svc, ok := cat.Service(in.Service)
	if !ok {
		return Screen{Lines: []Msg{M("order.service_gone")}, Buttons: [][]Button{{btn("btn.new_order", "new")}}}, nil
	}
	if s.State == StatePlacing {
		return notice("order.already_placing"), nil
	}
	if !Orderable(svc) {
		return Screen{Lines: []Msg{M("order.unsupported", "Name", svc.Name, "Type", svc.Type)},
			Buttons: [][]Button{{btn("btn.new_order", "new")}}}, nil
	}
	o.begin(s)
	return o.choose(ctx, key, s, svc)
}

// text handles a typed message in the current step.
func (o *Order) text(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	switch s.State {
	case StateCategory, StateService:
		return o.search(ctx, key, s, text)
	case StateConfirm:
		return o.redraw(ctx, key, s, M("order.use_buttons"))
	case StatePlacing:
		return notice("order.already_placing"), nil
	}
	if _, _, ok := asking(*s); ok {
		return o.take(ctx, key, s, text)
	}
	return Screen{Lines: []Msg{M("idle.hint")}}, nil
}

// press handles a tap on a button of the current menu.
func (o *Order) press(ctx context.Context, key string, s *Session, action string) (Screen, error) {
	verb, arg, _ := strings.Cut(action, ":")
	switch verb {
	case "x":
		return o.cancel(ctx, s)
	case "new":
		return o.start(ctx, key, s)
	case "retry":
		return o.current(ctx, key, s)
	case "b":
		return o.back(ctx, key, s)
	}
	if !allowedIn(*s, verb) {
		return notice("menu.expired"), nil
	}
	switch verb {
	case "cp", "sp":
		p, err := strconv.Atoi(arg)
		if err != nil {
			return notice("menu.expired"), nil
		}
		s.Draft.Page = p
		return o.current(ctx, key, s)
	case "c":
		return o.pickCategory(ctx, key, s, arg)
	case "s":
		return o.pickService(ctx, key, s, arg)
	case "v":
		return o.take(ctx, key, s, arg)
	case "sk":
		return o.skip(ctx, key, s)
	case "df":
		return o.offer(ctx, key, s, StateRuns)
	case "o":
		return o.offer(ctx, key, s, arg)
	case "nd":
		s.Draft.Runs, s.Draft.Interval = 0, 0
		return o.step(ctx, key, s, evBack)
	case "ok":
		return o.place(ctx, key, s)
	}
	return notice("menu.expired"), nil
}

// verbStates says in which state each menu verb may be tapped; "v" (a
// quick choice) and "sk" (Skip) fit a field that has choices or is
// optional.
var verbStates = map[string]string{
	"cp": StateCategory, "c": StateCategory,
	"sp": StateService, "s": StateService,
	"nd": StateRuns, "ok": StateConfirm, "df": StateConfirm, "o": StateConfirm,
}

func allowedIn(s Session, verb string) bool {
	if st, ok := verbStates[verb]; ok {
		return s.State == st
	}
	_, f, ok := asking(s)
	switch verb {
	case "v":
		return ok && f.choices != nil
	case "sk":
		return ok && f.Optional
	}
	return false
}

// back returns to the step before the current one: the lists before a
// service is chosen and from its first field, else where the service's
// machine says.
func (o *Order) back(ctx context.Context, key string, s *Session) (Screen, error) {
	d := &s.Draft
	switch {
	case s.State == StateService:
		d.Page = (d.Category - 1) / PageSize
		d.Category, d.Search = 0, ""
		return o.categories(ctx, key, s)
	case can(*s, evBack):
		return o.step(ctx, key, s, evBack)
	}
	if t, f, ok := asking(*s); !ok || f.Name != t.Fields[0].Name {
		return notice("menu.expired"), nil
	}
	// The draft's page is still the list's the service was chosen on.
	if d.Category == 0 && d.Search == "" {
		return o.categories(ctx, key, s)
	}
	return o.services(ctx, key, s)
}

// current redraws the screen of the current step.
func (o *Order) current(ctx context.Context, key string, s *Session) (Screen, error) {
	switch s.State {
	case StateCategory:
		return o.categories(ctx, key, s)
	case StateService:
		return o.services(ctx, key, s)
	case StateConfirm:
		return o.summary(ctx, key, s)
	case StatePlacing:
		return notice("order.already_placing"), nil
	}
	if _, _, ok := asking(*s); ok {
		return o.prompt(*s), nil
	}
	return Screen{Lines: []Msg{M("idle.hint")}}, nil
}

// redraw shows the current step again under a problem line.
func (o *Order) redraw(ctx context.Context, key string, s *Session, problem Msg) (Screen, error) {
	sc, err := o.current(ctx, key, s)
	if err != nil || sc.Keep {
		return sc, err
	}
	return withError(sc, problem), nil
}
