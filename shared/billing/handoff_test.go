package billing_test

import (
	"context"
	"testing"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/fault"
)

func TestTheBillingKeyExportsAndAcknowledgesInvoices(t *testing.T) {
	svc, store, reseller := newService(t)
	ctx := context.Background()
	inv, err := svc.Generate(ctx, reseller, "acc-t", []string{"day-2026-11-03"}, "")
	if err != nil || inv.Status != billing.Issued {
		t.Fatalf("invoice %+v %v", inv, err)
	}
	key := account.Actor{UserID: "key-b", AccountID: "acc-r", Role: account.Billing}

	// The administrators read it without moving it; the billing key's read exports it.
	if got, err := svc.Get(ctx, reseller, "acc-t", inv.ID); err != nil || got.Status != billing.Issued {
		t.Fatalf("an administrator's read: %+v %v", got, err)
	}
	if issued, _, err := svc.Scope(ctx, key, billing.Filter{}, "", 10); err != nil || len(issued) != 1 {
		t.Fatalf("the key's work list: %+v %v", issued, err)
	}
	got, err := svc.Get(ctx, key, "acc-t", inv.ID)
	if err != nil || got.Status != billing.Exported || got.ExportedAt.IsZero() || got.Version != 2 {
		t.Fatalf("the key's read: %+v %v", got, err)
	}
	if again, err := svc.Get(ctx, key, "acc-t", inv.ID); err != nil || again.ExportedAt != got.ExportedAt || store.Writes != 2 {
		t.Fatalf("a second read: %+v %v (%d writes)", again, err, store.Writes)
	}
	if issued, _, _ := svc.Scope(ctx, key, billing.Filter{}, "", 10); len(issued) != 0 {
		t.Fatalf("issued after the export: %+v", issued)
	}

	// Only the key acknowledges; the same reference again is a no-op, another a conflict.
	if _, err := svc.Acknowledge(ctx, reseller, "acc-t", inv.ID, "ERP-1"); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("an administrator acknowledging: %v", err)
	}
	done, err := svc.Acknowledge(ctx, key, "acc-t", inv.ID, " ERP-1 ")
	if err != nil || done.Status != billing.Acknowledged || done.Reference != "ERP-1" || done.AcknowledgedAt.IsZero() {
		t.Fatalf("acknowledged: %+v %v", done, err)
	}
	if _, err := svc.Acknowledge(ctx, key, "acc-t", inv.ID, "ERP-1"); err != nil || store.Writes != 3 {
		t.Fatalf("acknowledged again: %v (%d writes)", err, store.Writes)
	}
	if _, err := svc.Acknowledge(ctx, key, "acc-t", inv.ID, "ERP-2"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("another reference: %v", err)
	}
	if acked, _, err := svc.List(ctx, key, "acc-t", billing.Filter{Status: billing.Acknowledged}, "", 10); err != nil || len(acked) != 1 {
		t.Fatalf("acknowledged invoices: %+v %v", acked, err)
	}
	var kinds []string
	for _, e := range store.Audit {
		kinds = append(kinds, e.Action)
	}
	if len(kinds) != 3 || kinds[1] != "invoice.exported" || kinds[2] != "invoice.acknowledged" {
		t.Fatalf("audit %v", kinds)
	}
}

func TestTheHandOffRefusesWhatItCannotDo(t *testing.T) {
	svc, store, reseller := newService(t)
	ctx := context.Background()
	inv, err := svc.Generate(ctx, reseller, "acc-t", []string{"day-2026-11-03"}, "")
	if err != nil {
		t.Fatal(err)
	}
	writes := store.Writes
	outside := account.Actor{UserID: "key-x", AccountID: "acc-t", Role: account.Billing}
	store.Accounts["acc-x"] = account.Account{ID: "acc-x", Path: []string{"provider", "acc-x"}}
	stranger := account.Actor{UserID: "key-y", AccountID: "acc-x", Role: account.Billing}
	for name, err := range map[string]error{
		"a key of another subtree reads":        func() error { _, err := svc.Get(ctx, stranger, "acc-t", inv.ID); return err }(),
		"a key of another subtree acknowledges": func() error { _, err := svc.Acknowledge(ctx, stranger, "acc-t", inv.ID, ""); return err }(),
		"a reference too long": func() error {
			_, err := svc.Acknowledge(ctx, outside, "acc-t", inv.ID, string(make([]byte, 101)))
			return err
		}(),
		"an unknown status": func() error { _, _, err := svc.Scope(ctx, outside, billing.Filter{Status: "paid"}, "", 10); return err }(),
		"a switch key lists": func() error {
			_, _, err := svc.Scope(ctx, account.Actor{AccountID: "acc-r", Role: account.Switch}, billing.Filter{}, "", 10)
			return err
		}(),
		"a user lists the subtree": func() error {
			_, _, err := svc.Scope(ctx, account.Actor{AccountID: "acc-r", Role: account.User}, billing.Filter{}, "", 10)
			return err
		}(),
		"a key acknowledges an unknown invoice": func() error { _, err := svc.Acknowledge(ctx, outside, "acc-t", "inv-none", ""); return err }(),
	} {
		want := map[string]fault.Code{"a key of another subtree reads": fault.NotFound, "a key of another subtree acknowledges": fault.NotFound,
			"a reference too long": fault.Invalid, "an unknown status": fault.Invalid, "a switch key lists": fault.Forbidden,
			"a user lists the subtree": fault.Forbidden, "a key acknowledges an unknown invoice": fault.NotFound}[name]
		if !fault.Is(err, want) {
			t.Errorf("%s: %v, want %s", name, err, want)
		}
	}
	if store.Writes != writes {
		t.Fatalf("refusals wrote %d times", store.Writes-writes)
	}
	if list, _, err := svc.Scope(ctx, stranger, billing.Filter{}, "", 10); err != nil || len(list) != 0 {
		t.Fatalf("another subtree's work list: %+v %v", list, err)
	}
}
