package flows_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/smmbot/smmbot/flows"
)

// BenchmarkCheckMass500 validates and prices a 500-line mass order, as
// each summary does.
func BenchmarkCheckMass500(b *testing.B) {
	var sb strings.Builder
	for i := range flows.MaxMassLines {
		fmt.Fprintf(&sb, "1 | https://instagram.com/user%d | %d\n", i, 100+i)
	}
	lines := flows.SplitMassText(sb.String())
	cat := testCatalogue()
	b.ReportAllocs()
	for b.Loop() {
		if c := flows.CheckMass(cat, lines, testNow); len(c.Orders) != flows.MaxMassLines {
			b.Fatalf("%d valid lines", len(c.Orders))
		}
	}
}
