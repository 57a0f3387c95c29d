package dynamo

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/fault"
)

var _ contact.Store = (*Store)(nil)

// Contacts implements contact.Store: the account's users that are contacts, one page.
func (s *Store) Contacts(ctx context.Context, accountID, cursor string, limit int) ([]account.Member, string, error) {
	pk := accountPK(accountID)
	start, err := decodeCursor(cursor, "pk", pk)
	if err != nil {
		return nil, "", err
	}
	out, err := s.Client.Query(ctx, &dynamodb.QueryInput{
		TableName: &s.Table, Limit: aws.Int32(int32(limit)), ExclusiveStartKey: start,
		KeyConditionExpression:   aws.String("pk = :pk AND begins_with(sk, :user)"),
		FilterExpression:         aws.String("attribute_exists(#d.contact)"),
		ExpressionAttributeNames: map[string]string{"#d": "data"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":user": &types.AttributeValueMemberS{Value: "USER#"},
		},
	})
	if err != nil {
		return nil, "", storeError(err)
	}
	ms, err := decodeAll[account.Member](out.Items, "contact")
	return ms, encodeCursor(out.LastEvaluatedKey), err
}

// SaveContact implements contact.Store in one transaction: the contact (version-checked),
// its sign-in lookups and email guard moved when the login email changed, the account
// when changed, and the audit entries.
func (s *Store) SaveContact(ctx context.Context, acct account.Account, before, after account.Member, entries []audit.Entry, changed *account.Account) error {
	put, err := s.memberPut(after)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{put}
	if oldNames, newNames := loginNames(before), loginNames(after); !slices.Equal(oldNames, newNames) || before.Email != after.Email {
		var rows []any
		for _, d := range loginDomains(acct) {
			for _, name := range oldNames {
				items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Table, Key: key(loginPK(d, name), loginSK)}})
			}
			for _, name := range newNames {
				rows = append(rows, loginItem{PK: loginPK(d, name), SK: loginSK, AccountID: acct.ID, UserID: after.ID})
			}
		}
		items = append(items, s.guardDelete(guardEmail, lower(before.Email), userOwner(before)))
		rows = append(rows, guard{PK: guardPK(guardEmail, lower(after.Email)), SK: guardSK, Owner: userOwner(after)})
		puts, err := s.putsNew(rows)
		if err != nil {
			return err
		}
		items = append(items, puts...)
	}
	if changed != nil {
		item, err := marshal(toAccountItem(*changed))
		if err != nil {
			return fault.Wrap(fault.Internal, err, "could not encode the account")
		}
		items = append(items, s.putVersioned(item, changed.Version))
	}
	audits, err := s.auditPuts(acct.ID, entries)
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}
