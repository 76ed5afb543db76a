package flows

import (
	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/locales"
)

// Msg is a piece of text in the user's language: a message id of the
// locales package and its arguments. Arguments that come from outside (the
// panel, the user) are plain text; the renderer escapes them.
type Msg struct {
	ID    string
	Args  map[string]any
	Count any // selects the plural form, when the message has them
}

// M builds a Msg from an id and key/value pairs.
func M(id string, kv ...any) Msg {
	m := Msg{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m.Args[k] = kv[i+1]
		}
	}
	return m
}

// Money is an amount in the panel's currency as a message argument; the
// locales write it in the reader's language ("1,350.00 USD"). currency is
// "" when the panel has not said.
func Money(amount decimal.Decimal, currency string) locales.Money {
	return locales.Money{Amount: amount, Currency: currency}
}

// Count is a quantity as a message argument, grouped in the reader's
// language ("12,500"). Ids, and the bounds a user is asked to type, are
// plain integers.
func Count(n int64) locales.Number { return locales.Number(n) }

// WithCount sets the plural count of m.
func (m Msg) WithCount(n any) Msg {
	m.Count = n
	if m.Args == nil {
		m.Args = map[string]any{}
	}
	m.Args["Count"] = n
	return m
}

// Button is an inline button of a conversation menu. Its label is a Msg, or
// Raw text (a panel's name) when Raw is set. Action is what a tap sends
// back to the conversation; the bot adds the session's version to it.
// Data, when set instead, is callback data handled outside the
// conversation (an order's card), sent as it is.
type Button struct {
	Label  Msg
	Raw    string
	Action string
	Data   string
}

// Screen is what the chat should show after an input: the lines of the
// menu message, its buttons, and Notice, a short answer to a button tap
// (shown as a toast) when the menu itself does not change.
type Screen struct {
	Lines   []Msg
	Buttons [][]Button
	Notice  Msg
	// Keep says the menu on screen stays as it is (only Notice is shown).
	Keep bool
	// Detach says the message shown is a record to keep in the chat (an
	// order's receipt): the next screen goes in a new message.
	Detach bool
}

// Empty reports whether the screen shows nothing.
func (s Screen) Empty() bool { return len(s.Lines) == 0 && s.Notice.ID == "" }

func btn(id, action string) Button { return Button{Label: M(id), Action: action} }

func notice(id string, kv ...any) Screen { return Screen{Notice: M(id, kv...), Keep: true} }
