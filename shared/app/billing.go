package app

import (
	"time"

	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/queue"
)

func billingFunctions() map[string]Wiring {
	return map[string]Wiring{
		"IngestCallRecordsFunction":  IngestCallRecordsFunction,
		"CallSummariesFunction":      CallSummariesFunction,
		"CallRecordsFunction":        CallRecordsFunction,
		"CreateInvoiceFunction":      CreateInvoiceFunction,
		"ListInvoicesFunction":       ListInvoicesFunction,
		"GetInvoiceFunction":         GetInvoiceFunction,
		"ScopeInvoicesFunction":      ScopeInvoicesFunction,
		"AcknowledgeInvoiceFunction": AcknowledgeInvoiceFunction,
	}
}

// callService is the call-record service on the table; ingest adds the chunk queue.
func (d *Deps) callService() *calls.Service {
	if d.Calls == nil {
		d.Calls = &calls.Service{Store: d.store().forCalls(), Log: d.Log, Now: time.Now}
	}
	return d.Calls
}

// IngestCallRecordsFunction answers POST /v1/call-records: small batches are stored at
// once, large ones queued in chunks.
func IngestCallRecordsFunction(d *Deps) any {
	svc := d.callService()
	svc.Queue = d.queue("CALL_RECORDS_QUEUE_URL")
	svc.Alerts = d.lowBalanceAlerts()
	api := &httpapi.API{Calls: svc}
	return d.machineRoute(api, api.IngestCallRecords)
}

// CallSummariesFunction answers GET /v1/accounts/{accountId}/call-summaries.
func CallSummariesFunction(d *Deps) any {
	api := &httpapi.API{Calls: d.callService()}
	return d.route(api, api.CallSummaries)
}

// CallRecordsFunction stores the queued chunks of large call-record batches.
func CallRecordsFunction(d *Deps) any {
	svc := d.callService()
	svc.Alerts = d.lowBalanceAlerts()
	return queue.Consumer(d.Log, queue.CallRecordsJobs(svc.StoreChunk))
}

// lowBalanceAlerts tells an account's administrators of a low balance: the functions
// that store call records raise the alerts.
func (d *Deps) lowBalanceAlerts() calls.Alerter {
	return &calls.LowBalanceAlert{Members: d.store().users, Mailer: d.mailer(), Events: d.events(), Log: d.Log}
}

// billingService is the invoice service on the table.
func (d *Deps) billingService() *billing.Service {
	return &billing.Service{Store: d.store().forBilling(), Now: time.Now}
}

// invoicesAPI is the API of the invoice routes, which only read and write the table.
func (d *Deps) invoicesAPI() *httpapi.API { return &httpapi.API{Billing: d.billingService()} }

// CreateInvoiceFunction answers POST /v1/accounts/{accountId}/invoices.
func CreateInvoiceFunction(d *Deps) any {
	api := d.invoicesAPI()
	api.Billing.Events = d.events()
	return d.route(api, api.CreateInvoice)
}

// ListInvoicesFunction answers GET /v1/accounts/{accountId}/invoices.
func ListInvoicesFunction(d *Deps) any { api := d.invoicesAPI(); return d.route(api, api.ListInvoices) }

// GetInvoiceFunction answers GET .../invoices/{invoiceId}; the billing system's key reads
// it too.
func GetInvoiceFunction(d *Deps) any {
	api := d.invoicesAPI()
	return d.machineRoute(api, api.GetInvoice)
}

// ScopeInvoicesFunction answers GET /v1/invoices, the billing system's work list.
func ScopeInvoicesFunction(d *Deps) any {
	api := d.invoicesAPI()
	return d.machineRoute(api, api.ScopeInvoices)
}

// AcknowledgeInvoiceFunction answers POST .../invoices/{invoiceId}/acknowledge.
func AcknowledgeInvoiceFunction(d *Deps) any {
	api := d.invoicesAPI()
	return d.machineRoute(api, api.AcknowledgeInvoice)
}
