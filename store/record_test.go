package store

import (
	"testing"
	"time"
)

// FuzzDecodeOrder feeds corrupt records to the decoder: an error, never a
// panic, and a record that decodes encodes back to itself.
func FuzzDecodeOrder(f *testing.F) {
	o := sampleOrder(f, 7, "k", 1, time.Date(2025, 3, 1, 12, 0, 0, 5, time.UTC))
	o.Status, o.Final = "Completed", true
	f.Add(encodeOrder(o, append([]byte{svcInline}, encodeSnapshot(o.Service)...)))
	f.Add(encodeOrder(Order{}, []byte{svcShared, 1, 2}))
	f.Add([]byte{recordFormat, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, svc, err := decodeOrder("k", 1, b)
		if err != nil {
			return
		}
		if _, err := decodeSnapshot(svc); err != nil && len(svc) > 0 && svc[0] == svcInline {
			return
		}
		again, svc2, err := decodeOrder("k", 1, encodeOrder(got, svc))
		if err != nil || !sameOrder(got, again) || string(svc) != string(svc2) {
			t.Errorf("round trip changed the order: %v", err)
		}
	})
}

func TestOrderRecordRoundTrip(t *testing.T) {
	db, clk := testDB(t)
	ctx := t.Context()
	tests := map[string]Order{
		"full":        sampleOrder(t, -1001, "ref0000000000001", 23501, clk.Now().Add(-time.Minute)),
		"bare":        {ChatID: 1, KeyRef: "k", PanelID: 2, Created: clk.Now()},
		"unicode":     {ChatID: 1, KeyRef: "k", PanelID: 3, Created: clk.Now(), Link: "https://t.me/канал", Extra: map[string]string{"usernames": "ü\nß"}},
		"gone":        {ChatID: 1, KeyRef: "k", PanelID: 4, Created: clk.Now(), Gone: true, Status: "In progress"},
		"old time":    {ChatID: 1, KeyRef: "k", PanelID: 5, Created: time.Unix(-5, 999999999)},
		"negative":    {ChatID: -5, KeyRef: "k", PanelID: 6, Created: clk.Now(), Quantity: -1, Remains: -3},
		"empty extra": {ChatID: 1, KeyRef: "k", PanelID: 7, Created: clk.Now(), Extra: map[string]string{}},
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			must(t, db.PutOrder(ctx, o))
			got, err := db.Order(ctx, o.KeyRef, o.PanelID)
			must(t, err)
			o.Updated = clk.Now()
			if len(o.Extra) == 0 {
				o.Extra = nil
			}
			assertOrder(t, got, o)
		})
	}
	checkIndexes(t, db)
}
