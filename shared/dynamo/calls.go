package dynamo

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
)

const (
	callSK = "CALL"
	// maxTransaction is DynamoDB's limit of writes in one transaction.
	maxTransaction = 100
)

func callPK(id string) string { return "CALL#" + id }

func summarySK(rowID string) string { return "SUM#" + rowID }

func livePK(accountID string) string { return "LIVE#" + accountID }

// callItem is a call record, found by its ID, so each is stored once. A live record
// (call in progress) is also listed under gsi1 LIVE#<account> until the final record
// replaces it or its TTL removes it.
type callItem struct {
	PK        string        `json:"pk"`
	SK        string        `json:"sk"`
	Live      bool          `json:"live"`
	ExpiresAt int64         `json:"expiresAt,omitempty"`
	GSI1PK    string        `json:"gsi1pk,omitempty"`
	GSI1SK    string        `json:"gsi1sk,omitempty"`
	Data      callRecordRow `json:"data"`
}

// summaryItem is one summary row; its numbers sit at the top level so ingest can ADD to
// them. InvoicedDays counts a month's days on invoices, so the month itself cannot be.
type summaryItem struct {
	PK           string       `json:"pk"`
	SK           string       `json:"sk"`
	AccountID    string       `json:"accountId"`
	Period       calls.Period `json:"period"`
	Start        time.Time    `json:"start"`
	Calls        int64        `json:"calls"`
	Answered     int64        `json:"answered"`
	Seconds      int64        `json:"seconds"`
	CostMinor    int64        `json:"costMinor"`
	InvoiceID    string       `json:"invoiceId,omitempty"`
	InvoicedDays int64        `json:"invoicedDays,omitempty"`
}

func (it summaryItem) row() calls.Row {
	return calls.Row{ID: it.SK[len("SUM#"):], AccountID: it.AccountID, Period: it.Period, Start: it.Start, InvoiceID: it.InvoiceID,
		Totals: calls.Totals{Calls: it.Calls, Answered: it.Answered, Seconds: it.Seconds, CostMinor: it.CostMinor}}
}

func num(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// recordPut stores a record unless a final one with its ID is there: a live record may be
// sent again (refreshing it) and replaced by the final one.
func (t *Table) recordPut(r calls.Record) (types.TransactWriteItem, error) {
	it := callItem{PK: callPK(r.ID), SK: callSK, Live: r.InProgress, Data: toCallRecordRow(r)}
	if r.InProgress {
		it.ExpiresAt = r.Start.Add(calls.LiveFor).Unix()
		it.GSI1PK, it.GSI1SK = livePK(r.AccountID), sortableTime(r.Start)+"#"+r.ID
	}
	item, err := marshal(it)
	if err != nil {
		return types.TransactWriteItem{}, fault.Wrap(fault.Internal, err, "could not encode a call record")
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &t.Name, Item: item,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR live = :live"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":live": &types.AttributeValueMemberBOOL{Value: true}},
	}}, nil
}

// rowAdd adds a delta to its summary row, creating the row on first use. A daily or
// monthly row is invoiced by invoiceID ("": not invoiced) as ingest read it: the update
// is refused if that changed meanwhile, and ingest reads again.
func (t *Table) rowAdd(d calls.Delta, invoiceID string) types.TransactWriteItem {
	u := t.deltaAdd(key(accountPK(d.AccountID), summarySK(d.RowID)), d, "", nil)
	switch {
	case d.Period == calls.Live: // hours are never invoiced
	case invoiceID == "":
		u.ConditionExpression = aws.String("attribute_not_exists(invoiceId)")
	default:
		u.ConditionExpression = aws.String("invoiceId = :inv")
		u.ExpressionAttributeValues[":inv"] = &types.AttributeValueMemberS{Value: invoiceID}
	}
	return types.TransactWriteItem{Update: u}
}

// spendAdds add what the finished records cost to their accounts' spentMinor, one
// update per account, refused for an account that no longer exists.
func (t *Table) spendAdds(recs []calls.Record) []types.TransactWriteItem {
	cost := map[string]int64{}
	for _, r := range recs {
		if !r.InProgress && r.CostMinor != 0 {
			cost[r.AccountID] += r.CostMinor
		}
	}
	items := make([]types.TransactWriteItem, 0, len(cost))
	for _, id := range slices.Sorted(maps.Keys(cost)) {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: &t.Name, Key: key(accountPK(id), accountSK),
			UpdateExpression: aws.String("ADD spentMinor :cost"), ConditionExpression: aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":cost": num(cost[id])},
		}})
	}
	return items
}

// MarkLowBalance implements calls.Store with one conditional UpdateItem of the account.
func (s *CallStore) MarkLowBalance(ctx context.Context, accountID string, prev, at time.Time) error {
	in := &dynamodb.UpdateItemInput{TableName: &s.Name, Key: key(accountPK(accountID), accountSK),
		UpdateExpression:          aws.String("SET lowBalanceSince = :at"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(lowBalanceSince)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)}}}
	if !prev.IsZero() {
		in.ConditionExpression = aws.String("lowBalanceSince = :prev")
		in.ExpressionAttributeValues[":prev"] = &types.AttributeValueMemberS{Value: prev.UTC().Format(time.RFC3339Nano)}
	}
	_, err := s.Client.UpdateItem(ctx, in)
	return storeError(err)
}

// deltaAdd is the Update that ADDs d's totals to the item at k (a summary row, or a late
// charge), setting the row's account, period and start, and more with sets (", a = :a")
// and their values.
func (t *Table) deltaAdd(k map[string]types.AttributeValue, d calls.Delta, sets string, values map[string]types.AttributeValue) *types.Update {
	u := &types.Update{
		TableName: &t.Name, Key: k,
		UpdateExpression: aws.String("ADD calls :calls, answered :answered, seconds :seconds, costMinor :cost " +
			"SET accountId = :account, period = :period, #start = :start" + sets),
		ExpressionAttributeNames: map[string]string{"#start": "start"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":calls": num(d.Calls), ":answered": num(d.Answered), ":seconds": num(d.Seconds), ":cost": num(d.CostMinor),
			":account": &types.AttributeValueMemberS{Value: d.AccountID}, ":period": &types.AttributeValueMemberS{Value: string(d.Period)},
			":start": &types.AttributeValueMemberS{Value: d.Start.UTC().Format(time.RFC3339)},
		},
	}
	maps.Copy(u.ExpressionAttributeValues, values)
	return u
}

// invoicedRows reads which daily and monthly rows the finished records add to are
// invoiced: the invoice's ID by account ID + "/" + row ID.
func (s *CallStore) invoicedRows(ctx context.Context, recs []calls.Record) (map[string]string, error) {
	var keys []map[string]types.AttributeValue
	seen := map[string]bool{}
	for _, r := range recs {
		for _, p := range []calls.Period{calls.Daily, calls.Monthly} {
			if k := r.AccountID + "/" + calls.RowID(p, r.Start); !r.InProgress && !seen[k] {
				seen[k] = true
				keys = append(keys, key(accountPK(r.AccountID), summarySK(calls.RowID(p, r.Start))))
			}
		}
	}
	items, err := s.batchGet(ctx, keys, "accountId, sk, invoiceId")
	if err != nil {
		return nil, err
	}
	rows, err := decodeEach(items, summaryFrom)
	invoiced := map[string]string{}
	for _, r := range rows {
		if r.InvoiceID != "" {
			invoiced[r.AccountID+"/"+r.ID] = r.InvoiceID
		}
	}
	return invoiced, err
}

// Ingest implements calls.Store: as few transactions as fit, each holding records and
// the sums they add to their rows, so a record and its sums are written together or
// not at all. What records add to an invoiced row is also added to the row's late
// charge, for an adjustment invoice (billing.Late). A transaction refused for records
// already stored is written again without them; their IDs are returned. One refused
// because a row was invoiced meanwhile is written again after reading the rows again.
func (s *CallStore) Ingest(ctx context.Context, recs []calls.Record) ([]string, error) {
	invoiced, err := s.invoicedRows(ctx, recs)
	if err != nil {
		return nil, err
	}
	var duplicates []string
	retries := 0
	pending := slices.Clone(recs)
	for len(pending) > 0 {
		n := fitting(pending, invoiced)
		chunk := pending[:n]
		items := make([]types.TransactWriteItem, 0, maxTransaction)
		for _, r := range chunk {
			put, err := s.recordPut(r)
			if err != nil {
				return nil, err
			}
			items = append(items, put)
		}
		for _, d := range calls.Deltas(chunk) {
			inv := invoiced[d.AccountID+"/"+d.RowID]
			items = append(items, s.rowAdd(d, inv))
			if inv != "" && d.Period != calls.Live {
				items = append(items, s.lateAdd(d, inv))
			}
		}
		items = append(items, s.spendAdds(chunk)...)
		failed, err := s.transact(ctx, items)
		if err != nil && len(failed) == 0 {
			// Busy rows (one account's day, written by concurrent chunks) make DynamoDB
			// cancel one of two transactions; the loser waits a little and tries again.
			if conflicted(err) && retries < maxConflictRetries {
				retries++
				if err := pause(ctx, retries); err != nil {
					return nil, err
				}
				continue
			}
			return nil, err
		}
		if len(failed) > 0 {
			var keep []calls.Record
			for i, r := range chunk {
				if slices.Contains(failed, i) {
					duplicates = append(duplicates, r.ID)
				} else {
					keep = append(keep, r)
				}
			}
			pending = append(keep, pending[n:]...)
			if failed[len(failed)-1] >= len(chunk) { // a row was invoiced meanwhile
				if retries++; retries > maxConflictRetries {
					return nil, fault.Wrap(fault.Unavailable, err, "the summary rows kept changing while the call records were stored")
				}
				if invoiced, err = s.invoicedRows(ctx, pending); err != nil {
					return nil, err
				}
			}
			continue
		}
		pending = pending[n:]
	}
	return duplicates, nil
}

// maxConflictRetries bounds the retries of one ingest after transaction conflicts; a
// request or queue delivery that still conflicts is answered 503 or retried by SQS.
const maxConflictRetries = 5

// pause waits before the retry-th attempt: 20 ms doubling, with jitter so competing
// writers spread out.
func pause(ctx context.Context, retry int) error {
	d := time.Duration(10<<retry)*time.Millisecond + rand.N(10*time.Millisecond)
	select {
	case <-ctx.Done():
		return fault.Wrap(fault.Unavailable, ctx.Err(), "gave up waiting to store the call records")
	case <-time.After(d):
		return nil
	}
}

// fitting returns how many of recs, from the first, fit one transaction with the rows
// they add to, the late charges of the invoiced ones and their accounts' spending.
func fitting(recs []calls.Record, invoiced map[string]string) int {
	writes := map[string]bool{}
	for n, r := range recs {
		var fresh []string
		if !r.InProgress {
			if k := "spent:" + r.AccountID; r.CostMinor != 0 && !writes[k] {
				fresh = append(fresh, k)
			}
			for _, p := range calls.Periods {
				k := r.AccountID + "/" + calls.RowID(p, r.Start)
				if !writes[k] {
					fresh = append(fresh, k)
				}
				if invoiced[k] != "" && !writes["late:"+k] {
					fresh = append(fresh, "late:"+k)
				}
			}
		}
		if n+1+len(writes)+len(fresh) > maxTransaction {
			return n
		}
		for _, k := range fresh {
			writes[k] = true
		}
	}
	return len(recs)
}

// Accounts implements calls.Store with BatchGetItem, 100 keys a call.
func (s *CallStore) Accounts(ctx context.Context, ids []string) (map[string]account.Account, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		keys = append(keys, key(accountPK(id), accountSK))
	}
	items, err := s.batchGet(ctx, keys, "")
	if err != nil {
		return nil, err
	}
	accts, err := decodeEach(items, accountFrom)
	out := make(map[string]account.Account, len(accts))
	for _, a := range accts {
		out[a.ID] = a
	}
	return out, err
}

// FreshAccount implements calls.Store with a strongly consistent GetItem.
func (s *CallStore) FreshAccount(ctx context.Context, id string) (account.Account, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: key(accountPK(id), accountSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return account.Account{}, storeError(err)
	}
	if out.Item == nil {
		return account.Account{}, fault.New(fault.NotFound, "no such account")
	}
	return accountFrom(out.Item)
}

// batchGet reads keys with BatchGetItem, 100 a call, until nothing is left unprocessed;
// projection, when set, limits the attributes read.
func (t *Table) batchGet(ctx context.Context, keys []map[string]types.AttributeValue, projection string) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for start := 0; start < len(keys); start += 100 {
		ka := types.KeysAndAttributes{Keys: keys[start:min(start+100, len(keys))]}
		if projection != "" {
			ka.ProjectionExpression = aws.String(projection)
		}
		req := map[string]types.KeysAndAttributes{t.Name: ka}
		for len(req) > 0 {
			out, err := t.Client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, storeError(err)
			}
			items = append(items, out.Responses[t.Name]...)
			req = out.UnprocessedKeys
		}
	}
	return items, nil
}

// Rows implements calls.Store: one Query over the row IDs (which sort in time order).
func (s *CallStore) Rows(ctx context.Context, accountID, first, last string) ([]calls.Row, error) {
	items, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: &s.Name, KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :first AND :last"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":    &types.AttributeValueMemberS{Value: accountPK(accountID)},
			":first": &types.AttributeValueMemberS{Value: summarySK(first)}, ":last": &types.AttributeValueMemberS{Value: summarySK(last)},
		},
	}, 0)
	if err != nil {
		return nil, err
	}
	return decodeEach(items, summaryFrom)
}

// summaryFrom decodes a summary row's item.
func summaryFrom(raw map[string]types.AttributeValue) (calls.Row, error) {
	var it summaryItem
	if err := unmarshal(raw, &it); err != nil {
		return calls.Row{}, fault.Wrap(fault.Internal, err, "could not decode a summary row")
	}
	return it.row(), nil
}

// ChannelsInUse implements calls.Store: a counting Query of the account's live records.
func (s *CallStore) ChannelsInUse(ctx context.Context, accountID string, now time.Time) (int, error) {
	p := dynamodb.NewQueryPaginator(s.Client, &dynamodb.QueryInput{
		TableName: &s.Name, IndexName: aws.String(gsi1), Select: types.SelectCount,
		KeyConditionExpression: aws.String("gsi1pk = :pk"), FilterExpression: aws.String("expiresAt > :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: livePK(accountID)}, ":now": num(now.Unix()),
		},
	})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return 0, storeError(err)
		}
		n += int(out.Count)
	}
	return n, nil
}
