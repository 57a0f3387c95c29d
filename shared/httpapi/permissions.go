package httpapi

import (
	"net/http"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

// RoutePermissions names the permission each route needs of the caller's account, by
// the route key of template.yaml. A protected route that is not listed needs none; a
// test checks every listed key is a route of the template. docs/accounts.md shows it.
var RoutePermissions = map[string]account.Permission{
	"POST /v1/accounts/{accountId}/users":                                 account.UsersManage,
	"PATCH /v1/accounts/{accountId}/users/{userId}":                       account.UsersManage,
	"DELETE /v1/accounts/{accountId}/users/{userId}":                      account.UsersManage,
	"POST /v1/accounts/{accountId}/users/{userId}/password-reset":         account.UsersManage,
	"POST /v1/accounts/{accountId}/number-ranges":                         account.NumbersManage,
	"POST /v1/accounts/{accountId}/internal-number-blocks":                account.NumbersManage,
	"DELETE /v1/accounts/{accountId}/number-ranges/{rangeId}":             account.NumbersManage,
	"GET /v1/accounts/{accountId}/number-ranges":                          account.NumbersView,
	"GET /v1/accounts/{accountId}/numbers/available":                      account.NumbersView,
	"GET /v1/accounts/{accountId}/internal-number-blocks":                 account.NumbersView,
	"POST /v1/accounts/{accountId}/sip-accounts":                          account.SIPManage,
	"GET /v1/accounts/{accountId}/sip-accounts":                           account.SIPManage,
	"GET /v1/accounts/{accountId}/sip-accounts/{sipId}":                   account.SIPManage,
	"PATCH /v1/accounts/{accountId}/sip-accounts/{sipId}":                 account.SIPManage,
	"DELETE /v1/accounts/{accountId}/sip-accounts/{sipId}":                account.SIPManage,
	"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/installation-sms": account.SIPManage,
	"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/activation-sms":   account.SIPManage,
	"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/disable":          account.SIPManage,
	"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/enable":           account.SIPManage,
	"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/revoke-keys":      account.SIPManage,
	"GET /v1/accounts/{accountId}/registered-clients":                     account.SIPManage,
	"GET /v1/accounts/{accountId}/porting-requests":                       account.PortingRequest,
	"GET /v1/porting-requests/{id}":                                       account.PortingRequest,
	"PATCH /v1/porting-requests/{id}":                                     account.PortingRequest,
	"POST /v1/porting-requests/{id}/documents":                            account.PortingRequest,
}

// Permitted wraps a route's handler with the permission check of RoutePermissions, in
// one place for every route. The user wizard also needs, by what its body asks for,
// subscriptions.manage and porting.request (CreateUser).
func (a *API) Permitted(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		need, ok := RoutePermissions[r.Pattern]
		if !ok {
			h(w, r)
			return
		}
		if a.Permissions == nil {
			writeError(w, r, fault.New(fault.Internal, "this function is not wired to check permissions"))
			return
		}
		who, err := actor(r)
		ctx := r.Context()
		if err == nil {
			ctx, err = account.Permitting(ctx, a.Permissions, who, need)
		}
		if err != nil {
			writeError(w, r, err)
			return
		}
		h(w, r.WithContext(ctx))
	}
}
