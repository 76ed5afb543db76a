package flows

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/smmbot/smmbot/smm"
)

// PageSize is how many categories or services a page of a list shows.
const PageSize = 8

// searchLimit caps the services a search lists (all matches are
// counted).
const searchLimit = 200

// labelRunes is where a button label from the panel is cut.
const labelRunes = 36

// descriptionRunes is where a service's description is cut.
const descriptionRunes = 600

// unorderableMark starts the button of a service the bot cannot order.
const unorderableMark = "🚫 "

// categories shows the category list at the draft's page.
func (o *Order) categories(ctx context.Context, key string, s *Session) (Screen, error) {
	cat, err := o.Panel.Catalogue(ctx, key)
	if err != nil {
		return trouble(err, "retry"), nil
	}
	if err := move(ctx, s, evBrowse); err != nil {
		return Screen{}, err
	}
	if len(cat.Categories) == 0 {
		return Screen{Lines: []Msg{M("order.no_services")}, Buttons: [][]Button{{btn("btn.cancel", "x")}}}, nil
	}
	pages := pageCount(len(cat.Categories))
	s.Draft.Page = clamp(s.Draft.Page, 0, pages-1)
	from, to := pageBounds(s.Draft.Page, len(cat.Categories))
	var rows [][]Button
	for i := from; i < to; i++ {
		c := cat.Categories[i]
		label := orDash(Shorten(c.Name, labelRunes)) + " (" + strconv.Itoa(len(c.Services)) + ")"
		rows = append(rows, []Button{{Raw: label, Action: "c:" + strconv.Itoa(i)}})
	}
	rows = appendNav(rows, s.Draft.Page, pages, "cp:")
	rows = append(rows, []Button{btn("btn.cancel", "x")})
	return Screen{
		Lines:   []Msg{M("order.categories", "Page", s.Draft.Page+1, "Pages", pages).WithCount(len(cat.Categories)), M("order.search_hint")},
		Buttons: rows,
	}, nil
}

// services shows the draft's category (or search) at the draft's page:
// how many services it holds, the page, and a button per service that
// carries its id.
func (o *Order) services(ctx context.Context, key string, s *Session) (Screen, error) {
	cat, err := o.Panel.Catalogue(ctx, key)
	if err != nil {
		return trouble(err, "retry"), nil
	}
	l, ok := listOf(cat, s.Draft)
	if !ok {
		// The catalogue changed under the menu: start again from the top.
		s.Draft = Draft{}
		return o.categories(ctx, key, s)
	}
	if err := move(ctx, s, evServices); err != nil {
		return Screen{}, err
	}
	o.currency(ctx, key, s)
	pages := pageCount(len(l.services))
	s.Draft.Page = clamp(s.Draft.Page, 0, pages-1)
	from, to := pageBounds(s.Draft.Page, len(l.services))
	title := l.title
	title.Args["Page"], title.Args["Pages"] = s.Draft.Page+1, pages
	lines := []Msg{title.WithCount(l.found)}
	if l.found > len(l.services) {
		lines = append(lines, M("order.results_more", "Shown", len(l.services)))
	}
	var rows [][]Button
	for _, svc := range l.services[from:to] {
		lines = append(lines, serviceLine(svc, s.Draft.Currency))
		rows = append(rows, []Button{{Raw: serviceLabel(svc), Action: "s:" + strconv.FormatInt(svc.ID, 10)}})
	}
	rows = appendNav(rows, s.Draft.Page, pages, "sp:")
	rows = append(rows, []Button{btn("btn.back", "b"), btn("btn.cancel", "x")})
	return Screen{Lines: lines, Buttons: rows}, nil
}

// serviceLabel is a service's button: its id and its name cut short,
// marked when the bot cannot order it.
func serviceLabel(svc smm.Service) string {
	label := "#" + strconv.FormatInt(svc.ID, 10)
	if name := Shorten(svc.Name, labelRunes); name != "" {
		label += " " + name
	}
	if !Orderable(svc) {
		label = unorderableMark + label
	}
	return label
}

// CurrencyTeller is what a Panel may also offer: the currency of a key's
// account, remembered rather than asked each time.
type CurrencyTeller interface {
	Currency(ctx context.Context, key string) (string, error)
}

// currency learns the panel's currency for the conversation's amounts,
// once: from the Panel when it is a CurrencyTeller, else by a balance
// call. Amounts show without it when the panel does not say (or cannot be
// asked now).
func (o *Order) currency(ctx context.Context, key string, s *Session) {
	if s.Draft.Currency != "" {
		return
	}
	if t, ok := o.Panel.(CurrencyTeller); ok {
		if cur, err := t.Currency(ctx, key); err == nil {
			s.Draft.Currency = cur
		}
		return
	}
	if bal, err := o.Panel.Balance(ctx, key); err == nil {
		s.Draft.Currency = bal.Currency
	}
}

// list is a list of services the draft points at: its title, the
// services it pages through and how many matched in all.
type list struct {
	title    Msg
	services []smm.Service
	found    int
}

// listOf is the service list the draft points at.
func listOf(cat *smm.Catalogue, d Draft) (list, bool) {
	if d.Search != "" {
		all := cat.Search(d.Search, 0)
		return list{title: M("order.results", "Query", d.Search), services: all[:min(len(all), searchLimit)], found: len(all)}, true
	}
	i := d.Category - 1
	if i < 0 || i >= len(cat.Categories) {
		return list{}, false
	}
	c := cat.Categories[i]
	return list{title: M("order.services", "Category", c.Name), services: c.Services, found: len(c.Services)}, true
}

// search handles text typed while browsing: a number is a service id,
// anything else searches the service names.
func (o *Order) search(ctx context.Context, key string, s *Session, text string) (Screen, error) {
	q, problem := cleanLine(text, maxSearch)
	if problem != "" {
		return o.redraw(ctx, key, s, M(problem))
	}
	cat, err := o.Panel.Catalogue(ctx, key)
	if err != nil {
		return trouble(err, "retry"), nil
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(q, "#"), 10, 64); err == nil {
		svc, ok := cat.Service(id)
		if !ok {
			return o.redraw(ctx, key, s, M("order.no_such_service", "ID", id))
		}
		return o.choose(ctx, key, s, svc)
	}
	if len(cat.Search(q, 1)) == 0 {
		return o.redraw(ctx, key, s, M("order.no_results", "Query", q))
	}
	s.Draft.Search, s.Draft.Category, s.Draft.Page = q, 0, 0
	return o.services(ctx, key, s)
}

// pickCategory opens the i-th category of the list.
func (o *Order) pickCategory(ctx context.Context, key string, s *Session, arg string) (Screen, error) {
	i, err := strconv.Atoi(arg)
	if err != nil || i < 0 {
		return notice("menu.expired"), nil
	}
	s.Draft.Category, s.Draft.Search, s.Draft.Page = i+1, "", 0
	return o.services(ctx, key, s)
}

// pickService chooses a service of the list by id.
func (o *Order) pickService(ctx context.Context, key string, s *Session, arg string) (Screen, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return notice("menu.expired"), nil
	}
	cat, err := o.Panel.Catalogue(ctx, key)
	if err != nil {
		return trouble(err, "retry"), nil
	}
	svc, ok := cat.Service(id)
	if !ok {
		return notice("order.service_gone"), nil
	}
	return o.choose(ctx, key, s, svc)
}

// Shorten puts a name on one line and cuts it to at most n runes, marking
// the cut with "…". The cut falls between grapheme clusters: a flag, an
// emoji sequence or a letter with its accents is kept whole or left out.
func Shorten(name string, n int) string {
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) <= n {
		return name
	}
	return strings.TrimSpace(cut(name, n-1)) + "…"
}

// cut is the longest start of s, made of whole grapheme clusters, of at
// most n runes.
func cut(s string, n int) string {
	end, runes, state := 0, 0, -1
	rest := s
	for rest != "" {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		runes += utf8.RuneCountInString(cluster)
		if runes > n {
			break
		}
		end += len(cluster)
	}
	return s[:end]
}

// Description is a service's description as a screen shows it: its line
// breaks kept (an HTML <br> is one), spaces inside a line collapsed, at
// most one blank line in a row, and cut at descriptionRunes like Shorten.
func Description(text string) string {
	text = brTags.Replace(strings.ReplaceAll(text, "\r\n", "\n"))
	var lines []string
	blank := false
	for l := range strings.Lines(text) {
		l = strings.Join(strings.Fields(l), " ")
		switch {
		case l != "":
			lines = append(lines, l)
			blank = false
		case !blank && len(lines) > 0:
			lines = append(lines, "")
			blank = true
		}
	}
	if blank {
		lines = lines[:len(lines)-1]
	}
	out := strings.Join(lines, "\n")
	if utf8.RuneCountInString(out) <= descriptionRunes {
		return out
	}
	return strings.TrimSpace(cut(out, descriptionRunes-1)) + "…"
}

// brTags are the line breaks panels write in HTML.
var brTags = strings.NewReplacer("<br>", "\n", "<br/>", "\n", "<br />", "\n", "<BR>", "\n", "<BR/>", "\n", "<BR />", "\n")

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func pageCount(n int) int { return max(1, (n+PageSize-1)/PageSize) }

func pageBounds(page, n int) (int, int) {
	from := page * PageSize
	return from, min(from+PageSize, n)
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// appendNav adds the Prev/Next row when the list has more than one page.
func appendNav(rows [][]Button, page, pages int, verb string) [][]Button {
	var nav []Button
	if page > 0 {
		nav = append(nav, btn("btn.prev", verb+strconv.Itoa(page-1)))
	}
	if page < pages-1 {
		nav = append(nav, btn("btn.next", verb+strconv.Itoa(page+1)))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	return rows
}
