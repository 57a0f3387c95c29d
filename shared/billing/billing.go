// Package billing turns selected call summary rows into invoices a billing system can
// query (docs/requirements.md, CM-11): totals are exact integer minor units, and each
// row, and each day of an invoiced month, is invoiced at most once. Calls that reach an
// invoiced row later are billed by adjustment invoices (adjust.go), and the billing
// system's key fetches and acknowledges invoices (handoff.go).
package billing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/webhook"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/money"
)

// MaxRows is the most summary rows one invoice may hold: with the marks on their months
// they must fit one DynamoDB transaction of 100 writes.
const MaxRows = 48

// Line is one invoiced summary row, as it was when invoiced.
type Line struct {
	SummaryID string       `json:"summaryId"`
	Period    calls.Period `json:"period"`
	Start     time.Time    `json:"start"`
	calls.Totals
}

// Invoice is a generated invoice, or an adjustment invoice billing the calls that
// reached the rows of another one after it was made.
type Invoice struct {
	ID        string `json:"id"`
	AccountID string `json:"accountId"`
	// Adjusts is the invoice whose rows the lines of an adjustment invoice add to.
	Adjusts    string    `json:"adjusts,omitempty"`
	Status     Status    `json:"status"`
	Currency   string    `json:"currency"`
	Lines      []Line    `json:"lines"`
	TotalMinor int64     `json:"totalMinor"`
	Total      string    `json:"total"` // TotalMinor as a decimal amount, for people
	CreatedAt  time.Time `json:"createdAt"`
	CreatedBy  string    `json:"createdBy"`
	// ExportedAt is when a billing key first read the invoice; AcknowledgedAt when it
	// confirmed the import, with the billing system's own Reference when it gave one.
	ExportedAt     time.Time `json:"exportedAt,omitzero"`
	AcknowledgedAt time.Time `json:"acknowledgedAt,omitzero"`
	Reference      string    `json:"reference,omitempty"`
	Version        int       `json:"version"`
}

// Span is the time an invoice bills: from the start of its first line to the end of its
// last (an hour, a day or a month after that line's start).
func (inv Invoice) Span() (from, to time.Time) {
	for _, l := range inv.Lines {
		end := l.Start.Add(time.Hour)
		switch l.Period {
		case calls.Daily:
			end = l.Start.AddDate(0, 0, 1)
		case calls.Monthly:
			end = l.Start.AddDate(0, 1, 0)
		}
		if from.IsZero() || l.Start.Before(from) {
			from = l.Start
		}
		if end.After(to) {
			to = end
		}
	}
	return from, to
}

// Filter picks the invoices of a list: those billing any time between From and To
// (either may be zero: open), in Status when it is set.
type Filter struct {
	From, To time.Time
	Status   Status
}

// Matches reports whether inv is one of the invoices f picks, as the store's filter does.
func (f Filter) Matches(inv Invoice) bool {
	from, to := inv.Span()
	return (f.From.IsZero() || to.After(f.From)) && (f.To.IsZero() || !from.After(f.To)) && (f.Status == "" || inv.Status == f.Status)
}

// check refuses a filter no invoice can match.
func (f Filter) check() error {
	var bad fault.Fields
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		bad.Add("to", "must not be before from")
	}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		bad.Add("status", "must be one of issued, exported, acknowledged")
	}
	return bad.Err()
}

// Store keeps invoices and marks the rows they hold.
type Store interface {
	account.Reader
	idempotency.Records
	// SummaryRows returns the rows of ids that exist.
	SummaryRows(ctx context.Context, accountID string, ids []string) ([]calls.Row, error)
	// CreateInvoice writes inv, listed for the billing system under the account's path
	// (the IDs from the root to the account), and marks its rows invoiced, each only if
	// it is not yet and unchanged since read (Conflict otherwise), with the audit entry.
	CreateInvoice(ctx context.Context, inv Invoice, path []string, rows []calls.Row, entry audit.Entry, idem *idempotency.Record) error
	// Invoice returns an invoice of an account; NotFound otherwise.
	Invoice(ctx context.Context, accountID, id string) (Invoice, error)
	// Invoices returns a page of an account's invoices that f picks, in the order they
	// were made.
	Invoices(ctx context.Context, accountID string, f Filter, cursor string, limit int) ([]Invoice, string, error)
	handoffStore
	lateStore
}

// Service generates and reads invoices.
type Service struct {
	Store Store
	Now   func() time.Time
	// Events hears of invoices issued (adjustments too).
	Events webhook.Publisher
}

// issuedEvent is what the invoice.issued event carries: the invoice without its lines,
// which the billing system reads with its key.
type issuedEvent struct {
	ID         string    `json:"id"`
	AccountID  string    `json:"accountId"`
	Adjusts    string    `json:"adjusts,omitempty"`
	Currency   string    `json:"currency"`
	TotalMinor int64     `json:"totalMinor"`
	Total      string    `json:"total"`
	CreatedAt  time.Time `json:"createdAt"`
}

func (s *Service) issued(ctx context.Context, inv Invoice) {
	webhook.Publish(ctx, s.Events, inv.AccountID, webhook.InvoiceIssued, issuedEvent{ID: inv.ID, AccountID: inv.AccountID, Adjusts: inv.Adjusts,
		Currency: inv.Currency, TotalMinor: inv.TotalMinor, Total: inv.Total, CreatedAt: inv.CreatedAt})
}

// InvoiceID is the ID of the invoice of a selection: the same rows always name the same
// invoice, so a repeated request finds the one it made.
func InvoiceID(accountID string, summaryIDs []string) string {
	return invoiceName(append([]string{accountID}, slices.Sorted(slices.Values(summaryIDs))...))
}

// invoiceName is the ID of the invoice named by parts.
func invoiceName(parts []string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return "inv-" + hex.EncodeToString(sum[:10])
}

// Generate makes the invoice of the selected daily or monthly rows. Invoices are made by
// the administrators of the account's parent, as credit is added. With a key, a retry of
// the same selection answers with the invoice the first one made, rather than 409.
func (s *Service) Generate(ctx context.Context, actor account.Actor, accountID string, summaryIDs []string, key string) (Invoice, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return Invoice{}, err
	}
	if acct.ID == actor.AccountID {
		return Invoice{}, fault.New(fault.Forbidden, "invoices are generated by the parent account's administrators")
	}
	k := idempotency.NewKey("invoice", actor.AccountID, key, []any{accountID, summaryIDs})
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Invoice, error) { return s.Store.Invoice(ctx, accountID, id) },
		func() (Invoice, error) { return s.generate(ctx, actor, acct, summaryIDs, k) })
}

func (s *Service) generate(ctx context.Context, actor account.Actor, acct account.Account, summaryIDs []string, k idempotency.Key) (Invoice, error) {
	now := s.Now().UTC()
	if err := checkSelection(summaryIDs, now); err != nil {
		return Invoice{}, err
	}
	rows, err := s.Store.SummaryRows(ctx, acct.ID, summaryIDs)
	if err != nil {
		return Invoice{}, err
	}
	byID := map[string]calls.Row{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	var missing, invoiced fault.Fields
	for i, id := range summaryIDs {
		if r, ok := byID[id]; !ok {
			missing.Add(fmt.Sprintf("summaryIds[%d]", i), "has no calls: there is no such row")
		} else if r.InvoiceID != "" {
			invoiced.Add(fmt.Sprintf("summaryIds[%d]", i), "is on invoice "+r.InvoiceID+" already")
		}
	}
	if err := missing.Err(); err != nil {
		return Invoice{}, err
	}
	if err := invoiced.Conflict("an invoice can be generated once per summary row", nil); err != nil {
		return Invoice{}, err
	}
	inv := Invoice{ID: InvoiceID(acct.ID, summaryIDs), AccountID: acct.ID, Status: Issued, Currency: acct.Credit.Currency,
		CreatedAt: now, CreatedBy: actor.UserID, Version: 1}
	selected := make([]calls.Row, 0, len(summaryIDs))
	costs := make([]int64, 0, len(summaryIDs))
	for _, id := range slices.Sorted(slices.Values(summaryIDs)) {
		r := byID[id]
		inv.Lines = append(inv.Lines, Line{SummaryID: r.ID, Period: r.Period, Start: r.Start, Totals: r.Totals})
		selected, costs = append(selected, r), append(costs, r.CostMinor)
	}
	if inv.TotalMinor, err = money.Sum(costs...); err != nil {
		return Invoice{}, fault.Wrap(fault.Invalid, err, "the invoice total is too large: select fewer rows")
	}
	inv.Total = money.Format(inv.TotalMinor, inv.Currency)
	if err := s.Store.CreateInvoice(ctx, inv, acct.Path, selected, audit.New(inv.CreatedAt, actor.UserID, audit.Invoice, audit.Create, inv.ID, nil, inv), k.Record(inv.ID, now)); err != nil {
		if fault.Is(err, fault.Conflict) {
			return Invoice{}, fault.Wrap(fault.Conflict, err, "a selected row was invoiced or changed meanwhile (or its month or days were invoiced): read the summaries again")
		}
		return Invoice{}, err
	}
	s.issued(ctx, inv)
	return inv, nil
}

// checkSelection checks the selected row IDs without reading them: daily or monthly rows
// of periods that are over, each once, and no day of a month selected too.
func checkSelection(summaryIDs []string, now time.Time) error {
	var f fault.Fields
	if len(summaryIDs) == 0 || len(summaryIDs) > MaxRows {
		f.Add("summaryIds", fmt.Sprintf("must select 1 to %d daily or monthly rows", MaxRows))
	}
	seen := map[string]bool{}
	for i, id := range summaryIDs {
		p, start, ok := calls.ParseRowID(id)
		switch {
		case !ok || p == calls.Live:
			f.Add(fmt.Sprintf("summaryIds[%d]", i), "must be a daily (day-YYYY-MM-DD) or monthly (month-YYYY-MM) row")
		case calls.End(p, start).After(now):
			f.Add(fmt.Sprintf("summaryIds[%d]", i), "covers a period that is not over yet (UTC): invoice it once it has ended")
		case seen[id]:
			f.Add(fmt.Sprintf("summaryIds[%d]", i), "is selected twice")
		}
		seen[id] = true
	}
	for i, id := range summaryIDs {
		if p, start, _ := calls.ParseRowID(id); p == calls.Daily && seen[calls.RowID(calls.Monthly, start)] {
			f.Add(fmt.Sprintf("summaryIds[%d]", i), "lies in a month selected too: select the month or its days")
		}
	}
	return f.Err()
}

// List returns a page of an account's invoices that f picks, in the order they were made.
func (s *Service) List(ctx context.Context, actor account.Actor, accountID string, f Filter, cursor string, limit int) ([]Invoice, string, error) {
	if err := f.check(); err != nil {
		return nil, "", err
	}
	if _, err := s.readable(ctx, actor, accountID); err != nil {
		return nil, "", err
	}
	return s.Store.Invoices(ctx, accountID, f, cursor, account.PageSize(limit))
}
