package telegramtest

import (
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// maxTextLen is Telegram's limit on a message's text, in UTF-16 code units
// of the text after entity parsing.
const maxTextLen = 4096

// content is a message text as Telegram stores it.
type content struct {
	text      string
	entities  []models.MessageEntity
	parseMode string
}

// parseContent turns the text, parse_mode and entities fields of a send or
// an edit into what Telegram shows, or the error Telegram answers. HTML is
// parsed; Markdown and MarkdownV2 are kept as they are (the fake does not
// parse them).
func parseContent(p params) (content, *apiError) {
	c := content{text: p["text"], parseMode: p["parse_mode"]}
	if !utf8.ValidString(c.text) {
		return content{}, badRequest(descNotUTF8)
	}
	switch strings.ToLower(c.parseMode) {
	case "html":
		text, ents, err := parseHTML(c.text)
		if err != nil {
			return content{}, badRequest(descEntities + err.Error())
		}
		c.text, c.entities = text, ents
	case "markdown", "markdownv2":
	case "":
		if p.has("entities") {
			if err := p.decode("entities", &c.entities); err != nil {
				return content{}, badRequest(descEntitiesJSON)
			}
		}
	default:
		return content{}, badRequest(descParseMode)
	}
	c.text, c.entities = trimText(c.text, c.entities)
	if c.text == "" {
		return content{}, badRequest(descTextEmpty)
	}
	if utf16Count(c.text) > maxTextLen {
		return content{}, badRequest(descTooLong)
	}
	c.entities = withCommands(c.text, c.entities)
	return c, nil
}

// equal reports whether two contents look the same in the chat.
func (c content) equal(text string, ents []models.MessageEntity) bool {
	return c.text == text && sameJSON(c.entities, ents)
}

// sameJSON compares two values by their JSON, nil and empty alike.
func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) == "[]" || string(ja) == "{}" {
		ja = []byte("null")
	}
	if string(jb) == "[]" || string(jb) == "{}" {
		jb = []byte("null")
	}
	return string(ja) == string(jb)
}

// trimText drops leading and trailing white space, as Telegram does,
// moving and clipping the entities with it.
func trimText(text string, ents []models.MessageEntity) (string, []models.MessageEntity) {
	trimmed := strings.TrimLeft(text, " \t\r\n\v\f")
	cut := utf16Count(text[:len(text)-len(trimmed)])
	trimmed = strings.TrimRight(trimmed, " \t\r\n\v\f")
	size := utf16Count(trimmed)
	var out []models.MessageEntity
	for _, e := range ents {
		start := max(e.Offset-cut, 0)
		end := min(e.Offset+e.Length-cut, size)
		if end > start {
			e.Offset, e.Length = start, end-start
			out = append(out, e)
		}
	}
	return trimmed, out
}

// withCommands adds a bot_command entity for each /command in text, as
// Telegram does for every message, outside code, pre and links.
func withCommands(text string, ents []models.MessageEntity) []models.MessageEntity {
	cmds := findCommands(text)
	if len(cmds) == 0 {
		return ents
	}
	out := append([]models.MessageEntity(nil), ents...)
	for _, c := range cmds {
		if !insideCode(c, ents) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Offset < out[b].Offset })
	return out
}

func insideCode(c models.MessageEntity, ents []models.MessageEntity) bool {
	for _, e := range ents {
		switch e.Type {
		case models.MessageEntityTypeCode, models.MessageEntityTypePre, models.MessageEntityTypeTextLink:
			if c.Offset < e.Offset+e.Length && e.Offset < c.Offset+c.Length {
				return true
			}
		}
	}
	return false
}

// findCommands finds /command and /command@botname the way tdlib does: a
// "/" not after a word character, "/", "<", ">" or "\", 1 to 64 word
// characters, and an optional @name of 3 to 32.
func findCommands(text string) []models.MessageEntity {
	var out []models.MessageEntity
	for i := 0; i < len(text); i++ {
		if text[i] != '/' || (i > 0 && blocksCommand(text[i-1])) {
			continue
		}
		end := i + 1
		for end < len(text) && isWordByte(text[end]) {
			end++
		}
		if end-i-1 == 0 || end-i-1 > 64 {
			continue
		}
		if end < len(text) && text[end] == '@' {
			at := end + 1
			for at < len(text) && isWordByte(text[at]) {
				at++
			}
			if n := at - end - 1; n >= 3 && n <= 32 {
				end = at
			}
		}
		if end < len(text) && blocksCommand(text[end]) {
			continue
		}
		out = append(out, models.MessageEntity{
			Type:   models.MessageEntityTypeBotCommand,
			Offset: utf16Count(text[:i]),
			Length: end - i, // ASCII only
		})
		i = end - 1
	}
	return out
}

func blocksCommand(c byte) bool {
	return isWordByte(c) || c == '/' || c == '<' || c == '>' || c == '\\'
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 || c == '\v'
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isAlnum(c byte) bool { return isAlpha(c) || (c >= '0' && c <= '9') }

func isDigitIn(c byte, base int) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	return base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
}

// utf16Len is how many UTF-16 code units r takes.
func utf16Len(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}

// utf16Count is the length of s in UTF-16 code units, Telegram's unit.
func utf16Count(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		n += utf16Len(r)
		s = s[size:]
	}
	return n
}
