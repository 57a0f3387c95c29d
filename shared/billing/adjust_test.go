package billing_test

import (
	"context"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
)

func late(invoiceID, rowID string, n, cost int64) billing.Late {
	p, start, _ := calls.ParseRowID(rowID)
	return billing.Late{AccountID: "acc-t", InvoiceID: invoiceID, Row: calls.Row{ID: rowID, AccountID: "acc-t", Period: p, Start: start,
		InvoiceID: invoiceID, Totals: calls.Totals{Calls: n, Answered: n, Seconds: 60 * n, CostMinor: cost}}}
}

func TestLateCallsAreBilledByAnAdjustmentOfTheirInvoice(t *testing.T) {
	svc, store, reseller := newService(t)
	ctx := context.Background()
	first, err := svc.Generate(ctx, reseller, "acc-t", []string{"day-2026-11-03"}, "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := svc.Generate(ctx, reseller, "acc-t", []string{"day-2026-11-04"}, "")
	if err != nil {
		t.Fatal(err)
	}
	store.Late = []billing.Late{late(second.ID, "day-2026-11-04", 1, 40), late(first.ID, "day-2026-11-03", 2, 250)}

	done, err := svc.BillLateCalls(ctx)
	if err != nil || done.Invoices != 2 || done.Deferred != 0 || len(store.Late) != 0 {
		t.Fatalf("adjustments %+v %v, %d late charges left", done, err, len(store.Late))
	}
	adjusts := map[string]billing.Invoice{}
	for _, inv := range store.Made {
		if inv.Adjusts != "" {
			adjusts[inv.Adjusts] = inv
		}
	}
	adj := adjusts[first.ID]
	if adj.TotalMinor != 250 || adj.Total != "2.50" || adj.Currency != "SEK" || adj.Status != billing.Issued || len(adj.Lines) != 1 ||
		adj.Lines[0].SummaryID != "day-2026-11-03" || adj.Lines[0].Calls != 2 || adj.ID == first.ID {
		t.Fatalf("the first invoice's adjustment: %+v", adj)
	}
	if adjusts[second.ID].TotalMinor != 40 {
		t.Fatalf("the second invoice's adjustment: %+v", adjusts[second.ID])
	}
	if again, err := svc.BillLateCalls(ctx); err != nil || again.Invoices != 0 {
		t.Fatalf("a run with nothing late: %+v %v", again, err)
	}
}

func TestAnAdjustmentHoldsAtMostMaxRowsLines(t *testing.T) {
	svc, store, reseller := newService(t)
	ctx := context.Background()
	inv, err := svc.Generate(ctx, reseller, "acc-t", []string{"day-2026-11-03"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range billing.MaxRows + 2 {
		store.Late = append(store.Late, late(inv.ID, calls.RowID(calls.Daily, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)), 1, 1))
	}
	if done, err := svc.BillLateCalls(ctx); err != nil || done.Invoices != 2 {
		t.Fatalf("%d late rows: %+v %v", billing.MaxRows+2, done, err)
	}
}

func TestLateCallsArrivingMeanwhileWaitForTheNextRun(t *testing.T) {
	svc, store, reseller := newService(t)
	ctx := context.Background()
	inv, err := svc.Generate(ctx, reseller, "acc-t", []string{"day-2026-11-03"}, "")
	if err != nil {
		t.Fatal(err)
	}
	store.Late = []billing.Late{late(inv.ID, "day-2026-11-03", 1, 10)}
	store.Fail = func(method string) error {
		if method == "Account" {
			store.Late[0].Row.Calls++ // a call arrives while the sweep reads
		}
		return nil
	}
	done, err := svc.BillLateCalls(ctx)
	if err != nil || done.Invoices != 0 || done.Deferred != 1 || len(store.Late) != 1 {
		t.Fatalf("%+v %v, %d late", done, err, len(store.Late))
	}
	store.Fail = func(string) error { return fault.New(fault.Unavailable, "the table is down") }
	if _, err := svc.BillLateCalls(ctx); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("a store that is down: %v", err)
	}
}
