package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/store"
)

// A mass order is a conversation of its own (flows.Mass), kept in the
// store's mass bucket. It belongs to a version of the chat's
// conversation: /mass starts a new version (older menus expire), and a
// later /order starts another, which ends the mass order's hold on the
// chat's messages. Its buttons carry "m:VERSION:ACTION".

// mass handles /mass: a new mass order, taking the lines the command
// carries, if any.
func (b *Bot) mass(ctx context.Context, t *turn, arg string) error {
	key, ref, err := b.keyOf(ctx, t.chat)
	if err != nil {
		return err
	}
	if key == "" {
		return b.reply(ctx, t, "start.need_key")
	}
	ms, err := b.massSession(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	if ms.State == flows.MassPlacing {
		if err := b.massInterrupted(ctx, t, &ms, ref); err != nil {
			return err
		}
	}
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	if s.State == flows.StatePlacing {
		return b.reply(ctx, t, "order.already_placing")
	}
	// A new conversation: the order conversation's menus expire.
	s.State, s.Draft, s.MenuID = flows.StateIdle, flows.Draft{}, 0
	s.Version++
	if err := b.saveSession(ctx, s); err != nil {
		return err
	}
	sc, err := b.massFlow(ref).Begin(ctx, key, &ms, s.Version, arg)
	return b.massShow(ctx, t, ms, sc, 0, err)
}

// massInput gives a message to the mass order gathering lines, when the
// chat has one; it reports whether it did.
func (b *Bot) massInput(ctx context.Context, t *turn, s flows.Session, m *models.Message) (bool, error) {
	if !s.Idle() {
		return false, nil
	}
	ms, err := b.massSession(ctx, t.chat.ID)
	if err != nil {
		return true, err
	}
	if !ms.Gathering() || ms.Version != s.Version {
		return false, nil
	}
	text := m.Text
	switch {
	case m.Document != nil:
		var problem flows.Msg
		if text, problem = b.massFile(ctx, m.Document); problem.ID != "" {
			return true, b.reply(ctx, t, problem.ID, kvOf(problem)...)
		}
	case text == "":
		return true, b.reply(ctx, t, "mass.not_text")
	}
	key, ref, err := b.keyOf(ctx, t.chat)
	if err != nil {
		return true, err
	}
	if key == "" {
		return true, b.reply(ctx, t, "start.need_key")
	}
	sc, err := b.massFlow(ref).Take(ctx, key, &ms, text)
	return true, b.massShow(ctx, t, ms, sc, 0, err)
}

// cancelMass handles /cancel: it ends a mass order gathering lines, or
// else cancels as the order conversation does.
func (b *Bot) cancelMass(ctx context.Context, t *turn) error {
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	ms, err := b.massSession(ctx, t.chat.ID)
	if err != nil {
		return err
	}
	if !s.Idle() || !ms.Gathering() || ms.Version != s.Version {
		return b.cancel(ctx, t)
	}
	sc, err := b.massFlow("").Cancel(ctx, &ms)
	return b.massShow(ctx, t, ms, sc, 0, err)
}

// pressMass handles a tap on a mass order's menu: "m:VERSION:ACTION".
func (b *Bot) pressMass(ctx context.Context, t *turn, q *models.CallbackQuery, msgID int, arg string) error {
	v, action, _ := strings.Cut(arg, ":")
	version, perr := strconv.ParseInt(v, 10, 64)
	ms, err := b.massSession(ctx, t.chat.ID)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	s, err := b.session(ctx, t.chat.ID)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	key, ref, err := b.keyOf(ctx, t.chat)
	if err != nil {
		b.answer(ctx, t.chat.ID, q.ID, "")
		return err
	}
	if ms.State == flows.MassPlacing { // left placing by a stop: not placing now, as this chat's updates wait for it
		b.answer(ctx, t.chat.ID, q.ID, "")
		return b.massInterrupted(ctx, t, &ms, ref)
	}
	if perr != nil || key == "" || flows.MassStale(ms, flows.Press(version, msgID, action)) || s.Version != ms.Version || !s.Idle() {
		b.answer(ctx, t.chat.ID, q.ID, b.words.Text(t.lang, "menu.expired", nil, nil))
		return nil
	}
	b.answer(ctx, t.chat.ID, q.ID, "")
	return b.massAction(ctx, t, &ms, key, ref, msgID, action)
}

// massAction does what a tap on a current mass order menu asks.
func (b *Bot) massAction(ctx context.Context, t *turn, ms *flows.MassSession, key, ref string, msgID int, action string) error {
	mf := b.massFlow(ref)
	switch action {
	case "x":
		sc, err := mf.Cancel(ctx, ms)
		return b.massShow(ctx, t, *ms, sc, msgID, err)
	case "r":
		sc, err := mf.Summary(ctx, key, ms)
		return b.massShow(ctx, t, *ms, sc, msgID, err)
	case "ok":
		return b.placeMass(ctx, t, ms, key, ref, msgID)
	}
	return nil
}

// massFlow is the mass order conversation for the key ref.
func (b *Bot) massFlow(ref string) *flows.Mass {
	return &flows.Mass{Panel: b.panelView(), KeyRef: ref}
}

// massShow shows a screen of a mass order still gathering lines (edited
// into message edit when set) and saves the session, which carries the
// menu's message id. err, from making the screen, is returned after.
func (b *Bot) massShow(ctx context.Context, t *turn, ms flows.MassSession, sc flows.MassScreen, edit int, err error) error {
	if err != nil {
		return err
	}
	id, err := b.massPresent(ctx, t, ms.Version, sc, edit)
	if err != nil {
		return err
	}
	if len(sc.Buttons) > 0 {
		ms.MenuID = id
	}
	if sc.Keep {
		return nil
	}
	return b.saveMass(ctx, ms)
}

// massPresent puts a mass screen on the chat: its first message edited
// into message edit (when set), any more sent after it, the buttons on
// the last. It returns the last message's id.
func (b *Bot) massPresent(ctx context.Context, t *turn, version int64, sc flows.MassScreen, edit int) (int, error) {
	if sc.Keep {
		_, err := b.sendText(ctx, t.chat.ID, b.line(t.lang, sc.Notice), nil)
		return 0, err
	}
	chunks := packLines(b.massLines(t.lang, sc), maxMessageText)
	id := edit
	for i, text := range chunks {
		kb := b.massKeyboard(t.lang, version, sc.Buttons)
		if i < len(chunks)-1 {
			kb = nil
		}
		var err error
		if i == 0 {
			id, err = b.show(ctx, t.chat.ID, edit, text, kb)
		} else {
			id, err = b.sendText(ctx, t.chat.ID, text, kb)
		}
		if err != nil {
			return 0, err
		}
	}
	return id, nil
}

// massLines renders a mass screen, one string a line.
func (b *Bot) massLines(lang string, sc flows.MassScreen) []string {
	out := make([]string, 0, len(sc.Lines)+len(sc.Items)+len(sc.Foot))
	for _, m := range sc.Lines {
		out = append(out, b.line(lang, m))
	}
	for _, it := range sc.Items {
		s := b.line(lang, it.Line)
		if it.Reason.ID != "" {
			s += " " + b.line(lang, it.Reason)
		}
		out = append(out, s)
	}
	for _, m := range sc.Foot {
		out = append(out, b.line(lang, m))
	}
	return out
}

// massKeyboard renders a mass order's buttons: "m:VERSION:ACTION".
func (b *Bot) massKeyboard(lang string, version int64, rows [][]flows.Button) *models.InlineKeyboardMarkup {
	if len(rows) == 0 {
		return nil
	}
	kb := &models.InlineKeyboardMarkup{}
	for _, row := range rows {
		var out []models.InlineKeyboardButton
		for _, btn := range row {
			out = append(out, models.InlineKeyboardButton{Text: b.label(lang, btn),
				CallbackData: "m:" + strconv.FormatInt(version, 10) + ":" + btn.Action})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	return kb
}

// kvOf is a message's arguments as key/value pairs.
func kvOf(m flows.Msg) []any {
	var kv []any
	for k, v := range m.Args {
		kv = append(kv, k, v)
	}
	return kv
}

// massSession loads the chat's mass order.
func (b *Bot) massSession(ctx context.Context, chatID int64) (flows.MassSession, error) {
	mb, err := b.db.MassBatch(ctx, chatID)
	if err != nil {
		return flows.MassSession{}, fmt.Errorf("load mass order: %w", err)
	}
	ms := flows.MassSession{ChatID: chatID, State: mb.State, Version: mb.Version, MenuID: mb.MenuID}
	if len(mb.Data) > 0 {
		if err := json.Unmarshal(mb.Data, &ms.Lines); err != nil {
			// Lines this code cannot read are dropped, not fatal: the
			// user sends them again.
			ms.State, ms.Lines = flows.MassNone, nil
		}
	}
	return ms, nil
}

// saveMass stores a mass order that is not placing.
func (b *Bot) saveMass(ctx context.Context, ms flows.MassSession) error {
	var data []byte
	if len(ms.Lines) > 0 {
		var err error
		if data, err = json.Marshal(ms.Lines); err != nil {
			return fmt.Errorf("encode mass lines: %w", err)
		}
	}
	mb := store.MassBatch{ChatID: ms.ChatID, Version: ms.Version, State: ms.State, MenuID: ms.MenuID, Data: data}
	if err := b.db.SaveMassBatch(ctx, mb); err != nil {
		return fmt.Errorf("save mass order: %w", err)
	}
	return nil
}
