package flows

import (
	"slices"
	"strconv"

	"github.com/smmbot/smmbot/smm"
)

// The verbs of the favourites' buttons (callback data outside the
// conversation).
const (
	VerbFavourite      = "fa" // fa:SERVICE: add the service to the favourites, or take it out
	VerbOrderFavourite = "fs" // fs:SERVICE: order a favourite: the service's first step
)

// favouriteRunes is where a favourite's button cuts the service's name.
const favouriteRunes = 40

// WithFavourites adds the favourites to a conversation screen: the first
// page of the categories (/order) shows a row per favourite service
// first; a service's first step has the star that adds it to the
// favourites, or takes it out. favs are the chat's favourite services as
// the catalogue has them now; ids the favourite ids (a service the
// catalogue lost is still one).
func WithFavourites(s Session, sc Screen, favs []smm.Service, ids []int64) Screen {
	if sc.Keep || len(sc.Buttons) == 0 {
		return sc
	}
	switch {
	case s.State == StateCategory && s.Draft.Page == 0 && s.Draft.Search == "" && len(favs) > 0:
		rows := make([][]Button, 0, len(favs)+len(sc.Buttons))
		for _, svc := range favs {
			rows = append(rows, []Button{{Raw: "⭐ " + orDash(Shorten(svc.Name, favouriteRunes)),
				Data: VerbOrderFavourite + ":" + strconv.FormatInt(svc.ID, 10)}})
		}
		sc.Lines = append(slices.Clone(sc.Lines), M("fav.title"))
		sc.Buttons = append(rows, sc.Buttons...)
	case firstStep(s):
		id := s.Draft.Service.ID
		label := "btn.favourite"
		if slices.Contains(ids, id) {
			label = "btn.unfavourite"
		}
		star := []Button{dataBtn(label, VerbFavourite+":"+strconv.FormatInt(id, 10))}
		last := len(sc.Buttons) - 1
		sc.Buttons = append(append(slices.Clone(sc.Buttons[:last]), star), sc.Buttons[last])
	}
	return sc
}

// firstStep reports whether the session asks for its service's first
// field: the service's page.
func firstStep(s Session) bool {
	t, f, ok := asking(s)
	return ok && f.Name == t.Fields[0].Name
}

// ParseServiceArg reads a service id from a favourite button's argument.
func ParseServiceArg(arg string) (int64, bool) {
	id, err := strconv.ParseInt(arg, 10, 64)
	return id, err == nil && id > 0
}
