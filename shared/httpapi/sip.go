package httpapi

import (
	"embed"
	"net/http"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/sip"
)

// pageFiles are the few HTML pages a phone opens from an SMS link. Each {{.Name}} in them
// is filled with a value, HTML-escaped (writePage). html/template is not used: it looks
// methods up by name, which makes the linker keep every exported method of every type a
// binary converts to an interface, the DynamoDB client's whole API among them (4 MB).
//
//go:embed pages/*.html
var pageFiles embed.FS

// sipView is a client account as the API shows it: never its SIP secret or link tokens.
type sipView struct {
	ID                   string       `json:"id"`
	AccountID            string       `json:"accountId"`
	DisplayName          string       `json:"displayName"`
	Email                string       `json:"email"`
	PrimaryNumber        string       `json:"primaryNumber"`
	SecondaryNumber      string       `json:"secondaryNumber,omitempty"`
	Username             string       `json:"username"`
	Enabled              bool         `json:"enabled"`
	DisabledAnnouncement string       `json:"disabledAnnouncement"`
	LastStatus           sip.Status   `json:"lastStatus"`
	LastStatusDate       time.Time    `json:"lastStatusDate"`
	AllowedActions       []sip.Action `json:"allowedActions"`
	KeyVersion           int          `json:"keyVersion"`
	LastSMS              *sentSMSView `json:"lastSms,omitempty"`
	CreatedAt            time.Time    `json:"createdAt"`
	UpdatedAt            time.Time    `json:"updatedAt"`
	Version              int          `json:"version"`
}

func toSIPView(a sip.Account) sipView {
	return sipView{ID: a.ID, AccountID: a.AccountID, DisplayName: a.DisplayName, Email: a.Email, PrimaryNumber: a.PrimaryNumber,
		SecondaryNumber: a.SecondaryNumber, Username: a.Username, Enabled: a.Enabled, DisabledAnnouncement: a.DisabledAnnouncement,
		LastStatus: a.LastStatus, LastStatusDate: a.LastStatusDate, AllowedActions: sip.Allowed(a.LastStatus), KeyVersion: a.KeyVersion,
		LastSMS: toSentSMSView(a.LastSMS), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

type sipBody struct {
	DisplayName     string `json:"displayName"`
	Email           string `json:"email"`
	PrimaryNumber   string `json:"primaryNumber"`
	SecondaryNumber string `json:"secondaryNumber"`
}

// CreateSIPAccount answers POST /v1/accounts/{accountId}/sip-accounts with 201.
func (a *API) CreateSIPAccount(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body sipBody, key string) (any, string, error) {
		acct, err := a.SIP.Create(r.Context(), who, r.PathValue("accountId"), sip.CreateRequest(body), key)
		return toSIPView(acct), "/v1/accounts/" + acct.AccountID + "/sip-accounts/" + acct.ID, err
	})
}

// ListSIPAccounts answers GET /v1/accounts/{accountId}/sip-accounts?status=.
func (a *API) ListSIPAccounts(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		q := r.URL.Query()
		f := sip.Filter{Query: q.Get("q"), LastStatus: sip.Status(q.Get("lastStatus"))}
		if f.Enabled, err = optionalBool(r, "enabled"); err != nil {
			return nil, err
		}
		accts, next, err := a.SIP.List(r.Context(), who, r.PathValue("accountId"), f, cursor, limit)
		return listOf(accts, next, toSIPView), err
	})
}

// GetSIPAccount answers GET /v1/accounts/{accountId}/sip-accounts/{sipId}.
func (a *API) GetSIPAccount(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		acct, err := a.SIP.Get(r.Context(), who, r.PathValue("accountId"), r.PathValue("sipId"))
		return toSIPView(acct), err
	})
}

// sipPatchBody is the request of PATCH .../sip-accounts/{sipId}; the numbers are there
// only to refuse them with SC-6's advice.
type sipPatchBody struct {
	Version              *int    `json:"version"`
	DisplayName          *string `json:"displayName"`
	Email                *string `json:"email"`
	DisabledAnnouncement *string `json:"disabledAnnouncement"`
	PrimaryNumber        *string `json:"primaryNumber"`
	SecondaryNumber      *string `json:"secondaryNumber"`
}

// UpdateSIPAccount answers PATCH /v1/accounts/{accountId}/sip-accounts/{sipId}.
func (a *API) UpdateSIPAccount(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body sipPatchBody) (any, error) {
		version, err := versionOf(r, body.Version)
		if err != nil {
			return nil, err
		}
		acct, err := a.SIP.Update(r.Context(), who, r.PathValue("accountId"), r.PathValue("sipId"), sip.Patch{Version: version,
			DisplayName: body.DisplayName, Email: body.Email, DisabledAnnouncement: body.DisabledAnnouncement,
			PrimaryNumber: body.PrimaryNumber, SecondaryNumber: body.SecondaryNumber})
		return toSIPView(acct), err
	})
}

// DeleteSIPAccount answers DELETE /v1/accounts/{accountId}/sip-accounts/{sipId} with 204.
func (a *API) DeleteSIPAccount(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusNoContent, func(who account.Actor, _ noBody) (any, error) {
		return nil, a.SIP.Delete(r.Context(), who, r.PathValue("accountId"), r.PathValue("sipId"))
	})
}

type confirmSMSBody struct {
	Confirm bool `json:"confirm"`
}

// sendSMS answers POST .../sip-accounts/{sipId}/installation-sms or activation-sms.
func (a *API) sendSMS(kind sip.Action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		act(w, r, http.StatusOK, func(who account.Actor, body confirmSMSBody) (any, error) {
			acct, err := a.SIP.SendLink(r.Context(), who, r.PathValue("accountId"), r.PathValue("sipId"), kind, body.Confirm)
			return toSIPView(acct), err
		})
	}
}

// SendInstallationSMS answers POST .../sip-accounts/{sipId}/installation-sms.
func (a *API) SendInstallationSMS(w http.ResponseWriter, r *http.Request) {
	a.sendSMS(sip.SendInstallationSMS)(w, r)
}

// SendActivationSMS answers POST .../sip-accounts/{sipId}/activation-sms.
func (a *API) SendActivationSMS(w http.ResponseWriter, r *http.Request) {
	a.sendSMS(sip.SendActivationSMS)(w, r)
}

// switchSIP answers POST .../sip-accounts/{sipId}/{disable|enable|revoke-keys}.
func (a *API) switchSIP(action sip.Action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
			acct, err := a.SIP.Switch(r.Context(), who, r.PathValue("accountId"), r.PathValue("sipId"), action)
			return toSIPView(acct), err
		})
	}
}

// DisableSIPAccount answers POST .../sip-accounts/{sipId}/disable.
func (a *API) DisableSIPAccount(w http.ResponseWriter, r *http.Request) {
	a.switchSIP(sip.Disable)(w, r)
}

// EnableSIPAccount answers POST .../sip-accounts/{sipId}/enable.
func (a *API) EnableSIPAccount(w http.ResponseWriter, r *http.Request) { a.switchSIP(sip.Enable)(w, r) }

// RevokeSIPKeys answers POST .../sip-accounts/{sipId}/revoke-keys.
func (a *API) RevokeSIPKeys(w http.ResponseWriter, r *http.Request) {
	a.switchSIP(sip.RevokeKeys)(w, r)
}

// InstallSIPClient answers GET /v1/sip/install/{token}: the client's configuration file,
// once.
func (a *API) InstallSIPClient(w http.ResponseWriter, r *http.Request) {
	cfg, err := a.SIP.Install(r.Context(), r.PathValue("token"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="provisio-softphone.json"`)
	writeJSON(w, http.StatusOK, cfg)
}

// htmlEscaper escapes text for an HTML element or a quoted attribute, as
// html.EscapeString does; package html is not imported because its init builds a table of
// 2,000 named entities in every binary that links it.
var htmlEscaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;")

// writePage answers with the HTML page name from pages/, each {{.Field}} of it replaced
// by fields' HTML-escaped value.
func writePage(w http.ResponseWriter, status int, name string, fields map[string]string) {
	page, err := pageFiles.ReadFile("pages/" + name)
	if err != nil {
		panic("httpapi: no page " + name) // a build defect: TestEveryPageIsFilled names it
	}
	pairs := make([]string, 0, 2*len(fields))
	for k, v := range fields {
		pairs = append(pairs, "{{."+k+"}}", htmlEscaper.Replace(v))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	w.WriteHeader(status)
	_, _ = strings.NewReplacer(pairs...).WriteString(w, string(page)) // the phone went away: nothing left to do
}

// ShowSIPActivation answers GET /v1/sip/activate/{token} with the activation page. It
// changes nothing: link previews fetch links too. The page's button confirms.
func (a *API) ShowSIPActivation(w http.ResponseWriter, r *http.Request) {
	acct, err := a.SIP.ActivationPage(r.Context(), r.PathValue("token"))
	if err != nil {
		writePage(w, http.StatusNotFound, "link-invalid.html", nil)
		return
	}
	writePage(w, http.StatusOK, "activate.html", map[string]string{"DisplayName": acct.DisplayName, "Action": r.URL.Path})
}

// ConfirmSIPActivation answers POST /v1/sip/activate/{token}: the account is activated.
func (a *API) ConfirmSIPActivation(w http.ResponseWriter, r *http.Request) {
	acct, err := a.SIP.Activate(r.Context(), r.PathValue("token"))
	if fault.Is(err, fault.NotFound) {
		writePage(w, http.StatusNotFound, "link-invalid.html", nil)
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writePage(w, http.StatusOK, "activated.html", map[string]string{"DisplayName": acct.DisplayName})
}

// clientView is a registered client.
type clientView struct {
	SIPID        string    `json:"sipId"`
	Contact      string    `json:"contact"`
	UserAgent    string    `json:"userAgent,omitempty"`
	RegisteredAt time.Time `json:"registeredAt"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

// RegisteredClients answers GET /v1/accounts/{accountId}/registered-clients.
func (a *API) RegisteredClients(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		regs, err := a.SIP.RegisteredClients(r.Context(), who, r.PathValue("accountId"))
		return listOf(regs, "", func(g sip.Binding) clientView {
			return clientView{SIPID: g.SIPID, Contact: g.Contact, UserAgent: g.UserAgent, RegisteredAt: g.RegisteredAt, ExpiresAt: g.ExpiresAt}
		}), err
	})
}

type registrarReportBody struct {
	Events []sip.RegistrarEvent `json:"events"`
}

// ReportRegistrations answers POST /v1/registrar-events: the registrar's key reports a
// batch of REGISTERs and un-REGISTERs, each recorded or rejected on its own.
func (a *API) ReportRegistrations(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body registrarReportBody) (any, error) {
		out, err := a.Registrar.Report(r.Context(), who, body.Events)
		return map[string]any{"results": out}, err
	})
}
