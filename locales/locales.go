// Package locales owns the bot's words: the embedded message files (one
// JSON file per language, go-i18n format with CLDR plural forms), lookup
// with a fallback to English, the list of languages a user can choose, and
// how numbers and money are written in each language (number.go).
package locales

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Default is the language used when a user's is not supported.
const Default = "en"

//go:embed *.json
var files embed.FS

// Language is one language the bot speaks.
type Language struct {
	Code string // "en", "ar", "ru"
	Name string // in the language itself
	RTL  bool
}

// Catalog holds every language's messages.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	langs      []Language
	ids        map[string][]string
	formats    map[string]numberFormat
}

// Load reads the embedded message files. It fails on a malformed file.
func Load() (*Catalog, error) {
	c := &Catalog{
		bundle:     i18n.NewBundle(language.English),
		localizers: map[string]*i18n.Localizer{},
		ids:        map[string][]string{},
		formats:    map[string]numberFormat{},
	}
	c.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, fmt.Errorf("load locales: %w", err)
	}
	for _, name := range names {
		if err := c.load(name); err != nil {
			return nil, err
		}
	}
	sort.Slice(c.langs, func(i, j int) bool {
		return c.langs[i].Code == Default || (c.langs[j].Code != Default && c.langs[i].Code < c.langs[j].Code)
	})
	return c, nil
}

func (c *Catalog) load(name string) error {
	buf, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("load locale %s: %w", name, err)
	}
	mf, err := c.bundle.ParseMessageFileBytes(buf, name)
	if err != nil {
		return fmt.Errorf("load locale %s: %w", name, err)
	}
	code := strings.TrimSuffix(name, ".json")
	var ids []string
	langName := code
	format := defaultFormat
	for _, m := range mf.Messages {
		ids = append(ids, m.ID)
		switch m.ID {
		case "lang.name":
			langName = m.Other
		case "num.group":
			format.group = m.Other
		case "num.decimal":
			format.decimal = m.Other
		}
	}
	c.formats[code] = format
	sort.Strings(ids)
	c.ids[code] = ids
	c.langs = append(c.langs, Language{Code: code, Name: langName, RTL: code == "ar" || code == "fa" || code == "he"})
	c.localizers[code] = i18n.NewLocalizer(c.bundle, code, Default)
	return nil
}

// Languages lists the languages, English first.
func (c *Catalog) Languages() []Language { return c.langs }

// IDs lists the message ids of a language, sorted.
func (c *Catalog) IDs(code string) []string { return c.ids[code] }

// Match picks the supported language for a Telegram language_code
// ("ru", "pt-br", "ar-SA"); English when none fits.
func (c *Catalog) Match(code string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(code)), "-")
	if _, ok := c.localizers[base]; ok {
		return base
	}
	return Default
}

// Text is message id in language lang, with args filled in and the plural
// form chosen by count (nil when the message has none). Money and Number
// arguments are written as lang writes them. A message missing from lang
// falls back to English; an id no file has comes back as itself, so a
// missing message shows, never panics.
func (c *Catalog) Text(lang, id string, args map[string]any, count any) string {
	l, ok := c.localizers[lang]
	if !ok {
		lang, l = Default, c.localizers[Default]
	}
	if n, ok := count.(Number); ok {
		count = int64(n)
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: c.formatArgs(lang, args), PluralCount: count})
	if err != nil && s == "" {
		return id
	}
	return s
}
