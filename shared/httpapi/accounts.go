package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

type limitsBody struct {
	InboundTrunks  int `json:"inboundTrunks"`
	OutboundTrunks int `json:"outboundTrunks"`
	TwowayTrunks   int `json:"twowayTrunks"`
	Users          int `json:"users"`
}

// limitsPatchBody changes the limits it names; absent ones stay as they are.
type limitsPatchBody struct {
	InboundTrunks  *int `json:"inboundTrunks"`
	OutboundTrunks *int `json:"outboundTrunks"`
	TwowayTrunks   *int `json:"twowayTrunks"`
	Users          *int `json:"users"`
}

// accountBody is the request of POST /v1/accounts (docs/openapi.yaml).
type accountBody struct {
	Name         string            `json:"name"`
	Kind         string            `json:"kind"`
	Timezone     string            `json:"timezone"`
	ParentID     string            `json:"parentId"`
	Admin        *adminBody        `json:"admin"`
	Limits       limitsBody        `json:"limits"`
	Restrictions map[string]string `json:"restrictions"`
	Credit       struct {
		AddMinor int64  `json:"addMinor"`
		Currency string `json:"currency"`
		Bypass   bool   `json:"bypass"`
	} `json:"credit"`
	DebitLimitMinor int64    `json:"debitLimitMinor"`
	Permissions     []string `json:"permissions"`
	SMSSenderName   string   `json:"smsSenderName"`
}

// adminBody is a new administrator: the first of an account, or one of its staff.
type adminBody struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	Password  string `json:"password"`
}

type staffBody struct {
	adminBody
	Role string `json:"role"`
}

// AddStaff answers POST /v1/accounts/{accountId}/staff with 201 and the new member.
func (a *API) AddStaff(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body staffBody, key string) (any, string, error) {
		m, err := a.Accounts.AddStaff(r.Context(), who, r.PathValue("accountId"), account.StaffRequest{
			AdminRequest: account.AdminRequest(body.adminBody), Role: account.Role(body.Role)}, key)
		return toMemberView(m), "/v1/accounts/" + m.AccountID + "/users/" + m.ID, err
	})
}

func restrictionsOf(m map[string]string) map[account.CallClass]account.Rule {
	if m == nil {
		return nil
	}
	out := make(map[account.CallClass]account.Rule, len(m))
	for k, v := range m {
		out[account.CallClass(k)] = account.Rule(v)
	}
	return out
}

func (b accountBody) toRequest() account.CreateRequest {
	req := account.CreateRequest{
		Name: b.Name, Kind: account.Kind(b.Kind), Timezone: b.Timezone, ParentID: b.ParentID,
		Limits: account.Limits(b.Limits), Restrictions: restrictionsOf(b.Restrictions),
		Credit:     account.CreditRequest{AddMinor: b.Credit.AddMinor, Currency: b.Credit.Currency, Bypass: b.Credit.Bypass},
		DebitLimit: b.DebitLimitMinor, Permissions: b.Permissions, SMSSender: b.SMSSenderName,
	}
	if b.Admin != nil {
		admin := account.AdminRequest(*b.Admin)
		req.Admin = &admin
	}
	return req
}

// accountView is an account as the API shows it.
type accountView struct {
	ID              string                             `json:"id"`
	ParentID        string                             `json:"parentId,omitempty"`
	Kind            account.Kind                       `json:"kind"`
	Name            string                             `json:"name"`
	ShortName       string                             `json:"shortName,omitempty"`
	Domain          string                             `json:"domain,omitempty"`
	Realm           string                             `json:"realm"`
	Timezone        string                             `json:"timezone"`
	Status          account.Status                     `json:"status"`
	TemplateID      string                             `json:"templateId,omitempty"`
	Permissions     []string                           `json:"permissions"`
	Limits          limitsView                         `json:"limits"`
	Available       limitsView                         `json:"available"`
	Restrictions    map[account.CallClass]account.Rule `json:"restrictions"`
	Credit          creditView                         `json:"credit"`
	DebitLimitMinor int64                              `json:"debitLimitMinor"`
	// LowBalanceThresholdMinor alerts the administrators when the balance falls below
	// it (0: never); LowBalanceSince is when it last did.
	LowBalanceThresholdMinor int64     `json:"lowBalanceThresholdMinor"`
	LowBalanceSince          time.Time `json:"lowBalanceSince,omitzero"`
	ANI                      string    `json:"ani,omitempty"`
	SMSSenderName            string    `json:"smsSenderName,omitempty"`
	EmailVerified            bool      `json:"emailVerified"`
	MobileVerified           bool      `json:"mobileVerified"`
	// ChannelsInUse counts the calls in progress (live call records); only a single
	// account's view carries it.
	ChannelsInUse *int        `json:"channelsInUse,omitempty"`
	CreatedAt     time.Time   `json:"createdAt"`
	UpdatedAt     time.Time   `json:"updatedAt"`
	Version       int         `json:"version"`
	Admin         *memberView `json:"admin,omitempty"`
}

// memberView is a user without anything about their password.
type memberView struct {
	ID        string       `json:"id"`
	Username  string       `json:"username"`
	FirstName string       `json:"firstName,omitempty"`
	LastName  string       `json:"lastName,omitempty"`
	Email     string       `json:"email,omitempty"`
	Phone     string       `json:"phone,omitempty"`
	Role      account.Role `json:"role"`
}

func toAccountView(a account.Account) accountView {
	return accountView{ID: a.ID, ParentID: a.ParentID, Kind: a.Kind, Name: a.Name, ShortName: a.ShortName, Domain: a.Domain,
		Realm: a.Realm, Timezone: a.Timezone, Status: a.Status, TemplateID: a.TemplateID, Permissions: a.Permissions,
		Limits: toLimitsView(a.Limits), Available: toLimitsView(a.Available), Restrictions: a.Restrictions, Credit: toCreditView(a.Credit), DebitLimitMinor: a.DebitLimit,
		LowBalanceThresholdMinor: a.LowBalanceThreshold, LowBalanceSince: a.LowBalanceSince, ANI: a.ANI, SMSSenderName: a.SMSSenderName, EmailVerified: a.EmailVerified, MobileVerified: a.MobileVerified, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

func toMemberView(m account.Member) *memberView {
	return &memberView{ID: m.ID, Username: m.Username, FirstName: m.FirstName, LastName: m.LastName, Email: m.Email, Phone: m.Phone, Role: m.Role}
}

// caller returns who calls, or answers 401 and reports false.
func caller(w http.ResponseWriter, r *http.Request) (account.Actor, bool) {
	who, err := actor(r)
	if err != nil {
		writeError(w, r, err)
		return account.Actor{}, false
	}
	return who, true
}

// answer sends an account's version as its ETag.
func (v accountView) answer(h http.Header, status int) int {
	h.Set("ETag", strconv.Quote(strconv.Itoa(v.Version)))
	return status
}

// ifMatchVersion reads the version from an If-Match header ("3", W/"3" or 3); 0 when absent.
func ifMatchVersion(header string) (int, error) {
	if header == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(header, "W/"), `"`))
	if err != nil || v <= 0 {
		return 0, invalidField("If-Match", "must be the ETag (version) you read")
	}
	return v, nil
}

// profileView is the caller's own user.
type profileView struct {
	*memberView
	AccountID string `json:"accountId"`
	// A user's own numbers and invoice address: a basic user's whole page in the portal.
	PrimaryNumber  string           `json:"primaryNumber,omitempty"`
	Aliases        []string         `json:"aliases,omitempty"`
	InvoiceAddress *account.Address `json:"invoiceAddress,omitempty"`
}

// Me answers GET /v1/me with the caller's own profile.
func (a *API) Me(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		m, err := a.Accounts.Profile(r.Context(), who)
		return profileView{memberView: toMemberView(m), AccountID: m.AccountID, PrimaryNumber: m.PrimaryNumber, Aliases: m.Aliases,
			InvoiceAddress: m.InvoiceAddress}, err
	})
}

// CreateAccount answers POST /v1/accounts with 201.
func (a *API) CreateAccount(w http.ResponseWriter, r *http.Request) {
	actCreate(w, r, func(who account.Actor, body accountBody, key string) (any, string, error) {
		created, err := a.Accounts.Create(r.Context(), who, body.toRequest(), key)
		v := toAccountView(created.Account)
		if created.Admin != nil {
			v.Admin = toMemberView(*created.Admin)
		}
		return v, "/v1/accounts/" + v.ID, err
	})
}

// page reads the cursor and limit query parameters.
func page(r *http.Request) (string, int, error) {
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > account.MaxPage {
			return "", 0, invalidField("limit", "must be a whole number from 1 to 100")
		}
		limit = n
	}
	return r.URL.Query().Get("cursor"), limit, nil
}

// listView is a page of a list.
type listView[T any] struct {
	Items  []T    `json:"items"`
	Cursor string `json:"cursor,omitempty"`
}

// listOf converts a page of domain values into their views.
func listOf[T, V any](items []T, cursor string, view func(T) V) listView[V] {
	out := listView[V]{Items: make([]V, 0, len(items)), Cursor: cursor}
	for _, it := range items {
		out.Items = append(out.Items, view(it))
	}
	return out
}

// versionOf is the version a change was made from: the If-Match header, else the body's.
func versionOf(r *http.Request, body *int) (int, error) {
	v, err := ifMatchVersion(r.Header.Get("If-Match"))
	if err != nil || v != 0 || body == nil {
		return v, err
	}
	return *body, nil
}

// ListAccounts answers GET /v1/accounts?q=&status=: the children of parentId (default: the caller's
// own account), or with subtree=true every account below it, as tree rows.
func (a *API) ListAccounts(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		q := r.URL.Query()
		parent := q.Get("parentId")
		if parent == "" {
			parent = who.AccountID
		}
		f := account.Filter{Query: q.Get("q"), Status: account.Status(q.Get("status"))}
		subtree, err := optionalBool(r, "subtree")
		if err != nil {
			return nil, err
		}
		if subtree != nil && *subtree {
			nodes, next, err := a.Accounts.Descendants(r.Context(), who, parent, f, cursor, limit)
			return listOf(nodes, next, toNodeView), err
		}
		accts, next, err := a.Accounts.Children(r.Context(), who, parent, f, cursor, limit)
		return listOf(accts, next, toAccountView), err
	})
}

// GetAccount answers GET /v1/accounts/{accountId}.
func (a *API) GetAccount(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		sum, err := a.Accounts.Summary(r.Context(), who, r.PathValue("accountId"))
		v := toAccountView(sum.Account)
		v.ChannelsInUse = &sum.ChannelsInUse
		return v, err
	})
}

// accountPatchBody is the request of PATCH /v1/accounts/{accountId}. The fields after
// Status exist only to refuse them by name: they are never set through PATCH.
type accountPatchBody struct {
	Version      *int              `json:"version"`
	Name         *string           `json:"name"`
	Timezone     *string           `json:"timezone"`
	Limits       *limitsPatchBody  `json:"limits"`
	Restrictions map[string]string `json:"restrictions"`
	Credit       *struct {
		Bypass       *bool   `json:"bypass"`
		BalanceMinor *int64  `json:"balanceMinor"`
		AddedMinor   *int64  `json:"addedMinor"`
		SpentMinor   *int64  `json:"spentMinor"`
		AddMinor     *int64  `json:"addMinor"`
		Currency     *string `json:"currency"`
	} `json:"credit"`
	DebitLimitMinor *int64    `json:"debitLimitMinor"`
	LowBalanceMinor *int64    `json:"lowBalanceThresholdMinor"`
	Permissions     *[]string `json:"permissions"`
	Status          *string   `json:"status"`
	SMSSenderName   *string   `json:"smsSenderName"`

	ID        *string `json:"id"`
	Realm     *string `json:"realm"`
	ParentID  *string `json:"parentId"`
	Kind      *string `json:"kind"`
	Domain    *string `json:"domain"`
	ShortName *string `json:"shortName"`
	Available *any    `json:"available"`
	Admin     *any    `json:"admin"`
}

func (b accountPatchBody) toPatch(ifMatch string) (account.Patch, error) {
	var f fault.Fields
	for field, set := range map[string]bool{"id": b.ID != nil, "realm": b.Realm != nil, "parentId": b.ParentID != nil, "kind": b.Kind != nil,
		"domain": b.Domain != nil, "shortName": b.ShortName != nil, "available": b.Available != nil} {
		if set {
			f.Add(field, "cannot be changed")
		}
	}
	if b.Admin != nil {
		f.Add("admin", "is managed through the account's users, not the account")
	}
	p := account.Patch{Name: b.Name, Timezone: b.Timezone, Restrictions: restrictionsOf(b.Restrictions), DebitLimit: b.DebitLimitMinor,
		LowBalanceThreshold: b.LowBalanceMinor, Permissions: b.Permissions, SMSSender: b.SMSSenderName}
	if b.Limits != nil {
		l := account.LimitsChange(*b.Limits)
		p.Limits = &l
	}
	if b.Credit != nil {
		if b.Credit.BalanceMinor != nil || b.Credit.AddedMinor != nil || b.Credit.SpentMinor != nil || b.Credit.AddMinor != nil || b.Credit.Currency != nil {
			f.Add("credit", "only bypass can be changed here; the balance changes through credit additions")
		}
		p.CreditBypass = b.Credit.Bypass
	}
	if b.Status != nil {
		st := account.Status(*b.Status)
		p.Status = &st
	}
	if b.Version != nil {
		p.Version = *b.Version
	}
	if v, err := ifMatchVersion(ifMatch); err != nil || (v != 0 && b.Version != nil && v != *b.Version) {
		f.Add("If-Match", "must be the ETag (version) you read, and agree with version in the body")
	} else if v != 0 {
		p.Version = v
	}
	return p, f.Err()
}

// UpdateAccount answers PATCH /v1/accounts/{accountId}.
func (a *API) UpdateAccount(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body accountPatchBody) (any, error) {
		p, err := body.toPatch(r.Header.Get("If-Match"))
		if err != nil {
			return nil, err
		}
		acct, err := a.Accounts.Update(r.Context(), who, r.PathValue("accountId"), p)
		return toAccountView(acct), err
	})
}

type creditBody struct {
	AmountMinor int64  `json:"amountMinor"`
	Reason      string `json:"reason"`
	Version     int    `json:"version"`
}

// AddCredit answers POST /v1/accounts/{accountId}/credit-additions with the account.
func (a *API) AddCredit(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body creditBody) (any, error) {
		key, err := idempotencyKey(r)
		if err != nil {
			return nil, err
		}
		version, err := versionOf(r, &body.Version)
		if err != nil {
			return nil, err
		}
		acct, err := a.Accounts.AddCredit(r.Context(), who, r.PathValue("accountId"), body.AmountMinor, body.Reason, version, key)
		return toAccountView(acct), err
	})
}

// DeleteAccount answers DELETE /v1/accounts/{accountId} with 204.
func (a *API) DeleteAccount(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusNoContent, func(who account.Actor, _ noBody) (any, error) {
		version, err := ifMatchVersion(r.Header.Get("If-Match"))
		if err != nil {
			return nil, err
		}
		return nil, a.Accounts.Delete(r.Context(), who, r.PathValue("accountId"), version)
	})
}

// timeSpan reads a listing's from and to (RFC 3339; either may be absent).
func timeSpan(r *http.Request) (from, to time.Time, err error) {
	for _, ft := range []struct {
		field string
		t     *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := r.URL.Query().Get(ft.field); v != "" {
			if *ft.t, err = time.Parse(time.RFC3339, v); err != nil {
				return time.Time{}, time.Time{}, invalidField(ft.field, "must be a date and time such as 2026-11-24T00:00:00Z")
			}
		}
	}
	return from, to, nil
}

// AccountAuditLog answers GET /v1/accounts/{accountId}/audit-log?entity=&from=&to=,
// newest first.
func (a *API) AccountAuditLog(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		f := account.AuditFilter{Entity: r.URL.Query().Get("entity")}
		if f.From, f.To, err = timeSpan(r); err != nil {
			return nil, err
		}
		entries, next, err := a.Accounts.AuditLog(r.Context(), who, r.PathValue("accountId"), f, cursor, limit)
		return listOf(entries, next, toAuditEntryView), err
	})
}
