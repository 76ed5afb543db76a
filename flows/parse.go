package flows

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Input limits.
const (
	maxLink    = 1000 // runes
	maxSearch  = 100  // runes
	maxComment = 500  // runes per comment line
	maxDigits  = 12   // a count longer than this is out of any range
	// maxListLines caps any list (a counted one is also held to the
	// service's max).
	maxListLines = 100000
)

// Problems are locale message ids; "" means the input is fine.

// cleanLine trims a one-line text and refuses blank or control characters.
func cleanLine(text string, limit int) (string, string) {
	s := strings.TrimSpace(text)
	switch {
	case s == "":
		return "", "err.blank"
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", "err.control"
	case utf8.RuneCountInString(s) > limit:
		return "", "err.too_long"
	}
	return s, ""
}

// cleanLink checks a link: one word, no control characters, no markup,
// at most maxLink runes. Panels take URLs and bare usernames alike, so the
// scheme is not required.
func cleanLink(text string) (string, string) {
	s := strings.TrimSpace(text)
	switch {
	case s == "":
		return "", "err.link_blank"
	case utf8.RuneCountInString(s) > maxLink:
		return "", "err.link_long"
	case strings.IndexFunc(s, unicode.IsSpace) >= 0 || strings.ContainsAny(s, `<>"`):
		return "", "err.link_invalid"
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", "err.control"
	}
	return s, ""
}

// parseCount reads a whole number within lo..hi. Digit grouping with
// spaces, commas or underscores is accepted, and so are Arabic-Indic
// digits; signs, decimals and exponents are not.
func parseCount(text string, lo, hi int64) (int64, string) {
	s := strings.TrimSpace(text)
	if s == "" {
		return 0, "err.blank"
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + (r - '٠'))
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + (r - '۰'))
		case r == ',' || r == '_' || r == ' ' || r == '\u00a0' || r == '\u202f':
		default:
			return 0, "err.not_number"
		}
	}
	digits := strings.TrimLeft(b.String(), "0")
	if b.Len() == 0 {
		return 0, "err.not_number"
	}
	if len(digits) > maxDigits {
		return 0, "err.out_of_range"
	}
	n, err := strconv.ParseInt("0"+digits, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, "err.out_of_range"
	}
	return n, ""
}

// ParseList splits a list one item a line, dropping blank lines and the
// spaces around items. With words set, an item must be one word (no
// spaces inside). An item longer than limit runes, control characters or
// an empty list are problems (locale ids); so is a list past maxListLines.
func ParseList(text string, words bool, limit int) ([]string, string) {
	var items []string
	for l := range strings.Lines(text) {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			continue
		case !utf8.ValidString(l) || strings.IndexFunc(l, unicode.IsControl) >= 0:
			return nil, "err.control"
		case utf8.RuneCountInString(l) > limit:
			return nil, "err.item_long"
		case words && strings.IndexFunc(l, unicode.IsSpace) >= 0:
			return nil, "err.item_word"
		case len(items) == maxListLines:
			return nil, "err.list_long"
		}
		items = append(items, l)
	}
	if len(items) == 0 {
		return nil, "err.blank"
	}
	return items, ""
}

// cleanWord checks one word: a username, a hashtag.
func cleanWord(text string) (string, string) {
	s, problem := cleanLine(text, maxWord)
	switch {
	case problem == "err.too_long":
		return "", "err.item_long"
	case problem != "":
		return "", problem
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return "", "err.one_word"
	}
	return s, ""
}
