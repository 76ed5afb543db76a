package smm

import (
	"strings"
	"time"
)

// Catalogue is a panel's services grouped by category, both in the panel's
// order. It is not changed after NewCatalogue: share it freely. A
// Catalogue built as a literal works too, without NewCatalogue's indexes.
type Catalogue struct {
	Categories []Category
	Fetched    time.Time
	// Currency is the one the services name, when they all name the same;
	// "" when the panel's catalogue names none (Balance says it).
	Currency string

	byID  map[int64]position // nil when not built by NewCatalogue
	names []searchName       // every service, in panel order
}

// Category is one category of a catalogue and its services.
type Category struct {
	Name     string
	Services []Service
}

type position struct{ cat, svc int }

type searchName struct {
	pos   position
	lower string
}

// NewCatalogue groups services by category, keeping the order in which
// categories first appear and services come. Fetched is the current time.
// A service id that comes twice is found by Service as its first entry.
func NewCatalogue(services []Service) *Catalogue {
	c := &Catalogue{
		Fetched: time.Now(),
		byID:    make(map[int64]position, len(services)),
		names:   make([]searchName, 0, len(services)),
	}
	index := make(map[string]int)
	c.Currency = commonCurrency(services)
	for _, s := range services {
		ci, ok := index[s.Category]
		if !ok {
			ci = len(c.Categories)
			index[s.Category] = ci
			c.Categories = append(c.Categories, Category{Name: s.Category})
		}
		p := position{ci, len(c.Categories[ci].Services)}
		c.Categories[ci].Services = append(c.Categories[ci].Services, s)
		if _, dup := c.byID[s.ID]; !dup {
			c.byID[s.ID] = p
		}
		// Search goes in panel order, which is not category order when
		// a category's services are scattered through the list.
		c.names = append(c.names, searchName{pos: p, lower: strings.ToLower(s.Name)})
	}
	return c
}

// Service returns the service with the given id.
func (c *Catalogue) Service(id int64) (Service, bool) {
	if c == nil {
		return Service{}, false
	}
	if c.byID == nil {
		for _, cat := range c.Categories {
			for _, s := range cat.Services {
				if s.ID == id {
					return s, true
				}
			}
		}
		return Service{}, false
	}
	p, ok := c.byID[id]
	if !ok {
		return Service{}, false
	}
	return c.at(p), true
}

func (c *Catalogue) at(p position) Service { return c.Categories[p.cat].Services[p.svc] }

// Search returns the services whose name contains every word of query,
// ignoring case, in panel order; at most limit of them (limit <= 0: all).
// An empty query finds nothing.
func (c *Catalogue) Search(query string, limit int) []Service {
	words := strings.Fields(strings.ToLower(query))
	if c == nil || len(words) == 0 {
		return nil
	}
	names := c.names
	if c.byID == nil {
		names = literalNames(c.Categories)
	}
	var found []Service
	for _, n := range names {
		if containsAll(n.lower, words) {
			found = append(found, c.at(n.pos))
			if limit > 0 && len(found) == limit {
				break
			}
		}
	}
	return found
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// literalNames is the search list of a Catalogue built as a literal, in
// category order: its panel order is not known.
func literalNames(cats []Category) []searchName {
	var names []searchName
	for ci, cat := range cats {
		for si, s := range cat.Services {
			names = append(names, searchName{pos: position{ci, si}, lower: strings.ToLower(s.Name)})
		}
	}
	return names
}

// Len returns the number of services.
func (c *Catalogue) Len() int {
	if c == nil {
		return 0
	}
	n := 0
	for _, cat := range c.Categories {
		n += len(cat.Services)
	}
	return n
}

// commonCurrency is the currency every service that names one names, or "".
func commonCurrency(services []Service) string {
	cur := ""
	for _, s := range services {
		switch {
		case s.Currency == "" || s.Currency == cur:
		case cur == "":
			cur = s.Currency
		default:
			return ""
		}
	}
	return cur
}
