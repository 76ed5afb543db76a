package smmtest_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/smmbot/smmbot/smm"
	"github.com/smmbot/smmbot/smm/smmtest"
)

func TestServicesReplyMatchesAPIExample(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	got, ok := f.call(t, keyA, "services").([]any)
	if !ok || len(got) != len(smmtest.DefaultServices()) {
		t.Fatalf("got %v, want an array of %d services", got, len(smmtest.DefaultServices()))
	}
	want := fixtureFile(t, "services.json").([]any)
	for i, w := range want {
		entry := got[i].(map[string]any)
		if d, ok := entry["dripfeed"].(bool); !ok || d {
			t.Errorf("service %d: dripfeed = %v, want false", i+1, entry["dripfeed"])
		}
		if entry["desc"] != nil {
			t.Errorf("service %d: desc = %v, want null", i+1, entry["desc"])
		}
		delete(entry, "dripfeed")
		delete(entry, "desc")
		if !reflect.DeepEqual(entry, w) {
			t.Errorf("service %d:\ngot  %v\nwant %v", i+1, entry, w)
		}
	}
}

func TestServicesReplyCarriesFlagsAndDescriptions(t *testing.T) {
	f := newFixture(t, smmtest.Options{})
	got := f.call(t, keyA, "services").([]any)
	byID := make(map[int64]map[string]any)
	for _, e := range got {
		m := e.(map[string]any)
		byID[asInt(t, m["service"])] = m
	}
	tests := []struct {
		id    int64
		field string
		want  any
	}{
		{3, "type", "Package"},
		{3, "desc", "One package: 1000 likes, delivered within 24 hours."},
		{4, "dripfeed", true},
		{4, "rate", "0.0123"},
		{4, "name", "Views [Drip-feed] 🚀"},
		{5, "refill", true},
		{5, "cancel", true},
		{6, "refill", false},
		{7, "type", "Poll"},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			if got := byID[tt.id][tt.field]; got != tt.want {
				t.Errorf("service %d %s = %v, want %v", tt.id, tt.field, got, tt.want)
			}
		})
	}
}

func TestSetServicesReplacesTheCatalogue(t *testing.T) {
	f := newFixture(t, smmtest.Options{Services: []smm.Service{}})
	if got := f.call(t, keyA, "services"); !reflect.DeepEqual(got, []any{}) {
		t.Errorf("empty catalogue: got %v, want []", got)
	}
	svc := smm.Service{ID: 42, Name: "Likes <fast> & cheap", Type: "Default", Category: "Cat",
		Rate: decimal.RequireFromString("1.5"), Min: 1, Max: 10}
	f.panel.SetServices([]smm.Service{svc})
	if got := f.panel.Services(); !reflect.DeepEqual(got, []smm.Service{svc}) {
		t.Errorf("Services() = %v, want %v", got, svc)
	}
	got := f.call(t, keyA, "services").([]any)
	want := map[string]any{
		"service": json.Number("42"), "name": "Likes <fast> & cheap", "type": "Default",
		"category": "Cat", "rate": "1.5", "min": "1", "max": "10", "refill": false,
		"cancel": false, "dripfeed": false, "desc": nil,
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("got %v, want [%v]", got, want)
	}
	wantError(t, f.call(t, keyA, "add", "service", "1", "link", "x", "quantity", "100"), "Incorrect service ID")
}

func TestServicesIsACopy(t *testing.T) {
	p := smmtest.New(smmtest.Options{})
	s := p.Services()
	s[0].Name = "changed"
	if got := p.Services()[0].Name; got != "Followers" {
		t.Errorf("catalogue changed through Services(): name %q", got)
	}
}
