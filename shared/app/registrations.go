package app

import (
	"time"

	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/registration"
)

func registrationFunctions() map[string]Wiring {
	return map[string]Wiring{
		"SubmitRegistrationFunction":       SubmitRegistrationFunction,
		"GetRegistrationFunction":          GetRegistrationFunction,
		"ListRegistrationsFunction":        ListRegistrationsFunction,
		"GetAccountRegistrationFunction":   GetAccountRegistrationFunction,
		"CancelRegistrationFunction":       CancelRegistrationFunction,
		"ProvisionRegistrationNowFunction": ProvisionRegistrationNowFunction,
		"RetryRegistrationFunction":        RetryRegistrationFunction,
		"ProvisionerFunction":              ProvisionerFunction,
		"ProvisioningDLQFunction":          ProvisioningDLQFunction,
	}
}

// registrationService is the registration service on the table; each function adds what
// its own steps use.
func (d *Deps) registrationService() *registration.Service {
	if d.Registrations == nil {
		d.Registrations = &registration.Service{Store: d.store().forRegistrations(), Log: d.Log, Now: time.Now, NewID: func() string { return ident.New("reg-") }}
	}
	return d.Registrations
}

// SubmitRegistrationFunction answers POST /v1/registrations and queues the provisioning.
func SubmitRegistrationFunction(d *Deps) any {
	regs := d.registrationService()
	regs.Catalog = d.Catalogue()
	regs.Jobs = d.queue("PROVISIONING_QUEUE_URL")
	regs.RealmSuffix = d.Env("REALM_SUFFIX")
	api := &httpapi.API{Registrations: regs}
	return d.Public(api, api.SubmitRegistration)
}

// GetRegistrationFunction answers the public status page's GET /v1/registrations/{id}.
func GetRegistrationFunction(d *Deps) any {
	api := &httpapi.API{Registrations: d.registrationService()}
	return d.Public(api, api.GetRegistration)
}

// staffAPI is the API of the staff's registration routes (Tenant Creation Management).
func (d *Deps) staffAPI() *httpapi.API { return &httpapi.API{Registrations: d.registrationService()} }

// ListRegistrationsFunction answers GET /v1/accounts/{accountId}/registrations.
func ListRegistrationsFunction(d *Deps) any {
	api := d.staffAPI()
	return d.route(api, api.ListRegistrations)
}

// GetAccountRegistrationFunction answers GET /v1/accounts/{accountId}/registrations/{registrationId}.
func GetAccountRegistrationFunction(d *Deps) any {
	api := d.staffAPI()
	return d.route(api, api.GetAccountRegistration)
}

// CancelRegistrationFunction answers POST .../registrations/{registrationId}/cancel.
func CancelRegistrationFunction(d *Deps) any {
	api := d.staffAPI()
	return d.route(api, api.CancelRegistration)
}

// ProvisionRegistrationNowFunction answers POST .../registrations/{registrationId}/provision-now
// and queues the provisioning.
func ProvisionRegistrationNowFunction(d *Deps) any {
	api := d.staffAPI()
	api.Registrations.Jobs = d.queue("PROVISIONING_QUEUE_URL")
	return d.route(api, api.ProvisionRegistrationNow)
}

// RetryRegistrationFunction answers POST .../registrations/{registrationId}/retry and
// queues the provisioning again.
func RetryRegistrationFunction(d *Deps) any {
	api := d.staffAPI()
	api.Registrations.Catalog = d.Catalogue()
	api.Registrations.Jobs = d.queue("PROVISIONING_QUEUE_URL")
	return d.route(api, api.RetryRegistration)
}

// provisioning is the registration service of the provisioning queue's consumers, which
// create the tenant and mail its admin.
func (d *Deps) provisioning() *registration.Service {
	regs := d.registrationService()
	regs.Catalog = d.Catalogue()
	regs.Mailer = d.mailer()
	regs.PortalURL = d.Env("PORTAL_URL")
	regs.Events = d.events()
	return regs
}

// ProvisionerFunction creates the tenants of queued registrations.
func ProvisionerFunction(d *Deps) any {
	regs := d.provisioning()
	regs.RealmSuffix = d.Env("REALM_SUFFIX")
	regs.Currency = d.Env("CURRENCY")
	return queue.Consumer(d.Log, queue.Jobs(regs.Provision))
}

// ProvisioningDLQFunction fails the registrations whose jobs the queue gave up on.
func ProvisioningDLQFunction(d *Deps) any {
	return queue.Consumer(d.Log, queue.Jobs(d.provisioning().GiveUp))
}
