package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/locales"
)

// MaxCallbackData is Telegram's limit on a button's callback data, in bytes.
const MaxCallbackData = 64

// text renders lines in lang. Arguments are escaped for Telegram's HTML:
// panel names, links and the user's own text never become markup.
func (b *Bot) text(lang string, lines []flows.Msg) string {
	parts := make([]string, 0, len(lines))
	for _, m := range lines {
		parts = append(parts, b.line(lang, m))
	}
	return strings.Join(parts, "\n")
}

func (b *Bot) line(lang string, m flows.Msg) string {
	var args map[string]any
	if len(m.Args) > 0 {
		args = make(map[string]any, len(m.Args))
		for k, v := range m.Args {
			switch x := v.(type) {
			case string:
				v = html.EscapeString(x)
			case locales.Money: // the currency is the panel's text
				x.Currency = html.EscapeString(x.Currency)
				v = x
			}
			args[k] = v
		}
	}
	return b.words.Text(lang, m.ID, args, m.Count)
}

// label is a button's text in lang (not HTML: no escaping).
func (b *Bot) label(lang string, btn flows.Button) string {
	if btn.Raw != "" {
		return btn.Raw
	}
	return b.words.Text(lang, btn.Label.ID, btn.Label.Args, btn.Label.Count)
}

// keyboard renders a conversation's buttons; their actions carry the
// session's version so that a tap on an older menu is recognised.
func (b *Bot) keyboard(lang string, version int64, rows [][]flows.Button) *models.InlineKeyboardMarkup {
	if len(rows) == 0 {
		return nil
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, 0, len(rows))}
	for _, row := range rows {
		out := make([]models.InlineKeyboardButton, 0, len(row))
		for _, btn := range row {
			data := btn.Data
			if data == "" {
				data = convData(version, btn.Action)
			}
			out = append(out, models.InlineKeyboardButton{Text: b.label(lang, btn), CallbackData: data})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	return kb
}

// convData is the callback data of a conversation button: "o:VERSION:ACTION".
func convData(version int64, action string) string {
	return "o:" + strconv.FormatInt(version, 10) + ":" + action
}

// parseConvData reads "o:VERSION:ACTION".
func parseConvData(data string) (version int64, action string, ok bool) {
	rest, ok := strings.CutPrefix(data, "o:")
	if !ok {
		return 0, "", false
	}
	v, action, ok := strings.Cut(rest, ":")
	if !ok {
		return 0, "", false
	}
	version, err := strconv.ParseInt(v, 10, 64)
	return version, action, err == nil && action != ""
}

// sendText sends a new HTML message through the sender.
func (b *Bot) sendText(ctx context.Context, chatID int64, text string, kb *models.InlineKeyboardMarkup) (int, error) {
	p := &tg.SendMessageParams{ChatID: chatID, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	var id int
	err := b.send.Do(ctx, chatID, Interactive, func(ctx context.Context) error {
		m, err := b.api.SendMessage(ctx, p)
		if err == nil {
			id = m.ID
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("send message: %w", maskToken(err, b.cfg.Token))
	}
	return id, nil
}

// editText edits a message in place; "message is not modified" is success.
// It reports errGone when the message can no longer be edited.
func (b *Bot) editText(ctx context.Context, chatID int64, msgID int, text string, kb *models.InlineKeyboardMarkup) error {
	p := &tg.EditMessageTextParams{ChatID: chatID, MessageID: msgID, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
	if kb != nil {
		p.ReplyMarkup = kb
	} else {
		p.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	}
	err := b.send.Do(ctx, chatID, Edit, func(ctx context.Context) error {
		_, err := b.api.EditMessageText(ctx, p)
		return err
	})
	if err != nil && errors.Is(err, tg.ErrorBadRequest) &&
		(strings.Contains(err.Error(), "message to edit not found") || strings.Contains(err.Error(), "can't be edited")) {
		return errGone
	}
	if err != nil {
		return fmt.Errorf("edit message: %w", maskToken(err, b.cfg.Token))
	}
	return nil
}

// answer answers a callback query; text, when set, shows as a toast.
func (b *Bot) answer(ctx context.Context, chatID int64, queryID, text string) {
	err := b.send.Do(ctx, chatID, Courtesy, func(ctx context.Context) error {
		_, err := b.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: text})
		return err
	})
	if err != nil {
		b.log.Warn("answer callback", "chat", chatID, "err", maskToken(err, b.cfg.Token))
	}
}

// deleteMessage deletes a message (the one that carried an API key).
func (b *Bot) deleteMessage(ctx context.Context, chatID int64, msgID int) error {
	err := b.send.Do(ctx, chatID, Courtesy, func(ctx context.Context) error {
		_, err := b.api.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: chatID, MessageID: msgID})
		return err
	})
	if err != nil {
		return fmt.Errorf("delete message: %w", maskToken(err, b.cfg.Token))
	}
	return nil
}

// show puts a screen on the chat: it edits message msgID when set (and
// still editable), or sends a new message. It returns the message shown.
func (b *Bot) show(ctx context.Context, chatID int64, msgID int, text string, kb *models.InlineKeyboardMarkup) (int, error) {
	if msgID != 0 {
		err := b.editText(ctx, chatID, msgID, text, kb)
		if !errors.Is(err, errGone) {
			return msgID, err
		}
	}
	return b.sendText(ctx, chatID, text, kb)
}
