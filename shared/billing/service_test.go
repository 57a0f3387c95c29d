package billing_test

import (
	"context"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/billing/billingtest"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/testclock"
)

func newService(t *testing.T) (*billing.Service, *billingtest.Store, account.Actor) {
	t.Helper()
	store := billingtest.New(
		account.Account{ID: "acc-r", Path: []string{"provider", "acc-r"}, Kind: account.Reseller},
		account.Account{ID: "acc-t", Path: []string{"provider", "acc-r", "acc-t"}, Kind: account.Tenant, Credit: account.Credit{Currency: "SEK"}})
	day := func(d int, cost int64) calls.Row {
		start := time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC)
		return calls.Row{ID: calls.RowID(calls.Daily, start), AccountID: "acc-t", Period: calls.Daily, Start: start,
			Totals: calls.Totals{Calls: 2, Answered: 1, Seconds: 120, CostMinor: cost}}
	}
	for _, r := range []calls.Row{day(3, 1250), day(4, 99)} {
		store.Rows["acc-t/"+r.ID] = r
	}
	svc := &billing.Service{Store: store, Now: testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)).Now}
	return svc, store, account.Actor{UserID: "usr-r", AccountID: "acc-r", Role: account.ResellerAdmin}
}

func TestAnInvoiceBillsEachRowOnce(t *testing.T) {
	svc, store, reseller := newService(t)
	ctx := context.Background()
	ids := []string{"day-2026-11-04", "day-2026-11-03"}
	inv, err := svc.Generate(ctx, reseller, "acc-t", ids, "k1")
	if err != nil || inv.TotalMinor != 1349 || inv.Total != "13.49" || inv.Currency != "SEK" || len(inv.Lines) != 2 || inv.Lines[0].SummaryID != "day-2026-11-03" {
		t.Fatalf("invoice %+v %v", inv, err)
	}
	if inv.ID != billing.InvoiceID("acc-t", ids) {
		t.Fatalf("id %s", inv.ID)
	}
	if again, err := svc.Generate(ctx, reseller, "acc-t", ids, "k1"); err != nil || again.ID != inv.ID {
		t.Fatalf("a retry with the key: %+v %v", again, err)
	}
	if _, err := svc.Generate(ctx, reseller, "acc-t", ids[:1], ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("a row invoiced twice: %v", err)
	}
	if got, err := svc.Get(ctx, reseller, "acc-t", inv.ID); err != nil || got.ID != inv.ID {
		t.Fatalf("get %+v %v", got, err)
	}
	if list, _, err := svc.List(ctx, reseller, "acc-t", billing.Filter{}, "", 10); err != nil || len(list) != 1 {
		t.Fatalf("list %+v %v", list, err)
	}
	if from, to := inv.Span(); !from.Equal(time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("the invoice bills %s to %s", from, to)
	}
	at := func(day int) time.Time { return time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		f    billing.Filter
		want int
	}{
		{billing.Filter{From: at(4)}, 1}, {billing.Filter{From: at(5)}, 0}, // the span ends as the 5th begins
		{billing.Filter{To: at(3)}, 1}, {billing.Filter{To: at(2)}, 0},
		{billing.Filter{From: at(1), To: at(30)}, 1},
	} {
		if list, _, err := svc.List(ctx, reseller, "acc-t", c.f, "", 10); err != nil || len(list) != c.want {
			t.Errorf("invoices billing %+v: %d %v, want %d", c.f, len(list), err, c.want)
		}
	}
	if _, _, err := svc.List(ctx, reseller, "acc-t", billing.Filter{From: at(5), To: at(4)}, "", 10); !fault.Is(err, fault.Invalid) {
		t.Errorf("a period that ends before it starts: %v", err)
	}
	if store.Writes != 1 {
		t.Fatalf("%d writes, want the one invoice", store.Writes)
	}
}

func TestRefusedInvoicesWriteNothing(t *testing.T) {
	svc, store, reseller := newService(t)
	ctx := context.Background()
	own := account.Actor{UserID: "usr-t", AccountID: "acc-t", Role: account.TenantAdmin}
	for _, c := range []struct {
		name string
		who  account.Actor
		ids  []string
		code fault.Code
	}{
		{"by the account itself", own, []string{"day-2026-11-03"}, fault.Forbidden},
		{"no rows", reseller, nil, fault.Invalid},
		{"a live row", reseller, []string{"hour-2026-11-03T10"}, fault.Invalid},
		{"a day that is not over", reseller, []string{"day-2026-12-01"}, fault.Invalid},
		{"a row twice", reseller, []string{"day-2026-11-03", "day-2026-11-03"}, fault.Invalid},
		{"a day of a month selected too", reseller, []string{"month-2026-11", "day-2026-11-03"}, fault.Invalid},
		{"a day without calls", reseller, []string{"day-2026-11-05"}, fault.Invalid},
		{"an account outside the caller's", account.Actor{UserID: "usr-x", AccountID: "acc-x", Role: account.ResellerAdmin}, []string{"day-2026-11-03"}, fault.NotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := svc.Generate(ctx, c.who, "acc-t", c.ids, ""); !fault.Is(err, c.code) {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if store.Writes != 0 {
				t.Fatal("a refused invoice was written")
			}
		})
	}
	stranger := account.Actor{UserID: "usr-x", AccountID: "acc-x", Role: account.TenantAdmin}
	if _, err := svc.Get(ctx, stranger, "acc-t", "inv-1"); !fault.Is(err, fault.NotFound) {
		t.Fatalf("another account's invoice: %v", err)
	}
}
