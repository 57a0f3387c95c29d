package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/calls"
)

// callRecordsBody keeps each record raw: the service decodes them one by one, so a
// malformed record is rejected alone.
type callRecordsBody struct {
	Records []json.RawMessage `json:"records"`
}

// maxBytes lets a batch of records be larger than other bodies.
func (*callRecordsBody) maxBytes() int64 { return MaxBatchBodyBytes }

// IngestCallRecords answers POST /v1/call-records: 200 with the report when the batch was
// stored, 202 when it went to the queue; invalid records are reported one by one.
func (a *API) IngestCallRecords(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body callRecordsBody) (any, error) {
		rep, err := a.Calls.Ingest(r.Context(), who, body.Records)
		return ingestView{toReportView(rep)}, err
	})
}

// ingestView is an ingest report: 202 when part of the batch went to the queue.
type ingestView struct{ reportView }

func (v ingestView) answer(_ http.Header, status int) int {
	if v.Queued > 0 {
		return http.StatusAccepted
	}
	return status
}

// CallSummaries answers GET /v1/accounts/{accountId}/summaries?period=&from=&to=, as
// JSON or, when the caller accepts text/csv, as CSV with a header line.
func (a *API) CallSummaries(w http.ResponseWriter, r *http.Request) {
	who, ok := caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	sum, err := a.Calls.Summaries(r.Context(), who, r.PathValue("accountId"), calls.Period(q.Get("period")), q.Get("from"), q.Get("to"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !wantsCSV(r.Header.Get("Accept")) {
		writeJSON(w, http.StatusOK, toSummaryView(sum))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="summaries-`+string(sum.Period)+"-"+sum.From+"-"+sum.To+`.csv"`)
	w.WriteHeader(http.StatusOK)
	out := csv.NewWriter(w)
	_ = out.Write([]string{"id", "period", "start", "calls", "answered", "seconds", "minutes", "averageSeconds", "costMinor", "currency", "invoiceId"})
	for _, row := range sum.Rows {
		_ = out.Write([]string{row.ID, string(row.Period), row.Start.Format(time.RFC3339), itoa(row.Calls), itoa(row.Answered), itoa(row.Seconds),
			ftoa(row.Minutes()), ftoa(row.AverageSeconds()), itoa(row.CostMinor), sum.Currency, row.InvoiceID})
	}
	out.Flush()
}

func itoa(v int64) string   { return strconv.FormatInt(v, 10) }
func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// wantsCSV reports whether an Accept header asks for text/csv before JSON.
func wantsCSV(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true
		case "application/json", "*/*", "application/*":
			return false
		}
	}
	return false
}
