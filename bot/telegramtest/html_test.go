package telegramtest

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

func ent(typ models.MessageEntityType, off, n int) models.MessageEntity {
	return models.MessageEntity{Type: typ, Offset: off, Length: n}
}

func TestParseHTML(t *testing.T) {
	link := ent(models.MessageEntityTypeTextLink, 0, 4)
	link.URL = "https://x.com/?a=1&b=2"
	pre := ent(models.MessageEntityTypePre, 0, 4)
	pre.Language = "go"
	selfLink := ent(models.MessageEntityTypeTextLink, 0, 13)
	selfLink.URL = "https://t.me/"
	emoji := ent(models.MessageEntityTypeCustomEmoji, 0, 2)
	emoji.CustomEmojiID = "5368324170671202286"
	tests := []struct {
		name, in, text string
		ents           []models.MessageEntity
	}{
		{"plain", "hello", "hello", nil},
		{"entities", "&lt;b&gt; &amp; &quot;q&quot; &#65;&#x42; &lt", `<b> & "q" AB <`, nil},
		{"bare >", "a > b", "a > b", nil},
		{"nested", "<b>bo<i>th</i></b>", "both", []models.MessageEntity{
			ent(models.MessageEntityTypeBold, 0, 4), ent(models.MessageEntityTypeItalic, 2, 2)}},
		{"synonyms", "<strong>a</strong><em>b</em><ins>c</ins><del>d</del><strike>e</strike>", "abcde", []models.MessageEntity{
			ent(models.MessageEntityTypeBold, 0, 1), ent(models.MessageEntityTypeItalic, 1, 1),
			ent(models.MessageEntityTypeUnderline, 2, 1), ent(models.MessageEntityTypeStrikethrough, 3, 1),
			ent(models.MessageEntityTypeStrikethrough, 4, 1)}},
		{"upper-case tag", "<B>x</b>", "x", []models.MessageEntity{ent(models.MessageEntityTypeBold, 0, 1)}},
		{"closing </>", "<u>x</>", "x", []models.MessageEntity{ent(models.MessageEntityTypeUnderline, 0, 1)}},
		{"link with & in href", `<a href="https://x.com/?a=1&b=2">site</a>`, "site", []models.MessageEntity{link}},
		{"link without href", "<a>https://t.me/</a>", "https://t.me/", []models.MessageEntity{selfLink}},
		{"pre code language", `<pre><code class="language-go">x:=1</code></pre>`, "x:=1", []models.MessageEntity{pre}},
		{"spoilers", `<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>`, "ab", []models.MessageEntity{
			ent(models.MessageEntityTypeSpoiler, 0, 1), ent(models.MessageEntityTypeSpoiler, 1, 1)}},
		{"blockquotes", "<blockquote>a</blockquote><blockquote expandable>b</blockquote>", "ab", []models.MessageEntity{
			ent(models.MessageEntityTypeBlockquote, 0, 1), ent(models.MessageEntityTypeExpandableBlockquote, 1, 1)}},
		{"custom emoji", `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍", []models.MessageEntity{emoji}},
		{"utf-16 offsets", "😀é<b>x</b>", "😀éx", []models.MessageEntity{ent(models.MessageEntityTypeBold, 3, 1)}},
		{"empty entity dropped", "<b></b>x", "x", nil},
		{"attribute token", "<a href=t.me>x</a>", "x", []models.MessageEntity{{Type: models.MessageEntityTypeTextLink, Length: 1, URL: "t.me"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, ents, err := parseHTML(tt.in)
			if err != nil {
				t.Fatalf("parseHTML(%q): %v", tt.in, err)
			}
			if text != tt.text || !reflect.DeepEqual(ents, tt.ents) {
				t.Errorf("parseHTML(%q) = %q %+v, want %q %+v", tt.in, text, ents, tt.text, tt.ents)
			}
		})
	}
}

func TestParseHTMLErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a < b", `Unsupported start tag "" at byte offset 2`},
		{"1<2", "Unclosed start tag at byte offset 1"},
		{"<script>x</script>", `Unsupported start tag "script" at byte offset 0`},
		{"<b>x", `Can't find end tag corresponding to start tag "b"`},
		{"x</i>", "Unexpected end tag at byte offset 1"},
		{"<b>x</i>", `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`},
		{"<b>x</b", "Unclosed end tag at byte offset 4"},
		{"<span>x</span>", `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{`<a href>x</a>`, `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
		{`<a href="x`, "Unclosed start tag at byte offset 0"},
		{`<a href=x/y>z</a>`, "Unexpected end of name token at byte offset 8"},
		{"<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier specified"},
		{"R&D", `Character "&" at byte offset 1 must be escaped as "&amp;"`},
		{"&#0;", `Character "&" at byte offset 0 must be escaped as "&amp;"`},
		{"&copy;", `Character "&" at byte offset 0 must be escaped as "&amp;"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, _, err := parseHTML(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Errorf("parseHTML(%q) error = %v, want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestFindCommands(t *testing.T) {
	tests := []struct {
		in   string
		want []models.MessageEntity
	}{
		{"/start", []models.MessageEntity{ent(models.MessageEntityTypeBotCommand, 0, 6)}},
		{"/key@smm_bot ABC", []models.MessageEntity{ent(models.MessageEntityTypeBotCommand, 0, 12)}},
		{"пиши /help", []models.MessageEntity{ent(models.MessageEntityTypeBotCommand, 5, 5)}},
		{"a/b and http://x.com/y", nil},
		{"/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := findCommands(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findCommands(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "a < b", "&amp;", `<a href="x">y</a>`, "<pre><code class=\"language-go\">x</code></pre>", "<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return // parseContent refuses it first
		}
		text, ents, err := parseHTML(in)
		if err != nil {
			return
		}
		n := utf16Count(text)
		for _, e := range ents {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Errorf("parseHTML(%q): entity %+v outside text of %d units", in, e, n)
			}
		}
	})
}
