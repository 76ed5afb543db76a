package smmtest

import (
	"fmt"
	"math/rand/v2"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
)

// serviceTypes are the service types of API.md, Default first.
var serviceTypes = []string{
	"Default", "Package", "Custom Comments", "Custom Comments Package",
	"Mentions", "Mentions with Hashtags", "Mentions Custom List",
	"Mentions Hashtag", "Mentions User Followers", "Mentions Media Likers",
	"Comment Likes", "Comment Replies", "Poll", "Subscriptions",
	"Invites from Groups", "SEO",
}

var (
	platforms = []string{
		"Instagram", "TikTok", "YouTube", "Telegram", "Facebook", "Twitter / X",
		"Spotify", "Twitch", "Discord", "LinkedIn", "Threads", "Snapchat",
		"SoundCloud", "Pinterest", "VK", "Reddit", "Kick", "Likee",
	}
	kinds = []string{
		"Followers", "Likes", "Views", "Comments", "Shares", "Saves",
		"Story Views", "Live Stream Viewers", "Members", "Reactions",
		"Subscribers", "Plays", "Reposts", "Impressions",
	}
	categoryTags = []string{
		"[Real]", "[HQ]", "[Non Drop]", "[Refill 30D]", "🔥 Best Sellers",
		"[Arab 🇸🇦]", "[Россия 🇷🇺]", "& Engagement", "[Cheapest]",
		"[Targeted]", "[Lifetime ♻️]", "<Instant>",
	}
	// flavours put one tricky piece into every name, in turn, so that
	// any catalogue of six services or more has each of them.
	flavours = []string{
		"🚀", "[Живые подписчики]", "[متابعين عرب]", "& More",
		"[Drop < 5%]", "{Emergency}",
	}
	extras = []string{
		"[Start: 0-1h]", "[Speed: 10K/Day]", "[Refill: 30 Days ♻️]",
		"[Non Drop]", "| Real Accounts", "[No Refill]", "⚡️ Instant",
		"[Max 1M]", "(Guaranteed)", "[HQ Profiles]", "💎 Premium",
		"[Быстрый старт]", "[عربي]", "Likes & Views", "<1h start>",
		"[Female 👩]", "[USA 🇺🇸]", "[Cancel Enabled]", "~ Stable",
	}
	descriptions = []string{
		"Start: 0-1 hours\nSpeed: 5K-10K/day\nQuality: Real & Active",
		"Link: https://instagram.com/username\nDrop < 5%, refill button 30 days",
		"⚠️ Do not place a second order on the same link before the first is completed.",
		"Старт: 0-2 часа\nСкорость: до 20K в день",
		"البدء: 0-1 ساعة",
	}
)

const maxNameRunes = 120

// GenerateCatalogue returns a realistic catalogue of n services, the same
// for the same n and seed: about n/40 categories (contiguous, in panel
// order) named like "Instagram Followers [Real]"; names up to 120
// characters with emoji, Cyrillic, Arabic, brackets, '&' and '<' (each of
// them when n is at least 6); mostly Default services, some Package and
// Custom Comments, and every type of API.md when n is at least 16; rates
// such as "0.45", "12.5", "0.0123"; some refill, cancel and drip-feed
// services; some empty descriptions. Min and max fit the type: 1..1 for
// a package, a number of lines for a counted list, likes per post for a
// subscription. It returns nil for n <= 0.
func GenerateCatalogue(n int, seed int64) []smm.Service {
	if n <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eedca7a))
	cats := generateCategories(rng, max(1, (n+20)/40))
	sizes := categorySizes(rng, n, len(cats))
	out := make([]smm.Service, 0, n)
	id := int64(1 + rng.IntN(20))
	for c, cat := range cats {
		for range sizes[c] {
			i := len(out)
			out = append(out, generateService(rng, id, cat, serviceType(rng, i, n), flavours[i%len(flavours)]))
			id += 1 + gap(rng)
		}
	}
	return out
}

// category is a generated category: its name and what it sells.
type category struct {
	name, platform, kind string
}

// generateCategories returns c categories with distinct names like
// "Instagram Followers [Real]".
func generateCategories(rng *rand.Rand, c int) []category {
	seen := make(map[string]bool, c)
	cats := make([]category, 0, c)
	for range c {
		cat := category{platform: pick(rng, platforms), kind: pick(rng, kinds)}
		first := fmt.Sprintf("%s %s %s", cat.platform, cat.kind, pick(rng, categoryTags))
		cat.name = first
		for i := 2; seen[cat.name]; i++ {
			cat.name = fmt.Sprintf("%s (Server %d)", first, i)
		}
		seen[cat.name] = true
		cats = append(cats, cat)
	}
	return cats
}

// categorySizes splits n services over c categories, at least one each.
func categorySizes(rng *rand.Rand, n, c int) []int {
	sizes := make([]int, c)
	for i := range sizes {
		sizes[i] = 1
	}
	for range n - c {
		sizes[rng.IntN(c)]++
	}
	return sizes
}

// serviceType picks the type of the i-th of n services: every type once
// at evenly spread places when n allows, otherwise mostly Default.
func serviceType(rng *rand.Rand, i, n int) string {
	if every := n / len(serviceTypes); every > 0 && i%every == 0 && i/every < len(serviceTypes) {
		return serviceTypes[i/every]
	}
	switch r := rng.IntN(100); {
	case r < 80:
		return "Default"
	case r < 88:
		return "Package"
	case r < 93:
		return "Custom Comments"
	}
	return serviceTypes[3+rng.IntN(len(serviceTypes)-3)]
}

// generateService makes one service of a category.
func generateService(rng *rand.Rand, id int64, cat category, typ, flavour string) smm.Service {
	s := smm.Service{
		ID:       id,
		Name:     serviceName(rng, cat, typ, flavour),
		Type:     typ,
		Category: cat.name,
		Rate:     generateRate(rng),
	}
	s.Min, s.Max = quantityRange(rng, typ)
	s.Refill = rng.IntN(10) < 3
	s.Cancel = rng.IntN(4) == 0
	s.Dripfeed = typ == "Default" && rng.IntN(5) == 0
	if rng.IntN(10) >= 4 {
		s.Description = pick(rng, descriptions)
	}
	return s
}

// serviceName is the category's platform and kind, the type when not
// Default, a tricky flavour, then distinct extras while they fit in maxNameRunes.
func serviceName(rng *rand.Rand, cat category, typ, flavour string) string {
	name := cat.platform + " " + cat.kind
	if typ != "Default" {
		name += " " + typ
	}
	name += " " + flavour
	for _, i := range rng.Perm(len(extras))[:rng.IntN(10)] {
		extra := " " + extras[i]
		if utf8.RuneCountInString(name+extra) > maxNameRunes {
			break
		}
		name += extra
	}
	return name
}

// generateRate returns a price per 1000 such as "0.45", "12.5", "0.0123"
// or "8".
func generateRate(rng *rand.Rand) decimal.Decimal {
	switch r := rng.IntN(20); {
	case r < 12:
		return decimal.New(1+rng.Int64N(5000), -2)
	case r < 15:
		return decimal.New(1+rng.Int64N(500), -1)
	case r < 18:
		return decimal.New(1+rng.Int64N(9999), -4)
	}
	return decimal.New(1+rng.Int64N(200), 0)
}

// quantityRange returns a sensible min and max for a type.
func quantityRange(rng *rand.Rand, typ string) (int64, int64) {
	switch typ {
	case "Package", "Custom Comments Package":
		return 1, 1
	case "Custom Comments", "Mentions Custom List", "Comment Replies":
		return pick(rng, []int64{1, 5, 10}), pick(rng, []int64{100, 500, 1000, 5000})
	case "Subscriptions":
		return pick(rng, []int64{10, 20, 50, 100}), pick(rng, []int64{1000, 5000, 10000})
	}
	lo := pick(rng, []int64{10, 20, 50, 100, 250, 500, 1000})
	hi := lo * pick(rng, []int64{10, 50, 100, 1000, 10000})
	return lo, hi
}

// gap is how many ids a panel skips after a service: mostly none.
func gap(rng *rand.Rand) int64 {
	if rng.IntN(10) == 0 {
		return rng.Int64N(50)
	}
	return 0
}

func pick[T any](rng *rand.Rand, from []T) T {
	return from[rng.IntN(len(from))]
}
