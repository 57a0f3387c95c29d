package billing

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
)

// Status is where an invoice stands in its hand-off to the billing system
// (docs/calls.md): it only moves forward.
type Status string

// The statuses of an invoice.
const (
	// Issued invoices are made and wait for the billing system.
	Issued Status = "issued"
	// Exported invoices were read by a billing key at least once.
	Exported Status = "exported"
	// Acknowledged invoices were confirmed imported by the billing system.
	Acknowledged Status = "acknowledged"
)

// Statuses lists the statuses in their order.
var Statuses = []Status{Issued, Exported, Acknowledged}

// MaxReference is the longest reference a billing system may give an acknowledgement.
const MaxReference = 100

// handoffStore is the storage of the hand-off.
type handoffStore interface {
	// SaveInvoice writes inv, moved on from the stored version prev (Conflict if it
	// changed since), with its row in the billing system's lists and the audit entry.
	SaveInvoice(ctx context.Context, inv Invoice, path []string, prev int, entry audit.Entry) error
	// ScopeInvoices returns a page of the invoices in f.Status of the accounts at or
	// below path that f's period picks: in tree order, each account's oldest first.
	ScopeInvoices(ctx context.Context, path []string, f Filter, cursor string, limit int) ([]Invoice, string, error)
}

// readable loads an account whose invoices the actor may read: its administrators and
// users, as for any record, and the billing system's key of the account's subtree.
func (s *Service) readable(ctx context.Context, actor account.Actor, accountID string) (account.Account, error) {
	if actor.Role != account.Billing {
		return account.Load(ctx, s.Store, actor, accountID, false)
	}
	acct, err := s.Store.Account(ctx, accountID)
	if err != nil {
		return account.Account{}, err
	}
	return acct, account.InScope(actor, acct)
}

// Get returns an invoice of an account the actor may read. The billing system's first
// read of an issued invoice marks it exported.
func (s *Service) Get(ctx context.Context, actor account.Actor, accountID, id string) (Invoice, error) {
	acct, err := s.readable(ctx, actor, accountID)
	if err != nil {
		return Invoice{}, err
	}
	inv, err := s.Store.Invoice(ctx, accountID, id)
	if err != nil || actor.Role != account.Billing || inv.Status != Issued {
		return inv, err
	}
	next := inv
	next.Status, next.ExportedAt, next.Version = Exported, s.Now().UTC(), inv.Version+1
	err = s.Store.SaveInvoice(ctx, next, acct.Path, inv.Version, audit.New(next.ExportedAt, actor.UserID, audit.Invoice, audit.Verb(Exported), inv.ID, inv, next))
	if fault.Is(err, fault.Conflict) { // exported or acknowledged meanwhile
		return s.Store.Invoice(ctx, accountID, id)
	}
	return next, err
}

// Acknowledge records that the billing system imported an invoice, under its own
// reference when it gives one. Acknowledging again with the same reference changes
// nothing; with another, it is a conflict.
func (s *Service) Acknowledge(ctx context.Context, actor account.Actor, accountID, id, reference string) (Invoice, error) {
	if actor.Role != account.Billing {
		return Invoice{}, fault.New(fault.Forbidden, "only the billing system's API key acknowledges invoices")
	}
	reference = strings.TrimSpace(reference)
	if utf8.RuneCountInString(reference) > MaxReference {
		var bad fault.Fields
		bad.Add("reference", "must be at most 100 characters")
		return Invoice{}, bad.Err()
	}
	acct, err := s.readable(ctx, actor, accountID)
	if err != nil {
		return Invoice{}, err
	}
	inv, err := s.Store.Invoice(ctx, accountID, id)
	if err != nil {
		return Invoice{}, err
	}
	if inv.Status == Acknowledged {
		if inv.Reference != reference {
			return Invoice{}, fault.New(fault.Conflict, "the invoice was acknowledged already, with reference %q", inv.Reference)
		}
		return inv, nil
	}
	next := inv
	next.Status, next.AcknowledgedAt, next.Reference, next.Version = Acknowledged, s.Now().UTC(), reference, inv.Version+1
	if next.ExportedAt.IsZero() {
		next.ExportedAt = next.AcknowledgedAt
	}
	entry := audit.New(next.AcknowledgedAt, actor.UserID, audit.Invoice, audit.Verb(Acknowledged), inv.ID, inv, next)
	if err := s.Store.SaveInvoice(ctx, next, acct.Path, inv.Version, entry); err != nil {
		if fault.Is(err, fault.Conflict) {
			return Invoice{}, fault.Wrap(fault.Conflict, err, "the invoice changed meanwhile: acknowledge it again")
		}
		return Invoice{}, err
	}
	return next, nil
}

// Scope returns a page of the invoices of the actor's account and every account below
// it, in one status (issued unless f says otherwise): the billing system's work list,
// and its administrators'.
func (s *Service) Scope(ctx context.Context, actor account.Actor, f Filter, cursor string, limit int) ([]Invoice, string, error) {
	if actor.Role != account.Billing && !actor.Role.Admin() {
		return nil, "", fault.New(fault.Forbidden, "your role (%s) may not do this", actor.Role)
	}
	if f.Status == "" {
		f.Status = Issued
	}
	if err := f.check(); err != nil {
		return nil, "", err
	}
	own, err := s.Store.Account(ctx, actor.AccountID)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			return nil, "", fault.New(fault.Forbidden, "your account no longer exists")
		}
		return nil, "", err
	}
	return s.Store.ScopeInvoices(ctx, own.Path, f, cursor, account.PageSize(limit))
}
