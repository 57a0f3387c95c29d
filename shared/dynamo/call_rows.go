package dynamo

import (
	"time"

	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
)

// callRecordRow is how a calls.Record is stored.
type callRecordRow struct {
	ID              string    `json:"id"`
	AccountID       string    `json:"accountId"`
	Start           time.Time `json:"start"`
	DurationSeconds int       `json:"durationSeconds"`
	From            string    `json:"from"`
	To              string    `json:"to"`
	Direction       string    `json:"direction"`
	CostMinor       int64     `json:"costMinor"`
	Currency        string    `json:"currency"`
	InProgress      bool      `json:"inProgress,omitempty"`
}

func toCallRecordRow(v calls.Record) callRecordRow {
	return callRecordRow{
		ID:              v.ID,
		AccountID:       v.AccountID,
		Start:           v.Start,
		DurationSeconds: v.DurationSeconds,
		From:            v.From,
		To:              v.To,
		Direction:       string(v.Direction),
		CostMinor:       v.CostMinor,
		Currency:        v.Currency,
		InProgress:      v.InProgress,
	}
}

func (r callRecordRow) domain() calls.Record {
	return calls.Record{
		ID:              r.ID,
		AccountID:       r.AccountID,
		Start:           r.Start,
		DurationSeconds: r.DurationSeconds,
		From:            r.From,
		To:              r.To,
		Direction:       calls.Direction(r.Direction),
		CostMinor:       r.CostMinor,
		Currency:        r.Currency,
		InProgress:      r.InProgress,
	}
}

// invoiceRow is how a billing.Invoice is stored. Invoices stored before the hand-off
// have no status (they read as issued) and no version.
type invoiceRow struct {
	ID             string           `json:"id"`
	AccountID      string           `json:"accountId"`
	Adjusts        string           `json:"adjusts,omitempty"`
	Status         string           `json:"status,omitempty"`
	Currency       string           `json:"currency"`
	Lines          []invoiceLineRow `json:"lines"`
	TotalMinor     int64            `json:"totalMinor"`
	Total          string           `json:"total"`
	CreatedAt      time.Time        `json:"createdAt"`
	CreatedBy      string           `json:"createdBy"`
	ExportedAt     time.Time        `json:"exportedAt,omitzero"`
	AcknowledgedAt time.Time        `json:"acknowledgedAt,omitzero"`
	Reference      string           `json:"reference,omitempty"`
	Version        int              `json:"version,omitempty"`
}

func toInvoiceRow(v billing.Invoice) invoiceRow {
	return invoiceRow{
		ID:             v.ID,
		AccountID:      v.AccountID,
		Adjusts:        v.Adjusts,
		Status:         string(v.Status),
		Currency:       v.Currency,
		Lines:          each(v.Lines, toInvoiceLineRow),
		TotalMinor:     v.TotalMinor,
		Total:          v.Total,
		CreatedAt:      v.CreatedAt,
		CreatedBy:      v.CreatedBy,
		ExportedAt:     v.ExportedAt,
		AcknowledgedAt: v.AcknowledgedAt,
		Reference:      v.Reference,
		Version:        v.Version,
	}
}

func (r invoiceRow) domain() billing.Invoice {
	status := billing.Status(r.Status)
	if status == "" {
		status = billing.Issued
	}
	return billing.Invoice{
		ID:             r.ID,
		AccountID:      r.AccountID,
		Adjusts:        r.Adjusts,
		Status:         status,
		Currency:       r.Currency,
		Lines:          each(r.Lines, invoiceLineRow.domain),
		TotalMinor:     r.TotalMinor,
		Total:          r.Total,
		CreatedAt:      r.CreatedAt,
		CreatedBy:      r.CreatedBy,
		ExportedAt:     r.ExportedAt,
		AcknowledgedAt: r.AcknowledgedAt,
		Reference:      r.Reference,
		Version:        r.Version,
	}
}

// invoiceLineRow is how a billing.Line is stored.
type invoiceLineRow struct {
	SummaryID string    `json:"summaryId"`
	Period    string    `json:"period"`
	Start     time.Time `json:"start"`
	totalsRow
}

func toInvoiceLineRow(v billing.Line) invoiceLineRow {
	return invoiceLineRow{
		SummaryID: v.SummaryID,
		Period:    string(v.Period),
		Start:     v.Start,
		totalsRow: toTotalsRow(v.Totals),
	}
}

func (r invoiceLineRow) domain() billing.Line {
	return billing.Line{
		SummaryID: r.SummaryID,
		Period:    calls.Period(r.Period),
		Start:     r.Start,
		Totals:    r.totalsRow.domain(),
	}
}

// totalsRow is how a calls.Totals is stored.
type totalsRow struct {
	Calls     int64 `json:"calls"`
	Answered  int64 `json:"answered"`
	Seconds   int64 `json:"seconds"`
	CostMinor int64 `json:"costMinor"`
}

func toTotalsRow(v calls.Totals) totalsRow {
	return totalsRow{
		Calls:     v.Calls,
		Answered:  v.Answered,
		Seconds:   v.Seconds,
		CostMinor: v.CostMinor,
	}
}

func (r totalsRow) domain() calls.Totals {
	return calls.Totals{
		Calls:     r.Calls,
		Answered:  r.Answered,
		Seconds:   r.Seconds,
		CostMinor: r.CostMinor,
	}
}
