package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
)

// Where the bot talks: everything that touches a key, a balance, orders or
// the catalogue happens in private chats. In a group, a supergroup or a
// channel the bot answers at most a /start or /order addressed to it, with
// a button to the private chat; it never calls the panel there, and it
// leaves a group it was added to by someone who may not use it.

// route sends an update to its handler, after access control.
func (b *Bot) route(ctx context.Context, u *models.Update) error {
	if m := u.MyChatMember; m != nil {
		return b.membership(ctx, m)
	}
	chatID, user := origin(u)
	if chatID == 0 || user == nil || user.IsBot {
		return nil
	}
	if q := u.CallbackQuery; q != nil && (!isPrivate(u) || !b.mayUse(user.ID)) {
		b.alert(ctx, chatID, q, user, "access.tap_refused")
		return nil
	}
	if !isPrivate(u) {
		return b.public(ctx, u)
	}
	if !b.mayUse(user.ID) {
		return b.refuse(ctx, chatID, user)
	}
	chat, err := b.db.TouchChat(ctx, chatID, b.words.Match(user.LanguageCode))
	if err != nil {
		return fmt.Errorf("touch chat: %w", err)
	}
	t := &turn{chat: chat, lang: chat.Lang, user: user, u: u}
	switch {
	case u.CallbackQuery != nil:
		return b.press(ctx, t, u.CallbackQuery)
	case u.Message != nil:
		return b.message(ctx, t, u.Message)
	case u.EditedMessage != nil:
		return b.edited(ctx, t, u.EditedMessage)
	}
	return nil
}

// mayUse applies the allowlist: in operator mode only the listed users,
// in per-user mode everyone unless a list is given.
func (b *Bot) mayUse(userID int64) bool {
	return len(b.allowed) == 0 || b.allowed[userID]
}

// refuse tells a user outside the allowlist, in a private chat, their id.
func (b *Bot) refuse(ctx context.Context, chatID int64, user *models.User) error {
	if chatID != user.ID {
		return nil // not their private chat: say nothing
	}
	lang := b.words.Match(user.LanguageCode)
	b.log.Info("refused", "user", user.ID)
	_, err := b.sendText(ctx, chatID, b.words.Text(lang, "access.refused", map[string]any{"ID": user.ID}, nil), nil)
	return err
}

// alert answers a tap the bot will not act on with an alert, never a
// message.
func (b *Bot) alert(ctx context.Context, chatID int64, q *models.CallbackQuery, user *models.User, id string) {
	text := b.words.Text(b.words.Match(user.LanguageCode), id, nil, nil)
	err := b.send.Do(ctx, chatID, Courtesy, func(ctx context.Context) error {
		_, err := b.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: text, ShowAlert: true})
		return err
	})
	if err != nil {
		b.log.Warn("answer callback", "chat", chatID, "err", maskToken(err, b.cfg.Token))
	}
}

// public handles a message in a group, supergroup or channel: a /start or
// /order addressed to the bot gets one short message with a button to the
// private chat, in the same topic; anything else, silence.
func (b *Bot) public(ctx context.Context, u *models.Update) error {
	m := u.Message
	if m == nil || m.From == nil {
		return nil
	}
	name, _, cmd, mine := b.parseCommand(m.Text)
	if !cmd || !mine || (name != "start" && name != "order") {
		return nil
	}
	lang := b.words.Match(m.From.LanguageCode)
	link := "https://t.me/" + url.PathEscape(b.username)
	if name == "order" {
		link += "?start=order"
	}
	p := &tg.SendMessageParams{ChatID: m.Chat.ID, Text: b.words.Text(lang, "group.private", nil, nil), ParseMode: models.ParseModeHTML,
		ReplyMarkup: inline(row(models.InlineKeyboardButton{Text: b.words.Text(lang, "btn.open_private", nil, nil), URL: link}))}
	if m.IsTopicMessage {
		p.MessageThreadID = m.MessageThreadID
	}
	return b.send.Do(ctx, m.Chat.ID, Interactive, func(ctx context.Context) error {
		_, err := b.api.SendMessage(ctx, p)
		return err
	})
}

// membership follows the bot's own membership: blocked or unblocked in a
// private chat, added to a group by someone who may use it or not.
func (b *Bot) membership(ctx context.Context, m *models.ChatMemberUpdated) error {
	status := m.NewChatMember.Type
	if m.Chat.Type == models.ChatTypePrivate {
		switch status {
		case models.ChatMemberTypeBanned:
			b.blocked(ctx, m.Chat.ID)
		case models.ChatMemberTypeMember:
			if b.mayUse(m.From.ID) {
				if _, err := b.db.TouchChat(ctx, m.Chat.ID, b.words.Match(m.From.LanguageCode)); err != nil {
					return fmt.Errorf("unblock chat: %w", err)
				}
			}
		}
		return nil
	}
	added := status == models.ChatMemberTypeMember || status == models.ChatMemberTypeAdministrator
	if !added || b.mayUse(m.From.ID) {
		return nil
	}
	b.log.Info("leaving a group a stranger added the bot to", "chat", m.Chat.ID, "user", m.From.ID)
	err := b.send.Do(ctx, m.Chat.ID, Courtesy, func(ctx context.Context) error {
		_, err := b.api.LeaveChat(ctx, &tg.LeaveChatParams{ChatID: m.Chat.ID})
		return err
	})
	if err != nil && !isPermanent(err) {
		return fmt.Errorf("leave chat: %w", maskToken(err, b.cfg.Token))
	}
	return nil
}

// parseCommand splits "/order@ThisBot arg" into "order" and "arg". cmd is
// false for text that is not a command; mine is false for a command
// addressed to another bot ("/order@OtherBot").
func (b *Bot) parseCommand(text string) (name, arg string, cmd, mine bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false, false
	}
	// The command ends at the first space or line break: "/mass\n1|link|100"
	// is /mass with its lines.
	rest := strings.TrimSpace(text[1:])
	head, arg := rest, ""
	if i := strings.IndexAny(rest, " \t\r\n"); i >= 0 {
		head, arg = rest[:i], rest[i+1:]
	}
	head, to, addressed := strings.Cut(head, "@")
	if head == "" {
		return "", "", false, false
	}
	return strings.ToLower(head), strings.TrimSpace(arg), true, !addressed || strings.EqualFold(to, b.username)
}

// apologize tells the user something went wrong, in their language, when
// an apology can arrive: not after a permanent refusal (a blocked or
// missing chat), and only in a private chat.
func (b *Bot) apologize(ctx context.Context, u *models.Update, cause error) {
	chatID, _ := origin(u)
	if chatID == 0 || !isPrivate(u) || isPermanent(cause) || errors.Is(cause, context.Canceled) {
		return
	}
	lang := b.langOf(ctx, chatID, u)
	_, _ = b.sendText(ctx, chatID, b.words.Text(lang, "err.generic", nil, nil), nil)
}

// startPayload opens what a deep link (/start PAYLOAD) names: "order"
// starts an order, "s_ID" a service's first step, "o_ID" the user's own
// order's card. It reports false for a payload it does not know.
func (b *Bot) startPayload(ctx context.Context, t *turn, payload string) (bool, error) {
	switch {
	case payload == "order":
		return true, b.conversation(ctx, t, flows.Input{Kind: flows.KindStart})
	case strings.HasPrefix(payload, "s_") && isDigits(payload[2:]):
		s, err := b.session(ctx, t.chat.ID)
		if err != nil {
			return true, err
		}
		return true, b.converse(ctx, t, s, flows.Input{Kind: flows.KindStart}, flows.Text(payload[2:]))
	case strings.HasPrefix(payload, "o_") && isDigits(payload[2:]):
		o, ok, err := b.ownOrder(ctx, t, payload[2:])
		if err != nil {
			return true, err
		}
		if !ok {
			return true, b.reply(ctx, t, "card.not_yours")
		}
		return true, b.showCard(ctx, t, 0, o, flows.Msg{})
	}
	return false, nil
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
