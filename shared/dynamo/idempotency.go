package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
)

const idempotencySK = "IDEM"

// idempotencyItem remembers the first request with a key, per scope.
type idempotencyItem struct {
	PK          string `json:"pk"`
	SK          string `json:"sk"`
	Fingerprint string `json:"fingerprint"`
	ResourceID  string `json:"resourceId"`
	ExpiresAt   int64  `json:"expiresAt"` // epoch seconds: the table's TTL attribute
}

func idempotencyPK(scope, key string) string { return "IDEM#" + scope + "#" + key }

// withIdempotency appends the put of idem, when there is one, to a create's items. The
// put is refused when the key is in use, so a concurrent request with the same key makes
// the whole transaction fail and the service answers with the first one's result.
func (t *Table) withIdempotency(items []types.TransactWriteItem, idem *idempotency.Record) ([]types.TransactWriteItem, error) {
	if idem == nil {
		return items, nil
	}
	item, err := marshal(idempotencyItem{PK: idempotencyPK(idem.Scope, idem.Key), SK: idempotencySK, Fingerprint: idem.Fingerprint,
		ResourceID: idem.ResourceID, ExpiresAt: idem.ExpiresAt.Unix()})
	if err != nil {
		return nil, fault.Wrap(fault.Internal, err, "could not encode the idempotency record")
	}
	return append(items, t.putNew(item)), nil
}

// Idempotency returns the record of a key in a scope. Expired records count as absent
// even before DynamoDB's TTL sweep removes them.
func (s *IdempotencyStore) Idempotency(ctx context.Context, scope, idemKey string) (idempotency.Record, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: key(idempotencyPK(scope, idemKey), idempotencySK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return idempotency.Record{}, storeError(err)
	}
	var it idempotencyItem
	if out.Item == nil {
		return idempotency.Record{}, fault.New(fault.NotFound, "unknown idempotency key")
	}
	if err := unmarshal(out.Item, &it); err != nil {
		return idempotency.Record{}, fault.Wrap(fault.Internal, err, "could not decode the idempotency record")
	}
	expires := time.Unix(it.ExpiresAt, 0)
	if !s.Now().Before(expires) {
		return idempotency.Record{}, fault.New(fault.NotFound, "idempotency key expired")
	}
	return idempotency.Record{Scope: scope, Key: idemKey, Fingerprint: it.Fingerprint, ResourceID: it.ResourceID, ExpiresAt: expires}, nil
}
