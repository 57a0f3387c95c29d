// Package billingtest is an in-memory billing.Store for the invoice service's unit tests,
// on accounttest's store of accounts: summary rows, and the invoices made of them (each
// row invoiced once, as the table's conditions keep it).
package billingtest

import (
	"context"

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
}

// New returns a store holding accounts.
func New(accounts ...account.Account) *Store {
	return &Store{Store: accounttest.New(accounts...), Rows: map[string]calls.Row{}, Made: map[string]billing.Invoice{}}
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
func (s *Store) CreateInvoice(_ context.Context, inv billing.Invoice, rows []calls.Row, entry audit.Entry, idem *idempotency.Record) error {
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
	s.Made[inv.AccountID+"/"+inv.ID] = inv
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
