package dynamo

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
)

const throttleSK = "THROTTLE"

func throttlePK(key string) string { return "THROTTLE#" + key }

// throttleItem counts the failed sign-ins of one source for one sign-in name; the
// table's TTL removes it after the throttle window.
type throttleItem struct {
	Failures  int   `json:"failures"`
	Until     int64 `json:"until"`     // unix nanoseconds: when the window ends
	ExpiresAt int64 `json:"expiresAt"` // epoch seconds: the table's TTL attribute
}

// Throttle implements auth.Store.
func (s *ThrottleStore) Throttle(ctx context.Context, name string) (auth.Throttle, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: key(throttlePK(name), throttleSK)})
	if err != nil {
		return auth.Throttle{}, storeError(err)
	}
	var it throttleItem
	if out.Item != nil {
		if err := unmarshal(out.Item, &it); err != nil {
			return auth.Throttle{}, fault.Wrap(fault.Internal, err, "could not decode a sign-in throttle")
		}
	}
	return auth.Throttle{Failures: it.Failures, Until: time.Unix(0, it.Until)}, nil
}

// RecordFailure implements auth.Store with one UpdateItem: a failure after the window
// ended starts a new count.
func (s *ThrottleStore) RecordFailure(ctx context.Context, name string, now, until time.Time) error {
	num := func(v int64) types.AttributeValue {
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
	}
	_, err := s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.Name, Key: key(throttlePK(name), throttleSK),
		UpdateExpression:         aws.String("SET failures = if_not_exists(failures, :zero) + :one, #until = :until, expiresAt = :exp"),
		ConditionExpression:      aws.String("attribute_not_exists(#until) OR #until > :now"),
		ExpressionAttributeNames: map[string]string{"#until": "until"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":zero": num(0), ":one": num(1), ":until": num(until.UnixNano()), ":now": num(now.UnixNano()), ":exp": num(until.Unix() + 60),
		},
	})
	if err == nil {
		return nil
	}
	if !fault.Is(storeError(err), fault.Conflict) {
		return storeError(err)
	}
	// The window had ended: start a new one with this failure.
	item, err := marshal(struct {
		PK string `json:"pk"`
		SK string `json:"sk"`
		throttleItem
	}{throttlePK(name), throttleSK, throttleItem{Failures: 1, Until: until.UnixNano(), ExpiresAt: until.Unix() + 60}})
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode a sign-in throttle")
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Name, Item: item}); err != nil {
		return storeError(err)
	}
	return nil
}

// ClearFailures implements auth.Store.
func (s *ThrottleStore) ClearFailures(ctx context.Context, name string) error {
	if _, err := s.Client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Name, Key: key(throttlePK(name), throttleSK)}); err != nil {
		return storeError(err)
	}
	return nil
}
