package httpapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
)

// A summary row shows its minutes and average beside its sums, as the CSV does, and an
// invoice line its sums at the line's top level.
func TestViewsShowDerivedAndFlattenedFields(t *testing.T) {
	totals := calls.Totals{Calls: 3, Answered: 2, Seconds: 150, CostMinor: 7}
	sum := calls.Summary{Period: calls.Daily, Rows: []calls.Row{{ID: "day-2026-11-01", Period: calls.Daily, Totals: totals}},
		Totals: calls.Combine([]calls.Row{{Totals: totals}})}
	inv := billing.Invoice{ID: "inv-1", Lines: []billing.Line{{SummaryID: "day-2026-11-01", Period: calls.Daily, Totals: totals}}}
	for _, c := range []struct {
		name string
		view any
		want []string
	}{
		{"summary", toSummaryView(sum), []string{`"id":"day-2026-11-01"`, `"calls":3`, `"costMinor":7`, `"minutes":2.5`, `"averageSeconds":75`,
			`"averageOfAveragesSeconds":75`}},
		{"invoice", toInvoiceView(inv), []string{`"lines":[{"summaryId":"day-2026-11-01","period":"daily",`, `"calls":3,"answered":2,"seconds":150,"costMinor":7}]`}},
	} {
		raw, err := json.Marshal(c.view)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range c.want {
			if !strings.Contains(string(raw), want) {
				t.Errorf("%s: %s lacks %s", c.name, raw, want)
			}
		}
	}
}
