package dynamo

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/numbering"
)

const guardBlock = "block"

type rangeItem struct {
	PK   string   `json:"pk"`
	SK   string   `json:"sk"`
	Data rangeRow `json:"data"`
}

// toRangeItem is r under the account at pk: its own (RANGE#<start>), or its parent's
// listing of its children's ranges (SUBRANGE#<start>).
func toRangeItem(pk, sk string, r numbering.Range) rangeItem {
	return rangeItem{PK: pk, SK: sk, Data: toRangeRow(r)}
}

type blockItem struct {
	PK   string   `json:"pk"`
	SK   string   `json:"sk"`
	Data blockRow `json:"data"`
}

func toBlockItem(b numbering.Block) blockItem {
	return blockItem{PK: accountPK(b.AccountID), SK: "BLOCK#" + b.First, Data: toBlockRow(b)}
}

// queryPrefix returns every item of a partition whose sort key starts with prefix.
func (t *Table) queryPrefix(ctx context.Context, pk, prefix string) ([]map[string]types.AttributeValue, error) {
	return t.queryAll(ctx, &dynamodb.QueryInput{
		TableName: &t.Name, KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":prefix": &types.AttributeValueMemberS{Value: prefix},
		},
	}, 0)
}

// queryAll returns the items of a Query, reading page after page: all of them, or the
// first limit when limit is above zero.
func (t *Table) queryAll(ctx context.Context, in *dynamodb.QueryInput, limit int) ([]map[string]types.AttributeValue, error) {
	if limit > 0 {
		in.Limit = aws.Int32(int32(limit))
	}
	p := dynamodb.NewQueryPaginator(t.Client, in)
	var items []map[string]types.AttributeValue
	for p.HasMorePages() && (limit <= 0 || len(items) < limit) {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, storeError(err)
		}
		items = append(items, page.Items...)
	}
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

// Ranges implements numbering.Store.
func (s *NumberingStore) Ranges(ctx context.Context, accountID string) ([]numbering.Range, error) {
	items, err := s.queryPrefix(ctx, accountPK(accountID), "RANGE#")
	if err != nil {
		return nil, err
	}
	ranges, err := decodeAll[rangeRow](items, "number range")
	for i := range ranges {
		if ranges[i].ID == "" { // stored before ranges had IDs
			ranges[i].ID = numbering.RangeID(ranges[i].Start)
		}
	}
	return ranges, err
}

// AddRange implements numbering.Store. A child's range is listed under its parent too
// (SUBRANGE#<start>), and the list's version item (SUBRANGE#~) is bumped with a check, so
// two children adding ranges at once cannot both pass the overlap check on a stale list.
func (s *NumberingStore) AddRange(ctx context.Context, r numbering.Range, parentID string, childVersion int, entry audit.Entry, idem *idempotency.Record) error {
	rows := []any{toRangeItem(accountPK(r.AccountID), "RANGE#"+r.Start, r)}
	if parentID != "" {
		rows = append(rows, toRangeItem(accountPK(parentID), subrangeSK(r.Start), r))
	}
	items, err := s.putsNew(rows)
	if err != nil {
		return err
	}
	if parentID != "" {
		lock, err := marshal(subrangeVersion{PK: accountPK(parentID), SK: subrangeVersionSK, Version: childVersion + 1})
		if err != nil {
			return fault.Wrap(fault.Internal, err, "could not encode the range list's version")
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.Name, Item: lock,
			ConditionExpression:       aws.String("attribute_not_exists(pk) OR version = :seen"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":seen": num(int64(childVersion))}}})
	}
	if items, err = s.withIdempotency(items, idem); err != nil {
		return err
	}
	audits, err := s.auditPuts(r.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// DeleteRange implements numbering.Store in one transaction.
func (s *NumberingStore) DeleteRange(ctx context.Context, r numbering.Range, parentID string, entry audit.Entry) error {
	items := []types.TransactWriteItem{{Delete: &types.Delete{TableName: &s.Name, Key: key(accountPK(r.AccountID), "RANGE#"+r.Start),
		ConditionExpression: aws.String("attribute_exists(pk)")}}}
	if parentID != "" {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(accountPK(parentID), subrangeSK(r.Start))}})
	}
	audits, err := s.auditPuts(r.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	failed, err := s.transact(ctx, append(items, audits...))
	if slices.Contains(failed, 0) {
		return fault.New(fault.NotFound, "no such number range")
	}
	return err
}

func subrangeSK(start string) string { return "SUBRANGE#" + start }

// subrangeVersionSK sorts after every SUBRANGE#+… key, so one Query reads the list and
// its version.
const subrangeVersionSK = "SUBRANGE#~"

type subrangeVersion struct {
	PK      string `json:"pk"`
	SK      string `json:"sk"`
	Version int    `json:"version"`
}

// ChildRanges implements numbering.Store with one Query.
func (s *NumberingStore) ChildRanges(ctx context.Context, parentID string) ([]numbering.Range, int, error) {
	items, err := s.queryPrefix(ctx, accountPK(parentID), "SUBRANGE#")
	if err != nil {
		return nil, 0, err
	}
	version := 0
	var ranges []numbering.Range
	for _, raw := range items {
		if sk, _ := raw["sk"].(*types.AttributeValueMemberS); sk != nil && sk.Value == subrangeVersionSK {
			var v subrangeVersion
			if err := unmarshal(raw, &v); err != nil {
				return nil, 0, fault.Wrap(fault.Internal, err, "could not decode the range list's version")
			}
			version = v.Version
			continue
		}
		var it rangeItem
		if err := unmarshal(raw, &it); err != nil {
			return nil, 0, fault.Wrap(fault.Internal, err, "could not decode a child's range")
		}
		ranges = append(ranges, it.Data.domain())
	}
	return ranges, version, nil
}

// Blocks implements numbering.Store.
func (s *NumberingStore) Blocks(ctx context.Context, accountID string) ([]numbering.Block, error) {
	items, err := s.queryPrefix(ctx, accountPK(accountID), "BLOCK#")
	if err != nil {
		return nil, err
	}
	return decodeAll[blockRow](items, "number block")
}

// AddBlock implements numbering.Store. A guard on the block's first number makes two
// concurrent assignments of the same block fail but one.
func (s *NumberingStore) AddBlock(ctx context.Context, b numbering.Block, entry audit.Entry, idem *idempotency.Record) error {
	items, err := s.putsNew([]any{
		toBlockItem(b),
		guard{PK: guardPK(guardBlock, b.First), SK: guardSK, Owner: accountPK(b.AccountID)},
	})
	if err != nil {
		return err
	}
	if items, err = s.withIdempotency(items, idem); err != nil {
		return err
	}
	audits, err := s.auditPuts(b.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// InUse implements numbering.Store with one BatchGetItem of number guards per 100.
func (s *NumberingStore) InUse(ctx context.Context, numbers []string) (map[string]bool, error) {
	used := map[string]bool{}
	if len(numbers) == 0 {
		return used, nil
	}
	keys := make([]map[string]types.AttributeValue, 0, len(numbers))
	for _, n := range numbers {
		keys = append(keys, key(guardPK(guardNumber, n), guardSK))
	}
	items, err := s.batchGet(ctx, keys, "pk")
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if pk, ok := it["pk"].(*types.AttributeValueMemberS); ok {
			used[pk.Value[len(guardPK(guardNumber, "")):]] = true
		}
	}
	return used, nil
}
