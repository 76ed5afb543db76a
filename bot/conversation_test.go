package bot_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm/smmtest"
)

// TestOrderPackageService: a Package asks no quantity; the panel makes
// the order one package.
func TestOrderPackageService(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	m := h.press("Instagram Likes")
	expect(t, m, "1000 Likes Package")
	m = h.press("1000 Likes Package")
	expect(t, m, "link", "One package: 1000 likes")
	m = h.say("https://instagram.com/p/xyz")
	expect(t, m, "https://instagram.com/p/xyz", "2.50", "100.00")
	if strings.Contains(m.Text, "Quantity") {
		t.Errorf("summary of a Package shows a quantity:\n%s", m.Text)
	}
	if !hasButton(m, "Confirm") {
		t.Fatalf("a Package's link led to %q, want the summary with Confirm", m.Text)
	}
	m = h.press("Confirm")
	expect(t, m, "23501")
	o, ok := h.panel.Order(panelKey, 23501)
	if !ok || o.Service != 3 || o.Link != "https://instagram.com/p/xyz" || o.Quantity != 1 {
		t.Errorf("panel order = %+v, %v; want service 3, the link, quantity 1", o, ok)
	}
	if got := h.panel.Count("add"); got != 1 {
		t.Errorf("add calls = %d, want 1", got)
	}
	h.noRejections()
}

// TestOrderCustomComments: comments one per line, the quantity is the
// number of lines, and too few lines are refused with min and max.
func TestOrderCustomComments(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	h.press("Second Category")
	h.press("Comments")
	m := h.say("https://instagram.com/p/c1")
	expect(t, m, "comments", "10", "1500")

	nine := make([]string, 9)
	for i := range nine {
		nine[i] = "great post " + string(rune('a'+i))
	}
	m = h.say(strings.Join(nine, "\n"))
	expect(t, m, "9", "10", "1500")
	if hasButton(m, "Confirm") {
		t.Fatalf("nine comments led to the summary, want a refusal:\n%s", h.transcript())
	}

	ten := append(nine, "  ", "great post j") // a blank line does not count
	m = h.say(strings.Join(ten, "\n"))
	expect(t, m, "Quantity: 10", "0.08")
	m = h.press("Confirm")
	expect(t, m, "23501")
	o, ok := h.panel.Order(panelKey, 23501)
	want := strings.Join(append(nine, "great post j"), "\n")
	if !ok || o.Service != 2 || o.Quantity != 10 || o.Comments != want {
		t.Errorf("panel order = %+v, %v; want service 2, quantity 10, comments %q", o, ok, want)
	}
	h.noRejections()
}

// TestOrderDripFeed: drip-feed is an option of the summary, not a step:
// runs and interval go to the panel, the summary says the quantity is per
// run and shows the total, and the order is quantity × runs.
func TestOrderDripFeed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	h.press("Instagram Views")
	h.press("Views [Drip-feed]")
	h.say("https://instagram.com/p/v1")
	m := h.say("5000")
	expect(t, m, "Quantity: 5000", "0.0615")
	if !hasButton(m, "Confirm") || !hasButton(m, "Drip-feed") {
		t.Fatalf("the quantity of a drip-feed service led to %q, want the summary with Drip-feed", m.Text)
	}
	m = h.press("Drip-feed")
	expect(t, m, "runs", "2", "100")
	if !hasButton(m, "all at once") {
		t.Fatalf("runs prompt lacks the all-at-once button:\n%s", h.transcript())
	}
	m = h.say("1")
	expect(t, m, "2", "100")
	m = h.say("3")
	expect(t, m, "interval", "1", "10080")
	m = h.press("60")
	expect(t, m, "5000 per run", "3 runs", "every 60 min", "15,000 in all", "0.1845")
	m = h.press("Confirm")
	expect(t, m, "23501")
	o, ok := h.panel.Order(panelKey, 23501)
	if !ok || o.Service != 4 || o.Runs != 3 || o.Interval != 60 || o.Quantity != 15000 {
		t.Errorf("panel order = %+v, %v; want service 4, 3 runs every 60, 15000 in all", o, ok)
	}
	h.noRejections()
}

// TestOrderDripFeedAllAtOnce: a drip-feed service is ordered at once
// without a question; drip-feed set and then taken back orders at once.
func TestOrderDripFeedAllAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	h.say("Views")
	h.press("Views [Drip-feed]")
	h.say("https://instagram.com/p/v2")
	m := h.say("5000")
	expect(t, m, "Quantity: 5000", "0.0615")
	m = h.press("Drip-feed")
	h.say("4")
	m = h.press("15")
	expect(t, m, "4 runs")
	h.press("Drip-feed")
	m = h.press("all at once")
	expect(t, m, "Quantity: 5000", "0.0615")
	if strings.Contains(m.Text, "runs") {
		t.Errorf("summary after all-at-once mentions runs:\n%s", m.Text)
	}
	h.press("Confirm")
	o, ok := h.panel.Order(panelKey, 23501)
	if !ok || o.Runs != 0 || o.Interval != 0 || o.Quantity != 5000 {
		t.Errorf("panel order = %+v, %v; want 5000 at once, no runs", o, ok)
	}
	h.noRejections()
}

// TestOrderUnsupportedType: a type the bot does not know (here service 7
// made a "Story Votes") is marked in the list and said to be unorderable,
// by button and by id, and nothing is added.
func TestOrderUnsupportedType(t *testing.T) {
	t.Parallel()
	services := smmtest.DefaultServices()
	for i := range services {
		if services[i].ID == 7 {
			services[i].Type = "Story Votes"
		}
	}
	h := newHarness(t, withServices(services))
	h.say("/order")
	m := h.press("Telegram Polls")
	expect(t, m, "not orderable")
	if !hasButton(m, "🚫 #7 Poll Votes") {
		t.Errorf("the unknown type's button is not marked:\n%s", h.transcript())
	}
	before := h.session()
	m = h.press("Poll Votes")
	expect(t, m, "Poll Votes", "Story Votes", "cannot order")
	if got := h.session(); got.State != before.State {
		t.Errorf("state after an unsupported service = %q, want %q", got.State, before.State)
	}
	h.say("/order")
	m = h.say("7")
	expect(t, m, "Poll Votes", "cannot order")
	if !hasButton(m, "First Category") {
		t.Errorf("after an unsupported id the categories are gone:\n%s", h.transcript())
	}
	// The conversation goes on from there.
	m = h.say("1")
	expect(t, m, "Followers", "link")
	if got := h.panel.Count("add"); got != 0 {
		t.Errorf("add calls = %d, want 0", got)
	}
	h.noRejections()
}

// TestOrderBySearchAndID reaches services by a word and by an id typed at
// the category step, and at the service step.
func TestOrderBySearchAndID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say("/order")
	m := h.say("followers")
	expect(t, m, "followers", "Followers [Refill 30D]", "Followers [No Refill]")
	if !hasButton(m, "Followers [No Refill]") {
		t.Fatalf("search results lack a button:\n%s", h.transcript())
	}
	m = h.say("nosuchthing")
	expect(t, m, "nosuchthing")
	m = h.say("#5")
	expect(t, m, "Followers [Refill 30D] & Cancel", "link")
	m = h.press("Back")
	expect(t, m, "followers", "Followers [No Refill]")
	m = h.press("Back")
	if !hasButton(m, "First Category") {
		t.Fatalf("Back from the search results should list the categories:\n%s", h.transcript())
	}
	m = h.say("999")
	expect(t, m, "999")
	m = h.say("6")
	expect(t, m, "Followers [No Refill]", "100", "5000")
	h.say("https://instagram.com/dana")
	m = h.say("200")
	expect(t, m, "0.09")
	m = h.press("Confirm")
	expect(t, m, "23501")
	if o, ok := h.panel.Order(panelKey, 23501); !ok || o.Service != 6 || o.Quantity != 200 {
		t.Errorf("panel order = %+v, %v; want service 6 × 200", o, ok)
	}
	h.noRejections()
}

// TestDoubleConfirmPlacesOnce: two taps on Confirm queued before the bot
// handles either place one order.
func TestDoubleConfirmPlacesOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toSummary()
	answers := len(h.tg.CallbackAnswers())
	for range 2 {
		if err := h.tg.Press(h.user, "Confirm"); err != nil {
			t.Fatalf("press Confirm: %v", err)
		}
	}
	h.wait("both taps answered and the order placed", func() bool {
		return len(h.tg.CallbackAnswers()) >= answers+2 && len(h.tg.Unanswered()) == 0 && h.botMessagesWith("23501") > 0
	})
	if got := h.panel.Count("add"); got != 1 {
		t.Errorf("add calls = %d, want 1", got)
	}
	if got := h.botMessagesWith("23501"); got != 1 {
		t.Errorf("messages with the order id = %d, want 1:\n%s", got, h.transcript())
	}
	if got := len(h.panel.Orders(panelKey)); got != 1 {
		t.Errorf("panel orders = %d, want 1", got)
	}
	if s := h.session(); s.State != "" {
		t.Errorf("state after placing = %q, want idle", s.State)
	}
	h.noRejections()
}

// TestRestartResumesConversation: the conversation survives a restart.
func TestRestartResumesConversation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toQuantity()
	h.restart()
	m := h.say("1500")
	expect(t, m, "1.35", "1500")
	m = h.press("Confirm")
	expect(t, m, "23501")
	if o, ok := h.panel.Order(panelKey, 23501); !ok || o.Quantity != 1500 || o.Link != "https://instagram.com/dana" {
		t.Errorf("panel order = %+v, %v", o, ok)
	}
	h.noRejections()
}

// TestCatalogueFaultRetry: the catalogue under a CDN error page gives a
// clear message with a Try again button that works once the panel is back.
func TestCatalogueFaultRetry(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultHTML503, Action: "services", Count: 2})
	m := h.say("/order")
	expect(t, m, "503")
	if !hasButton(m, "Try again") {
		t.Fatalf("the error lacks a Try again button:\n%s", h.transcript())
	}
	if n := h.panel.PendingFaults(); n != 0 {
		t.Fatalf("faults left = %d, want 0 (a read is tried twice)", n)
	}
	m = h.press("Try again")
	if !hasButton(m, "First Category") {
		t.Errorf("Try again after the panel recovered shows %q, want the category list", m.Text)
		return
	}
	h.press("First Category")
	h.press("Followers")
	h.noRejections()
}

// TestPlaceUnknownOutcome: an add whose answer is lost is never retried,
// the user is told the outcome is unknown, and the conversation ends.
func TestPlaceUnknownOutcome(t *testing.T) {
	t.Parallel()
	for _, kind := range []struct {
		name string
		kind smmtest.FaultKind
	}{{"HTML503", smmtest.FaultHTML503}, {"LostReply", smmtest.FaultLostReply}} {
		t.Run(kind.name, func(t *testing.T) {
			h := newHarness(t)
			h.toSummary()
			h.panel.Inject(smmtest.Fault{Kind: kind.kind, Action: "add"})
			m := h.press("Confirm")
			expect(t, m, "could not tell")
			if got := h.panel.Count("add"); got != 1 {
				t.Errorf("add calls = %d, want 1 (never retried)", got)
			}
			if s := h.session(); s.State != "" {
				t.Errorf("state = %q, want idle", s.State)
			}
			if hasButton(m, "Confirm") {
				t.Errorf("Confirm is still offered after an unknown outcome")
			}
			h.noRejections()
		})
	}
}

// TestPlaceRefused: the panel's {"error"} returns to the summary with its
// words, and Confirm tries again.
func TestPlaceRefused(t *testing.T) {
	t.Parallel()
	tests := []struct{ panelSays, want string }{
		{"Not enough funds on balance", "Not enough funds"},
		{"Link is blocked for this service", "Link is blocked for this service"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			h := newHarness(t)
			h.toSummary()
			h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultError, Action: "add", Message: tt.panelSays})
			m := h.press("Confirm")
			expect(t, m, tt.want, "1.35", "1500")
			if !hasButton(m, "Confirm") {
				t.Fatalf("after a refusal the summary lacks Confirm:\n%s", h.transcript())
			}
			if s := h.session(); s.State != "confirm" {
				t.Errorf("state = %q, want confirm", s.State)
			}
			m = h.press("Confirm")
			expect(t, m, "23501")
			if got := h.panel.Count("add"); got != 2 {
				t.Errorf("add calls = %d, want 2 (the refusal, then the order)", got)
			}
			h.noRejections()
		})
	}
}

// TestLowBalanceWarning: a balance under the price is said on the summary.
func TestLowBalanceWarning(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.panel.SetBalance(panelKey, decimal.Zero)
	m := h.toSummary()
	expect(t, m, "1.35", "0.00", "balance is lower than the price")
	if !hasButton(m, "Confirm") {
		t.Errorf("low-balance summary lacks Confirm")
	}
	h.noRejections()
}

// TestSecondConfirmTapSendsNoMessage: the second tap of a double tap is
// answered, not told in a chat message under the receipt.
func TestSecondConfirmTapSendsNoMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toSummary()
	for range 2 {
		if err := h.tg.Press(h.user, "Confirm"); err != nil {
			t.Fatalf("press Confirm: %v", err)
		}
	}
	h.waitText("23501")
	h.barrier()
	last, _ := h.tg.LastBotMessage(h.user.ID)
	if !strings.Contains(last.Text, "23501") {
		// bot.(*Bot).pressConversation answers the query with "" before
		// Handle; the flows notice for the second tap (Screen.Keep,
		// "menu.expired") is then sent by bot.(*Bot).present as a new
		// message.
		t.Errorf("after a double tap the chat ends with %q, want the receipt (the second tap answered as a toast)", last.Text)
	}
}

// TestSummaryBalanceUnavailable: the summary without a balance still
// offers Confirm.
func TestSummaryBalanceUnavailable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toQuantity()
	h.panel.Inject(smmtest.Fault{Kind: smmtest.FaultHTML503, Action: "balance", Count: 2})
	m := h.say("1500")
	expect(t, m, "1.35", "unavailable")
	if !hasButton(m, "Confirm") {
		t.Fatalf("summary without balance lacks Confirm:\n%s", h.transcript())
	}
	m = h.press("Confirm")
	expect(t, m, "23501")
	h.noRejections()
}
