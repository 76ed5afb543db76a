package smm_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/smm"
)

func TestServiceInput(t *testing.T) {
	tests := []struct {
		typ  string
		want smm.Input
	}{
		{"Default", smm.InputQuantity},
		{"default", smm.InputQuantity},
		{"", smm.InputQuantity},
		{" Default ", smm.InputQuantity},
		{"Package", smm.InputNone},
		{"PACKAGE", smm.InputNone},
		{"Custom Comments", smm.InputComments},
		{"custom comments", smm.InputComments},
		{"Custom Comments Package", smm.InputUnsupported},
		{"Mentions", smm.InputUnsupported},
		{"Mentions with Hashtags", smm.InputUnsupported},
		{"Comment Likes", smm.InputUnsupported},
		{"Poll", smm.InputUnsupported},
		{"Subscriptions", smm.InputUnsupported},
		{"Invites from Groups", smm.InputUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			if got := (smm.Service{Type: tt.typ}).Input(); got != tt.want {
				t.Errorf("Input() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestServicePrice(t *testing.T) {
	tests := []struct {
		rate string
		qty  int64
		want string
	}{
		{"0.90", 1500, "1.35"},
		{"8", 10, "0.08"},
		{"0.001", 1, "0.000001"},
		{"12.5", 0, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.rate, func(t *testing.T) {
			got := smm.Service{Rate: dec(tt.rate)}.Price(tt.qty)
			if !got.Equal(dec(tt.want)) {
				t.Errorf("Price(%d) at %s = %s, want %s", tt.qty, tt.rate, got, tt.want)
			}
		})
	}
}

func TestServicesLeavesOutBadEntries(t *testing.T) {
	var logs bytes.Buffer
	opts := smm.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	c, _ := serveOpts(t, opts, ok(`[
		{"service": 1, "name": "Good", "rate": "1", "min": "1", "max": "10"},
		{"service": 2, "name": "Bad min", "rate": "1", "min": {"n": 10}, "max": "10"},
		{"name": "No id", "rate": "1"},
		{"service": 4, "name": "Also good", "rate": 2, "min": 1, "max": 10, "desc": null}
	]`))
	got, err := c.Services(t.Context(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 4 {
		t.Errorf("services %v; want ids 1 and 4", got)
	}
	if n := strings.Count(logs.String(), "panel service left out"); n != 2 {
		t.Errorf("%d log lines for the bad services, want 2:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), testKey) {
		t.Errorf("the log carries the key:\n%s", logs.String())
	}
}

func TestServicesReplyErrors(t *testing.T) {
	tests := []struct{ name, body string }{
		{"object", `{"services": []}`},
		{"null", `null`},
		{"every entry bad", `[{"name": "no id"}, {"service": "x"}]`},
		{"not objects", `[1, 2]`},
		{"truncated", `[{"service": 1, "name": "Foll`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := serve(t, ok(tt.body))
			_, err := c.Services(t.Context(), testKey)
			wantAs[*smm.ResponseError](t, err)
			noKey(t, err)
		})
	}
}

func TestServicesEmptyCatalogue(t *testing.T) {
	c, _ := serve(t, ok(`[]`))
	got, err := c.Services(t.Context(), testKey)
	if err != nil || len(got) != 0 {
		t.Errorf("Services = %v, %v; want none, no error", got, err)
	}
}
