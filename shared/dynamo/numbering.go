package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/numbering"
)

var _ numbering.Store = (*Store)(nil)

const guardBlock = "block"

type rangeItem struct {
	PK   string          `json:"pk"`
	SK   string          `json:"sk"`
	Data numbering.Range `json:"data"`
}

type blockItem struct {
	PK   string          `json:"pk"`
	SK   string          `json:"sk"`
	Data numbering.Block `json:"data"`
}

// queryPrefix returns every item of a partition whose sort key starts with prefix.
func (s *Store) queryPrefix(ctx context.Context, pk, prefix string) ([]map[string]types.AttributeValue, error) {
	p := dynamodb.NewQueryPaginator(s.Client, &dynamodb.QueryInput{
		TableName: &s.Table, KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":prefix": &types.AttributeValueMemberS{Value: prefix},
		},
	})
	var items []map[string]types.AttributeValue
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, storeError(err)
		}
		items = append(items, page.Items...)
	}
	return items, nil
}

// Ranges implements numbering.Store.
func (s *Store) Ranges(ctx context.Context, accountID string) ([]numbering.Range, error) {
	items, err := s.queryPrefix(ctx, accountPK(accountID), "RANGE#")
	if err != nil {
		return nil, err
	}
	return decodeAll[numbering.Range](items, "number range")
}

// AddRange implements numbering.Store.
func (s *Store) AddRange(ctx context.Context, r numbering.Range, entry audit.Entry) error {
	items, err := s.putsNew([]any{rangeItem{PK: accountPK(r.AccountID), SK: "RANGE#" + r.Start, Data: r}})
	if err != nil {
		return err
	}
	audits, err := s.auditPuts(r.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// Blocks implements numbering.Store.
func (s *Store) Blocks(ctx context.Context, accountID string) ([]numbering.Block, error) {
	items, err := s.queryPrefix(ctx, accountPK(accountID), "BLOCK#")
	if err != nil {
		return nil, err
	}
	return decodeAll[numbering.Block](items, "number block")
}

// AddBlock implements numbering.Store. A guard on the block's first number makes two
// concurrent assignments of the same block fail but one.
func (s *Store) AddBlock(ctx context.Context, b numbering.Block, entry audit.Entry) error {
	items, err := s.putsNew([]any{
		blockItem{PK: accountPK(b.AccountID), SK: "BLOCK#" + b.First, Data: b},
		guard{PK: guardPK(guardBlock, b.First), SK: guardSK, Owner: accountPK(b.AccountID)},
	})
	if err != nil {
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
func (s *Store) InUse(ctx context.Context, numbers []string) (map[string]bool, error) {
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
