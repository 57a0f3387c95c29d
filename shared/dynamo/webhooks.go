package dynamo

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/webhook"
)

// DeliveryKeptFor is how long a delivery stays in the log (the table's TTL removes it).
const DeliveryKeptFor = 30 * 24 * time.Hour

func endpointSK(id string) string { return "WEBHOOK#" + id }

func deliveryPK(endpointID string) string { return "WHK#" + endpointID }

func deliverySK(id string) string { return "DLV#" + id }

// endpointItem is a webhook endpoint under its account. Its signing secrets are
// attributes of the item beside the data, as a SIP secret is: no view, audit difference
// or message can carry them.
type endpointItem struct {
	PK             string      `json:"pk"`
	SK             string      `json:"sk"`
	Version        int         `json:"version"`
	Secret         string      `json:"secret"`
	PreviousSecret string      `json:"previousSecret,omitempty"`
	Data           endpointRow `json:"data"`
}

// endpointRow is how a webhook.Endpoint is stored under data.
type endpointRow struct {
	ID            string    `json:"id"`
	AccountID     string    `json:"accountId"`
	URL           string    `json:"url"`
	Description   string    `json:"description,omitempty"`
	Events        []string  `json:"events"`
	Enabled       bool      `json:"enabled"`
	PreviousUntil time.Time `json:"previousUntil,omitzero"`
	CreatedAt     time.Time `json:"createdAt"`
	CreatedBy     string    `json:"createdBy"`
	UpdatedAt     time.Time `json:"updatedAt"`
	Version       int       `json:"version"`
}

func toEndpointRow(e webhook.Endpoint) endpointRow {
	return endpointRow{ID: e.ID, AccountID: e.AccountID, URL: e.URL, Description: e.Description,
		Events: each(e.Events, func(ev webhook.Event) string { return string(ev) }), Enabled: e.Enabled, PreviousUntil: e.PreviousUntil,
		CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy, UpdatedAt: e.UpdatedAt, Version: e.Version}
}

func (r endpointRow) domain() webhook.Endpoint {
	return webhook.Endpoint{ID: r.ID, AccountID: r.AccountID, URL: r.URL, Description: r.Description,
		Events: each(r.Events, func(ev string) webhook.Event { return webhook.Event(ev) }), Enabled: r.Enabled, PreviousUntil: r.PreviousUntil,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

func toEndpointItem(e webhook.Endpoint) endpointItem {
	return endpointItem{PK: accountPK(e.AccountID), SK: endpointSK(e.ID), Version: e.Version, Secret: e.Secret,
		PreviousSecret: e.PreviousSecret, Data: toEndpointRow(e)}
}

func endpointFrom(raw map[string]types.AttributeValue) (webhook.Endpoint, error) {
	var it endpointItem
	if err := unmarshal(raw, &it); err != nil {
		return webhook.Endpoint{}, fault.Wrap(fault.Internal, err, "could not decode a webhook endpoint")
	}
	e := it.Data.domain()
	e.Secret, e.PreviousSecret = it.Secret, it.PreviousSecret
	return e, nil
}

// deliveryItem is a delivery under its endpoint's own partition (an account's partition
// would grow with every event); gsi1 lists an endpoint's deliveries newest last.
type deliveryItem struct {
	PK        string      `json:"pk"`
	SK        string      `json:"sk"`
	GSI1PK    string      `json:"gsi1pk"`
	GSI1SK    string      `json:"gsi1sk"`
	ExpiresAt int64       `json:"expiresAt"`
	Data      deliveryRow `json:"data"`
}

// deliveryRow is how a webhook.Delivery is stored under data.
type deliveryRow struct {
	ID         string       `json:"id"`
	EndpointID string       `json:"endpointId"`
	AccountID  string       `json:"accountId"`
	EventID    string       `json:"eventId"`
	Type       string       `json:"type"`
	Status     string       `json:"status"`
	Attempts   []attemptRow `json:"attempts"`
	Body       string       `json:"body"`
	RoundStart int          `json:"roundStart,omitempty"`
	CreatedAt  time.Time    `json:"createdAt"`
	UpdatedAt  time.Time    `json:"updatedAt"`
}

// attemptRow is how a webhook.Attempt is stored.
type attemptRow struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"statusCode,omitempty"`
	LatencyMs  int64     `json:"latencyMs"`
	Error      string    `json:"error,omitempty"`
}

func toDeliveryRow(d webhook.Delivery) deliveryRow {
	return deliveryRow{ID: d.ID, EndpointID: d.EndpointID, AccountID: d.AccountID, EventID: d.EventID, Type: string(d.Type),
		Status: string(d.Status), Attempts: each(d.Attempts, func(a webhook.Attempt) attemptRow { return attemptRow(a) }), Body: string(d.Body),
		RoundStart: d.RoundStart, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func (r deliveryRow) domain() webhook.Delivery {
	attempts := each(r.Attempts, func(a attemptRow) webhook.Attempt { return webhook.Attempt(a) })
	if attempts == nil {
		attempts = []webhook.Attempt{}
	}
	return webhook.Delivery{ID: r.ID, EndpointID: r.EndpointID, AccountID: r.AccountID, EventID: r.EventID, Type: webhook.Event(r.Type),
		Status: webhook.DeliveryStatus(r.Status), Attempts: attempts, Body: json.RawMessage(r.Body), RoundStart: r.RoundStart,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func toDeliveryItem(d webhook.Delivery) deliveryItem {
	return deliveryItem{PK: deliveryPK(d.EndpointID), SK: deliverySK(d.ID), GSI1PK: "DELIVERIES#" + d.EndpointID,
		GSI1SK: sortableTime(d.CreatedAt) + "#" + d.ID, ExpiresAt: d.CreatedAt.Add(DeliveryKeptFor).Unix(), Data: toDeliveryRow(d)}
}

// writeEndpoint writes e with its audit entry, the Put refused unless cond holds.
func (s *WebhookStore) writeEndpoint(ctx context.Context, e webhook.Endpoint, entry audit.Entry, put func(map[string]types.AttributeValue) types.TransactWriteItem) error {
	item, err := marshal(toEndpointItem(e))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the webhook endpoint")
	}
	audits, err := s.auditPuts(e.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append([]types.TransactWriteItem{put(item)}, audits...))
	return err
}

// CreateEndpoint implements webhook.Store.
func (s *WebhookStore) CreateEndpoint(ctx context.Context, e webhook.Endpoint, entry audit.Entry) error {
	return s.writeEndpoint(ctx, e, entry, s.putNew)
}

// SaveEndpoint implements webhook.Store.
func (s *WebhookStore) SaveEndpoint(ctx context.Context, e webhook.Endpoint, entry audit.Entry) error {
	return s.writeEndpoint(ctx, e, entry, func(item map[string]types.AttributeValue) types.TransactWriteItem {
		return s.putVersioned(item, e.Version)
	})
}

// DeleteEndpoint implements webhook.Store.
func (s *WebhookStore) DeleteEndpoint(ctx context.Context, e webhook.Endpoint, entry audit.Entry) error {
	audits, err := s.auditPuts(e.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	del := types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(accountPK(e.AccountID), endpointSK(e.ID)),
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.Itoa(e.Version)}}}}
	_, err = s.transact(ctx, append([]types.TransactWriteItem{del}, audits...))
	return err
}

// Endpoint implements webhook.Store.
func (s *WebhookStore) Endpoint(ctx context.Context, accountID, id string) (webhook.Endpoint, error) {
	return getItem(ctx, s.Table, accountPK(accountID), endpointSK(id), "webhook endpoint", endpointFrom)
}

// Endpoints implements webhook.Store: one Query of the account's WEBHOOK# items.
func (s *WebhookStore) Endpoints(ctx context.Context, accountID string) ([]webhook.Endpoint, error) {
	items, err := s.queryPrefix(ctx, accountPK(accountID), "WEBHOOK#")
	if err != nil {
		return nil, err
	}
	return decodeEach(items, endpointFrom)
}

// CreateDelivery implements webhook.Store with a conditional PutItem.
func (s *WebhookStore) CreateDelivery(ctx context.Context, d webhook.Delivery) error {
	item, err := marshal(toDeliveryItem(d))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the delivery")
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Name, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
	return storeError(err)
}

// SaveDelivery implements webhook.Store with a PutItem: only the one attempt in flight
// writes a delivery.
func (s *WebhookStore) SaveDelivery(ctx context.Context, d webhook.Delivery) error {
	item, err := marshal(toDeliveryItem(d))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the delivery")
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Name, Item: item, ConditionExpression: aws.String("attribute_exists(pk)")})
	return storeError(err)
}

// Delivery implements webhook.Store. The delivery's endpoint must be the account's.
func (s *WebhookStore) Delivery(ctx context.Context, accountID, endpointID, id string) (webhook.Delivery, error) {
	d, err := get[deliveryRow](ctx, s.Table, deliveryPK(endpointID), deliverySK(id), "delivery")
	if err == nil && d.AccountID != accountID {
		return webhook.Delivery{}, fault.New(fault.NotFound, "no such delivery")
	}
	return d, err
}

// Deliveries implements webhook.Store: gsi1, newest first.
func (s *WebhookStore) Deliveries(ctx context.Context, accountID, endpointID, cursor string, limit int) ([]webhook.Delivery, string, error) {
	in, err := s.gsiPage("DELIVERIES#"+endpointID, cursor)
	if err != nil {
		return nil, "", err
	}
	in.ScanIndexForward = aws.Bool(false)
	var where filter
	where.dataIs("accountId", accountID)
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[deliveryRow]("delivery"))
}

// parkedPK is the partition of the webhook events SQS did not take, ordered by when each
// happened. It is read only by the dispatcher's sweep, and holds items only while SQS is
// refusing events.
const parkedPK = "PARKED#WEBHOOK-EVENTS"

// parkedOrder is a sort key's time: fixed width, so that text order is time order.
const parkedOrder = "2006-01-02T15:04:05.000000000Z"

// parkedItem is a parked event: the message as it goes on the queue, whole.
type parkedItem struct {
	PK      string `json:"pk"`
	SK      string `json:"sk"`
	Message string `json:"message"`
}

func parkedSK(m webhook.Message) string { return m.OccurredAt.UTC().Format(parkedOrder) + "#" + m.ID }

// Park implements webhook.Parking with one PutItem.
func (s *WebhookStore) Park(ctx context.Context, m webhook.Message) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the event")
	}
	item, err := marshal(parkedItem{PK: parkedPK, SK: parkedSK(m), Message: string(raw)})
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the event")
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Name, Item: item})
	return storeError(err)
}

// Parked implements webhook.Parking with one Query, the oldest first.
func (s *WebhookStore) Parked(ctx context.Context, limit int) ([]webhook.Message, error) {
	out, err := s.Client.Query(ctx, &dynamodb.QueryInput{TableName: &s.Name, KeyConditionExpression: aws.String("pk = :pk"), Limit: aws.Int32(int32(limit)),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: parkedPK}}})
	if err != nil {
		return nil, storeError(err)
	}
	return decodeEach(out.Items, func(raw map[string]types.AttributeValue) (webhook.Message, error) {
		var it parkedItem
		var m webhook.Message
		if err := unmarshal(raw, &it); err != nil {
			return m, fault.Wrap(fault.Internal, err, "could not decode a parked event")
		}
		if err := json.Unmarshal([]byte(it.Message), &m); err != nil {
			return m, fault.Wrap(fault.Internal, err, "could not decode a parked event")
		}
		return m, nil
	})
}

// Unpark implements webhook.Parking with one DeleteItem.
func (s *WebhookStore) Unpark(ctx context.Context, m webhook.Message) error {
	_, err := s.Client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Name, Key: key(parkedPK, parkedSK(m))})
	return storeError(err)
}
