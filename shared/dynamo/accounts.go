package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
)

const (
	accountSK = "ACC"
	loginSK   = "LOGIN"
)

func accountPK(id string) string { return "ACC#" + id }

// accountItem is an account row; gsi1 lists an account's children.
type accountItem struct {
	PK      string          `json:"pk"`
	SK      string          `json:"sk"`
	GSI1PK  string          `json:"gsi1pk"`
	GSI1SK  string          `json:"gsi1sk"`
	Version int             `json:"version"`
	Data    account.Account `json:"data"`
}

// memberItem is a user of an account, under the account's partition.
type memberItem struct {
	PK   string         `json:"pk"`
	SK   string         `json:"sk"`
	Data account.Member `json:"data"`
}

// loginItem finds a user from what they type at sign-in: domain and user name.
type loginItem struct {
	PK        string `json:"pk"`
	SK        string `json:"sk"`
	AccountID string `json:"accountId"`
	UserID    string `json:"userId"`
}

func loginPK(domain, username string) string { return "LOGIN#" + lower(domain) + "#" + lower(username) }

// accountPuts returns the writes that create an account with its first administrator: the
// rows, the realm guard and the sign-in lookup, each refused if it exists.
func (s *Store) accountPuts(acct account.Account, admin account.Member) ([]types.TransactWriteItem, error) {
	rows := []any{
		accountItem{PK: accountPK(acct.ID), SK: accountSK, GSI1PK: "CHILDREN#" + acct.ParentID, GSI1SK: "ACC#" + acct.ID, Version: acct.Version, Data: acct},
		memberItem{PK: accountPK(acct.ID), SK: "USER#" + admin.ID, Data: admin},
		loginItem{PK: loginPK(acct.Domain, admin.Username), SK: loginSK, AccountID: acct.ID, UserID: admin.ID},
		guard{PK: guardPK(guardRealm, acct.Realm), SK: guardSK, Owner: accountPK(acct.ID)},
	}
	items := make([]types.TransactWriteItem, 0, len(rows))
	for _, row := range rows {
		item, err := marshal(row)
		if err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not encode the account")
		}
		items = append(items, s.putNew(item))
	}
	return items, nil
}

// Account returns an account; NotFound when there is none.
func (s *Store) Account(ctx context.Context, id string) (account.Account, error) {
	return get[account.Account](ctx, s, accountPK(id), accountSK, "account")
}

// Members returns the users of an account.
func (s *Store) Members(ctx context.Context, accountID string) ([]account.Member, error) {
	out, err := s.Client.Query(ctx, &dynamodb.QueryInput{
		TableName: &s.Table, KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :user)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: accountPK(accountID)}, ":user": &types.AttributeValueMemberS{Value: "USER#"},
		},
	})
	if err != nil {
		return nil, storeError(err)
	}
	members := make([]account.Member, 0, len(out.Items))
	for _, raw := range out.Items {
		var it memberItem
		if err := unmarshal(raw, &it); err != nil {
			return nil, fault.Wrap(fault.Internal, err, "could not decode a user")
		}
		members = append(members, it.Data)
	}
	return members, nil
}
