package dynamo

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
)

// The published token keys are one item: every protected function reads it, only the
// sign-in function writes it.
const tokenKeysPK, tokenKeysSK = "TOKENKEYS", "TOKENKEYS"

type tokenKeysItem struct {
	PK      string    `json:"pk"`
	SK      string    `json:"sk"`
	Version int       `json:"version"`
	Data    keySetRow `json:"data"`
}

func toTokenKeysItem(ks auth.KeySet) tokenKeysItem {
	return tokenKeysItem{PK: tokenKeysPK, SK: tokenKeysSK, Version: ks.Version, Data: toKeySetRow(ks)}
}

// TokenKeys implements auth.KeyReader with one consistent GetItem: a key published a
// moment ago verifies at once.
func (s *KeyStore) TokenKeys(ctx context.Context) (auth.KeySet, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: key(tokenKeysPK, tokenKeysSK),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return auth.KeySet{}, storeError(err)
	}
	var it tokenKeysItem
	if out.Item == nil {
		return auth.KeySet{}, nil
	}
	if err := unmarshal(out.Item, &it); err != nil {
		return auth.KeySet{}, fault.Wrap(fault.Internal, err, "could not decode the token keys")
	}
	ks := it.Data.domain()
	ks.Version = it.Version
	return ks, nil
}

// SaveTokenKeys implements auth.Store: it writes ks when the stored copy has version
// ks.Version-1 (none, for version 1); Conflict otherwise.
func (s *KeyStore) SaveTokenKeys(ctx context.Context, ks auth.KeySet) error {
	item, err := marshal(toTokenKeysItem(ks))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the token keys")
	}
	in := &dynamodb.PutItemInput{TableName: &s.Name, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}
	if ks.Version > 1 {
		in.ConditionExpression = aws.String("version = :prev")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":prev": &types.AttributeValueMemberN{Value: strconv.Itoa(ks.Version - 1)}}
	}
	if _, err := s.Client.PutItem(ctx, in); err != nil {
		return storeError(err)
	}
	return nil
}
