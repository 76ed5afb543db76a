package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

// The verbs of an order's buttons (callback data "VERB:ID:KEYREF"). The
// bot checks that the order belongs to the chat before it acts on any.
const (
	VerbCard        = "v"  // open the card in place
	VerbCardNew     = "vo" // open the card in a new message (from a receipt or a notification)
	VerbRefresh     = "r"  // ask the panel for the status now
	VerbAskRefill   = "rf" // ask before a refill
	VerbRefill      = "ry" // refill, confirmed
	VerbAskCancel   = "cx" // ask before a cancel
	VerbCancelOrder = "cy" // cancel, confirmed
	VerbRepeat      = "rp" // the summary of the same order
)

// ButtonData is the callback data of an order's button: "VERB:ID:KEYREF".
func ButtonData(verb string, o store.Order) string {
	return verb + ":" + strconv.FormatInt(o.PanelID, 10) + ":" + o.KeyRef
}

// Offers is what the panel offers at all, as its client has learnt: a
// panel without refill or cancel gets no such buttons, on cards or lists.
// The zero value offers both.
type Offers struct{ NoRefill, NoCancel bool }

// Apply hides from o's service what the panel does not offer.
func (f Offers) Apply(o store.Order) store.Order {
	o.Service.Refill = o.Service.Refill && !f.NoRefill
	o.Service.Cancel = o.Service.Cancel && !f.NoCancel
	return o
}

// Refillable reports whether a refill of o may be asked for: the service
// allows refills and the order finished with something delivered
// (Completed or Partial).
func Refillable(o store.Order) bool {
	switch statusKey(o.Status) {
	case "completed", "partial":
		return o.Service.Refill && !o.Gone
	}
	return false
}

// Cancellable reports whether a cancel of o may be asked for: the service
// allows cancelling and the order is not finished.
func Cancellable(o store.Order) bool {
	return o.Service.Cancel && !o.Gone && !o.Final && !smm.IsFinished(o.Status) && !failed(o.Status)
}

func failed(status string) bool {
	switch statusKey(status) {
	case "fail", "error":
		return true
	}
	return false
}

// NeverPolled reports whether the panel has not yet said anything of o:
// no status, or the "Pending" it was recorded with and nothing counted.
func NeverPolled(o store.Order) bool {
	s := statusKey(o.Status)
	return !o.Gone && (s == "" || s == "pending" && o.StartCount == 0 && o.Remains == 0 && o.Charge.IsZero())
}

// knownStatuses are the panel's status words the locales translate, by
// their key (lower case, spaces as underscores); the spellings that mean
// the same share one.
var knownStatuses = map[string]string{
	"pending": "pending", "in_progress": "in_progress", "inprogress": "in_progress", "processing": "processing",
	"completed": "completed", "partial": "partial", "canceled": "canceled", "cancelled": "canceled",
	"refunded": "refunded", "fail": "fail", "failed": "fail", "error": "error", "rejected": "rejected",
}

func statusKey(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "_")
}

// StatusWord is a status word of the panel in the user's language: a
// known word is translated (English keeps the panel's spelling), an
// unknown one is shown as the panel wrote it.
func StatusWord(word string) Msg {
	if k, ok := knownStatuses[statusKey(word)]; ok {
		return M("status."+k, "Word", strings.TrimSpace(word))
	}
	return M("status.other", "Word", strings.TrimSpace(word))
}

// StatusOf is an order's status as the user should read it: not known
// yet before the first poll, unknown to the panel when gone, else the
// panel's word.
func StatusOf(o store.Order) Msg {
	switch {
	case o.Gone:
		return M("status.gone")
	case NeverPolled(o):
		return M("status.not_known")
	}
	return StatusWord(o.Status)
}

// Card is an order's card: what was ordered (each field as its type asks
// for it), what the panel says, its refills, and the buttons its state
// allows (of what the panel offers), its amounts in currency (the key's
// account's; "" when not known). top, when set, is a line above it (the
// result of an action).
func Card(o store.Order, refills []store.Refill, top Msg, offers Offers, currency string) Screen {
	o = offers.Apply(o)
	var lines []Msg
	if top.ID != "" {
		lines = append(lines, top)
	}
	lines = append(lines, M("card.title", "ID", o.PanelID, "Status", StatusOf(o)),
		M("card.service", "ID", o.Service.ID, "Name", o.Service.Name))
	lines = append(lines, Details(o.Service.Type, o.Link, o.Quantity, o.Comments, o.Runs, o.Extra)...)
	if o.Runs > 0 {
		lines = append(lines, M("order.summary_dripfeed", "Runs", o.Runs, "Interval", o.Interval, "Total", Count(o.Quantity*o.Runs)))
	}
	lines = append(lines, cardPrice(o, currency))
	if !o.Charge.IsZero() {
		lines = append(lines, M("card.charge", "Charge", Money(o.Charge, currency)))
	}
	if !NeverPolled(o) && !o.Gone {
		lines = append(lines, M("card.progress", "Start", o.StartCount, "Remains", o.Remains))
	}
	lines = append(lines, M("card.created", "Created", o.Created.UTC().Format("2006-01-02 15:04 UTC")))
	if o.Gone {
		lines = append(lines, M("card.gone"))
	}
	for _, r := range refills {
		st := M("status.pending", "Word", "Pending")
		if r.Status != "" {
			st = StatusWord(r.Status)
		}
		lines = append(lines, M("card.refill", "ID", r.RefillID, "Status", st))
	}
	// Right after a cancel request the card offers no Cancel again, even
	// while the panel still says the order runs: it cancels later.
	return Screen{Lines: lines, Buttons: cardButtons(o, top.ID == cancelRequested)}
}

// cancelRequested is the line above a card after a cancel request.
const cancelRequested = "card.cancel_requested"

// CancelRequested is the line above a card after the panel took a cancel
// request.
func CancelRequested() Msg { return M(cancelRequested) }

// cardPrice is the price as the order's type is charged: a subscription
// (no price known in advance) says it is charged per post.
func cardPrice(o store.Order, currency string) Msg {
	if t, ok := TypeOf(smm.Service{Type: o.Service.Type}); ok && t.Price == PerPost {
		return M("card.price_post", "Rate", Money(o.Service.Rate, currency))
	}
	return M("card.price", "Price", Money(o.Price, currency))
}

// cardButtons are the actions an order allows now.
func cardButtons(o store.Order, cancelAsked bool) [][]Button {
	first := []Button{dataBtn("btn.refresh", ButtonData(VerbRefresh, o))}
	if Refillable(o) {
		first = append(first, dataBtn("btn.refill", ButtonData(VerbAskRefill, o)))
	}
	if Cancellable(o) && !cancelAsked {
		first = append(first, dataBtn("btn.cancel_order", ButtonData(VerbAskCancel, o)))
	}
	return [][]Button{first, {dataBtn("btn.repeat", ButtonData(VerbRepeat, o)), dataBtn("btn.orders", VerbList)}}
}

// AskAction is the question before a refill or a cancel of one order.
func AskAction(o store.Order, refill bool) Screen {
	ask, yes, verb := "card.ask_cancel", "btn.yes_cancel", VerbCancelOrder
	if refill {
		ask, yes, verb = "card.ask_refill", "btn.yes_refill", VerbRefill
	}
	return Screen{Lines: []Msg{M(ask, "ID", o.PanelID, "Name", o.Service.Name)},
		Buttons: [][]Button{{dataBtn(yes, ButtonData(verb, o))}, {dataBtn("btn.back", ButtonData(VerbCard, o))}}}
}

// Changed reports whether what the panel says of an order differs
// between two records of it.
func Changed(a, b store.Order) bool {
	return a.Status != b.Status || a.Remains != b.Remains || a.StartCount != b.StartCount ||
		!a.Charge.Equal(b.Charge) || a.Gone != b.Gone || a.Final != b.Final
}

// Checked is the line above a refreshed card: what changed, or that
// nothing did, at the time of the check.
func Checked(changed bool, at time.Time) Msg {
	if changed {
		return M("card.updated", "Time", at.UTC().Format("15:04:05 UTC"))
	}
	return M("card.no_change", "Time", at.UTC().Format("15:04:05 UTC"))
}

func dataBtn(id, data string, kv ...any) Button { return Button{Label: M(id, kv...), Data: data} }
