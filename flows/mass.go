package flows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/looplab/fsm"
)

// The states of a mass order.
const (
	MassNone       = ""           // no mass order (or the last one is over)
	MassCollecting = "collecting" // asked for lines, none yet
	MassConfirm    = "confirm"    // lines gathered: the summary offers Confirm
	MassPlacing    = "placing"    // confirmed: the lines are being placed
	MassDone       = "done"       // placed or cancelled
)

// The events of a mass order.
const (
	massBegin  = "begin"  // /mass: a new mass order
	massLines  = "lines"  // lines added
	massPlace  = "place"  // confirmed
	massPlaced = "placed" // every line sent, or placing cut short
	massCancel = "cancel"
)

var massEvents = fsm.Events{
	{Name: massBegin, Src: []string{MassNone, MassDone, MassCollecting, MassConfirm}, Dst: MassCollecting},
	{Name: massLines, Src: []string{MassCollecting, MassConfirm}, Dst: MassConfirm},
	{Name: massPlace, Src: []string{MassConfirm}, Dst: MassPlacing},
	{Name: massPlaced, Src: []string{MassPlacing}, Dst: MassDone},
	{Name: massCancel, Src: []string{MassCollecting, MassConfirm}, Dst: MassDone},
}

// MassSession is a chat's mass order: its state, the menu message its
// buttons are on, the version of the chat's conversation it belongs to
// (a newer conversation makes its buttons stale), and the lines gathered.
type MassSession struct {
	ChatID  int64
	State   string
	Version int64
	MenuID  int
	Lines   []string
}

// Gathering reports whether the mass order takes the lines the chat sends.
func (s MassSession) Gathering() bool { return s.State == MassCollecting || s.State == MassConfirm }

func massMove(ctx context.Context, s *MassSession, event string) error {
	m := fsm.NewFSM(s.State, massEvents, nil)
	err := m.Event(ctx, event)
	var same fsm.NoTransitionError
	if err != nil && !(errors.As(err, &same) && same.Err == nil) {
		return fmt.Errorf("mass order: %w: %s in %q", errMove, event, s.State)
	}
	s.State = m.Current()
	return nil
}

// MassItem is a line of a mass screen about one line of the order: what
// the line is (its number, its outcome) and, when there is one, why.
type MassItem struct {
	Line   Msg
	Reason Msg
}

// MassScreen is what a mass order shows: head lines, one item for each
// order line worth naming, foot lines and buttons. A result may be long
// (an item for each of 500 lines): the bot splits it into messages.
type MassScreen struct {
	Lines   []Msg
	Items   []MassItem
	Foot    []Msg
	Buttons [][]Button
	Notice  Msg
	Keep    bool // only Notice is shown
}

// Mass runs mass orders.
type Mass struct {
	Panel  Panel
	Now    func() time.Time // nil = time.Now
	KeyRef string           // the key's reference, kept with each order placed
}

func (m *Mass) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// summaryReasons is how many invalid lines the summary names with their
// reason; the others are named by number only, so the summary fits a
// Telegram message.
const summaryReasons = 15

// Begin starts a new mass order in version, taking lines at once when
// the command carried some.
func (m *Mass) Begin(ctx context.Context, key string, s *MassSession, version int64, text string) (MassScreen, error) {
	if s.State == MassPlacing {
		return massNotice("mass.already_placing"), nil
	}
	if err := massMove(ctx, s, massBegin); err != nil {
		return MassScreen{}, err
	}
	s.Version, s.MenuID, s.Lines = version, 0, nil
	if strings.TrimSpace(text) != "" {
		return m.Take(ctx, key, s, text)
	}
	return askLines(), nil
}

// askLines asks for the lines.
func askLines() MassScreen {
	return MassScreen{Lines: []Msg{M("mass.ask", "Max", MaxMassLines)}, Buttons: [][]Button{{btn("btn.cancel", "x")}}}
}

// Take adds the lines of a message (or a file) and shows the summary. A
// message that would take the order past MaxMassLines adds nothing.
func (m *Mass) Take(ctx context.Context, key string, s *MassSession, text string) (MassScreen, error) {
	lines := SplitMassText(text)
	switch {
	case !s.Gathering():
		return massNotice("menu.expired"), nil
	case len(lines) == 0:
		return m.redraw(ctx, key, s, M("mass.err_no_lines"))
	case len(s.Lines)+len(lines) > MaxMassLines:
		return m.redraw(ctx, key, s, M("mass.err_too_many", "Max", MaxMassLines, "Have", len(s.Lines), "Sent", len(lines)))
	}
	for i, l := range lines {
		if utf8.RuneCountInString(l) > maxMassLine {
			lines[i] = string([]rune(l)[:maxMassLine+1]) // kept long enough to read as too long
		}
	}
	if err := massMove(ctx, s, massLines); err != nil {
		return MassScreen{}, err
	}
	s.Lines = append(append([]string(nil), s.Lines...), lines...)
	return m.Summary(ctx, key, s)
}

// redraw shows the current step again under a problem.
func (m *Mass) redraw(ctx context.Context, key string, s *MassSession, problem Msg) (MassScreen, error) {
	if s.State == MassCollecting {
		sc := askLines()
		sc.Lines = append([]Msg{problem}, sc.Lines...)
		return sc, nil
	}
	sc, err := m.Summary(ctx, key, s)
	sc.Lines = append([]Msg{problem}, sc.Lines...)
	return sc, err
}

// Summary shows the lines gathered: how many are valid, their total price
// against the balance, each invalid line's number and reason, and Confirm
// (when a line is valid) and Cancel.
func (m *Mass) Summary(ctx context.Context, key string, s *MassSession) (MassScreen, error) {
	cat, err := m.Panel.Catalogue(ctx, key)
	if err != nil {
		return MassScreen{Lines: []Msg{Explain(err)}, Buttons: [][]Button{{btn("btn.retry", "r"), btn("btn.cancel", "x")}}}, nil
	}
	chk := CheckMass(cat, s.Lines, m.now())
	sc := MassScreen{Lines: append([]Msg{M("mass.summary_title"),
		M("mass.summary_counts", "Valid", len(chk.Orders), "Invalid", len(chk.Bad), "Total", len(s.Lines))},
		m.priceLines(ctx, key, chk)...)}
	if len(chk.Bad) > 0 {
		sc.Lines = append(sc.Lines, M("mass.invalid_title", "Count", len(chk.Bad)))
	}
	for i, b := range chk.Bad {
		if i == summaryReasons {
			sc.Foot = append(sc.Foot, M("mass.more_invalid", "Lines", lineRanges(chk.Bad[i:])))
			break
		}
		sc.Items = append(sc.Items, MassItem{Line: M("mass.line_bad", "N", b.N), Reason: b.Reason})
	}
	sc.Foot = append(sc.Foot, M("mass.more_hint", "Left", MaxMassLines-len(s.Lines)))
	var row []Button
	if len(chk.Orders) > 0 {
		row = append(row, btn("btn.confirm", "ok"))
	}
	sc.Buttons = [][]Button{append(row, btn("btn.cancel", "x"))}
	return sc, nil
}

// priceLines are the summary's total price against the balance.
func (m *Mass) priceLines(ctx context.Context, key string, chk MassCheck) []Msg {
	bal, err := m.Panel.Balance(ctx, key)
	currency := ""
	if err == nil {
		currency = bal.Currency
	}
	lines := []Msg{M("mass.summary_price", "Price", Money(chk.Total, currency))}
	if unpriced := countUnpriced(chk.Orders); unpriced > 0 {
		lines = append(lines, M("mass.summary_unpriced", "Count", unpriced))
	}
	switch {
	case err != nil:
		lines = append(lines, M("order.balance_unknown"))
	case bal.Amount.LessThan(chk.Total):
		lines = append(lines, M("order.summary_balance", "Balance", Money(bal.Amount, bal.Currency)), M("mass.low_balance"))
	default:
		lines = append(lines, M("order.summary_balance", "Balance", Money(bal.Amount, bal.Currency)))
	}
	return lines
}

func countUnpriced(orders []MassOrder) int {
	n := 0
	for _, o := range orders {
		if !o.Priced {
			n++
		}
	}
	return n
}

// lineRanges names line numbers compactly: "31-40, 45".
func lineRanges(bad []BadLine) string {
	var parts []string
	for i := 0; i < len(bad); {
		j := i
		for j+1 < len(bad) && bad[j+1].N == bad[j].N+1 {
			j++
		}
		part := strconv.Itoa(bad[i].N)
		if j > i {
			part += "-" + strconv.Itoa(bad[j].N)
		}
		parts = append(parts, part)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// Cancel ends the mass order without placing anything.
func (m *Mass) Cancel(ctx context.Context, s *MassSession) (MassScreen, error) {
	if !s.Gathering() {
		return MassScreen{Lines: []Msg{M("order.nothing_to_cancel")}}, nil
	}
	if err := massMove(ctx, s, massCancel); err != nil {
		return MassScreen{}, err
	}
	s.Lines = nil
	return MassScreen{Lines: []Msg{M("mass.cancelled")}}, nil
}

// MassStale reports whether a tap on a mass order's menu is on a menu
// that is no longer current.
func MassStale(s MassSession, in Input) bool {
	return in.Version != s.Version || (s.MenuID != 0 && in.MessageID != s.MenuID) || !s.Gathering()
}

func massNotice(id string, kv ...any) MassScreen { return MassScreen{Notice: M(id, kv...), Keep: true} }
