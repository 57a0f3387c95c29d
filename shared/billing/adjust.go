package billing

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/money"
)

// Late is what call records added to an invoiced row after the invoice was made: the
// call store keeps it beside the row, for the next adjustment invoice to bill.
type Late struct {
	AccountID string
	// InvoiceID is the invoice that holds the row.
	InvoiceID string
	// Row is the invoiced row, with the totals that came late.
	Row calls.Row
}

// MaxLatePerRun bounds the late charges one run of the sweep bills, so a run stays short;
// the rest wait for the next run.
const MaxLatePerRun = 500

// lateStore is the storage of late charges.
type lateStore interface {
	// LateCharges returns up to limit late charges, grouped by account and invoice.
	LateCharges(ctx context.Context, limit int) ([]Late, error)
	// CreateAdjustment writes inv, the adjustment invoice of lates, listed for the billing
	// system under path, and clears lates, each only if nothing was added to it since it
	// was read (Conflict otherwise), with the audit entry.
	CreateAdjustment(ctx context.Context, inv Invoice, path []string, lates []Late, entry audit.Entry) error
}

// Adjustments is what a run of the late-call sweep did.
type Adjustments struct {
	// Invoices is how many adjustment invoices it made, Deferred how many it left for the
	// next run because calls arrived while it worked.
	Invoices int `json:"invoices"`
	Deferred int `json:"deferred"`
}

// actorSweep is the audit actor of the sweep.
const actorSweep = "system:dispatcher"

// BillLateCalls makes an adjustment invoice for each invoice whose rows calls reached
// after it was made: its lines are what came late, and it refers to the original. Calls
// arriving while it works are left for its next run.
func (s *Service) BillLateCalls(ctx context.Context) (Adjustments, error) {
	var done Adjustments
	lates, err := s.Store.LateCharges(ctx, MaxLatePerRun)
	if err != nil {
		return done, err
	}
	for _, group := range groupLate(lates) {
		err := s.adjust(ctx, group)
		switch {
		case err == nil:
			done.Invoices++
		case fault.Is(err, fault.Conflict):
			done.Deferred++
		default:
			return done, err
		}
	}
	return done, nil
}

// groupLate splits late charges by account and invoice, at most MaxRows to a group.
func groupLate(lates []Late) [][]Late {
	slices.SortStableFunc(lates, func(a, b Late) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.InvoiceID, b.InvoiceID), cmp.Compare(a.Row.ID, b.Row.ID))
	})
	var groups [][]Late
	for i, l := range lates {
		if i == 0 || l.AccountID != lates[i-1].AccountID || l.InvoiceID != lates[i-1].InvoiceID || len(groups[len(groups)-1]) == MaxRows {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], l)
	}
	return groups
}

// adjust makes the adjustment invoice of one invoice's late charges.
func (s *Service) adjust(ctx context.Context, lates []Late) error {
	first := lates[0]
	acct, err := s.Store.Account(ctx, first.AccountID)
	if err != nil {
		return err
	}
	original, err := s.Store.Invoice(ctx, first.AccountID, first.InvoiceID)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	inv := Invoice{ID: adjustmentID(first, lates, now), AccountID: acct.ID, Adjusts: original.ID, Status: Issued,
		Currency: original.Currency, CreatedAt: now, CreatedBy: actorSweep, Version: 1}
	costs := make([]int64, 0, len(lates))
	for _, l := range lates {
		inv.Lines = append(inv.Lines, Line{SummaryID: l.Row.ID, Period: l.Row.Period, Start: l.Row.Start, Totals: l.Row.Totals})
		costs = append(costs, l.Row.CostMinor)
	}
	if inv.TotalMinor, err = money.Sum(costs...); err != nil {
		return fault.Wrap(fault.Internal, err, "the adjustment of invoice "+original.ID+" is too large")
	}
	inv.Total = money.Format(inv.TotalMinor, inv.Currency)
	if err := s.Store.CreateAdjustment(ctx, inv, acct.Path, lates, audit.New(now, actorSweep, audit.Invoice, audit.Create, inv.ID, nil, inv)); err != nil {
		return err
	}
	s.issued(ctx, inv)
	return nil
}

// adjustmentID names an adjustment invoice by what it bills and when: the same late
// charges billed at another time are another adjustment.
func adjustmentID(first Late, lates []Late, now time.Time) string {
	parts := []string{first.AccountID, first.InvoiceID, now.Format(time.RFC3339Nano)}
	for _, l := range lates {
		parts = append(parts, fmt.Sprintf("%s:%d:%d", l.Row.ID, l.Row.Calls, l.Row.CostMinor))
	}
	return invoiceName(parts)
}
