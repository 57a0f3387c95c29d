package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/porting"
)

const portingSK = "PORT"

func portingPK(id string) string { return "PORT#" + id }

func portingOwner(p porting.Request) string { return portingPK(p.ID) }

// portingItem is a porting request, found by its ID alone (operators and links name it
// so); gsi1 lists an account's requests, oldest first.
type portingItem struct {
	PK      string     `json:"pk"`
	SK      string     `json:"sk"`
	GSI1PK  string     `json:"gsi1pk"`
	GSI1SK  string     `json:"gsi1sk"`
	Version int        `json:"version"`
	Data    portingRow `json:"data"`
}

func toPortingItem(p porting.Request) portingItem {
	return portingItem{PK: portingPK(p.ID), SK: portingSK, GSI1PK: "PORTS#" + p.AccountID, GSI1SK: sortableTime(p.CreatedAt) + "#" + p.ID,
		Version: p.Version, Data: toPortingRow(p)}
}

// deskItem is a porting request's row on the operators' desk, across every account:
// under the request's own partition, so every save puts it in place; gsi1 lists the open
// queue (every state but the final two) in one partition and each final state in its
// own, sorted by when the request is due (DUE#<due>#<id>).
type deskItem struct {
	PK     string     `json:"pk"`
	SK     string     `json:"sk"`
	GSI1PK string     `json:"gsi1pk"`
	GSI1SK string     `json:"gsi1sk"`
	Data   portingRow `json:"data"`
}

const (
	deskSK  = "DESK"
	deskDue = "DUE#"
)

// deskPartition is the gsi1 partition of the requests in status: the open queue, or a
// final state's.
func deskPartition(status porting.Status) string {
	if status.Final() {
		return "PORTDESK#" + string(status)
	}
	return "PORTDESK#open"
}

func toDeskItem(p porting.Request) deskItem {
	return deskItem{PK: portingPK(p.ID), SK: deskSK, GSI1PK: deskPartition(p.Status), GSI1SK: deskDue + sortableTime(p.Due()) + "#" + p.ID,
		Data: toPortingRow(p)}
}

// Desk implements porting.Store. The due span is a key condition; a status within the
// open queue and the account are filters on the request's data, so a page reads on until it is full
// (pageFiltered). The open queue reads what is due first; a final state, latest first.
func (s *PortingStore) Desk(ctx context.Context, f porting.DeskFilter, cursor string, limit int) ([]porting.Request, string, error) {
	pk := deskPartition(f.Status)
	start, err := decodeCursor(cursor, "gsi1pk", pk)
	if err != nil {
		return nil, "", err
	}
	from, to := spanKeys(deskDue, f.From, f.To)
	values := map[string]types.AttributeValue{
		":pk": &types.AttributeValueMemberS{Value: pk}, ":from": &types.AttributeValueMemberS{Value: from},
		":to": &types.AttributeValueMemberS{Value: to},
	}
	in := &dynamodb.QueryInput{
		TableName: &s.Name, IndexName: aws.String(gsi1), ExclusiveStartKey: start, ScanIndexForward: aws.Bool(!f.Status.Final()),
		KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to"), ExpressionAttributeValues: values,
	}
	var where filter
	if f.Status != "" && !f.Status.Final() {
		where.dataIs("status", string(f.Status))
	}
	if f.AccountID != "" {
		where.dataIs("accountId", f.AccountID)
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[portingRow]("porting request of the desk"))
}

// RecordAudit implements porting.Store with one PutItem: a lone entry needs no
// transaction (which would cost twice the write).
func (s *PortingStore) RecordAudit(ctx context.Context, accountID string, entry audit.Entry) error {
	put, err := s.auditPut(accountPK(accountID), entry, 0)
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the audit entry")
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: put.Put.TableName, Item: put.Put.Item}); err != nil {
		return storeError(err)
	}
	return nil
}

// Porting implements porting.Store.
func (s *PortingStore) Porting(ctx context.Context, id string) (porting.Request, error) {
	return get[portingRow](ctx, s.Table, portingPK(id), portingSK, "porting request")
}

// Portings implements porting.Store.
// The status is a filter, so a page reads on until it is full (pageFiltered).
func (s *PortingStore) Portings(ctx context.Context, accountID string, status porting.Status, cursor string, limit int) ([]porting.Request, string, error) {
	in, err := s.gsiPage("PORTS#"+accountID, cursor)
	if err != nil {
		return nil, "", err
	}
	var where filter
	if status != "" {
		where.dataIs("status", string(status))
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, dataOf[portingRow]("porting request"))
}

// SavePorting implements porting.Store. On completion the subscription takes the ported
// number, the temporary number is released and the ported number's claim passes to the
// user; on cancellation the claim is released; all in the same transaction.
func (s *PortingStore) SavePorting(ctx context.Context, p porting.Request, entry audit.Entry, idem *idempotency.Record) error {
	item, err := marshal(toPortingItem(p))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the porting request")
	}
	desk, err := marshal(toDeskItem(p))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the porting request's desk row")
	}
	items := []types.TransactWriteItem{s.putVersioned(item, p.Version), {Put: &types.Put{TableName: &s.Name, Item: desk}}}
	status := p.Status
	if n := len(p.Timeline); n > 0 && p.Timeline[n-1].CommentOnly {
		status = "" // a comment: the status and what it holds are as they were
	}
	switch status {
	case porting.Completed:
		sub, err := get[subscriptionRow](ctx, s.Table, accountPK(p.AccountID), subscriptionSK(p.SubscriptionID), "subscription")
		if err != nil {
			return err
		}
		owner := accountPK(p.AccountID) + "#" + memberSK(p.UserID)
		if sub.Number != "" {
			items = append(items, s.guardDelete(guardNumber, sub.Number, owner))
		}
		sub.Number, sub.Version = p.Number, sub.Version+1
		subItem, err := marshal(toSubscriptionItem(sub))
		if err != nil {
			return fault.Wrap(fault.Internal, err, "could not encode the subscription")
		}
		claim, err := marshal(guard{PK: guardPK(guardNumber, p.Number), SK: guardSK, Owner: owner})
		if err != nil {
			return fault.Wrap(fault.Internal, err, "could not encode the number claim")
		}
		items = append(items, s.putVersioned(subItem, sub.Version),
			types.TransactWriteItem{Put: &types.Put{TableName: &s.Name, Item: claim, ConditionExpression: aws.String("#o = :porting"),
				ExpressionAttributeNames:  map[string]string{"#o": "owner"},
				ExpressionAttributeValues: map[string]types.AttributeValue{":porting": &types.AttributeValueMemberS{Value: portingOwner(p)}}}})
	case porting.Canceled:
		items = append(items, s.guardDelete(guardNumber, p.Number, portingOwner(p)))
	}
	if !p.PreparedAt.IsZero() || p.Status == porting.Canceled { // off the sweep's list (a no-op once gone)
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(unpreparedPK, unpreparedSK(p))}})
	}
	audits, err := s.auditPuts(p.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	if items, err = s.withIdempotency(append(items, audits...), idem); err != nil {
		return err
	}
	_, err = s.transact(ctx, items)
	return err
}

// unpreparedItem lists a porting request until the porting consumer has prepared it, so
// the sweep can queue again a request whose job was lost. Few are ever listed at once.
type unpreparedItem struct {
	PK        string `json:"pk"`
	SK        string `json:"sk"`
	AccountID string `json:"accountId"`
	PortingID string `json:"portingId"`
}

const unpreparedPK = "PORTPREP"

func unpreparedSK(p porting.Request) string { return sortableTime(p.CreatedAt) + "#" + p.ID }

// Unprepared implements porting.Store.
func (s *PortingStore) Unprepared(ctx context.Context, cutoff time.Time) ([]porting.Job, error) {
	out, err := s.Client.Query(ctx, &dynamodb.QueryInput{
		TableName: &s.Name, Limit: aws.Int32(500), KeyConditionExpression: aws.String("pk = :pk AND sk < :cutoff"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: unpreparedPK}, ":cutoff": &types.AttributeValueMemberS{Value: sortableTime(cutoff)},
		},
	})
	if err != nil {
		return nil, storeError(err)
	}
	jobs := make([]porting.Job, 0, len(out.Items))
	for _, raw := range out.Items {
		var it unpreparedItem
		if err := unmarshal(raw, &it); err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not decode an unprepared porting request")
		}
		jobs = append(jobs, porting.Job{AccountID: it.AccountID, PortingID: it.PortingID})
	}
	return jobs, nil
}
