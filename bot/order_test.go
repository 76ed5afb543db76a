package bot_test

import (
	"testing"
)

// TestOrderDefaultService walks the whole conversation for a Default
// service, as the acceptance contract describes it.
func TestOrderDefaultService(t *testing.T) {
	h := newHarness(t)
	m := h.say("/order")
	if !hasButton(m, "First Category") {
		t.Fatalf("category list lacks First Category:\n%s", h.transcript())
	}
	m = h.press("First Category")
	m = h.press("Followers")
	expect(t, m, "link")
	m = h.say("https://instagram.com/dana")
	expect(t, m, "50", "10000")
	m = h.say("1500")
	expect(t, m, "1.35", "https://instagram.com/dana", "1500", "100.00")
	if !hasButton(m, "Confirm") || !hasButton(m, "Cancel") {
		t.Fatalf("summary lacks Confirm/Cancel:\n%s", h.transcript())
	}
	m = h.press("Confirm")
	expect(t, m, "23501")
	o, ok := h.panel.Order(panelKey, 23501)
	if !ok || o.Quantity != 1500 || o.Link != "https://instagram.com/dana" || o.Service != 1 {
		t.Fatalf("panel order = %+v, %v", o, ok)
	}
	if got := h.panel.Count("add"); got != 1 {
		t.Errorf("add calls = %d, want 1", got)
	}
	h.noRejections()
}
