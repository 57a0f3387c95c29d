package httpapi

import (
	"encoding/csv"
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/billing"
)

type invoiceView struct {
	ID             string            `json:"id"`
	AccountID      string            `json:"accountId"`
	Adjusts        string            `json:"adjusts,omitempty"`
	Status         billing.Status    `json:"status"`
	Currency       string            `json:"currency"`
	Lines          []invoiceLineView `json:"lines"`
	TotalMinor     int64             `json:"totalMinor"`
	Total          string            `json:"total"`
	CreatedAt      time.Time         `json:"createdAt"`
	CreatedBy      string            `json:"createdBy"`
	ExportedAt     time.Time         `json:"exportedAt,omitzero"`
	AcknowledgedAt time.Time         `json:"acknowledgedAt,omitzero"`
	Reference      string            `json:"reference,omitempty"`
}

type invoiceLineView struct {
	SummaryID string    `json:"summaryId"`
	Period    string    `json:"period"`
	Start     time.Time `json:"start"`
	Calls     int64     `json:"calls"`
	Answered  int64     `json:"answered"`
	Seconds   int64     `json:"seconds"`
	CostMinor int64     `json:"costMinor"`
}

func toInvoiceView(inv billing.Invoice) invoiceView {
	return invoiceView{ID: inv.ID, AccountID: inv.AccountID, Adjusts: inv.Adjusts, Status: inv.Status, Currency: inv.Currency,
		TotalMinor: inv.TotalMinor, Total: inv.Total, CreatedAt: inv.CreatedAt, CreatedBy: inv.CreatedBy, ExportedAt: inv.ExportedAt,
		AcknowledgedAt: inv.AcknowledgedAt, Reference: inv.Reference, Lines: views(inv.Lines, func(l billing.Line) invoiceLineView {
			return invoiceLineView{SummaryID: l.SummaryID, Period: string(l.Period), Start: l.Start, Calls: l.Calls, Answered: l.Answered,
				Seconds: l.Seconds, CostMinor: l.CostMinor}
		})}
}

// invoiceCSVHeader names the columns of an invoice's CSV lines: one line per invoice
// line, each carrying its invoice's ID, account, status and currency, so a page of
// invoices is one flat file.
var invoiceCSVHeader = []string{"invoiceId", "accountId", "adjusts", "status", "createdAt", "currency", "summaryId", "period", "start",
	"calls", "answered", "seconds", "costMinor"}

// writeInvoicesCSV writes invoices as CSV lines with a header line; next, when set, is
// the cursor of the next page, linked from the Link header.
func writeInvoicesCSV(w http.ResponseWriter, r *http.Request, name string, invs []billing.Invoice, next string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	if next != "" {
		q := r.URL.Query()
		q.Set("cursor", next)
		w.Header().Set("Link", "<"+r.URL.Path+"?"+q.Encode()+`>; rel="next"`)
	}
	w.WriteHeader(http.StatusOK)
	out := csv.NewWriter(w)
	_ = out.Write(invoiceCSVHeader)
	for _, inv := range invs {
		for _, l := range inv.Lines {
			_ = out.Write([]string{inv.ID, inv.AccountID, inv.Adjusts, string(inv.Status), inv.CreatedAt.UTC().Format(time.RFC3339), inv.Currency,
				l.SummaryID, string(l.Period), l.Start.UTC().Format(time.RFC3339), itoa(l.Calls), itoa(l.Answered), itoa(l.Seconds), itoa(l.CostMinor)})
		}
	}
	out.Flush()
}

type invoiceBody struct {
	SummaryIDs []string `json:"summaryIds"`
}

// CreateInvoice answers POST /v1/accounts/{accountId}/invoices with 201.
func (a *API) CreateInvoice(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body invoiceBody, key string) (any, string, error) {
		inv, err := a.Billing.Generate(r.Context(), who, r.PathValue("accountId"), body.SummaryIDs, key)
		return toInvoiceView(inv), "/v1/accounts/" + inv.AccountID + "/invoices/" + inv.ID, err
	})
}

// invoiceFilter reads a list's status=, from= and to=.
func invoiceFilter(r *http.Request) (billing.Filter, error) {
	f := billing.Filter{Status: billing.Status(r.URL.Query().Get("status"))}
	var err error
	f.From, f.To, err = timeSpan(r)
	return f, err
}

// listInvoices answers a list of invoices, as JSON or, when the caller accepts
// text/csv, as CSV lines.
func listInvoices(w http.ResponseWriter, r *http.Request, name string, list func(who account.Actor, f billing.Filter, cursor string, limit int) ([]billing.Invoice, string, error)) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	cursor, limit, err := page(r)
	var f billing.Filter
	if err == nil {
		f, err = invoiceFilter(r)
	}
	var invs []billing.Invoice
	var next string
	if err == nil {
		invs, next, err = list(who, f, cursor, limit)
	}
	switch {
	case err != nil:
		writeError(w, r, err)
	case wantsCSV(r.Header.Get("Accept")):
		writeInvoicesCSV(w, r, name, invs, next)
	default:
		writeJSON(w, http.StatusOK, listOf(invs, next, toInvoiceView))
	}
}

// ListInvoices answers GET /v1/accounts/{accountId}/invoices?status=&from=&to=, in the
// order they were made.
func (a *API) ListInvoices(w http.ResponseWriter, r *http.Request) {
	accountID := r.PathValue("accountId")
	listInvoices(w, r, "invoices-"+accountID, func(who account.Actor, f billing.Filter, cursor string, limit int) ([]billing.Invoice, string, error) {
		return a.Billing.List(r.Context(), who, accountID, f, cursor, limit)
	})
}

// ScopeInvoices answers GET /v1/invoices?status=&from=&to=: the invoices of the caller's
// account and every account below it in one status (issued by default), the billing
// system's work list.
func (a *API) ScopeInvoices(w http.ResponseWriter, r *http.Request) {
	listInvoices(w, r, "invoices", func(who account.Actor, f billing.Filter, cursor string, limit int) ([]billing.Invoice, string, error) {
		return a.Billing.Scope(r.Context(), who, f, cursor, limit)
	})
}

// GetInvoice answers GET /v1/accounts/{accountId}/invoices/{invoiceId}, as JSON or as
// CSV lines.
func (a *API) GetInvoice(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	inv, err := a.Billing.Get(r.Context(), who, r.PathValue("accountId"), r.PathValue("invoiceId"))
	switch {
	case err != nil:
		writeError(w, r, err)
	case wantsCSV(r.Header.Get("Accept")):
		writeInvoicesCSV(w, r, inv.ID, []billing.Invoice{inv}, "")
	default:
		writeJSON(w, http.StatusOK, toInvoiceView(inv))
	}
}

type acknowledgeBody struct {
	Reference string `json:"reference"`
}

// AcknowledgeInvoice answers POST .../invoices/{invoiceId}/acknowledge with the invoice.
func (a *API) AcknowledgeInvoice(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body acknowledgeBody) (any, error) {
		inv, err := a.Billing.Acknowledge(r.Context(), who, r.PathValue("accountId"), r.PathValue("invoiceId"), body.Reference)
		return toInvoiceView(inv), err
	})
}
