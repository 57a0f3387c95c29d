package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
)

const apiKeySK = "APIKEY"

func apiKeyPK(id string) string { return "APIKEY#" + id }

// apiKeyItem is an API key, found by its ID alone (the key names it); gsi1 lists an
// account's keys, oldest first. The secret's hash is an attribute of the item, beside
// the key's data, as a password hash is.
type apiKeyItem struct {
	PK         string    `json:"pk"`
	SK         string    `json:"sk"`
	GSI1PK     string    `json:"gsi1pk"`
	GSI1SK     string    `json:"gsi1sk"`
	Version    int       `json:"version"`
	SecretHash string    `json:"secretHash"`
	LastUsedAt time.Time `json:"lastUsedAt,omitzero"`
	Data       apiKeyRow `json:"data"`
}

func toAPIKeyItem(k apikey.Key) apiKeyItem {
	return apiKeyItem{PK: apiKeyPK(k.ID), SK: apiKeySK, GSI1PK: "APIKEYS#" + k.AccountID, GSI1SK: sortableTime(k.CreatedAt) + "#" + k.ID,
		Version: k.Version, SecretHash: k.SecretHash, LastUsedAt: k.LastUsedAt, Data: toAPIKeyRow(k)}
}

func (it apiKeyItem) domain() apikey.Key {
	k := it.Data.domain()
	k.SecretHash, k.LastUsedAt, k.Version = it.SecretHash, it.LastUsedAt, it.Version
	return k
}

func decodeAPIKey(raw map[string]types.AttributeValue) (apikey.Key, error) {
	var it apiKeyItem
	if err := unmarshal(raw, &it); err != nil {
		return apikey.Key{}, fault.Wrap(fault.Internal, err, "could not decode an API key")
	}
	return it.domain(), nil
}

// APIKey implements apikey.Store and auth.APIKeyReader with one GetItem.
func (s *APIKeyStore) APIKey(ctx context.Context, id string) (apikey.Key, error) {
	return getItem(ctx, s.Table, apiKeyPK(id), apiKeySK, "API key", decodeAPIKey)
}

// APIKeys implements apikey.Store: one Query of gsi1 (an account has a handful of keys).
func (s *APIKeyStore) APIKeys(ctx context.Context, accountID string) ([]apikey.Key, error) {
	in, err := s.gsiPage("APIKEYS#"+accountID, "")
	if err != nil {
		return nil, err
	}
	var keys []apikey.Key
	for {
		out, err := s.Client.Query(ctx, in)
		if err != nil {
			return nil, storeError(err)
		}
		for _, raw := range out.Items {
			k, err := decodeAPIKey(raw)
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
		if len(out.LastEvaluatedKey) == 0 {
			return keys, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// SaveAPIKeys implements apikey.Store: each key new or over its stored version, with the
// audit entries in its account's log, in one transaction.
func (s *APIKeyStore) SaveAPIKeys(ctx context.Context, keys []apikey.Key, entries []audit.Entry) error {
	var items []types.TransactWriteItem
	for _, k := range keys {
		item, err := marshal(toAPIKeyItem(k))
		if err != nil {
			return fault.Wrap(fault.Internal, err, "could not encode an API key")
		}
		if k.Version == 1 {
			items = append(items, s.putNew(item))
		} else {
			items = append(items, s.putVersioned(item, k.Version))
		}
	}
	audits, err := s.auditPuts(keys[0].AccountID, entries)
	if err != nil {
		return err
	}
	if failed, err := s.transact(ctx, append(items, audits...)); len(failed) > 0 {
		return fault.New(fault.Conflict, "the key changed since it was read; read it again")
	} else if err != nil {
		return err
	}
	return nil
}

// TouchAPIKey implements auth.APIKeyUse: one UpdateItem of the last use, on a key that
// still exists.
func (s *APIKeyStore) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	_, err := s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Name, Key: key(apiKeyPK(id), apiKeySK),
		UpdateExpression:          aws.String("SET lastUsedAt = :at"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)}}})
	return storeError(err)
}
