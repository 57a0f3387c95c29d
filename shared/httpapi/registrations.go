package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
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
)

// API holds the services the handlers call.
type API struct {
	Catalog       *catalog.Catalog
	Registrations *registration.Service
	Accounts      *account.Service
	Auth          *auth.Service
	SIP           *sip.Service
	Numbers       *numbering.Service
	Users         *user.Service
	Porting       *porting.Service
	Contacts      *contact.Service
	Calls         *calls.Service
	Billing       *billing.Service
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
