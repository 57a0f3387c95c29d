// Package dynamo is Provisio's single DynamoDB table: one Table client and, over it, one
// store per aggregate with its keys, item shapes and one method per access pattern.
// docs/storage.md has the key table. Every write of an API action is
// one TransactWriteItems holding the entity, its uniqueness guards, its audit entries and,
// where asked, the idempotency record.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
)

// gsi1 is the table's one global secondary index (gsi1pk, gsi1sk), sparse: only the items
// a listing needs carry its keys (docs/storage.md).
const gsi1 = "gsi1"

// Table is the one DynamoDB table every store below shares: one client, one name, one
// clock. Its unexported methods build the writes every store's transactions are made of
// (guards, audit entries, versioned puts).
type Table struct {
	Client *dynamodb.Client
	Name   string
	Now    func() time.Time
}

// NewTable returns table's client. It refuses to send a request whose expressions
// DynamoDB would refuse (see CheckExpressions).
func NewTable(client *dynamodb.Client, table string) *Table {
	return &Table{Client: dynamodb.New(client.Options(), withExpressionCheck), Name: table, Now: time.Now}
}

// Ping reads one key that is never written: it answers when DynamoDB and the table do.
func (t *Table) Ping(ctx context.Context) error {
	_, err := t.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &t.Name, Key: key("HEALTH", "HEALTH")})
	if err != nil {
		return storeError(err)
	}
	return nil
}

// The stores, one per aggregate, each over the shared table. A domain's Store interface
// names what the domain needs; its wiring (shared/app) serves it with the stores that
// keep those records. A write that spans aggregates (an account with its first user, a
// user with its subscription and porting request) is one transaction, written by the
// store of the aggregate the action creates.
type (
	// AccountStore keeps accounts, their children listing and their audit logs.
	AccountStore struct{ *Table }
	// UserStore keeps an account's users (contacts included) with their sign-in lookups,
	// email guards, number claims and subscriptions.
	UserStore struct{ *Table }
	// ResetStore keeps password-reset tokens.
	ResetStore struct{ *Table }
	// RegistrationStore keeps tenant registrations and their provisioning results.
	RegistrationStore struct{ *Table }
	// PortingStore keeps number porting requests.
	PortingStore struct{ *Table }
	// NumberingStore keeps number ranges and internal number blocks.
	NumberingStore struct{ *Table }
	// SIPStore keeps softphone client accounts and their one-time link tokens.
	SIPStore struct{ *Table }
	// BindingStore keeps the registrar's reports of registered softphone clients.
	BindingStore struct{ *Table }
	// CallStore keeps call records and their summary rows.
	CallStore struct{ *Table }
	// BillingStore keeps invoices.
	BillingStore struct{ *Table }
	// ContactStore lists and updates an account's contacts (members with contact details).
	ContactStore struct{ *Table }
	// IdempotencyStore reads the records that creates write in their transactions.
	IdempotencyStore struct{ *Table }
	// ThrottleStore counts failed sign-ins per name and address.
	ThrottleStore struct{ *Table }
	// KeyStore keeps the published token verification keys.
	KeyStore struct{ *Table }
	// APIKeyStore keeps the machines' API keys.
	APIKeyStore struct{ *Table }
	// WebhookStore keeps webhook endpoints and their deliveries.
	WebhookStore struct{ *Table }
)

// sortableTime formats t so that string order is time order (fixed width, UTC).
func sortableTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// marshal encodes an item using its json tags, so domain types need no storage tags.
func marshal(v any) (map[string]types.AttributeValue, error) {
	return attributevalue.MarshalMapWithOptions(v, func(o *attributevalue.EncoderOptions) { o.TagKey = "json" })
}

func unmarshal(m map[string]types.AttributeValue, v any) error {
	return attributevalue.UnmarshalMapWithOptions(m, v, func(o *attributevalue.DecoderOptions) { o.TagKey = "json" })
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk},
		"sk": &types.AttributeValueMemberS{Value: sk},
	}
}

// get reads the domain value kept under "data" in one item as its row R; NotFound names
// what.
func get[R row[T], T any](ctx context.Context, t *Table, pk, sk, what string) (T, error) {
	return getItem(ctx, t, pk, sk, what, dataOf[R](what))
}

// dataOf decodes the domain value kept under "data" in an item as its row R; an error
// names what.
func dataOf[R row[T], T any](what string) func(map[string]types.AttributeValue) (T, error) {
	return func(raw map[string]types.AttributeValue) (T, error) {
		var it struct {
			Data R `json:"data"`
		}
		if err := unmarshal(raw, &it); err != nil {
			var zero T
			return zero, fault.Wrap(fault.Internal, err, "could not decode the "+what)
		}
		return it.Data.domain(), nil
	}
}

// getItem reads one item and decodes it with from, its type's own decoder; NotFound
// names what.
func getItem[T any](ctx context.Context, t *Table, pk, sk, what string, from func(map[string]types.AttributeValue) (T, error)) (T, error) {
	var zero T
	out, err := t.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &t.Name, Key: key(pk, sk)})
	if err != nil {
		return zero, storeError(err)
	}
	if out.Item == nil {
		return zero, fault.New(fault.NotFound, "no such %s", what)
	}
	return from(out.Item)
}

// decodeEach decodes items with from, an item type's own decoder.
func decodeEach[T any](items []map[string]types.AttributeValue, from func(map[string]types.AttributeValue) (T, error)) ([]T, error) {
	out := make([]T, 0, len(items))
	for _, raw := range items {
		v, err := from(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// legacyData is the string at path inside an item's data ("tenant", "passwordHash"), or
// "": where items written before kept what now is an attribute of the item's own (a
// secret the domain value's JSON form leaves out).
func legacyData(raw map[string]types.AttributeValue, path ...string) string {
	m, _ := raw["data"].(*types.AttributeValueMemberM)
	for i, name := range path {
		if m == nil {
			return ""
		}
		if i == len(path)-1 {
			v, _ := m.Value[name].(*types.AttributeValueMemberS)
			if v == nil {
				return ""
			}
			return v.Value
		}
		m, _ = m.Value[name].(*types.AttributeValueMemberM)
	}
	return ""
}

// auditItem is one audit entry, kept under the audited entity's partition so its log is
// one Query, newest last.
// Its attributes are the entry's own, at the item's top level, so the log's entity filter
// reads one attribute.
type auditItem struct {
	PK       string               `json:"pk"`
	SK       string               `json:"sk"`
	At       time.Time            `json:"at"`
	Actor    string               `json:"actor"`
	Action   string               `json:"action"`
	Entity   string               `json:"entity"`
	EntityID string               `json:"entityId"`
	Diff     map[string]changeRow `json:"diff"`
}

// changeRow is one field's change in an audit entry, each side in its JSON form.
type changeRow struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

func toAuditItem(pk, sk string, e audit.Entry) auditItem {
	return auditItem{PK: pk, SK: sk, At: e.At, Actor: e.Actor, Action: e.Action, Entity: string(e.Entity), EntityID: e.EntityID,
		Diff: stringKeys(e.Diff, func(c audit.Change) changeRow { return changeRow(c) })}
}

func (it auditItem) domain() audit.Entry {
	return audit.Entry{At: it.At, Actor: it.Actor, Action: it.Action, Entity: audit.Kind(it.Entity), EntityID: it.EntityID,
		Diff: stringKeys(it.Diff, func(c changeRow) audit.Change { return audit.Change(c) })}
}

func (t *Table) auditPut(pk string, e audit.Entry, seq int) (types.TransactWriteItem, error) {
	item, err := marshal(toAuditItem(pk, fmt.Sprintf("AUDIT#%s#%02d", sortableTime(e.At), seq), e))
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &t.Name, Item: item}}, nil
}

// putNew is a Put that fails when the key exists.
func (t *Table) putNew(item map[string]types.AttributeValue) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName: &t.Name, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}
}

// putVersioned is a Put that fails unless the stored item has version-1.
func (t *Table) putVersioned(item map[string]types.AttributeValue, version int) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName: &t.Name, Item: item, ConditionExpression: aws.String("version = :prev"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":prev": &types.AttributeValueMemberN{Value: fmt.Sprint(version - 1)},
		},
	}}
}

// guard is an item whose only job is to make a value unique platform-wide.
type guard struct {
	PK    string `json:"pk"`
	SK    string `json:"sk"`
	Owner string `json:"owner"`
}

const guardSK = "UNIQUE"

func guardPK(kind, value string) string { return "UNIQUE#" + kind + "#" + value }

func (t *Table) guardPut(kind, value, owner string) (types.TransactWriteItem, error) {
	item, err := marshal(guard{PK: guardPK(kind, value), SK: guardSK, Owner: owner})
	return t.putNew(item), err
}

// guardAbsent is a check, inside a transaction, that no one holds a value of a kind.
func (t *Table) guardAbsent(kind, value string) types.TransactWriteItem {
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: &t.Name, Key: key(guardPK(kind, value), guardSK), ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}
}

// guardDelete releases a guard, but only the owner's: a value taken again since stays taken.
func (t *Table) guardDelete(kind, value, owner string) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{
		TableName: &t.Name, Key: key(guardPK(kind, value), guardSK),
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR #o = :owner"),
		ExpressionAttributeNames:  map[string]string{"#o": "owner"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":owner": &types.AttributeValueMemberS{Value: owner}},
	}}
}

// transact writes items in one transaction. It returns, for a cancelled transaction, a
// Conflict and the indexes of the items whose condition failed.
func (t *Table) transact(ctx context.Context, items []types.TransactWriteItem) ([]int, error) {
	_, err := t.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil, nil
	}
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		var failed []int
		for i, r := range canceled.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" {
				failed = append(failed, i)
			}
		}
		if len(failed) > 0 {
			return failed, fault.Wrap(fault.Conflict, err, "the record changed or exists already")
		}
		if conflicted(err) { // another transaction held an item: nothing was written
			return nil, &fault.Error{Code: fault.Conflict, Message: "a concurrent request is writing the same records: try again",
				Err: err, RetryAfter: time.Second}
		}
	}
	return nil, storeError(err)
}

// conflicted reports whether a transaction was cancelled because another one was writing
// the same items at that moment (TransactionConflict): trying again shortly succeeds.
func conflicted(err error) bool {
	var canceled *types.TransactionCanceledException
	if !errors.As(err, &canceled) {
		return false
	}
	for _, r := range canceled.CancellationReasons {
		if aws.ToString(r.Code) == "TransactionConflict" {
			return true
		}
	}
	return false
}

// storeError classifies an SDK error: a failed condition is a Conflict, anything else
// means the table could not be reached or used, which the caller may retry. No error
// stays no error, so a call's error can be returned through it as it is.
func storeError(err error) error {
	if err == nil {
		return nil
	}
	var own *fault.Error
	if errors.As(err, &own) { // refused in the process, before it was sent
		return own
	}
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return fault.Wrap(fault.Conflict, err, "the record changed or exists already")
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "ValidationException" {
		return fault.Wrap(fault.Internal, err, "the store refused a malformed request")
	}
	return fault.Wrap(fault.Unavailable, err, "the data store is unavailable; nothing was written, try again")
}
