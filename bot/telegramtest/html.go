package telegramtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// htmlTags are the tags Telegram's HTML parse mode knows.
var htmlTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true,
	"u": true, "ins": true, "s": true, "strike": true, "del": true,
	"tg-spoiler": true, "tg-emoji": true, "span": true, "pre": true,
	"code": true, "blockquote": true,
}

// openTag is a start tag waiting for its end tag.
type openTag struct {
	name    string
	arg     string // href, code language, span class, emoji id, "1" for expandable
	offset  int    // UTF-16 offset of the content in the output
	bytePos int    // byte offset of the content in the output
}

// htmlParser follows tdlib's parse_html (the parser behind the Bot API),
// with its error messages and byte offsets, and is stricter in one way:
// a bare "&" in text that starts no character entity is an error, where
// Telegram keeps it as text. Panel text that is not escaped fails here.
type htmlParser struct {
	src   string
	out   strings.Builder
	utf16 int
	stack []openTag
	ents  []models.MessageEntity
}

// parseHTML returns the text Telegram shows for src and its entities, or
// the parse error (the part after "can't parse entities: ").
func parseHTML(src string) (string, []models.MessageEntity, error) {
	p := &htmlParser{src: src}
	for i := 0; i < len(src); i++ {
		var err error
		switch src[i] {
		case '&':
			i, err = p.charEntity(i)
		case '<':
			if p.at(i+1) == '/' {
				i, err = p.endTag(i)
			} else {
				i, err = p.startTag(i)
			}
		default:
			p.textByte(src[i])
		}
		if err != nil {
			return "", nil, err
		}
	}
	if n := len(p.stack); n > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag %q", p.stack[n-1].name)
	}
	sort.SliceStable(p.ents, func(a, b int) bool {
		if p.ents[a].Offset != p.ents[b].Offset {
			return p.ents[a].Offset < p.ents[b].Offset
		}
		return p.ents[a].Length > p.ents[b].Length
	})
	return p.out.String(), p.ents, nil
}

// at is the byte at i, or 0 past the end (tdlib reads a NUL-terminated string).
func (p *htmlParser) at(i int) byte {
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

func (p *htmlParser) textByte(c byte) {
	p.out.WriteByte(c)
	if c&0xC0 != 0x80 { // first byte of a character
		p.utf16++
		if c >= 0xF0 { // four bytes: a surrogate pair in UTF-16
			p.utf16++
		}
	}
}

// charEntity decodes the entity at i and returns the index of its last byte.
func (p *htmlParser) charEntity(i int) (int, error) {
	r, next, ok := decodeEntity(p.src, i)
	if !ok {
		return i, fmt.Errorf(`Character "&" at byte offset %d must be escaped as "&amp;"`, i)
	}
	p.out.WriteRune(r)
	p.utf16 += utf16Len(r)
	return next - 1, nil
}

// decodeEntity decodes &lt; &gt; &amp; &quot; &#N; &#xN; at pos (the ";"
// is optional, as in tdlib) and returns the index after it.
func decodeEntity(s string, pos int) (rune, int, bool) {
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	end := pos + 1
	var r rune
	if at(end) == '#' {
		end++
		base := 10
		if at(end) == 'x' {
			base = 16
			end++
		}
		start := end
		for isDigitIn(at(end), base) && end-start < 8 {
			end++
		}
		v, err := strconv.ParseInt(s[start:end], base, 32)
		if err != nil || v == 0 || v >= 0x10ffff || end-pos >= 10 {
			return 0, 0, false
		}
		r = rune(v)
	} else {
		for isAlpha(at(end)) {
			end++
		}
		var ok bool
		if r, ok = namedEntities[s[pos+1:end]]; !ok {
			return 0, 0, false
		}
	}
	if at(end) == ';' {
		end++
	}
	return r, end, true
}

var namedEntities = map[string]rune{"lt": '<', "gt": '>', "amp": '&', "quot": '"'}

// startTag reads the start tag at begin and returns the index of its ">".
func (p *htmlParser) startTag(begin int) (int, error) {
	i := begin + 1
	for !isSpace(p.at(i)) && p.at(i) != '>' {
		i++
	}
	if p.at(i) == 0 {
		return i, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
	}
	name := strings.ToLower(p.src[begin+1 : i])
	if !htmlTags[name] {
		return i, fmt.Errorf("Unsupported start tag %q at byte offset %d", name, begin)
	}
	arg := ""
	for p.at(i) != '>' {
		for p.at(i) != 0 && isSpace(p.at(i)) {
			i++
		}
		if p.at(i) == '>' {
			break
		}
		attr, value, next, err := p.attribute(name, begin, i)
		if err != nil {
			return next, err
		}
		i = next
		arg = tagArgument(name, attr, value, arg)
	}
	if name == "span" && arg != "spoiler" {
		return i, fmt.Errorf(`Tag "span" must have class "tg-spoiler" at byte offset %d`, begin)
	}
	p.stack = append(p.stack, openTag{name: name, arg: arg, offset: p.utf16, bytePos: p.out.Len()})
	return i, nil
}

// attribute reads name=value at i, inside the tag that starts at begin.
func (p *htmlParser) attribute(tag string, begin, i int) (string, string, int, error) {
	nameStart := i
	for !isSpace(p.at(i)) && p.at(i) != '=' && p.at(i) != '>' {
		i++
	}
	name := p.src[nameStart:i]
	if name == "" {
		return "", "", i, fmt.Errorf("Empty attribute name in the tag %q at byte offset %d", tag, begin)
	}
	for p.at(i) != 0 && isSpace(p.at(i)) {
		i++
	}
	if p.at(i) != '=' && tag == "blockquote" && name == "expandable" {
		return name, "", i, nil // the one attribute without a value
	}
	if p.at(i) != '=' {
		return "", "", i, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag %q at byte offset %d", tag, begin)
	}
	i++
	for p.at(i) != 0 && isSpace(p.at(i)) {
		i++
	}
	if p.at(i) == 0 {
		return "", "", i, fmt.Errorf("Unclosed start tag %q at byte offset %d", tag, begin)
	}
	value, i, err := p.attributeValue(i)
	if err == nil && p.at(i) == 0 {
		err = fmt.Errorf("Unclosed start tag at byte offset %d", begin)
	}
	return name, value, i, err
}

// attributeValue reads a name token or a quoted string at i. Inside a
// quoted value a "&" that starts no entity stays as it is, as in Telegram
// (URLs with query strings are common there).
func (p *htmlParser) attributeValue(i int) (string, int, error) {
	if q := p.at(i); q == '"' || q == '\'' {
		var b strings.Builder
		for i++; p.at(i) != q && p.at(i) != 0; {
			if p.at(i) == '&' {
				if r, next, ok := decodeEntity(p.src, i); ok {
					b.WriteRune(r)
					i = next
					continue
				}
			}
			b.WriteByte(p.at(i))
			i++
		}
		if p.at(i) == q {
			i++
		}
		return b.String(), i, nil
	}
	start := i
	for isAlnum(p.at(i)) || p.at(i) == '.' || p.at(i) == '-' {
		i++
	}
	if !isSpace(p.at(i)) && p.at(i) != '>' {
		return "", i, fmt.Errorf("Unexpected end of name token at byte offset %d", start)
	}
	return strings.ToLower(p.src[start:i]), i, nil
}

// tagArgument keeps the attributes that mean something for tag.
func tagArgument(tag, attr, value, arg string) string {
	switch {
	case tag == "a" && attr == "href":
		return value
	case tag == "code" && attr == "class" && strings.HasPrefix(value, "language-"):
		return value[len("language-"):]
	case tag == "span" && attr == "class" && strings.HasPrefix(value, "tg-"):
		return value[len("tg-"):]
	case tag == "tg-emoji" && attr == "emoji-id":
		return value
	case tag == "blockquote" && attr == "expandable":
		return "1"
	}
	return arg
}

// endTag reads the end tag at begin and returns the index of its ">".
func (p *htmlParser) endTag(begin int) (int, error) {
	if len(p.stack) == 0 {
		return begin, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
	}
	i := begin + 2
	for !isSpace(p.at(i)) && p.at(i) != '>' {
		i++
	}
	name := p.src[begin+2 : i]
	for p.at(i) != 0 && isSpace(p.at(i)) {
		i++
	}
	if p.at(i) != '>' {
		return i, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
	}
	top := p.stack[len(p.stack)-1]
	if name != "" && name != top.name {
		return i, fmt.Errorf(`Unmatched end tag at byte offset %d, expected "</%s>", found "</%s>"`, begin, top.name, name)
	}
	p.stack = p.stack[:len(p.stack)-1]
	return i, p.closeEntity(top)
}

// closeEntity turns a closed tag into its entity, as tdlib does: empty
// ones are dropped, and <pre><code class="language-x"> is one pre entity.
func (p *htmlParser) closeEntity(t openTag) error {
	length := p.utf16 - t.offset
	if length == 0 {
		return nil
	}
	if p.mergePreCode(t, length) {
		return nil
	}
	e := models.MessageEntity{Offset: t.offset, Length: length}
	switch t.name {
	case "pre":
		e.Type = models.MessageEntityTypePre
	case "code":
		e.Type, e.Language = models.MessageEntityTypeCode, t.arg
	case "a":
		e.Type, e.URL = models.MessageEntityTypeTextLink, t.arg
		if e.URL == "" {
			e.URL = p.out.String()[t.bytePos:]
		}
		if strings.TrimSpace(e.URL) == "" {
			return nil // Telegram drops a link it cannot use
		}
	case "tg-emoji":
		id, err := strconv.ParseInt(t.arg, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("Invalid custom emoji identifier specified")
		}
		e.Type, e.CustomEmojiID = models.MessageEntityTypeCustomEmoji, t.arg
	case "blockquote":
		e.Type = models.MessageEntityTypeBlockquote
		if t.arg != "" {
			e.Type = models.MessageEntityTypeExpandableBlockquote
		}
	default:
		e.Type = simpleEntities[t.name]
	}
	p.ents = append(p.ents, e)
	return nil
}

// mergePreCode makes a pre and a code tag around the same text one pre
// entity with the code's language, and reports whether it did.
func (p *htmlParser) mergePreCode(t openTag, length int) bool {
	last := len(p.ents) - 1
	if last < 0 || p.ents[last].Offset != t.offset || p.ents[last].Length != length {
		return false
	}
	switch e := &p.ents[last]; {
	case t.name == "pre" && e.Type == models.MessageEntityTypeCode && e.Language != "":
		e.Type = models.MessageEntityTypePre
		return true
	case t.name == "code" && e.Type == models.MessageEntityTypePre:
		e.Language = t.arg
		return true
	}
	return false
}

// simpleEntities are the tags whose entity has no argument.
var simpleEntities = map[string]models.MessageEntityType{
	"b": models.MessageEntityTypeBold, "strong": models.MessageEntityTypeBold,
	"i": models.MessageEntityTypeItalic, "em": models.MessageEntityTypeItalic,
	"u": models.MessageEntityTypeUnderline, "ins": models.MessageEntityTypeUnderline,
	"s": models.MessageEntityTypeStrikethrough, "strike": models.MessageEntityTypeStrikethrough,
	"del":        models.MessageEntityTypeStrikethrough,
	"tg-spoiler": models.MessageEntityTypeSpoiler, "span": models.MessageEntityTypeSpoiler,
}
