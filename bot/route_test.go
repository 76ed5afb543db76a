package bot

import "testing"

// TestEveryMenuCommandHasARoute: the menu and /help list only commands the
// routing table handles.
func TestEveryMenuCommandHasARoute(t *testing.T) {
	for _, c := range commands {
		if _, ok := commandRoutes[c.name]; !ok {
			t.Errorf("the menu lists /%s, which has no route", c.name)
		}
	}
}
