package bot

import (
	"context"
	"errors"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// commandNames are the commands shown in Telegram's menu, in order.
var commandNames = []string{"order", "mass", "orders", "balance", "cancel", "notify", "language", "key", "forget", "help", "start"}

// setCommands registers the command menu in every language.
func (b *Bot) setCommands(ctx context.Context) {
	for i, l := range b.words.Languages() {
		var cmds []models.BotCommand
		for _, name := range commandNames {
			if name == "key" && b.cfg.OperatorKey != "" {
				continue
			}
			cmds = append(cmds, models.BotCommand{Command: name, Description: b.words.Text(l.Code, "cmd."+name, nil, nil)})
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

// start welcomes the user and says how to begin.
func (b *Bot) start(ctx context.Context, t *turn) error {
	name := t.user.FirstName
	if name == "" {
		name = t.user.Username
	}
	if err := b.reply(ctx, t, "start.welcome", "Name", name); err != nil {
		return err
	}
	if key, _, err := b.keyOf(ctx, t.chat); err == nil && key == "" {
		return b.reply(ctx, t, "start.need_key")
	}
	return nil
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
	return b.reply(ctx, t, "balance.show", "Balance", flows.Money(bal.Amount), "Currency", bal.Currency)
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

// askForget asks before deleting the chat's data.
func (b *Bot) askForget(ctx context.Context, t *turn) error {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: b.words.Text(t.lang, "btn.yes_forget", nil, nil), CallbackData: "f:yes"}},
		{{Text: b.words.Text(t.lang, "btn.keep", nil, nil), CallbackData: "f:no"}},
	}}
	_, err := b.sendText(ctx, t.chat.ID, b.words.Text(t.lang, "forget.ask", nil, nil), kb)
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

// askNotify offers the notification setting: every change, or finished only.
func (b *Bot) askNotify(ctx context.Context, t *turn) error {
	kb := inline(row(b.button(t.lang, flows.M("btn.notify_all"), "nt:all")), row(b.button(t.lang, flows.M("btn.notify_finished"), "nt:fin")))
	_, err := b.sendText(ctx, t.chat.ID, b.words.Text(t.lang, "notify.ask", nil, nil), kb)
	return err
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
