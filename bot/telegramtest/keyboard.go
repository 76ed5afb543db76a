package telegramtest

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Inline keyboard limits. Telegram documents 1-64 bytes of callback data;
// 100 buttons in all and 8 a row are the server's long-standing limits.
const (
	maxCallbackData = 64
	maxButtons      = 100
	maxRowButtons   = 8
)

// Button is one inline keyboard button as the user sees it.
type Button struct {
	Text string
	Data string // callback_data; empty for other kinds
	URL  string
}

// markup is a decoded reply_markup field.
type markup struct {
	inline *models.InlineKeyboardMarkup // nil: none, or not an inline keyboard
	set    bool                         // the request carried reply_markup
}

// parseMarkup decodes and checks reply_markup. With inlineOnly (edits) any
// other kind of markup is refused. An empty inline keyboard is none.
func parseMarkup(p params, inlineOnly bool) (markup, *apiError) {
	if !p.has("reply_markup") {
		return markup{}, nil
	}
	var fields map[string]json.RawMessage
	if err := p.decode("reply_markup", &fields); err != nil || fields == nil {
		return markup{}, badRequest(descMarkupJSON)
	}
	raw, ok := fields["inline_keyboard"]
	if !ok {
		if inlineOnly {
			return markup{}, badRequest(descInlineExpected)
		}
		if !otherMarkup(fields) {
			return markup{}, badRequest(descMarkupJSON)
		}
		return markup{set: true}, nil
	}
	kb, apiErr := parseInlineKeyboard(raw)
	if apiErr != nil {
		return markup{}, apiErr
	}
	return markup{inline: kb, set: true}, nil
}

// otherMarkup accepts a reply keyboard, remove_keyboard or force_reply.
func otherMarkup(fields map[string]json.RawMessage) bool {
	if raw, ok := fields["keyboard"]; ok {
		var rows [][]json.RawMessage
		return json.Unmarshal(raw, &rows) == nil && len(rows) > 0
	}
	for _, k := range []string{"remove_keyboard", "force_reply"} {
		if raw, ok := fields[k]; ok {
			var v bool
			return json.Unmarshal(raw, &v) == nil && v
		}
	}
	return false
}

func parseInlineKeyboard(raw json.RawMessage) (*models.InlineKeyboardMarkup, *apiError) {
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, badRequest(descKeyboardArrays)
	}
	kb := &models.InlineKeyboardMarkup{}
	total := 0
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		total += len(row)
		if len(row) > maxRowButtons || total > maxButtons {
			return nil, badRequest(descMarkupTooLong)
		}
		out := make([]models.InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			btn, apiErr := parseButton(b)
			if apiErr != nil {
				return nil, apiErr
			}
			out = append(out, btn)
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	if total == 0 {
		return nil, nil
	}
	return kb, nil
}

// buttonJSON is an inline button as sent; pointers tell absent from empty.
type buttonJSON struct {
	Text                         *string         `json:"text"`
	URL                          string          `json:"url"`
	CallbackData                 string          `json:"callback_data"`
	WebApp                       json.RawMessage `json:"web_app"`
	LoginURL                     json.RawMessage `json:"login_url"`
	SwitchInlineQuery            *string         `json:"switch_inline_query"`
	SwitchInlineQueryCurrentChat *string         `json:"switch_inline_query_current_chat"`
	SwitchInlineQueryChosenChat  json.RawMessage `json:"switch_inline_query_chosen_chat"`
	CopyText                     struct {
		Text string `json:"text"`
	} `json:"copy_text"`
	CallbackGame json.RawMessage `json:"callback_game"`
	Pay          bool            `json:"pay"`
}

// parseButton checks one button. Empty callback_data and url count as
// absent, and so does copy_text with empty text (go-telegram/bot always
// sends one).
func parseButton(raw json.RawMessage) (models.InlineKeyboardButton, *apiError) {
	var b buttonJSON
	if err := json.Unmarshal(raw, &b); err != nil || b.Text == nil {
		return models.InlineKeyboardButton{}, badRequest(descButtonText)
	}
	if *b.Text == "" {
		return models.InlineKeyboardButton{}, badRequest(descButtonEmpty)
	}
	if !b.hasAction() {
		return models.InlineKeyboardButton{}, badRequest(descTextButton)
	}
	if len(b.CallbackData) > maxCallbackData {
		return models.InlineKeyboardButton{}, badRequest(descButtonData)
	}
	if b.URL != "" && !validButtonURL(b.URL) {
		return models.InlineKeyboardButton{}, badRequest(descButtonURL)
	}
	btn := models.InlineKeyboardButton{Text: *b.Text, URL: b.URL, CallbackData: b.CallbackData, Pay: b.Pay}
	btn.CopyText.Text = b.CopyText.Text
	if b.SwitchInlineQuery != nil {
		btn.SwitchInlineQuery = *b.SwitchInlineQuery
	}
	if b.SwitchInlineQueryCurrentChat != nil {
		btn.SwitchInlineQueryCurrentChat = *b.SwitchInlineQueryCurrentChat
	}
	return btn, nil
}

func (b buttonJSON) hasAction() bool {
	present := func(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }
	return b.CallbackData != "" || b.URL != "" || b.Pay || b.CopyText.Text != "" ||
		b.SwitchInlineQuery != nil || b.SwitchInlineQueryCurrentChat != nil ||
		present(b.WebApp) || present(b.LoginURL) || present(b.SwitchInlineQueryChosenChat) ||
		present(b.CallbackGame)
}

// validButtonURL accepts http, https and tg links; like Telegram it takes
// a link without a scheme as http.
func validButtonURL(s string) bool {
	if !strings.Contains(s, "://") && !strings.HasPrefix(s, "tg:") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return strings.Contains(u.Hostname(), ".")
	case "tg":
		return u.Opaque != "" || u.Host != ""
	}
	return false
}

// buttons is the user's view of an inline keyboard.
func buttons(kb *models.InlineKeyboardMarkup) [][]Button {
	if kb == nil {
		return nil
	}
	out := make([][]Button, len(kb.InlineKeyboard))
	for i, row := range kb.InlineKeyboard {
		out[i] = make([]Button, len(row))
		for j, b := range row {
			out[i][j] = Button{Text: b.Text, Data: b.CallbackData, URL: b.URL}
		}
	}
	return out
}
