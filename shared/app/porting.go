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
		"GetPortingFunction":            GetPortingFunction,
		"ListPortingsFunction":          ListPortingsFunction,
		"MovePortingFunction":           MovePortingFunction,
		"UploadPortingDocumentFunction": UploadPortingDocumentFunction,
		"PortingFunction":               PortingFunction,
		"PortingDLQFunction":            PortingDLQFunction,
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

// GetPortingFunction answers GET .../portings/{portingId}.
func GetPortingFunction(d *Deps) any { api := d.portingAPI(); return d.route(api, api.GetPorting) }

// ListPortingsFunction answers GET /v1/accounts/{accountId}/portings.
func ListPortingsFunction(d *Deps) any { api := d.portingAPI(); return d.route(api, api.ListPortings) }

// MovePortingFunction answers POST .../portings/{portingId}/transitions and mails the
// user what changed.
func MovePortingFunction(d *Deps) any {
	api := d.portingAPI()
	api.Porting.Mailer = d.mailer()
	return d.route(api, api.MovePorting)
}

// UploadPortingDocumentFunction answers POST .../portings/{portingId}/documents with a
// presigned upload.
func UploadPortingDocumentFunction(d *Deps) any {
	api := d.portingAPI()
	api.Porting.Uploads = d.bucket("PORTING_BUCKET")
	return d.route(api, api.UploadPortingDocument)
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
