package bot_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/bot"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
	"github.com/smmbot/smmbot/store"
)

// The services of every-type tests, besides smmtest's defaults (Package
// 3, drip-feed Default 4).
const (
	svcMentions     = "101"
	svcPollVotes    = "102"
	svcSubscription = "103"
	svcUnknown      = "104"
)

func typesCatalogue() []smm.Service {
	list := smmtest.DefaultServices()
	add := func(id int64, name, typ string, rate string, lo, hi int64) {
		list = append(list, smm.Service{ID: id, Name: name, Type: typ, Category: "Every Type",
			Rate: decimal.RequireFromString(rate), Min: lo, Max: hi})
	}
	add(101, "Mentions [Real]", "Mentions", "0.90", 50, 10000)
	add(102, "Poll Votes [Fast]", "Poll", "2", 10, 5000)
	add(103, "Auto Likes Subscription", "Subscriptions", "1.20", 50, 5000)
	add(104, "Story Votes [New]", "Story Votes", "1", 10, 1000)
	return list
}

// addLog records the add requests the bot makes, as the panel client
// sends them.
type addLog struct {
	bot.Panel
	mu   sync.Mutex
	reqs []smm.AddRequest
}

func (l *addLog) Add(ctx context.Context, key string, req smm.AddRequest) (int64, error) {
	l.mu.Lock()
	l.reqs = append(l.reqs, req)
	l.mu.Unlock()
	return l.Panel.Add(ctx, key, req)
}

// sent is the form of the only add request, as the panel received it
// (besides key and action).
func (l *addLog) sent(tb testing.TB) url.Values {
	tb.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) != 1 {
		tb.Fatalf("%d add requests, want 1: %+v", len(l.reqs), l.reqs)
	}
	form, err := l.reqs[0].Fields()
	if err != nil {
		tb.Fatalf("the bot sent a request that cannot be valid: %v", err)
	}
	return form
}

// typesHarness is the bot with typesCatalogue, recording add requests.
func typesHarness(tb testing.TB) (*harness, *addLog) {
	log := &addLog{}
	h := newHarness(tb, withServices(typesCatalogue()), func(h *harness) {
		h.wrap = func(p bot.Panel) bot.Panel { log.Panel = p; return log }
	})
	return h, log
}

func wantForm(tb testing.TB, got url.Values, want url.Values) {
	tb.Helper()
	if got.Encode() != want.Encode() {
		tb.Errorf("add form\n got %s\nwant %s", got.Encode(), want.Encode())
	}
}

// placedOrder is the chat's newest order as stored.
func (h *harness) placedOrder() store.Order {
	h.t.Helper()
	orders, _, _, err := h.db.Orders(context.Background(), h.user.ID, store.Cursor{}, 1)
	if err != nil || len(orders) != 1 {
		h.t.Fatalf("stored orders: %v, %v", orders, err)
	}
	return orders[0]
}

// checkKeyboards fails if any button the bot sent has callback data
// Telegram would refuse.
func (h *harness) checkKeyboards() {
	h.t.Helper()
	for _, m := range h.tg.BotMessages(h.user.ID) {
		for _, row := range m.Buttons {
			for _, b := range row {
				if len(b.Data) > 64 || b.Data == "" && b.URL == "" {
					h.t.Errorf("button %q: callback data %q (%d bytes)", b.Text, b.Data, len(b.Data))
				}
			}
		}
	}
	h.noRejections()
}

// TestOrderMentionsList: a list type; the usernames one per line, blank
// lines dropped; the quantity typed; every field sent and kept.
func TestOrderMentionsList(t *testing.T) {
	t.Parallel()
	h, log := typesHarness(t)
	h.say("/order")
	m := h.say(svcMentions)
	expect(t, m, "Mentions [Real]", "link")
	m = h.say("https://instagram.com/p/m1")
	expect(t, m, "quantity", "50", "10000")
	m = h.say("500")
	expect(t, m, "usernames")
	m = h.say("alice bob")
	expect(t, m, "one word", "usernames")
	m = h.say("alice\n\n  bob \n@carol")
	expect(t, m, "Usernames (3): alice, bob, @carol", "Quantity: 500", "0.45")
	m = h.press("Confirm")
	expect(t, m, "23501")
	wantForm(t, log.sent(t), url.Values{"service": {"101"}, "link": {"https://instagram.com/p/m1"},
		"quantity": {"500"}, "usernames": {"alice\nbob\n@carol"}})
	if o, ok := h.panel.Order(panelKey, 23501); !ok || o.Quantity != 500 {
		t.Errorf("panel order = %+v, %v; want quantity 500", o, ok)
	}
	if o := h.placedOrder(); o.Extra["usernames"] != "alice\nbob\n@carol" || o.Quantity != 500 {
		t.Errorf("stored order quantity %d, extra %v", o.Quantity, o.Extra)
	}
	h.checkKeyboards()
}

// TestOrderPoll: the answer number goes as answer_number.
func TestOrderPoll(t *testing.T) {
	t.Parallel()
	h, log := typesHarness(t)
	h.say("/order")
	h.say(svcPollVotes)
	h.say("https://t.me/channel/12")
	m := h.say("100")
	expect(t, m, "answer", "1", "100")
	m = h.say("0")
	expect(t, m, "1", "100")
	if hasButton(m, "Confirm") {
		t.Fatalf("answer 0 led to the summary:\n%s", h.transcript())
	}
	m = h.say("3")
	expect(t, m, "Answer number: 3", "0.20")
	h.press("Confirm")
	wantForm(t, log.sent(t), url.Values{"service": {"102"}, "link": {"https://t.me/channel/12"},
		"quantity": {"100"}, "answer_number": {"3"}})
	h.checkKeyboards()
}

// TestOrderSubscription: no link and no quantity; posts optional (Skip);
// delay from buttons; expiry offered on the summary; the price said to
// be charged per post, with no made-up total.
func TestOrderSubscription(t *testing.T) {
	t.Parallel()
	h, log := typesHarness(t)
	h.say("/order")
	m := h.say(svcSubscription)
	expect(t, m, "username", "per post")
	m = h.say("nasa")
	expect(t, m, "minimum", "50", "5000")
	m = h.say("100")
	expect(t, m, "maximum", "100", "5000")
	m = h.say("99")
	expect(t, m, "100", "5000")
	m = h.say("300")
	expect(t, m, "posts")
	if !hasButton(m, "Skip") {
		t.Fatalf("the optional posts prompt has no Skip:\n%s", h.transcript())
	}
	m = h.press("Skip")
	expect(t, m, "delay")
	for _, d := range []string{"0", "5", "90", "600"} {
		if !hasButton(m, d) {
			t.Errorf("delay buttons lack %s:\n%s", d, h.transcript())
		}
	}
	m = h.press("30")
	expect(t, m, "Delay: 30 min", "Minimum per post: 100", "Maximum per post: 300", "per post")
	if !hasButton(m, "Confirm") || !hasButton(m, "Cancel") {
		t.Fatalf("the delay did not lead to the summary:\n%s", h.transcript())
	}
	if strings.Contains(m.Text, "Total") {
		t.Errorf("a subscription's summary shows a total:\n%s", m.Text)
	}
	m = h.press("Expiry")
	expect(t, m, "expiry", "d/m/Y")
	m = h.say("31/12/2030")
	expect(t, m, "Expiry: 31/12/2030")
	m = h.press("Confirm")
	expect(t, m, "23501", "per post")
	wantForm(t, log.sent(t), url.Values{"service": {"103"}, "username": {"nasa"}, "min": {"100"}, "max": {"300"},
		"delay": {"30"}, "expiry": {"31/12/2030"}})
	o := h.placedOrder()
	if o.Extra["min"] != "100" || o.Extra["max"] != "300" || o.Extra["delay"] != "30" || o.Link != "" || !o.Price.IsZero() {
		t.Errorf("stored order link %q, price %v, extra %v", o.Link, o.Price, o.Extra)
	}
	if got := h.panel.Balance(panelKey); !got.Equal(decimal.NewFromInt(100)) {
		t.Errorf("balance %v, want 100: a subscription is charged per post", got)
	}
	h.checkKeyboards()
}

// TestOrderPackagePrice: a package's rate is its price; nothing says
// "per 1000"; only the link is sent.
func TestOrderPackagePrice(t *testing.T) {
	t.Parallel()
	h, log := typesHarness(t)
	h.say("/order")
	m := h.say("3")
	expect(t, m, "link", "2.50 USD for one package")
	m = h.say("https://instagram.com/p/pk")
	expect(t, m, "2.50", "one package")
	if strings.Contains(m.Text, "per 1000") {
		t.Errorf("a package's summary says per 1000:\n%s", m.Text)
	}
	h.press("Confirm")
	wantForm(t, log.sent(t), url.Values{"service": {"3"}, "link": {"https://instagram.com/p/pk"}})
	if got := h.panel.Balance(panelKey); !got.Equal(decimal.RequireFromString("97.50")) {
		t.Errorf("balance %v, want 97.50", got)
	}
	h.checkKeyboards()
}

// TestOrderDripFeedFields: drip-feed from the summary; runs and interval
// sent with the quantity per run.
func TestOrderDripFeedFields(t *testing.T) {
	t.Parallel()
	h, log := typesHarness(t)
	h.say("/order")
	h.say("4")
	h.say("https://instagram.com/p/d1")
	m := h.say("1000")
	if !hasButton(m, "Drip-feed") {
		t.Fatalf("summary of a drip-feed service lacks Drip-feed:\n%s", h.transcript())
	}
	m = h.press("Drip-feed")
	expect(t, m, "runs")
	m = h.say("10")
	expect(t, m, "interval")
	m = h.say("30")
	expect(t, m, "1000 per run", "10 runs", "10,000 in all", "0.123")
	h.press("Confirm")
	wantForm(t, log.sent(t), url.Values{"service": {"4"}, "link": {"https://instagram.com/p/d1"},
		"quantity": {"1000"}, "runs": {"10"}, "interval": {"30"}})
	h.checkKeyboards()
}

// TestOrderUnknownTypeRefused: a type the bot does not know is marked
// in search results and refused before anything is asked; add is never
// called.
func TestOrderUnknownTypeRefused(t *testing.T) {
	t.Parallel()
	h, log := typesHarness(t)
	h.say("/order")
	m := h.say("Votes")
	expect(t, m, "Story Votes [New]", "not orderable")
	if !hasButton(m, "🚫 #104 Story Votes") || hasButton(m, "🚫 #7 ") || hasButton(m, "🚫 #102 ") {
		t.Errorf("search results should mark the unknown type only:\n%s", h.transcript())
	}
	m = h.press("Story Votes")
	expect(t, m, "cannot order")
	m = h.say(svcUnknown)
	expect(t, m, "cannot order")
	if strings.Contains(m.Text, "Send the") {
		t.Errorf("an unknown type asks a field:\n%s", m.Text)
	}
	log.mu.Lock()
	logged := len(log.reqs)
	log.mu.Unlock()
	if n := h.panel.Count("add"); n != 0 || logged != 0 {
		t.Errorf("add calls = %d, want 0", n)
	}
	h.checkKeyboards()
}
