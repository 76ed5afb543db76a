package flows_test

import (
	"strings"
	"testing"

	"github.com/smmbot/smmbot/flows"
	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/store"
)

func cardOrder(status string, mutate ...func(*store.Order)) store.Order {
	o := store.Order{ChatID: testChat, KeyRef: "0123456789abcdef", PanelID: 23501, Link: testLink, Quantity: 500,
		Service: store.ServiceSnapshot{ID: 1, Name: "Followers", Type: "Default", Rate: dec("0.9"), Refill: true, Cancel: true},
		Price:   dec("0.45"), Status: status, Created: testNow}
	if status != "" && status != "Pending" {
		o.StartCount, o.Remains, o.Charge = 120, 7, dec("0.45")
		o.Final = status == "Completed" || status == "Partial" || status == "Canceled"
	}
	for _, m := range mutate {
		m(&o)
	}
	return o
}

func TestCard(t *testing.T) {
	tests := []struct {
		name       string
		o          store.Order
		want, lack []string
	}{
		{"never polled", cardOrder("Pending"), []string{"Order 23501", "not known yet", "Cancel order", "Quantity: 500", "Price: 0.45 USD"},
			[]string{"Start count", "Refill"}},
		{"in progress", cardOrder("In progress"), []string{"In progress", "Start count: 120, remains: 7", "Cancel order"}, []string{"Refill"}},
		{"completed", cardOrder("Completed"), []string{"Completed", "Refill"}, []string{"Cancel order"}},
		{"partial, no refill", cardOrder("Partial", func(o *store.Order) { o.Service.Refill = false }), []string{"Partial"},
			[]string{"Refill", "Cancel order"}},
		{"cancelled", cardOrder("Canceled"), []string{"Canceled"}, []string{"Refill", "Cancel order"}},
		{"gone", cardOrder("In progress", func(o *store.Order) { o.Gone = true }), []string{"no longer knows"}, []string{"Cancel order"}},
		{"drip-feed", cardOrder("In progress", func(o *store.Order) { o.Runs, o.Interval = 4, 30 }),
			[]string{"4 runs", "every 30 min", "2000 in all"}, nil},
		{"subscription", cardOrder("In progress", func(o *store.Order) {
			o.Service.Type, o.Link, o.Quantity, o.Price = "Subscriptions", "", 0, dec("0")
			o.Extra = map[string]string{"username": "dana", "min": "100", "max": "200", "delay": "30"}
		}), []string{"per post", "dana"}, []string{"Price: 0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := flows.Card(tt.o, nil, flows.Msg{}, flows.Offers{}, "USD")
			checkHistory(t, sc)
			got := text(t, sc)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("card lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.lack {
				if strings.Contains(got, w) {
					t.Errorf("card has %q:\n%s", w, got)
				}
			}
			if dataOf(t, sc, "Repeat") != "rp:23501:0123456789abcdef" || dataOf(t, sc, "Orders") != flows.VerbList {
				t.Errorf("card buttons:\n%s", got)
			}
		})
	}
}

// TestCardOffers: a panel without refill or cancel gets no such buttons.
func TestCardOffers(t *testing.T) {
	got := text(t, flows.Card(cardOrder("Completed"), nil, flows.Msg{}, flows.Offers{NoRefill: true}, "USD"))
	if strings.Contains(got, "Refill") {
		t.Errorf("a panel without refill: the card offers Refill:\n%s", got)
	}
	got = text(t, flows.Card(cardOrder("In progress"), nil, flows.Msg{}, flows.Offers{NoCancel: true}, "USD"))
	if strings.Contains(got, "Cancel order") {
		t.Errorf("a panel without cancel: the card offers Cancel:\n%s", got)
	}
}

func TestCardAfterCancelRequest(t *testing.T) {
	o := cardOrder("In progress")
	if got := text(t, flows.Card(o, nil, flows.CancelRequested(), flows.Offers{}, "")); strings.Contains(got, "Cancel order") {
		t.Errorf("the card after a cancel request offers Cancel again:\n%s", got)
	}
}

func TestStatusWord(t *testing.T) {
	c, err := words()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ word, en, ru, ar string }{
		{"Completed", "Completed", "Выполнен", "مكتمل"},
		{"in progress", "in progress", "Выполняется", "قيد التنفيذ"},
		{"Cancelled", "Cancelled", "Отменён", "ملغى"},
		{"CANCELED", "CANCELED", "Отменён", "ملغى"},
		{"Partial", "Partial", "Частично", "جزئي"},
		{"Refunded", "Refunded", "Возвращён", "مسترد"},
		{"Fail", "Fail", "Ошибка", "فشل"},
		{"Processing", "Processing", "Обрабатывается", "قيد المعالجة"},
		{"Awaiting moderation", "Awaiting moderation", "Awaiting moderation", "Awaiting moderation"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			m := flows.StatusWord(tt.word)
			for lang, want := range map[string]string{"en": tt.en, "ru": tt.ru, "ar": tt.ar} {
				if got := c.Text(lang, m.ID, m.Args, nil); got != want {
					t.Errorf("%s: %q, want %q", lang, got, want)
				}
			}
		})
	}
}

func TestChangedAndChecked(t *testing.T) {
	a := cardOrder("In progress")
	b := a
	if flows.Changed(a, b) || flows.Checked(false, testNow).ID != "card.no_change" {
		t.Errorf("no change reported as one")
	}
	b.Remains--
	if !flows.Changed(a, b) || flows.Checked(true, testNow).ID != "card.updated" {
		t.Errorf("a change not reported")
	}
}

// TestRepeatOrder: Repeat opens the summary of the same service with the same
// fields; a field that no longer fits is asked again, the others kept.
func TestRepeatOrder(t *testing.T) {
	tests := []struct {
		name      string
		from      store.Order
		state     string
		want      []string
		problemID string
	}{
		{"default", cardOrder("Completed", func(o *store.Order) { o.Quantity = 1500 }), flows.StateConfirm,
			[]string{testLink, "Quantity: 1500", "1.35"}, ""},
		{"quantity out of bounds now", cardOrder("Completed", func(o *store.Order) { o.Quantity = 50 }), flows.StateQuantity,
			nil, "err.out_of_range"},
		{"comments", cardOrder("Completed", func(o *store.Order) {
			o.Service.ID, o.Service.Type, o.Comments, o.Quantity = svcComments.ID, svcComments.Type, "nice\ngreat\ncool", 3
		}), flows.StateConfirm, []string{"Comments (3)", "nice"}, ""},
		{"drip-feed", cardOrder("Completed", func(o *store.Order) {
			o.Service.ID, o.Quantity, o.Runs, o.Interval = svcDrip.ID, 600, 3, 60
		}), flows.StateConfirm, []string{"3 runs", "every 60 min"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			next, sc, err := h.order.Repeat(t.Context(), testKey, h.s, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			checkScreen(t, sc)
			if next.State != tt.state || next.Version != h.s.Version+1 {
				t.Fatalf("state %q version %d, want %q %d:\n%s", next.State, next.Version, tt.state, h.s.Version+1, render(t, sc))
			}
			got := render(t, sc)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("screen lacks %q:\n%s", w, got)
				}
			}
			if tt.state == flows.StateConfirm && !hasAction(sc, "ok") {
				t.Errorf("summary without Confirm:\n%s", got)
			}
			if tt.problemID != "" && firstLine(sc) != tt.problemID {
				t.Errorf("first line %q, want %q", firstLine(sc), tt.problemID)
			}
			if next.Draft.Link != tt.from.Link {
				t.Errorf("link %q not kept", next.Draft.Link)
			}
		})
	}
}

func TestWithFavourites(t *testing.T) {
	h := newHarness(t)
	sc := h.start()
	favs := []smm.Service{svcDrip, svcDefault}
	got := flows.WithFavourites(h.s, sc, favs, []int64{svcDrip.ID, svcDefault.ID})
	checkScreen(t, got)
	if len(got.Buttons) != len(sc.Buttons)+2 || got.Buttons[0][0].Data != "fs:4" || got.Buttons[1][0].Data != "fs:1" {
		t.Errorf("categories with favourites: %+v", got.Buttons[:2])
	}
	if other := flows.WithFavourites(h.s, sc, nil, nil); len(other.Buttons) != len(sc.Buttons) {
		t.Errorf("no favourites changed the categories")
	}
	sc = h.toLink(svcDefault)
	for _, tt := range []struct {
		ids  []int64
		star string
	}{{nil, "btn.favourite"}, {[]int64{svcDefault.ID}, "btn.unfavourite"}} {
		got := flows.WithFavourites(h.s, sc, nil, tt.ids)
		checkScreen(t, got)
		star := got.Buttons[len(got.Buttons)-2][0]
		if star.Label.ID != tt.star || star.Data != "fa:1" {
			t.Errorf("favourites %v: star %+v, want %s", tt.ids, star, tt.star)
		}
	}
	sc = h.text(testLink) // the quantity: no star
	if got := flows.WithFavourites(h.s, sc, nil, nil); len(got.Buttons) != len(sc.Buttons) {
		t.Errorf("the quantity step got a star")
	}
}
