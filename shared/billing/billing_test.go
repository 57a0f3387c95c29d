package billing

import (
	"errors"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

func TestInvoiceIDNamesTheSelection(t *testing.T) {
	a := InvoiceID("acc-1", []string{"day-2026-11-01", "day-2026-11-02"})
	if b := InvoiceID("acc-1", []string{"day-2026-11-02", "day-2026-11-01"}); a != b {
		t.Fatalf("order changed the ID: %s %s", a, b)
	}
	for _, other := range []string{
		InvoiceID("acc-2", []string{"day-2026-11-01", "day-2026-11-02"}),
		InvoiceID("acc-1", []string{"day-2026-11-01"}),
		InvoiceID("acc-1", []string{"day-2026-11-01day-2026-11-02"}),
	} {
		if other == a {
			t.Fatalf("two selections share the ID %s", a)
		}
	}
	if len(a) != len("inv-")+20 {
		t.Fatalf("ID %q", a)
	}
}

func TestCheckSelection(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		ids  []string
		want string // the field refused, "" for none
	}{
		{[]string{"day-2026-11-23", "day-2026-10-31", "month-2026-09"}, ""},
		{nil, "summaryIds"},
		{[]string{"hour-2026-11-23T10"}, "summaryIds[0]"},
		{[]string{"week-47"}, "summaryIds[0]"},
		{[]string{"day-2026-11-24"}, "summaryIds[0]"}, // today is not over
		{[]string{"month-2026-11"}, "summaryIds[0]"},  // nor is this month
		{[]string{"day-2026-11-01", "day-2026-11-01"}, "summaryIds[1]"},
		{[]string{"day-2026-10-05", "month-2026-10"}, "summaryIds[0]"},
	}
	for _, c := range cases {
		err := checkSelection(c.ids, now)
		var e *fault.Error
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.ids, err)
		case c.want != "" && (!errors.As(err, &e) || e.Code != fault.Invalid || e.Fields[0].Field != c.want):
			t.Errorf("%v: got %v, want %s refused", c.ids, err, c.want)
		}
	}
}
