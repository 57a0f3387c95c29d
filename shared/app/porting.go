package app

import (
	"time"

	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/queue"
)

func portingFunctions() map[string]Wiring {
	return map[string]Wiring{
		"GetPortingFunction":              GetPortingFunction,
		"ListPortingsFunction":            ListPortingsFunction,
		"ListPortingDeskFunction":         ListPortingDeskFunction,
		"MovePortingFunction":             MovePortingFunction,
		"UploadPortingDocumentFunction":   UploadPortingDocumentFunction,
		"DownloadPortingDocumentFunction": DownloadPortingDocumentFunction,
		"PortingFunction":                 PortingFunction,
		"PortingDLQFunction":              PortingDLQFunction,
	}
}

// portingAPI is the API of the porting routes on the table.
func (d *Deps) portingAPI() *httpapi.API {
	return &httpapi.API{Porting: &porting.Service{Store: d.store().forPorting(), Accounts: d.store().forPortingAccounts(), Log: d.Log, Now: time.Now, NewID: ident.New}}
}

// desk is the operators' side of porting; it mails the desk.
func (d *Deps) desk() *porting.Desk {
	if d.Desk == nil {
		d.Desk = &porting.Desk{Log: d.Log, Now: time.Now}
	}
	return d.Desk
}

// GetPortingFunction answers GET /v1/porting-requests/{id}.
func GetPortingFunction(d *Deps) any { api := d.portingAPI(); return d.route(api, api.GetPorting) }

// ListPortingsFunction answers GET /v1/accounts/{accountId}/porting-requests.
func ListPortingsFunction(d *Deps) any { api := d.portingAPI(); return d.route(api, api.ListPortings) }

// ListPortingDeskFunction answers GET /v1/porting-requests: the operators' desk.
func ListPortingDeskFunction(d *Deps) any {
	api := d.portingAPI()
	return d.route(api, api.ListPortingDesk)
}

// MovePortingFunction answers PATCH /v1/porting-requests/{id}; it mails the account's
// administrators each step, and the desk what the account writes.
func MovePortingFunction(d *Deps) any {
	api := d.portingAPI()
	api.Porting.Mailer = d.mailer()
	api.Porting.DeskEmail = d.Env("PORTING_DESK_EMAIL")
	api.Porting.Events = d.events()
	return d.route(api, api.MovePorting)
}

// UploadPortingDocumentFunction answers POST /v1/porting-requests/{id}/documents with a
// presigned upload.
func UploadPortingDocumentFunction(d *Deps) any {
	api := d.portingAPI()
	api.Porting.Files = d.bucket("PORTING_BUCKET")
	return d.route(api, api.UploadPortingDocument)
}

// DownloadPortingDocumentFunction answers GET /v1/porting-requests/{id}/documents/{documentId}
// with a presigned download.
func DownloadPortingDocumentFunction(d *Deps) any {
	api := d.portingAPI()
	api.Porting.Files = d.bucket("PORTING_BUCKET")
	return d.route(api, api.DownloadPortingDocument)
}

// PortingFunction prepares queued porting requests and mails the desk.
func PortingFunction(d *Deps) any {
	desk := d.desk()
	desk.Store = d.store().forPorting()
	desk.Mailer = d.mailer()
	desk.DeskEmail = d.Env("PORTING_DESK_EMAIL")
	return queue.Consumer(d.Log, queue.PortingJobs(desk.Prepare))
}

// PortingDLQFunction tells the desk about porting jobs the queue gave up on.
func PortingDLQFunction(d *Deps) any {
	desk := d.desk()
	desk.Mailer = d.mailer()
	desk.DeskEmail = d.Env("PORTING_DESK_EMAIL")
	return queue.Consumer(d.Log, queue.PortingJobs(desk.GiveUp))
}
