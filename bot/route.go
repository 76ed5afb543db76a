package bot

import (
	"context"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// turn is one update as the handlers see it: whose it is and in which
// language to answer.
type turn struct {
	chat store.Chat
	lang string
	user *models.User
	u    *models.Update
}

// message handles a message: a command, the API key awaited, or a step of
// the conversation.
func (b *Bot) message(ctx context.Context, t *turn, m *models.Message) error {
	if name, arg, cmd, mine := b.parseCommand(m.Text); cmd {
		if !mine {
			return nil // a command for another bot
		}
		return b.command(ctx, t, m, name, arg)
	}
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	if s.State == flows.StateKey {
		return b.takeKey(ctx, t, s, m, m.Text)
	}
	if ok, err := b.massInput(ctx, t, s, m); ok {
		return err
	}
	if flows.Searches(s) && m.Text != "" {
		return b.searchOrders(ctx, t, m.Text)
	}
	in := flows.Text(m.Text)
	if m.Text == "" {
		in = flows.Input{Kind: flows.KindOther}
	}
	return b.converse(ctx, t, s, in)
}

// command handles a slash command through the routing table; a command
// the table does not have gets a hint.
func (b *Bot) command(ctx context.Context, t *turn, m *models.Message, name, arg string) error {
	if route, ok := commandRoutes[name]; ok {
		return route(b, ctx, t, m, arg)
	}
	return b.reply(ctx, t, "idle.hint")
}

// A commandRoute handles a slash command; arg is what follows it.
type commandRoute func(b *Bot, ctx context.Context, t *turn, m *models.Message, arg string) error

// commandRoutes is the routing table of commands, aliases included. The
// menu and /help list them from commands (commands.go).
var commandRoutes = map[string]commandRoute{
	"start": (*Bot).startCommand,
	"help":  plain((*Bot).help),
	"order": plain((*Bot).newOrder),
	"new":   plain((*Bot).newOrder),
	"orders": func(b *Bot, ctx context.Context, t *turn, _ *models.Message, arg string) error {
		return b.orders(ctx, t, arg)
	},
	"mass": func(b *Bot, ctx context.Context, t *turn, _ *models.Message, arg string) error {
		return b.mass(ctx, t, arg)
	},
	"balance":       plain((*Bot).balance),
	"cancel":        plain((*Bot).cancelMass),
	"language":      plain((*Bot).languages),
	"lang":          plain((*Bot).languages),
	"key":           (*Bot).key,
	"forget":        plain((*Bot).askForget),
	"notify":        plain((*Bot).askNotify),
	"notifications": plain((*Bot).askNotify),
}

// plain is a route for a command that takes no argument.
func plain(h func(b *Bot, ctx context.Context, t *turn) error) commandRoute {
	return func(b *Bot, ctx context.Context, t *turn, _ *models.Message, _ string) error { return h(b, ctx, t) }
}

// startCommand opens what a deep link names, or welcomes.
func (b *Bot) startCommand(ctx context.Context, t *turn, _ *models.Message, arg string) error {
	if ok, err := b.startPayload(ctx, t, arg); ok {
		return err
	}
	return b.start(ctx, t)
}

// newOrder starts the order conversation.
func (b *Bot) newOrder(ctx context.Context, t *turn) error {
	return b.conversation(ctx, t, flows.Input{Kind: flows.KindStart})
}

// conversation feeds an input to the chat's conversation.
func (b *Bot) conversation(ctx context.Context, t *turn, in flows.Input) error {
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	return b.converse(ctx, t, s, in)
}

func (b *Bot) cancel(ctx context.Context, t *turn) error {
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	if s.State == flows.StateKey {
		if err := flows.EndKey(ctx, &s); err != nil {
			return err
		}
		if err := b.saveSession(ctx, s); err != nil {
			return err
		}
		return b.reply(ctx, t, "key.cancelled")
	}
	return b.converse(ctx, t, s, flows.Input{Kind: flows.KindCancel})
}

// press handles a button tap through the routing table of verbs. The
// query is answered at once, before any slow call; a tap the table does
// not know is answered "this menu has expired".
func (b *Bot) press(ctx context.Context, t *turn, q *models.CallbackQuery) error {
	msgID := 0
	if q.Message.Message != nil {
		msgID = q.Message.Message.ID
	}
	verb, arg, _ := strings.Cut(q.Data, ":")
	route, ok := verbRoutes[verb]
	if !ok {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "menu.expired", nil, nil))
		return nil
	}
	if route.ack {
		b.answer(ctx, t.chat.ID, q.ID, "")
	}
	return route.handle(b, ctx, t, tap{q: q, msgID: msgID, verb: verb, arg: arg})
}

// tap is a button tap as its handler sees it.
type tap struct {
	q         *models.CallbackQuery
	msgID     int
	verb, arg string
}

// A verbRoute handles the taps of one callback verb ("verb:args"). With
// ack the query is answered (empty) before the handler runs; without, the
// handler answers it, at once.
type verbRoute struct {
	handle func(b *Bot, ctx context.Context, t *turn, p tap) error
	ack    bool
}

// verbRoutes is the routing table of callback verbs; the data itself is
// made and read in one place per verb (render.go, flows).
var verbRoutes = map[string]verbRoute{
	"o": {handle: func(b *Bot, ctx context.Context, t *turn, p tap) error {
		return b.pressConversation(ctx, t, p.q, p.msgID)
	}},
	"n": {ack: true, handle: func(b *Bot, ctx context.Context, t *turn, _ tap) error { return b.newOrder(ctx, t) }},
	"l": {ack: true, handle: func(b *Bot, ctx context.Context, t *turn, p tap) error { return b.setLanguage(ctx, t, p.msgID, p.arg) }},
	"f": {ack: true, handle: func(b *Bot, ctx context.Context, t *turn, p tap) error {
		return b.forget(ctx, t, p.msgID, p.arg == "yes")
	}},
	"nt": {ack: true, handle: func(b *Bot, ctx context.Context, t *turn, p tap) error { return b.setNotify(ctx, t, p.msgID, p.arg) }},
	"ct": {ack: true, handle: func(b *Bot, ctx context.Context, t *turn, _ tap) error { // /start's Continue
		return b.conversation(ctx, t, flows.Input{Kind: flows.KindResume})
	}},
	"m": {handle: func(b *Bot, ctx context.Context, t *turn, p tap) error {
		return b.pressMass(ctx, t, p.q, p.msgID, p.arg)
	}},

	flows.VerbCard: orderTap, flows.VerbCardNew: orderTap, flows.VerbRefresh: orderTap, flows.VerbRepeat: orderTap,
	flows.VerbAskRefill: orderTap, flows.VerbRefill: orderTap, flows.VerbAskCancel: orderTap, flows.VerbCancelOrder: orderTap,

	flows.VerbFilter: historyTap, flows.VerbPage: historyTap, flows.VerbList: historyTap, "op": historyTap,
	flows.VerbAskBulk: historyTap, flows.VerbBulk: historyTap,

	flows.VerbFavourite: favouriteTap, flows.VerbOrderFavourite: favouriteTap,
}

// The routes shared by several verbs: an order's card and its actions, the
// history lists and bulk actions, favourites.
var (
	orderTap = verbRoute{handle: func(b *Bot, ctx context.Context, t *turn, p tap) error {
		return b.pressOrder(ctx, t, p.q, p.msgID, p.verb, p.arg)
	}}
	historyTap = verbRoute{handle: func(b *Bot, ctx context.Context, t *turn, p tap) error {
		return b.pressHistory(ctx, t, p.q, p.msgID, p.verb, p.arg)
	}}
	favouriteTap = verbRoute{handle: func(b *Bot, ctx context.Context, t *turn, p tap) error {
		return b.pressFavourite(ctx, t, p.q, p.msgID, p.verb, p.arg)
	}}
)

func (b *Bot) pressConversation(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int) error {
	version, action, ok := parseConvData(q.Data)
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	in := flows.Press(version, msgID, action)
	if !ok || flows.Stale(s, in) {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "menu.expired", nil, nil))
		return nil
	}
	b.answer(ctx, t.chat.ID, q.ID, "")
	return b.converse(ctx, t, s, in)
}

// reply sends one message of the locales, with key/value arguments.
func (b *Bot) reply(ctx context.Context, t *turn, id string, kv ...any) error {
	_, err := b.sendText(ctx, t.chat.ID, b.line(t.lang, flows.M(id, kv...)), nil)
	return err
}

// langOf is the chat's language, for replies outside a turn.
func (b *Bot) langOf(ctx context.Context, chatID int64, u *models.Update) string {
	if c, err := b.db.Chat(ctx, chatID); err == nil && c.Lang != "" {
		return c.Lang
	}
	if _, user := origin(u); user != nil {
		return b.words.Match(user.LanguageCode)
	}
	return "en"
}
