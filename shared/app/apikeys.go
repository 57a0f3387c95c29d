package app

import (
	"context"
	"time"

	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
)

func apiKeyFunctions() map[string]Wiring {
	return map[string]Wiring{
		"CreateApiKeyFunction": CreateApiKeyFunction,
		"ListApiKeysFunction":  ListApiKeysFunction,
		"RotateApiKeyFunction": RotateApiKeyFunction,
		"RevokeApiKeyFunction": RevokeApiKeyFunction,
	}
}

// apiKeyService is the key service on the table.
func apiKeyService(s *stores) *apikey.Service {
	return &apikey.Service{Store: s.forAPIKeys(), Now: time.Now, NewID: ident.New}
}

// apiKeysAPI is the API of the key routes, which only read and write the table.
func (d *Deps) apiKeysAPI() *httpapi.API { return &httpapi.API{APIKeys: apiKeyService(d.store())} }

// ProvisionAPIKey issues a key on table outside the API, for the bootstrap of a
// deployment: the switch's first key.
func ProvisionAPIKey(ctx context.Context, table *dynamo.Table, accountID string, job apikey.Job, name string) (apikey.Issued, error) {
	return apiKeyService(newStores(table)).Provision(ctx, accountID, job, name)
}

// CreateApiKeyFunction answers POST /v1/accounts/{accountId}/api-keys.
func CreateApiKeyFunction(d *Deps) any { api := d.apiKeysAPI(); return d.route(api, api.CreateAPIKey) }

// ListApiKeysFunction answers GET /v1/accounts/{accountId}/api-keys.
func ListApiKeysFunction(d *Deps) any { api := d.apiKeysAPI(); return d.route(api, api.ListAPIKeys) }

// RotateApiKeyFunction answers POST /v1/accounts/{accountId}/api-keys/{keyId}/rotate.
func RotateApiKeyFunction(d *Deps) any { api := d.apiKeysAPI(); return d.route(api, api.RotateAPIKey) }

// RevokeApiKeyFunction answers POST /v1/accounts/{accountId}/api-keys/{keyId}/revoke.
func RevokeApiKeyFunction(d *Deps) any { api := d.apiKeysAPI(); return d.route(api, api.RevokeAPIKey) }
