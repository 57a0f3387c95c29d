package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/user"
	"github.com/provisio/provisio/shared/webhook"
)

// API holds the services the handlers call.
type API struct {
	Catalog       *catalog.Catalog
	Registrations *registration.Service
	Accounts      *account.Service
	Auth          *auth.Service
	SIP           *sip.Service
	Registrar     *sip.Registrar
	Numbers       *numbering.Service
	Users         *user.Service
	Porting       *porting.Service
	Contacts      *contact.Service
	Calls         *calls.Service
	Billing       *billing.Service
	APIKeys       *apikey.Service
	Webhooks      *webhook.Service
	Log           *slog.Logger
	// Tokens verifies the bearer token of a protected route (Authenticated).
	Tokens Authenticator
	// Permissions is where Permitted reads the caller's account.
	Permissions account.Reader
	// Probes are the dependencies the readiness check touches, by name.
	Probes map[string]Probe
}

// Health answers GET /v1/health. It checks nothing downstream: a deep check per probe
// would cost AWS calls and fail the API for a dependency only some routes need.
func (a *API) Health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ListTemplates answers GET /v1/templates.
func (a *API) ListTemplates(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"items": a.Catalog.All()})
}

// registrationBody is the request of POST /v1/registrations (docs/openapi.yaml).
type registrationBody struct {
	TemplateID string `json:"templateId"`
	Schedule   string `json:"schedule"`
	Tenant     struct {
		Name          string `json:"name"`
		ShortName     string `json:"shortName"`
		UPNSuffix     string `json:"upnSuffix"`
		AdminUserName string `json:"adminUserName"`
		Password      string `json:"password"`
		ANI           string `json:"ani"`
	} `json:"tenant"`
	Contact struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"contact"`
}

func (b registrationBody) toRequest() registration.Request {
	t := b.Tenant
	return registration.Request{
		TemplateID: b.TemplateID, Schedule: registration.Schedule(b.Schedule),
		Tenant: registration.TenantRequest{Name: t.Name, ShortName: t.ShortName, UPNSuffix: t.UPNSuffix,
			AdminUserName: t.AdminUserName, Password: t.Password, ANI: t.ANI},
		Contact: registration.Contact(b.Contact),
	}
}

// registrationView is a registration as the public sees it: its progress, never the
// contact's details or anything about the password.
type registrationView struct {
	ID         string                  `json:"id"`
	TemplateID string                  `json:"templateId"`
	Schedule   string                  `json:"schedule"`
	Status     string                  `json:"status"`
	History    []registrationEventView `json:"history"`
	Tenant     struct {
		Name          string `json:"name"`
		ShortName     string `json:"shortName"`
		UPNSuffix     string `json:"upnSuffix"`
		AdminUserName string `json:"adminUserName"`
	} `json:"tenant"`
	AccountID string    `json:"accountId,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

func toRegistrationView(r registration.Registration) registrationView {
	v := registrationView{ID: r.ID, TemplateID: r.TemplateID, Schedule: string(r.Schedule), Status: string(r.Status),
		History: views(r.History, toRegistrationEventView), AccountID: r.AccountID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	v.Tenant.Name, v.Tenant.ShortName = r.Tenant.Name, r.Tenant.ShortName
	v.Tenant.UPNSuffix, v.Tenant.AdminUserName = r.Tenant.UPNSuffix, r.Tenant.AdminUserName
	return v
}

// IdempotencyKeyHeader names the header that makes a create safe to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get(IdempotencyKeyHeader)
	return k, idempotency.CheckKey(k)
}

// SubmitRegistration answers POST /v1/registrations with 202 and the registration.
func (a *API) SubmitRegistration(w http.ResponseWriter, r *http.Request) {
	serve(w, r, http.StatusAccepted, func(body registrationBody) (any, error) {
		key, err := idempotencyKey(r)
		if err != nil {
			return nil, err
		}
		reg, err := a.Registrations.Submit(r.Context(), body.toRequest(), key)
		if err == nil {
			w.Header().Set("Location", "/v1/registrations/"+reg.ID)
		}
		return toRegistrationView(reg), err
	})
}

// GetRegistration answers GET /v1/registrations/{id}.
func (a *API) GetRegistration(w http.ResponseWriter, r *http.Request) {
	serve(w, r, http.StatusOK, func(noBody) (any, error) {
		id := r.PathValue("id")
		if id == "" || len(id) > 64 {
			return nil, fault.New(fault.NotFound, "no such registration")
		}
		reg, err := a.Registrations.Get(r.Context(), id)
		return toRegistrationView(reg), err
	})
}

// registrationRowView is a row of the staff's listing of registrations.
type registrationRowView struct {
	ID           string              `json:"id"`
	TemplateID   string              `json:"templateId"`
	Status       registration.Status `json:"status"`
	TenantName   string              `json:"tenantName"`
	ShortName    string              `json:"shortName"`
	ContactName  string              `json:"contactName"`
	ContactEmail string              `json:"contactEmail"`
	CreatedAt    time.Time           `json:"createdAt"`
	UpdatedAt    time.Time           `json:"updatedAt"`
}

func toRegistrationRowView(s registration.Summary) registrationRowView {
	return registrationRowView{ID: s.ID, TemplateID: s.TemplateID, Status: s.Status, TenantName: s.TenantName, ShortName: s.ShortName,
		ContactName: s.ContactName, ContactEmail: s.ContactEmail, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

// registrationDetailView is a registration as its staff see it: the public view with the
// tenant's ANI, the contact, the account the tenant is created under and the realm it got.
type registrationDetailView struct {
	registrationView
	// Tenant, at the top level, takes the place of the public view's.
	Tenant  tenantDetailView `json:"tenant"`
	OwnerID string           `json:"ownerId"`
	Contact registrantView   `json:"contact"`
	Realm   string           `json:"realm,omitempty"`
	Version int              `json:"version"`
}

type tenantDetailView struct {
	Name          string `json:"name"`
	ShortName     string `json:"shortName"`
	UPNSuffix     string `json:"upnSuffix"`
	AdminUserName string `json:"adminUserName"`
	ANI           string `json:"ani"`
}

type registrantView struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

func toRegistrationDetailView(r registration.Registration) registrationDetailView {
	t := r.Tenant
	return registrationDetailView{registrationView: toRegistrationView(r), OwnerID: r.OwnerID,
		Tenant:  tenantDetailView{Name: t.Name, ShortName: t.ShortName, UPNSuffix: t.UPNSuffix, AdminUserName: t.AdminUserName, ANI: t.ANI},
		Contact: registrantView{Name: r.Contact.Name, Email: r.Contact.Email, Phone: r.Contact.Phone}, Realm: r.Realm, Version: r.Version}
}

// ListRegistrations answers GET /v1/accounts/{accountId}/registrations?status=&templateId=&from=&to=&q=:
// the registrations of the account's templates, newest first (Tenant Creation Management).
func (a *API) ListRegistrations(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		q := r.URL.Query()
		f := registration.Filter{Status: registration.Status(q.Get("status")), TemplateID: q.Get("templateId"), Query: q.Get("q")}
		if f.From, f.To, err = timeSpan(r); err != nil {
			return nil, err
		}
		rows, next, err := a.Registrations.List(r.Context(), who, r.PathValue("accountId"), f, cursor, limit)
		return listOf(rows, next, toRegistrationRowView), err
	})
}

// GetAccountRegistration answers GET /v1/accounts/{accountId}/registrations/{registrationId}:
// one registration with its contact and history, for the account's staff.
func (a *API) GetAccountRegistration(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		reg, err := a.Registrations.Detail(r.Context(), who, r.PathValue("accountId"), r.PathValue("registrationId"))
		return toRegistrationDetailView(reg), err
	})
}

type cancelRegistrationBody struct {
	Reason string `json:"reason"`
}

// CancelRegistration answers POST /v1/accounts/{accountId}/registrations/{registrationId}/cancel
// with the canceled registration.
func (a *API) CancelRegistration(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body cancelRegistrationBody) (any, error) {
		reg, err := a.Registrations.Cancel(r.Context(), who, r.PathValue("accountId"), r.PathValue("registrationId"), body.Reason)
		return toRegistrationDetailView(reg), err
	})
}

// ProvisionRegistrationNow answers POST .../registrations/{registrationId}/provision-now
// with 202 and the queued registration.
func (a *API) ProvisionRegistrationNow(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusAccepted, func(who account.Actor, _ noBody) (any, error) {
		reg, err := a.Registrations.ProvisionNow(r.Context(), who, r.PathValue("accountId"), r.PathValue("registrationId"))
		return toRegistrationDetailView(reg), err
	})
}

// RetryRegistration answers POST .../registrations/{registrationId}/retry with 202 and the
// queued registration.
func (a *API) RetryRegistration(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusAccepted, func(who account.Actor, _ noBody) (any, error) {
		reg, err := a.Registrations.Retry(r.Context(), who, r.PathValue("accountId"), r.PathValue("registrationId"))
		return toRegistrationDetailView(reg), err
	})
}
