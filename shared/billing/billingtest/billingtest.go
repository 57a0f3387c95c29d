// Package billingtest is an in-memory billing.Store for the invoice service's unit tests,
// on accounttest's store of accounts: summary rows, and the invoices made of them (each
// row invoiced once, as the table's conditions keep it).
package billingtest

import (
	"context"
	"slices"
	"strings"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
)

// Store is an in-memory billing.Store.
type Store struct {
	*accounttest.Store
	Rows map[string]calls.Row       // by account ID + "/" + row ID
	Made map[string]billing.Invoice // the invoices, by account ID + "/" + invoice ID
	// Paths are the accounts' paths the invoices were listed under, by invoice ID.
	Paths map[string][]string
	// Late are the late charges, as the call store leaves them.
	Late []billing.Late
}

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store {
	return &Store{Store: accounttest.New(accounts...), Rows: map[string]calls.Row{}, Made: map[string]billing.Invoice{},
		Paths: map[string][]string{}}
}

var _ billing.Store = (*Store)(nil)

// SummaryRows implements billing.Store.
func (s *Store) SummaryRows(_ context.Context, accountID string, ids []string) ([]calls.Row, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SummaryRows"); err != nil {
		return nil, err
	}
	var out []calls.Row
	for _, id := range ids {
		if r, ok := s.Rows[accountID+"/"+id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// CreateInvoice implements billing.Store: Conflict when a row is invoiced already.
func (s *Store) CreateInvoice(_ context.Context, inv billing.Invoice, path []string, rows []calls.Row, entry audit.Entry, idem *idempotency.Record) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	for _, r := range rows {
		if s.Rows[inv.AccountID+"/"+r.ID].InvoiceID != "" {
			return fault.New(fault.Conflict, "the row is invoiced")
		}
	}
	for _, r := range rows {
		r.InvoiceID = inv.ID
		s.Rows[inv.AccountID+"/"+r.ID] = r
	}
	s.Made[inv.AccountID+"/"+inv.ID], s.Paths[inv.ID] = inv, path
	s.Keep(idem)
	s.Wrote(entry)
	return nil
}

// Invoice implements billing.Store.
func (s *Store) Invoice(_ context.Context, accountID, id string) (billing.Invoice, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	inv, ok := s.Made[accountID+"/"+id]
	if !ok {
		return inv, fault.New(fault.NotFound, "no such invoice")
	}
	return inv, nil
}

// Invoices implements billing.Store: every invoice of the account.
func (s *Store) Invoices(_ context.Context, accountID string, f billing.Filter, _ string, limit int) ([]billing.Invoice, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []billing.Invoice
	for _, inv := range s.Made {
		if inv.AccountID == accountID && f.Matches(inv) && len(out) < limit {
			out = append(out, inv)
		}
	}
	return out, "", nil
}

// SaveInvoice implements billing.Store: Conflict when the invoice's version is not prev.
func (s *Store) SaveInvoice(_ context.Context, inv billing.Invoice, path []string, prev int, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("SaveInvoice"); err != nil {
		return err
	}
	if s.Made[inv.AccountID+"/"+inv.ID].Version != prev {
		return fault.New(fault.Conflict, "the invoice changed")
	}
	s.Made[inv.AccountID+"/"+inv.ID], s.Paths[inv.ID] = inv, path
	s.Wrote(entry)
	return nil
}

// ScopeInvoices implements billing.Store: the invoices listed under path that f picks.
func (s *Store) ScopeInvoices(_ context.Context, path []string, f billing.Filter, _ string, limit int) ([]billing.Invoice, string, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []billing.Invoice
	for _, inv := range s.Made {
		within := strings.HasPrefix(strings.Join(s.Paths[inv.ID], "/")+"/", strings.Join(path, "/")+"/")
		if within && f.Matches(inv) && len(out) < limit {
			out = append(out, inv)
		}
	}
	slices.SortFunc(out, func(a, b billing.Invoice) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, "", nil
}

// LateCharges implements billing.Store.
func (s *Store) LateCharges(_ context.Context, limit int) ([]billing.Late, error) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if err := s.Failed("LateCharges"); err != nil {
		return nil, err
	}
	return slices.Clone(s.Late[:min(limit, len(s.Late))]), nil
}

// CreateAdjustment implements billing.Store: Conflict when a late charge grew since read.
func (s *Store) CreateAdjustment(_ context.Context, inv billing.Invoice, path []string, lates []billing.Late, entry audit.Entry) error {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	for _, l := range lates {
		if !slices.Contains(s.Late, l) {
			return fault.New(fault.Conflict, "a late charge changed")
		}
	}
	s.Late = slices.DeleteFunc(s.Late, func(l billing.Late) bool { return slices.Contains(lates, l) })
	s.Made[inv.AccountID+"/"+inv.ID], s.Paths[inv.ID] = inv, path
	s.Wrote(entry)
	return nil
}
