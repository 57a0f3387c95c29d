package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/contact"
)

// pendingView is a code waiting to be confirmed, without the code.
type pendingView struct {
	SentTo       string    `json:"sentTo"`
	ExpiresAt    time.Time `json:"expiresAt"`
	AttemptsLeft int       `json:"attemptsLeft"`
}

// contactView is a contact as the API shows it: never its password; private notes only
// when the service left them in (staff callers).
type contactView struct {
	ID             string                          `json:"id"`
	AccountID      string                          `json:"accountId"`
	Name           string                          `json:"name"`
	Email          string                          `json:"email"`
	Mobile         string                          `json:"mobile,omitempty"`
	PublicNotes    string                          `json:"publicNotes"`
	PrivateNotes   *string                         `json:"privateNotes,omitempty"`
	EmailVerified  bool                            `json:"emailVerified"`
	MobileVerified bool                            `json:"mobileVerified"`
	Pending        map[account.Channel]pendingView `json:"pendingVerification,omitempty"`
	Role           account.Role                    `json:"role"`
	CreatedAt      time.Time                       `json:"createdAt"`
	Version        int                             `json:"version"`
}

func toContactView(c contact.Shown) contactView {
	d := c.Contact
	v := contactView{ID: c.ID, AccountID: c.AccountID, Name: d.Name, Email: c.Email, Mobile: d.Mobile, PublicNotes: d.PublicNotes,
		EmailVerified: d.EmailVerified, MobileVerified: d.MobileVerified, Role: c.Role, CreatedAt: c.CreatedAt, Version: c.Version}
	if c.Staff {
		notes := d.PrivateNotes
		v.PrivateNotes = &notes
	}
	for ch, p := range d.Pending {
		if v.Pending == nil {
			v.Pending = map[account.Channel]pendingView{}
		}
		v.Pending[ch] = pendingView{SentTo: p.SentTo, ExpiresAt: p.ExpiresAt, AttemptsLeft: contact.MaxAttempts - p.Attempts}
	}
	return v
}

func writeContact(w http.ResponseWriter, c contact.Shown, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(c.Version)))
	return toContactView(c), nil
}

type contactBody struct {
	Name         string `json:"name"`
	Email        string `json:"email"`
	Mobile       string `json:"mobile"`
	Password     string `json:"password"`
	PublicNotes  string `json:"publicNotes"`
	PrivateNotes string `json:"privateNotes"`
}

// CreateContact answers POST /v1/accounts/{accountId}/contacts with 201. Without a
// password one is generated and emailed to the contact.
func (a *API) CreateContact(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body contactBody, key string) (any, string, error) {
		c, err := a.Contacts.Create(r.Context(), who, r.PathValue("accountId"), contact.CreateRequest(body), key)
		v, err := writeContact(w, c, err)
		return v, "/v1/accounts/" + c.AccountID + "/contacts/" + c.ID, err
	})
}

// ListContacts answers GET /v1/accounts/{accountId}/contacts.
func (a *API) ListContacts(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		cs, next, err := a.Contacts.List(r.Context(), who, r.PathValue("accountId"), r.URL.Query().Get("q"), cursor, limit)
		return listOf(cs, next, toContactView), err
	})
}

// GetContact answers GET /v1/accounts/{accountId}/contacts/{contactId}.
func (a *API) GetContact(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		c, err := a.Contacts.Get(r.Context(), who, r.PathValue("accountId"), r.PathValue("contactId"))
		return writeContact(w, c, err)
	})
}

type contactPatchBody struct {
	Version      *int    `json:"version"`
	Name         *string `json:"name"`
	Email        *string `json:"email"`
	Mobile       *string `json:"mobile"`
	PublicNotes  *string `json:"publicNotes"`
	PrivateNotes *string `json:"privateNotes"`
}

// UpdateContact answers PATCH /v1/accounts/{accountId}/contacts/{contactId}.
func (a *API) UpdateContact(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body contactPatchBody) (any, error) {
		version, err := versionOf(r, body.Version)
		if err != nil {
			return nil, err
		}
		c, err := a.Contacts.Update(r.Context(), who, r.PathValue("accountId"), r.PathValue("contactId"), contact.Patch{Version: version,
			Name: body.Name, Email: body.Email, Mobile: body.Mobile, PublicNotes: body.PublicNotes, PrivateNotes: body.PrivateNotes})
		return writeContact(w, c, err)
	})
}

// DeleteContact answers DELETE /v1/accounts/{accountId}/contacts/{contactId} with 204.
func (a *API) DeleteContact(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusNoContent, func(who account.Actor, _ noBody) (any, error) {
		return nil, a.Contacts.Delete(r.Context(), who, r.PathValue("accountId"), r.PathValue("contactId"))
	})
}

// contactPasswordBody is "auto generate & email" (generate true) or a manual password.
type contactPasswordBody struct {
	Generate bool   `json:"generate"`
	Password string `json:"password"`
}

// SetContactPassword answers POST /v1/accounts/{accountId}/contacts/{contactId}/password.
func (a *API) SetContactPassword(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body contactPasswordBody) (any, error) {
		if body.Generate == (body.Password != "") {
			return nil, invalidField("password", `send {"generate": true} to generate and email one, or {"password": "..."} to set it`)
		}
		c, err := a.Contacts.SetPassword(r.Context(), who, r.PathValue("accountId"), r.PathValue("contactId"), body.Password)
		return writeContact(w, c, err)
	})
}

func (a *API) sendCode(w http.ResponseWriter, r *http.Request, ch account.Channel) {
	act(w, r, http.StatusAccepted, func(who account.Actor, _ noBody) (any, error) {
		sent, err := a.Contacts.SendCode(r.Context(), who, r.PathValue("accountId"), r.PathValue("contactId"), ch)
		return toCodeSentView(sent), err
	})
}

// VerifyContactEmail answers POST .../contacts/{contactId}/verify-email with 202: a code
// is on its way to the contact's email address.
func (a *API) VerifyContactEmail(w http.ResponseWriter, r *http.Request) {
	a.sendCode(w, r, account.EmailChannel)
}

// VerifyContactMobile answers POST .../contacts/{contactId}/verify-mobile with 202: a
// code is on its way to the contact's mobile number by SMS.
func (a *API) VerifyContactMobile(w http.ResponseWriter, r *http.Request) {
	a.sendCode(w, r, account.MobileChannel)
}

type confirmCodeBody struct {
	Channel account.Channel `json:"channel"`
	Code    string          `json:"code"`
}

// ConfirmContact answers POST .../contacts/{contactId}/confirm with the verified contact.
func (a *API) ConfirmContact(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body confirmCodeBody) (any, error) {
		if body.Channel != account.EmailChannel && body.Channel != account.MobileChannel {
			return nil, invalidField("channel", `must be "email" or "mobile"`)
		}
		c, err := a.Contacts.Confirm(r.Context(), who, r.PathValue("accountId"), r.PathValue("contactId"), body.Channel, body.Code)
		return writeContact(w, c, err)
	})
}
