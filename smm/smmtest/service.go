package smmtest

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// The service types the emulator takes orders for; any other is refused
// with "Incorrect request", as a panel refuses a malformed order.
const (
	typeDefault        = "default"
	typePackage        = "package"
	typeCustomComments = "custom comments"
)

// DefaultServices is the catalogue of a Panel made without Services: the
// two services of API.md's example (1 and 2, Custom Comments), a Package
// (3), a drip-feed Default (4), a refill+cancel Default (5), a plain
// Default without refill or cancel (6) and an unsupported Poll (7).
func DefaultServices() []smm.Service {
	return []smm.Service{
		{ID: 1, Name: "Followers", Type: "Default", Category: "First Category",
			Rate: decimal.RequireFromString("0.90"), Min: 50, Max: 10000, Refill: true, Cancel: true},
		{ID: 2, Name: "Comments", Type: "Custom Comments", Category: "Second Category",
			Rate: decimal.RequireFromString("8"), Min: 10, Max: 1500, Cancel: true},
		{ID: 3, Name: "1000 Likes Package", Type: "Package", Category: "Instagram Likes",
			Rate: decimal.RequireFromString("2.50"), Min: 1, Max: 1,
			Description: "One package: 1000 likes, delivered within 24 hours."},
		{ID: 4, Name: "Views [Drip-feed] 🚀", Type: "Default", Category: "Instagram Views",
			Rate: decimal.RequireFromString("0.0123"), Min: 100, Max: 1000000, Dripfeed: true},
		{ID: 5, Name: "Followers [Refill 30D] & Cancel", Type: "Default", Category: "Instagram Followers [Real]",
			Rate: decimal.RequireFromString("1.20"), Min: 10, Max: 50000, Refill: true, Cancel: true,
			Description: "Start: 0-1h\nSpeed: 5K/day\nRefill: 30 days"},
		{ID: 6, Name: "Followers [No Refill]", Type: "Default", Category: "Instagram Followers [Real]",
			Rate: decimal.RequireFromString("0.45"), Min: 100, Max: 5000},
		{ID: 7, Name: "Poll Votes", Type: "Poll", Category: "Telegram Polls",
			Rate: decimal.RequireFromString("12.5"), Min: 100, Max: 100000},
	}
}

// SetServices replaces the catalogue. Orders already placed keep what
// their service allowed when they were placed.
func (p *Panel) SetServices(s []smm.Service) {
	s = cloneServices(s)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.services = s
}

// Services returns a copy of the catalogue.
func (p *Panel) Services() []smm.Service {
	p.mu.Lock()
	defer p.mu.Unlock()
	return cloneServices(p.services)
}

func cloneServices(s []smm.Service) []smm.Service {
	if s == nil {
		return nil
	}
	return slices.Clone(s)
}

// service finds a service by the id a request sent. Caller holds p.mu.
func (p *Panel) service(raw string) (smm.Service, bool) {
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil {
		return smm.Service{}, false
	}
	i := slices.IndexFunc(p.services, func(s smm.Service) bool { return s.ID == id })
	if i < 0 {
		return smm.Service{}, false
	}
	return p.services[i], true
}

// serviceJSON is one entry of the services reply.
type serviceJSON struct {
	Service  any     `json:"service"`
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Category string  `json:"category"`
	Rate     any     `json:"rate"`
	Min      any     `json:"min"`
	Max      any     `json:"max"`
	Refill   bool    `json:"refill"`
	Cancel   bool    `json:"cancel"`
	Dripfeed bool    `json:"dripfeed"`
	Desc     *string `json:"desc"` // null when empty, as panels send it
}

// servicesReply is the services action. Caller holds p.mu.
func (p *Panel) servicesReply() any {
	out := make([]serviceJSON, 0, len(p.services))
	for _, s := range p.services {
		var desc *string
		if s.Description != "" {
			desc = &s.Description
		}
		out = append(out, serviceJSON{
			Service:  p.integer(s.ID, false),
			Name:     s.Name,
			Type:     s.Type,
			Category: s.Category,
			Rate:     p.number(rateText(s.Rate), true),
			Min:      p.integer(s.Min, true),
			Max:      p.integer(s.Max, true),
			Refill:   s.Refill,
			Cancel:   s.Cancel,
			Dripfeed: s.Dripfeed,
			Desc:     desc,
		})
	}
	return out
}
