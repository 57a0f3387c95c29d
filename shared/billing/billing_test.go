package billing

import "testing"

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
