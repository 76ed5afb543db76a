package flows

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smmbot/smmbot/smm"
)

// PageSize is how many categories or services a page of a list shows.
const PageSize = 8

// searchLimit caps the services a search lists.
const searchLimit = 200

// labelRunes is where a button label from the panel is cut.
const labelRunes = 36

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

// services shows the draft's category (or search) at the draft's page.
func (o *Order) services(ctx context.Context, key string, s *Session) (Screen, error) {
	cat, err := o.Panel.Catalogue(ctx, key)
	if err != nil {
		return trouble(err, "retry"), nil
	}
	title, list, ok := listOf(cat, s.Draft)
	if !ok {
		// The catalogue changed under the menu: start again from the top.
		s.Draft = Draft{}
		return o.categories(ctx, key, s)
	}
	if err := move(ctx, s, evServices); err != nil {
		return Screen{}, err
	}
	pages := pageCount(len(list))
	s.Draft.Page = clamp(s.Draft.Page, 0, pages-1)
	from, to := pageBounds(s.Draft.Page, len(list))
	lines := []Msg{title}
	var rows [][]Button
	for _, svc := range list[from:to] {
		lines = append(lines, serviceLine(svc))
		label := Shorten(svc.Name, labelRunes)
		if label == "" { // a nameless service still needs a button label
			label = "#" + strconv.FormatInt(svc.ID, 10)
		}
		if !Orderable(svc) {
			label = unorderableMark + label
		}
		rows = append(rows, []Button{{Raw: label, Action: "s:" + strconv.FormatInt(svc.ID, 10)}})
	}
	rows = appendNav(rows, s.Draft.Page, pages, "sp:")
	rows = append(rows, []Button{btn("btn.back", "b"), btn("btn.cancel", "x")})
	return Screen{Lines: lines, Buttons: rows}, nil
}

// listOf is the service list the draft points at and its title.
func listOf(cat *smm.Catalogue, d Draft) (Msg, []smm.Service, bool) {
	if d.Search != "" {
		return M("order.results", "Query", d.Search), cat.Search(d.Search, searchLimit), true
	}
	i := d.Category - 1
	if i < 0 || i >= len(cat.Categories) {
		return Msg{}, nil, false
	}
	c := cat.Categories[i]
	return M("order.services", "Category", c.Name), c.Services, true
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

// Shorten cuts a name to at most n runes, marking the cut with "…".
func Shorten(name string, n int) string {
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) <= n {
		return name
	}
	r := []rune(name)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

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
