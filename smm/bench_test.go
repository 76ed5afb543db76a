package smm

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// benchCatalogue is n services in 120 categories, with names like real
// panels' (emoji, Cyrillic, brackets) and descriptions, some null.
func benchCatalogue(n int) []Service {
	rng := rand.New(rand.NewPCG(1, 2))
	nets := []string{"Instagram", "TikTok", "Telegram", "YouTube", "Twitter", "Facebook"}
	kinds := []string{"Followers", "Likes", "Views", "Comments", "Подписчики", "Просмотры", "Members"}
	flavours := []string{"[Real]", "[HQ] ⚡", "[No Drop] 🔥", "(Max 100K)", "& Fast <Instant>", "[Refill 30 Days] ♻️"}
	types := []string{"Default", "Default", "Default", "Package", "Custom Comments"}
	list := make([]Service, n)
	for i := range list {
		net := nets[rng.IntN(len(nets))]
		s := Service{
			ID:       int64(1000 + i),
			Name:     fmt.Sprintf("%s %s %s %s", net, kinds[rng.IntN(len(kinds))], flavours[rng.IntN(len(flavours))], flavours[rng.IntN(len(flavours))]),
			Type:     types[rng.IntN(len(types))],
			Category: fmt.Sprintf("%s %s #%d", net, kinds[i%len(kinds)], i*120/n),
			Rate:     decimal.New(rng.Int64N(100000), -4),
			Min:      int64(10 * (1 + rng.IntN(10))),
			Max:      int64(1000 * (1 + rng.IntN(1000))),
			Refill:   rng.IntN(2) == 0,
			Cancel:   rng.IntN(2) == 0,
			Dripfeed: rng.IntN(4) == 0,
		}
		if rng.IntN(3) > 0 {
			s.Description = strings.Repeat("Start 0-1h, speed 10K/day. ", 1+rng.IntN(4))
		}
		list[i] = s
	}
	return list
}

// servicesJSON encodes services as a panel would: "documented" with rate,
// min and max as strings (API.md's example), "numbers" with every number
// a JSON number and the flags 1/0.
func servicesJSON(tb testing.TB, list []Service, form string) []byte {
	tb.Helper()
	out := make([]map[string]any, len(list))
	for i, s := range list {
		m := map[string]any{"service": s.ID, "name": s.Name, "type": s.Type, "category": s.Category,
			"rate": s.Rate.String(), "min": fmt.Sprint(s.Min), "max": fmt.Sprint(s.Max),
			"refill": s.Refill, "cancel": s.Cancel, "dripfeed": s.Dripfeed, "desc": nil}
		if s.Description != "" {
			m["desc"] = s.Description
		}
		if form == "numbers" {
			m["rate"], m["min"], m["max"] = json.Number(s.Rate.String()), s.Min, s.Max
			m["refill"], m["cancel"], m["dripfeed"] = flag(s.Refill), flag(s.Cancel), flag(s.Dripfeed)
		}
		out[i] = m
	}
	b, err := json.Marshal(out)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

func BenchmarkDecodeServices(b *testing.B) {
	list := benchCatalogue(5000)
	for _, form := range []string{"documented", "numbers"} {
		b.Run(form, func(b *testing.B) {
			body := servicesJSON(b, list, form)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r := &reply{action: "services", status: 200, body: body}
				if err := r.check(); err != nil {
					b.Fatal(err)
				}
				got, skipped, err := decodeServices(r)
				if err != nil || len(skipped) > 0 || len(got) != len(list) {
					b.Fatalf("%d services, %d skipped, %v", len(got), len(skipped), err)
				}
			}
		})
	}
}

func BenchmarkNewCatalogue(b *testing.B) {
	list := benchCatalogue(5000)
	b.ReportAllocs()
	for b.Loop() {
		NewCatalogue(list)
	}
}

func BenchmarkCatalogueSearch(b *testing.B) {
	c := NewCatalogue(benchCatalogue(5000))
	tests := []struct {
		query string
		limit int
	}{
		{"instagram followers", 0},
		{"instagram followers", 8},
		{"подписчики refill", 0},
		{"nothing matches this", 0},
	}
	for _, tt := range tests {
		b.Run(fmt.Sprintf("%s/limit=%d", tt.query, tt.limit), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Search(tt.query, tt.limit)
			}
		})
	}
}
