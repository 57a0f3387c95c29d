package httpapi

import (
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/personid"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/user"
)

type addressBody struct {
	Name       string `json:"name"`
	Street     string `json:"street"`
	PostalCode string `json:"postalCode"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

// userBody is the request of POST /v1/accounts/{accountId}/users (docs/openapi.yaml).
type userBody struct {
	Type           string      `json:"type"`
	FirstName      string      `json:"firstName"`
	LastName       string      `json:"lastName"`
	InvoiceAddress addressBody `json:"invoiceAddress"`
	Username       string      `json:"username"`
	Email          string      `json:"email"`
	Password       string      `json:"password"`
	PrimaryNumber  string      `json:"primaryNumber"`
	Aliases        []string    `json:"aliases"`
	ActivationDate string      `json:"activationDate"`
	Subscription   *struct {
		Kind               string      `json:"kind"`
		ActivationDate     string      `json:"activationDate"`
		SIMDeliveryAddress addressBody `json:"simDeliveryAddress"`
		Number             string      `json:"number"`
		Porting            *struct {
			Number          string            `json:"number"`
			OwnerType       string            `json:"ownerType"`
			OwnerID         string            `json:"ownerId"`
			ProposedAt      string            `json:"proposedAt"`
			TemporaryNumber string            `json:"temporaryNumber"`
			LosingCarrier   losingCarrierBody `json:"losingCarrier"`
		} `json:"porting"`
	} `json:"subscription"`
}

func (b userBody) toRequest() user.Request {
	req := user.Request{Type: user.Type(b.Type), FirstName: b.FirstName, LastName: b.LastName, InvoiceAddress: account.Address(b.InvoiceAddress),
		Username: b.Username, Email: b.Email, Password: b.Password, PrimaryNumber: b.PrimaryNumber, Aliases: b.Aliases, ActivationDate: b.ActivationDate}
	if s := b.Subscription; s != nil {
		req.Subscription = &user.SubscriptionRequest{Kind: user.SubscriptionKind(s.Kind), ActivationDate: s.ActivationDate,
			SIMDeliveryAddress: account.Address(s.SIMDeliveryAddress), Number: s.Number}
		if p := s.Porting; p != nil {
			req.Subscription.Porting = &user.PortingRequest{Number: p.Number, OwnerType: personid.Owner(p.OwnerType), OwnerID: p.OwnerID,
				ProposedAt: p.ProposedAt, TemporaryNumber: p.TemporaryNumber, LosingCarrier: porting.LosingCarrier(p.LosingCarrier)}
		}
	}
	return req
}

// userView is a user as the API shows it: never anything about its password.
type userView struct {
	ID             string       `json:"id,omitempty"`
	AccountID      string       `json:"accountId"`
	Type           string       `json:"type"`
	Username       string       `json:"username"`
	FirstName      string       `json:"firstName"`
	LastName       string       `json:"lastName"`
	Email          string       `json:"email"`
	Role           account.Role `json:"role"`
	InvoiceAddress *addressView `json:"invoiceAddress,omitempty"`
	PrimaryNumber  string       `json:"primaryNumber,omitempty"`
	Aliases        []string     `json:"aliases,omitempty"`
	ActivationDate string       `json:"activationDate,omitempty"`
	Active         bool         `json:"active"`
	Disabled       bool         `json:"disabled"`
	CreatedAt      time.Time    `json:"createdAt"`
	Version        int          `json:"version"`
}

func toUserView(m account.Member) userView {
	t := "user"
	if m.Role == account.BasicUser {
		t = "basic"
	}
	return userView{ID: m.ID, AccountID: m.AccountID, Type: t, Username: m.Username, FirstName: m.FirstName, LastName: m.LastName,
		Email: m.Email, Role: m.Role, InvoiceAddress: toAddressViewOf(m.InvoiceAddress), PrimaryNumber: m.PrimaryNumber, Aliases: m.Aliases,
		ActivationDate: m.ActivationDate, Active: !m.Inactive, Disabled: m.Disabled, CreatedAt: m.CreatedAt, Version: m.Version}
}

// portingView is a porting request as its account sees it: the owner's ID number masked
// and operators' private comments left out (portingDetail shows operators both).
type portingView struct {
	ID              string            `json:"id,omitempty"`
	Number          string            `json:"number"`
	OwnerType       string            `json:"ownerType"`
	OwnerID         string            `json:"ownerId"`
	ProposedAt      time.Time         `json:"proposedAt"`
	TemporaryNumber string            `json:"temporaryNumber,omitempty"`
	LosingCarrier   losingCarrierView `json:"losingCarrier"`
	Status          porting.Status    `json:"status"`
	Timeline        []portingStepView `json:"timeline"`
}

// losingCarrierView is the losing carrier's details; the PIN is masked (operators read it
// whole) and Missing names what scheduling still needs.
type losingCarrierView struct {
	Name          string   `json:"name,omitempty"`
	AccountNumber string   `json:"accountNumber,omitempty"`
	PIN           string   `json:"pin,omitempty"`
	BillingNumber string   `json:"billingNumber,omitempty"`
	SigneeName    string   `json:"signeeName,omitempty"`
	SignedOn      string   `json:"signedOn,omitempty"`
	Missing       []string `json:"missing,omitempty"`
}

func toLosingCarrierView(c porting.LosingCarrier) losingCarrierView {
	v := losingCarrierView{Name: c.Name, AccountNumber: c.AccountNumber, BillingNumber: c.BillingNumber, SigneeName: c.SigneeName,
		SignedOn: c.SignedOn, Missing: c.Missing()}
	if c.PIN != "" {
		v.PIN = "****"
	}
	return v
}

func toPortingView(p *porting.Request) *portingView {
	if p == nil {
		return nil
	}
	masked := "****"
	if rule, ok := personid.Rules[p.Country]; ok {
		masked = rule.Mask(p.OwnerID)
	}
	return &portingView{ID: p.ID, Number: p.Number, OwnerType: string(p.OwnerType), OwnerID: masked, ProposedAt: p.ProposedAt,
		TemporaryNumber: p.TemporaryNumber, LosingCarrier: toLosingCarrierView(p.LosingCarrier), Status: p.Status,
		Timeline: views(p.TimelineFor(false), toPortingStepView)}
}

// wizardView is what the wizard made, or its overview in a dry run.
type wizardView struct {
	userView
	Subscription *subscriptionView `json:"subscription,omitempty"`
	Porting      *portingView      `json:"porting,omitempty"`
	Numbers      []string          `json:"numbers,omitempty"`
	Emails       []string          `json:"emails,omitempty"`
	DryRun       bool              `json:"dryRun,omitempty"`
}

// answer makes a dry run's overview a 200: nothing was created.
func (v wizardView) answer(_ http.Header, status int) int {
	if v.DryRun {
		return http.StatusOK
	}
	return status
}

func toWizardView(c user.Created) wizardView {
	return wizardView{userView: toUserView(c.User), Subscription: toSubscriptionView(c.Subscription), Porting: toPortingView(c.Porting),
		Numbers: c.Numbers, Emails: c.Emails}
}

// CreateUser answers POST /v1/accounts/{accountId}/users with 201, or with ?dryRun=true
// 200 and the wizard's overview, writing nothing.
func (a *API) CreateUser(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body userBody, key string) (any, string, error) {
		dry := r.URL.Query().Get("dryRun") == "true"
		c, err := a.Users.Create(r.Context(), who, r.PathValue("accountId"), body.toRequest(), dry, key)
		v := toWizardView(c)
		v.DryRun = dry
		if dry {
			return v, "", err
		}
		return v, "/v1/accounts/" + c.User.AccountID + "/users/" + c.User.ID, err
	})
}

// ListUsers answers GET /v1/accounts/{accountId}/users?q=&type=&active=, a page at a time.
func (a *API) ListUsers(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		q := r.URL.Query()
		f := user.Filter{Query: q.Get("q"), Type: user.Type(q.Get("type")), Role: account.Role(q.Get("role"))}
		if f.Active, err = optionalBool(r, "active"); err != nil {
			return nil, err
		}
		members, next, err := a.Users.List(r.Context(), who, r.PathValue("accountId"), f, cursor, limit)
		return listOf(members, next, toUserView), err
	})
}

// GetUser answers GET /v1/accounts/{accountId}/users/{userId}: the user with its
// subscription, its porting request (the owner's ID number and the PIN masked) and the
// numbers they hold.
func (a *API) GetUser(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		c, err := a.Users.Get(r.Context(), who, r.PathValue("accountId"), r.PathValue("userId"))
		return toWizardView(c), err
	})
}

type userPatchBody struct {
	Version        *int         `json:"version"`
	FirstName      *string      `json:"firstName"`
	LastName       *string      `json:"lastName"`
	InvoiceAddress *addressBody `json:"invoiceAddress"`
	Type           *string      `json:"type"`
	Email          *string      `json:"email"`
	PrimaryNumber  *string      `json:"primaryNumber"`
	Aliases        *[]string    `json:"aliases"`
	ActivationDate *string      `json:"activationDate"`
}

// UpdateUser answers PATCH /v1/accounts/{accountId}/users/{userId}.
func (a *API) UpdateUser(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body userPatchBody) (any, error) {
		version, err := versionOf(r, body.Version)
		if err != nil {
			return nil, err
		}
		p := user.Patch{Version: version, FirstName: body.FirstName, LastName: body.LastName, Email: body.Email,
			PrimaryNumber: body.PrimaryNumber, Aliases: body.Aliases, ActivationDate: body.ActivationDate}
		if body.Type != nil {
			t := user.Type(*body.Type)
			p.Type = &t
		}
		if body.InvoiceAddress != nil {
			addr := account.Address(*body.InvoiceAddress)
			p.InvoiceAddress = &addr
		}
		m, err := a.Users.Update(r.Context(), who, r.PathValue("accountId"), r.PathValue("userId"), p)
		return toUserView(m), err
	})
}

// DeleteUser answers DELETE /v1/accounts/{accountId}/users/{userId} with 204.
func (a *API) DeleteUser(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusNoContent, func(who account.Actor, _ noBody) (any, error) {
		return nil, a.Users.Delete(r.Context(), who, r.PathValue("accountId"), r.PathValue("userId"))
	})
}

// SendUserPasswordReset answers POST /v1/accounts/{accountId}/users/{userId}/password-reset
// with 202: the user gets a single-use link by email.
func (a *API) SendUserPasswordReset(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusAccepted, func(who account.Actor, _ noBody) (any, error) {
		err := a.Users.SendReset(r.Context(), who, r.PathValue("accountId"), r.PathValue("userId"))
		return map[string]string{"status": "a reset link is on its way to the user's email"}, err
	})
}

// DisableUser answers POST /v1/accounts/{accountId}/users/{userId}/disable.
func (a *API) DisableUser(w http.ResponseWriter, r *http.Request) { a.setDisabled(w, r, true) }

// EnableUser answers POST /v1/accounts/{accountId}/users/{userId}/enable.
func (a *API) EnableUser(w http.ResponseWriter, r *http.Request) { a.setDisabled(w, r, false) }

type roleBody struct {
	Role string `json:"role"`
}

// SetUserRole answers PUT /v1/accounts/{accountId}/users/{userId}/role with the user in
// its new role: an administrator of the account, a user, or a porting operator.
func (a *API) SetUserRole(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body roleBody) (any, error) {
		m, err := a.Users.SetRole(r.Context(), who, r.PathValue("accountId"), r.PathValue("userId"), account.Role(body.Role))
		return toUserView(m), err
	})
}

func (a *API) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		m, err := a.Users.SetDisabled(r.Context(), who, r.PathValue("accountId"), r.PathValue("userId"), disabled)
		return toUserView(m), err
	})
}
