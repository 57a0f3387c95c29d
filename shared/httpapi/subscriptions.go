package httpapi

import (
	"net/http"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/user"
)

// subscriptionDetail is a subscription with, for a port-in, its porting request as the
// account sees it (the temporary number serves until the port completes).
type subscriptionDetail struct {
	subscriptionView
	TemporaryNumber string       `json:"temporaryNumber,omitempty"`
	Porting         *portingView `json:"porting,omitempty"`
}

func toSubscriptionDetail(d user.SubscriptionDetail) subscriptionDetail {
	v := subscriptionDetail{subscriptionView: *toSubscriptionView(&d.Subscription), Porting: toPortingView(d.Porting)}
	if d.Porting != nil {
		v.TemporaryNumber = d.Porting.TemporaryNumber
	}
	return v
}

// ListSubscriptions answers GET /v1/accounts/{accountId}/subscriptions?userId=.
func (a *API) ListSubscriptions(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		subs, next, err := a.Users.ListSubscriptions(r.Context(), who, r.PathValue("accountId"), r.URL.Query().Get("userId"), cursor, limit)
		return listOf(subs, next, func(s user.Subscription) subscriptionView { return *toSubscriptionView(&s) }), err
	})
}

// GetSubscription answers GET /v1/accounts/{accountId}/subscriptions/{subscriptionId}.
func (a *API) GetSubscription(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		d, err := a.Users.GetSubscription(r.Context(), who, r.PathValue("accountId"), r.PathValue("subscriptionId"))
		return toSubscriptionDetail(d), err
	})
}

// ActivateSubscription answers POST …/subscriptions/{subscriptionId}/activate.
func (a *API) ActivateSubscription(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		sub, err := a.Users.ActivateSubscription(r.Context(), who, r.PathValue("accountId"), r.PathValue("subscriptionId"))
		return toSubscriptionView(&sub), err
	})
}

type subscriptionPatchBody struct {
	Version            *int         `json:"version"`
	SIMDeliveryAddress *addressBody `json:"simDeliveryAddress"`
	SIM                *struct {
		ICCID        string `json:"iccid"`
		DispatchedOn string `json:"dispatchedOn"`
	} `json:"sim"`
}

// UpdateSubscription answers PATCH …/subscriptions/{subscriptionId}: the SIM's delivery
// address, or its dispatch.
func (a *API) UpdateSubscription(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body subscriptionPatchBody) (any, error) {
		version, err := versionOf(r, body.Version)
		if err != nil {
			return nil, err
		}
		p := user.SubscriptionPatch{Version: version}
		if body.SIMDeliveryAddress != nil {
			addr := account.Address(*body.SIMDeliveryAddress)
			p.SIMDeliveryAddress = &addr
		}
		if body.SIM != nil {
			p.SIM = &user.SIMDispatch{ICCID: body.SIM.ICCID, DispatchedOn: body.SIM.DispatchedOn}
		}
		sub, err := a.Users.PatchSubscription(r.Context(), who, r.PathValue("accountId"), r.PathValue("subscriptionId"), p)
		return toSubscriptionView(&sub), err
	})
}

type terminateBody struct {
	Reason string `json:"reason"`
}

// TerminateSubscription answers POST …/subscriptions/{subscriptionId}/terminate.
func (a *API) TerminateSubscription(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body terminateBody) (any, error) {
		sub, err := a.Users.TerminateSubscription(r.Context(), who, r.PathValue("accountId"), r.PathValue("subscriptionId"), body.Reason)
		return toSubscriptionView(&sub), err
	})
}
