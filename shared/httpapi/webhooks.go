package httpapi

import (
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/webhook"
)

// endpointView is a webhook endpoint without its secrets.
type endpointView struct {
	ID            string          `json:"id"`
	AccountID     string          `json:"accountId"`
	URL           string          `json:"url"`
	Description   string          `json:"description,omitempty"`
	Events        []webhook.Event `json:"events"`
	Enabled       bool            `json:"enabled"`
	PreviousUntil time.Time       `json:"previousSecretUntil,omitzero"`
	CreatedAt     time.Time       `json:"createdAt"`
	CreatedBy     string          `json:"createdBy"`
	UpdatedAt     time.Time       `json:"updatedAt"`
	Version       int             `json:"version"`
}

func toEndpointView(e webhook.Endpoint) endpointView {
	return endpointView{ID: e.ID, AccountID: e.AccountID, URL: e.URL, Description: e.Description, Events: e.Events, Enabled: e.Enabled,
		PreviousUntil: e.PreviousUntil, CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy, UpdatedAt: e.UpdatedAt, Version: e.Version}
}

// endpointSecretView is an endpoint with its new secret, shown this once.
type endpointSecretView struct {
	endpointView
	Secret string `json:"secret"`
}

// endpointBody is a new endpoint or a change of one; absent fields stay as they are.
type endpointBody struct {
	URL         *string          `json:"url"`
	Description *string          `json:"description"`
	Events      *[]webhook.Event `json:"events"`
	Enabled     *bool            `json:"enabled"`
	Version     *int             `json:"version"`
}

func (b endpointBody) draft() webhook.Draft {
	return webhook.Draft{URL: b.URL, Description: b.Description, Events: b.Events, Enabled: b.Enabled}
}

// CreateWebhook answers POST /v1/accounts/{accountId}/webhooks with 201 and the secret.
func (a *API) CreateWebhook(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusCreated, func(who account.Actor, body endpointBody) (any, error) {
		e, secret, err := a.Webhooks.Create(r.Context(), who, r.PathValue("accountId"), body.draft())
		if err != nil {
			return nil, err
		}
		w.Header().Set("Location", "/v1/accounts/"+e.AccountID+"/webhooks/"+e.ID)
		return endpointSecretView{endpointView: toEndpointView(e), Secret: secret}, nil
	})
}

// ListWebhooks answers GET /v1/accounts/{accountId}/webhooks.
func (a *API) ListWebhooks(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		es, err := a.Webhooks.List(r.Context(), who, r.PathValue("accountId"))
		return listOf(es, "", toEndpointView), err
	})
}

// UpdateWebhook answers PATCH /v1/accounts/{accountId}/webhooks/{webhookId}.
func (a *API) UpdateWebhook(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body endpointBody) (any, error) {
		version, err := versionOf(r, body.Version)
		if err != nil {
			return nil, err
		}
		e, err := a.Webhooks.Update(r.Context(), who, r.PathValue("accountId"), r.PathValue("webhookId"), version, body.draft())
		return toEndpointView(e), err
	})
}

// DeleteWebhook answers DELETE /v1/accounts/{accountId}/webhooks/{webhookId} with 204.
func (a *API) DeleteWebhook(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusNoContent, func(who account.Actor, _ noBody) (any, error) {
		return nil, a.Webhooks.Delete(r.Context(), who, r.PathValue("accountId"), r.PathValue("webhookId"))
	})
}

// RollWebhookSecret answers POST …/webhooks/{webhookId}/roll-secret with the new secret.
func (a *API) RollWebhookSecret(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, body rotateBody) (any, error) {
		e, secret, err := a.Webhooks.RollSecret(r.Context(), who, r.PathValue("accountId"), r.PathValue("webhookId"),
			time.Duration(body.GraceSeconds)*time.Second)
		if err != nil {
			return nil, err
		}
		return endpointSecretView{endpointView: toEndpointView(e), Secret: secret}, nil
	})
}

// deliveryView is a delivery in the log, with the event it carries.
type deliveryView struct {
	ID         string                 `json:"id"`
	EndpointID string                 `json:"endpointId"`
	EventID    string                 `json:"eventId"`
	Type       webhook.Event          `json:"type"`
	Status     webhook.DeliveryStatus `json:"status"`
	Attempts   []webhook.Attempt      `json:"attempts"`
	Event      any                    `json:"event"`
	CreatedAt  time.Time              `json:"createdAt"`
	UpdatedAt  time.Time              `json:"updatedAt"`
}

func toDeliveryView(d webhook.Delivery) deliveryView {
	return deliveryView{ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID, Type: d.Type, Status: d.Status, Attempts: d.Attempts,
		Event: d.Body, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// WebhookDeliveries answers GET …/webhooks/{webhookId}/deliveries, newest first.
func (a *API) WebhookDeliveries(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		cursor, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		ds, next, err := a.Webhooks.Deliveries(r.Context(), who, r.PathValue("accountId"), r.PathValue("webhookId"), cursor, limit)
		return listOf(ds, next, toDeliveryView), err
	})
}

// RedeliverWebhook answers POST …/deliveries/{deliveryId}/redeliver with 202.
func (a *API) RedeliverWebhook(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusAccepted, func(who account.Actor, _ noBody) (any, error) {
		d, err := a.Webhooks.Redeliver(r.Context(), who, r.PathValue("accountId"), r.PathValue("webhookId"), r.PathValue("deliveryId"))
		return toDeliveryView(d), err
	})
}
