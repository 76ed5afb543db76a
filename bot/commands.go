package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// command is a row of the command menu and of /help: the commands that
// work in the bot's mode, each described by "cmd.NAME" in the menu and
// "help.NAME" in /help ("…_operator" where operator mode differs).
type command struct {
	name     string
	help     bool // listed by /help (/start and /help themselves are not)
	perUser  bool // only in per-user mode: the user brings a key
	operator bool // described differently in operator mode
}

// commands are the commands of the menu, in order.
var commands = []command{
	{name: "order", help: true},
	{name: "orders", help: true},
	{name: "mass", help: true},
	{name: "balance", help: true},
	{name: "notify", help: true},
	{name: "cancel", help: true},
	{name: "language", help: true},
	{name: "key", help: true, perUser: true},
	{name: "forget", help: true, operator: true},
	{name: "help"},
	{name: "start"},
}

// menu is the commands that work in the bot's mode, with the suffix of
// their words in it ("" or "_operator").
func (b *Bot) menu() (rows []command, suffix string) {
	op := b.cfg.OperatorKey != ""
	if op {
		suffix = "_operator"
	}
	for _, c := range commands {
		if !(op && c.perUser) {
			rows = append(rows, c)
		}
	}
	return rows, suffix
}

// words is c's message id under prefix ("cmd.", "help.") in this mode.
func (c command) words(prefix, suffix string) string {
	if c.operator {
		return prefix + c.name + suffix
	}
	return prefix + c.name
}

// setCommands registers the command menu in every language.
func (b *Bot) setCommands(ctx context.Context) {
	rows, suffix := b.menu()
	for i, l := range b.words.Languages() {
		var cmds []models.BotCommand
		for _, c := range rows {
			cmds = append(cmds, models.BotCommand{Command: c.name, Description: b.words.Text(l.Code, c.words("cmd.", suffix), nil, nil)})
		}
		p := &tg.SetMyCommandsParams{Commands: cmds, LanguageCode: l.Code}
		if i == 0 {
			p.LanguageCode = "" // the default list, for every other language
		}
		if _, err := b.api.SetMyCommands(ctx, p); err != nil {
			b.log.Warn("set commands", "lang", l.Code, "err", maskToken(err, b.cfg.Token))
		}
	}
}

// helpText is /help in lang: what each command of this mode does.
func (b *Bot) helpText(lang string) string {
	rows, suffix := b.menu()
	lines := []string{b.words.Text(lang, "help.title", nil, nil)}
	for _, c := range rows {
		if c.help {
			lines = append(lines, "/"+c.name+" — "+b.words.Text(lang, c.words("help.", suffix), nil, nil))
		}
	}
	return strings.Join(lines, "\n") + "\n\n" + b.words.Text(lang, "help.search", nil, nil)
}

// help answers /help.
func (b *Bot) help(ctx context.Context, t *turn) error {
	_, err := b.sendText(ctx, t.chat.ID, b.helpText(t.lang), nil)
	return err
}

// start welcomes the user and says how to go on: connect a key first,
// continue the order under way, or place a (first) order.
func (b *Bot) start(ctx context.Context, t *turn) error {
	name := t.user.FirstName
	if name == "" {
		name = t.user.Username
	}
	next, kb, err := b.startNext(ctx, t)
	if err != nil {
		return err
	}
	text := b.line(t.lang, flows.M("start.welcome", "Name", name)) + "\n\n" + b.line(t.lang, next)
	_, err = b.sendText(ctx, t.chat.ID, text, kb)
	return err
}

// startNext is what /start offers after the welcome, with its buttons.
func (b *Bot) startNext(ctx context.Context, t *turn) (flows.Msg, *models.InlineKeyboardMarkup, error) {
	key, _, err := b.keyOf(ctx, t.chat)
	if err != nil {
		return flows.Msg{}, nil, err
	}
	if key == "" {
		return flows.M("start.need_key"), nil, nil
	}
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return flows.Msg{}, nil, err
	}
	if flows.Resumable(s) {
		kb := inline(row(b.button(t.lang, flows.M("btn.continue"), "ct:")), row(b.button(t.lang, flows.M("btn.new_order"), "n:")))
		return flows.M("start.resume"), kb, nil
	}
	n, err := b.db.CountOrders(ctx, t.chat.ID)
	if err != nil {
		return flows.Msg{}, nil, fmt.Errorf("count orders: %w", err)
	}
	if n > 0 {
		return flows.M("start.next_order"), nil, nil
	}
	return flows.M("start.first_order"), nil, nil
}

// balance shows the panel balance of the chat's key.
func (b *Bot) balance(ctx context.Context, t *turn) error {
	key, _, err := b.keyOf(ctx, t.chat)
	if err != nil {
		return err
	}
	if key == "" {
		return b.reply(ctx, t, "balance.need_key")
	}
	bal, err := b.panel.Balance(ctx, key)
	if err != nil {
		return b.explain(ctx, t, err)
	}
	b.currencies.put(key, bal.Currency)
	return b.reply(ctx, t, "balance.show", "Balance", flows.Money(bal.Amount, bal.Currency))
}

// explain tells the user what went wrong with a panel call.
func (b *Bot) explain(ctx context.Context, t *turn, err error) error {
	b.log.Info("panel call failed", "chat", t.chat.ID, "update", t.u.ID, "err", err)
	_, serr := b.sendText(ctx, t.chat.ID, b.line(t.lang, flows.Explain(err)), nil)
	return serr
}

// keyOf is the panel key the chat orders with and its reference: the
// operator's, or the chat's own; "" when the chat has none yet.
func (b *Bot) keyOf(ctx context.Context, c store.Chat) (key, ref string, err error) {
	if b.cfg.OperatorKey != "" {
		return b.cfg.OperatorKey, b.opRef, nil
	}
	if c.KeyRef == "" {
		return "", "", nil
	}
	key, err = b.db.Key(ctx, c.KeyRef)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("load key: %w", err)
	}
	return key, c.KeyRef, nil
}

// languages offers the languages as buttons.
func (b *Bot) languages(ctx context.Context, t *turn) error {
	var rows [][]models.InlineKeyboardButton
	for _, l := range b.words.Languages() {
		rows = append(rows, []models.InlineKeyboardButton{{Text: l.Name, CallbackData: "l:" + l.Code}})
	}
	_, err := b.sendText(ctx, t.chat.ID, b.words.Text(t.lang, "lang.choose", nil, nil), &models.InlineKeyboardMarkup{InlineKeyboard: rows})
	return err
}

func (b *Bot) setLanguage(ctx context.Context, t *turn, msgID int, code string) error {
	if b.words.Match(code) != code {
		return nil // a forged button: nothing to change
	}
	t.chat.Lang, t.lang = code, code
	if err := b.db.SaveChat(ctx, t.chat); err != nil {
		return fmt.Errorf("save language: %w", err)
	}
	_, err := b.show(ctx, t.chat.ID, msgID, b.words.Text(code, "lang.set", nil, nil), nil)
	return err
}

// askForget asks before deleting the chat's data, saying what it deletes
// in this mode (in operator mode the key is the operator's and stays).
func (b *Bot) askForget(ctx context.Context, t *turn) error {
	ask := "forget.ask"
	if b.cfg.OperatorKey != "" {
		ask = "forget.ask_operator"
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: b.words.Text(t.lang, "btn.yes_forget", nil, nil), CallbackData: "f:yes"}},
		{{Text: b.words.Text(t.lang, "btn.keep", nil, nil), CallbackData: "f:no"}},
	}}
	_, err := b.sendText(ctx, t.chat.ID, b.words.Text(t.lang, ask, nil, nil), kb)
	return err
}

// forget deletes the chat's key, session and history in one transaction.
func (b *Bot) forget(ctx context.Context, t *turn, msgID int, yes bool) error {
	id := "forget.kept"
	if yes {
		if err := b.db.Forget(ctx, t.chat.ID); err != nil {
			return fmt.Errorf("forget chat: %w", err)
		}
		id = "forget.done"
	}
	_, err := b.show(ctx, t.chat.ID, msgID, b.words.Text(t.lang, id, nil, nil), nil)
	return err
}

// blocked is the sender's word that the user blocked the bot: the chat is
// marked and its pending notifications dropped.
func (b *Bot) blocked(ctx context.Context, chatID int64) {
	n, err := b.db.SetBlocked(ctx, chatID)
	if err != nil {
		b.log.Error("mark chat blocked", "chat", chatID, "err", err)
		return
	}
	b.log.Info("chat blocked the bot", "chat", chatID, "dropped", n)
}

// notifyMark marks the current choice of /notify.
const notifyMark = "✓ "

// askNotify offers the notification setting (every change, or finished
// only) with the current one marked.
func (b *Bot) askNotify(ctx context.Context, t *turn) error {
	text, kb := b.notifyMenu(t.lang, t.chat.FinishedOnly)
	_, err := b.sendText(ctx, t.chat.ID, text, kb)
	return err
}

// notifyMenu is /notify's question and buttons, the current choice marked.
func (b *Bot) notifyMenu(lang string, finishedOnly bool) (string, *models.InlineKeyboardMarkup) {
	all := b.button(lang, flows.M("btn.notify_all"), "nt:all")
	fin := b.button(lang, flows.M("btn.notify_finished"), "nt:fin")
	if finishedOnly {
		fin.Text = notifyMark + fin.Text
	} else {
		all.Text = notifyMark + all.Text
	}
	return b.words.Text(lang, "notify.ask", nil, nil), inline(row(all), row(fin))
}
func (b *Bot) setNotify(ctx context.Context, t *turn, msgID int, arg string) error {
	if arg != "all" && arg != "fin" {
		return nil // a forged button
	}
	t.chat.FinishedOnly = arg == "fin"
	if err := b.db.SaveChat(ctx, t.chat); err != nil {
		return fmt.Errorf("save notify setting: %w", err)
	}
	id := "notify.set_all"
	if t.chat.FinishedOnly {
		id = "notify.set_finished"
	}
	_, err := b.show(ctx, t.chat.ID, msgID, b.words.Text(t.lang, id, nil, nil), nil)
	return err
}
