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

// command handles a slash command.
func (b *Bot) command(ctx context.Context, t *turn, m *models.Message, name, arg string) error {
	switch name {
	case "start":
		if ok, err := b.startPayload(ctx, t, arg); ok {
			return err
		}
		return b.start(ctx, t)
	case "help":
		return b.help(ctx, t)
	case "order", "new":
		return b.conversation(ctx, t, flows.Input{Kind: flows.KindStart})
	case "orders":
		return b.orders(ctx, t, arg)
	case "balance":
		return b.balance(ctx, t)
	case "cancel":
		return b.cancelMass(ctx, t)
	case "mass":
		return b.mass(ctx, t, arg)
	case "language", "lang":
		return b.languages(ctx, t)
	case "key":
		return b.key(ctx, t, m, arg)
	case "forget":
		return b.askForget(ctx, t)
	case "notify", "notifications":
		return b.askNotify(ctx, t)
	}
	return b.reply(ctx, t, "idle.hint")
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

// press handles a button tap. The query is answered at once, before any
// slow call; a tap on a stale menu is answered "this menu has expired".
func (b *Bot) press(ctx context.Context, t *turn, q *models.CallbackQuery) error {
	msgID := 0
	if q.Message.Message != nil {
		msgID = q.Message.Message.ID
	}
	verb, arg, _ := strings.Cut(q.Data, ":")
	switch verb {
	case "o":
		return b.pressConversation(ctx, t, q, msgID)
	case "n":
		b.answer(ctx, t.chat.ID, q.ID, "")
		return b.conversation(ctx, t, flows.Input{Kind: flows.KindStart})
	case "l":
		b.answer(ctx, t.chat.ID, q.ID, "")
		return b.setLanguage(ctx, t, msgID, arg)
	case "f":
		b.answer(ctx, t.chat.ID, q.ID, "")
		return b.forget(ctx, t, msgID, arg == "yes")
	case "nt":
		b.answer(ctx, t.chat.ID, q.ID, "")
		return b.setNotify(ctx, t, msgID, arg)
	case "ct": // /start's Continue: the step under way, as a new menu
		b.answer(ctx, t.chat.ID, q.ID, "")
		return b.conversation(ctx, t, flows.Input{Kind: flows.KindResume})
	case "m":
		return b.pressMass(ctx, t, q, msgID, arg)
	case flows.VerbCard, flows.VerbCardNew, flows.VerbRefresh, flows.VerbAskRefill, flows.VerbRefill,
		flows.VerbAskCancel, flows.VerbCancelOrder, flows.VerbRepeat:
		return b.pressOrder(ctx, t, q, msgID, verb, arg)
	case flows.VerbFilter, flows.VerbPage, flows.VerbList, flows.VerbAskBulk, flows.VerbBulk, "op":
		return b.pressHistory(ctx, t, q, msgID, verb, arg)
	case flows.VerbFavourite, flows.VerbOrderFavourite:
		return b.pressFavourite(ctx, t, q, msgID, verb, arg)
	}
	b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "menu.expired", nil, nil))
	return nil
}

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
