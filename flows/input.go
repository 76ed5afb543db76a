package flows

// Kind is what the user did.
type Kind int

// The kinds of input.
const (
	KindText   Kind = iota // typed a message
	KindPress              // tapped a button of a conversation menu
	KindStart              // /order
	KindCancel             // /cancel
	KindOther              // sent something that is not text (sticker, photo, ...)
	KindRepeat             // asked to order a service again (Service set)
	KindResume             // asked to see the step of the order under way again (/start's Continue)
)

// Input is one thing the user did.
type Input struct {
	Kind      Kind
	Text      string // KindText: the message
	Action    string // KindPress: the button's action
	Version   int64  // KindPress: the version the menu was drawn for
	MessageID int    // KindPress: the message the button is on
	Service   int64  // KindRepeat: the service id
	Link      string // KindRepeat: the link of the order repeated
}

// Text is typed text.
func Text(s string) Input { return Input{Kind: KindText, Text: s} }

// Press is a tap on a conversation button.
func Press(version int64, messageID int, action string) Input {
	return Input{Kind: KindPress, Version: version, MessageID: messageID, Action: action}
}
