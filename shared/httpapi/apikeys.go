package httpapi

import (
	"net/http"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
)

// apiKeyView is an API key as its managers see it: never its secret or hash.
type apiKeyView struct {
	ID         string     `json:"id"`
	AccountID  string     `json:"accountId"`
	Job        apikey.Job `json:"job"`
	Name       string     `json:"name"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"createdAt"`
	CreatedBy  string     `json:"createdBy"`
	LastUsedAt time.Time  `json:"lastUsedAt,omitzero"`
	ExpiresAt  time.Time  `json:"expiresAt,omitzero"`
	RevokedAt  time.Time  `json:"revokedAt,omitzero"`
	ReplacedBy string     `json:"replacedBy,omitempty"`
}

func toAPIKeyView(now time.Time) func(apikey.Key) apiKeyView {
	return func(k apikey.Key) apiKeyView {
		status := "active"
		switch {
		case !k.RevokedAt.IsZero():
			status = "revoked"
		case !k.Valid(now):
			status = "expired"
		case k.ReplacedBy != "":
			status = "rotating" // valid until expiresAt, beside its successor
		}
		return apiKeyView{ID: k.ID, AccountID: k.AccountID, Job: k.Job, Name: k.Name, Status: status, CreatedAt: k.CreatedAt,
			CreatedBy: k.CreatedBy, LastUsedAt: k.LastUsedAt, ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, ReplacedBy: k.ReplacedBy}
	}
}

// issuedKeyView is a new key with its secret, shown this once.
type issuedKeyView struct {
	apiKeyView
	Secret string `json:"secret"`
}

func (a *API) issued(made apikey.Issued) issuedKeyView {
	return issuedKeyView{apiKeyView: toAPIKeyView(a.APIKeys.Now())(made.Key), Secret: made.Secret}
}

type apiKeyBody struct {
	Job  string `json:"job"`
	Name string `json:"name"`
}

// CreateAPIKey answers POST /v1/accounts/{accountId}/api-keys with 201 and the secret.
func (a *API) CreateAPIKey(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusCreated, func(who account.Actor, body apiKeyBody) (any, error) {
		made, err := a.APIKeys.Create(r.Context(), who, r.PathValue("accountId"), apikey.Job(body.Job), body.Name)
		if err != nil {
			return nil, err
		}
		return a.issued(made), nil
	})
}

// ListAPIKeys answers GET /v1/accounts/{accountId}/api-keys.
func (a *API) ListAPIKeys(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		keys, err := a.APIKeys.List(r.Context(), who, r.PathValue("accountId"))
		return listOf(keys, "", toAPIKeyView(a.APIKeys.Now())), err
	})
}

type rotateBody struct {
	GraceSeconds int `json:"graceSeconds"`
}

// RotateAPIKey answers POST …/api-keys/{keyId}/rotate with 201 and the successor's secret.
func (a *API) RotateAPIKey(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusCreated, func(who account.Actor, body rotateBody) (any, error) {
		made, err := a.APIKeys.Rotate(r.Context(), who, r.PathValue("accountId"), r.PathValue("keyId"), time.Duration(body.GraceSeconds)*time.Second)
		if err != nil {
			return nil, err
		}
		return a.issued(made), nil
	})
}

// RevokeAPIKey answers POST …/api-keys/{keyId}/revoke.
func (a *API) RevokeAPIKey(w http.ResponseWriter, r *http.Request) {
	act(w, r, http.StatusOK, func(who account.Actor, _ noBody) (any, error) {
		k, err := a.APIKeys.Revoke(r.Context(), who, r.PathValue("accountId"), r.PathValue("keyId"))
		return toAPIKeyView(a.APIKeys.Now())(k), err
	})
}
