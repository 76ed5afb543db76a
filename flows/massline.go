package flows

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// Mass order limits.
const (
	MaxMassLines = 500  // lines one mass order takes
	maxMassLine  = 1200 // runes of one line
	maxServiceID = 15   // digits of a service id
)

// MassFields is one line of a mass order as read, before the catalogue
// is asked: the service id and the fields after it, trimmed.
type MassFields struct {
	Service int64
	Fields  []string
}

// ParseMassLine reads one line "service_id|link|quantity" (Perfect
// Panel's mass order form; spaces around "|" are allowed). A line without
// "|" may use a tab or ";" instead, as a spreadsheet saves CSV. The
// problem is a locale message; it is empty when the line reads.
func ParseMassLine(text string) (MassFields, Msg) {
	s := strings.TrimSpace(text)
	switch {
	case s == "":
		return MassFields{}, M("err.blank")
	case utf8.RuneCountInString(s) > maxMassLine:
		return MassFields{}, M("mass.err_long", "Max", maxMassLine)
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 && !strings.Contains(s, "\t"):
		return MassFields{}, M("err.control")
	}
	parts := strings.Split(s, separator(s))
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if len(parts) < 2 {
		return MassFields{}, M("mass.err_format")
	}
	id, ok := parseServiceID(parts[0])
	if !ok {
		return MassFields{}, M("mass.err_service_id")
	}
	for _, p := range parts[1:] {
		if strings.IndexFunc(p, unicode.IsControl) >= 0 {
			return MassFields{}, M("err.control")
		}
	}
	return MassFields{Service: id, Fields: parts[1:]}, Msg{}
}

// separator is the line's field separator: "|", else a tab, else ";".
func separator(s string) string {
	for _, sep := range []string{"|", "\t", ";"} {
		if strings.Contains(s, sep) {
			return sep
		}
	}
	return "|"
}

// parseServiceID reads a service id: digits only, not zero.
func parseServiceID(s string) (int64, bool) {
	s = strings.TrimPrefix(s, "#")
	if s == "" || len(s) > maxServiceID {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// MassOrder is a valid line of a mass order: a draft ready to place, as
// a guided order of the same service would be, and its price.
type MassOrder struct {
	N      int // the line's number, as the user counts the lines sent
	Draft  Draft
	Price  decimal.Decimal
	Priced bool // false: the panel charges as it delivers
}

// BadLine is a line of a mass order that cannot be placed, and why.
type BadLine struct {
	N      int
	Reason Msg
}

// MassCheck is what the lines of a mass order come to against the
// catalogue.
type MassCheck struct {
	Orders []MassOrder
	Bad    []BadLine
	Total  decimal.Decimal // of the priced orders
}

// CheckMass validates and prices each line against the catalogue, as a
// guided order of its service would be: the type's fields in the type's
// order, each read by the field's own parser, and the type's price.
func CheckMass(cat *smm.Catalogue, lines []string, now time.Time) MassCheck {
	var c MassCheck
	for i, text := range lines {
		o, problem := checkMassLine(cat, text, now)
		if problem.ID != "" {
			c.Bad = append(c.Bad, BadLine{N: i + 1, Reason: problem})
			continue
		}
		o.N = i + 1
		if o.Priced {
			c.Total = c.Total.Add(o.Price)
		}
		c.Orders = append(c.Orders, o)
	}
	return c
}

func checkMassLine(cat *smm.Catalogue, text string, now time.Time) (MassOrder, Msg) {
	mf, problem := ParseMassLine(text)
	if problem.ID != "" {
		return MassOrder{}, problem
	}
	svc, ok := cat.Service(mf.Service)
	if !ok {
		return MassOrder{}, M("mass.err_no_service", "ID", mf.Service)
	}
	t, ok := TypeOf(svc)
	if !ok {
		return MassOrder{}, M("mass.err_unorderable", "ID", svc.ID, "Type", svc.Type)
	}
	fields, ok := massFields(t)
	if !ok {
		return MassOrder{}, M("mass.err_not_mass", "ID", svc.ID, "Type", svc.Type)
	}
	values := mf.Fields
	if t.Price == PerPackage && len(values) == len(fields)+1 {
		if _, p := parseCount(values[len(fields)], 1, 1<<40); p == "" {
			values = values[:len(fields)] // a package's quantity: one package, whatever the number
		}
	}
	if len(values) != len(fields) {
		return MassOrder{}, M("mass.err_fields", "ID", svc.ID, "Form", MassForm(t))
	}
	d := Draft{Service: &svc}
	for i, f := range fields {
		v, p := f.parse(fieldCtx{svc: svc, d: d, now: now}, values[i])
		if p.ID != "" {
			return MassOrder{}, massProblem(f, p)
		}
		d.set(f.Name, v)
	}
	price, priced := d.price()
	return MassOrder{Draft: d, Price: price, Priced: priced}, Msg{}
}

// massProblem names the field a problem is about, since a line has
// several.
func massProblem(f Field, p Msg) Msg {
	if f.Name == fieldQuantity {
		return M("mass.err_quantity", "Min", p.Args["Min"], "Max", p.Args["Max"])
	}
	switch f.kind {
	case kindLink:
		return M("mass.err_link", "Field", f.Name, "Max", maxLink)
	case kindCount:
		return M("mass.err_number", "Field", f.Name, "Min", p.Args["Min"], "Max", p.Args["Max"])
	}
	return M("mass.err_field", "Field", f.Name)
}

// massFields are the fields a mass order line gives for a service of
// type t, after the service id: the fields the type asks in turn, when
// each fits in a line (a link, a number, a word) and the first is the
// link. Types with lists (comments, usernames), or with no link (a
// subscription), are not in mass order.
func massFields(t *ServiceType) ([]Field, bool) {
	asked := t.Fields[:t.asked()]
	if len(asked) == 0 || asked[0].Name != fieldLink {
		return nil, false
	}
	for _, f := range asked {
		if f.kind == kindList || f.kind == kindDate {
			return nil, false
		}
	}
	return asked, true
}

// MassForm is the line form of a type in mass order, such as
// "service_id|link|quantity"; "" when the type is not in mass order.
func MassForm(t *ServiceType) string {
	fields, ok := massFields(t)
	if !ok {
		return ""
	}
	parts := []string{"service_id"}
	for _, f := range fields {
		parts = append(parts, f.Name)
	}
	return strings.Join(parts, "|")
}

// SplitMassText is the lines of a message or a file, blank ones dropped
// and each trimmed; a byte order mark at the start is dropped too.
func SplitMassText(text string) []string {
	text = strings.TrimPrefix(text, "\uFEFF")
	var out []string
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
