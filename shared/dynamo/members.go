package dynamo

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
)

const resetSK = "RESET"

func resetPK(tokenHash string) string { return "RESET#" + tokenHash }

// resetItem is a pending password reset, gone by TTL when it expires.
type resetItem struct {
	PK        string   `json:"pk"`
	SK        string   `json:"sk"`
	ExpiresAt int64    `json:"expiresAt"`
	Data      resetRow `json:"data"`
}

func toResetItem(r auth.Reset) resetItem {
	return resetItem{PK: resetPK(r.TokenHash), SK: resetSK, ExpiresAt: r.ExpiresAt.Unix(), Data: toResetRow(r)}
}

// Member implements auth.Store.
func (s *UserStore) Member(ctx context.Context, accountID, userID string) (account.Member, error) {
	return getItem(ctx, s.Table, accountPK(accountID), memberSK(userID), "user", memberFrom)
}

// MemberByLogin implements auth.Store: the sign-in lookup, then the user.
func (s *UserStore) MemberByLogin(ctx context.Context, domain, username string) (account.Member, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: key(loginPK(domain, username), loginSK)})
	if err != nil {
		return account.Member{}, storeError(err)
	}
	if out.Item == nil {
		// Read a key that is never written, as a known name reads its user: an unknown
		// name must not answer sooner (docs/auth.md, sign-in timing).
		if _, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: key(accountPK("-"), memberSK("-"))}); err != nil {
			return account.Member{}, storeError(err)
		}
		return account.Member{}, fault.New(fault.NotFound, "no such user")
	}
	var it loginItem
	if err := unmarshal(out.Item, &it); err != nil {
		return account.Member{}, fault.Wrap(fault.Internal, err, "could not decode the sign-in lookup")
	}
	return s.Member(ctx, it.AccountID, it.UserID)
}

// memberPut writes a member over its previous version.
func (t *Table) memberPut(m account.Member) (types.TransactWriteItem, error) {
	item, err := marshal(toMemberItem(m))
	if err != nil {
		return types.TransactWriteItem{}, fault.Wrap(fault.Internal, err, "could not encode the user")
	}
	return t.putVersioned(item, m.Version), nil
}

// SaveMember implements auth.Store.
func (s *UserStore) SaveMember(ctx context.Context, m account.Member, entry audit.Entry) error {
	return s.writeMember(ctx, m, entry)
}

// SaveUser implements user.Store.
func (s *UserStore) SaveUser(ctx context.Context, m account.Member, entry audit.Entry, keeper *account.Member) error {
	return s.writeMember(ctx, m, entry, s.unchanged(keeper)...)
}

// unchanged is the check that keeper is still as it was read (its version), so the
// administrator a change relies on cannot change in the same moment; none without one.
func (t *Table) unchanged(keeper *account.Member) []types.TransactWriteItem {
	if keeper == nil {
		return nil
	}
	return []types.TransactWriteItem{{ConditionCheck: &types.ConditionCheck{TableName: &t.Name,
		Key: key(accountPK(keeper.AccountID), memberSK(keeper.ID)), ConditionExpression: aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.Itoa(keeper.Version)}}}}}
}

// writeMember writes a changed member (version-checked) and its audit entry, with any
// other writes that belong to the same change, in one transaction.
func (t *Table) writeMember(ctx context.Context, m account.Member, entry audit.Entry, with ...types.TransactWriteItem) error {
	put, err := t.memberPut(m)
	if err != nil {
		return err
	}
	audits, err := t.auditPuts(m.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = t.transact(ctx, append(append(with, put), audits...))
	return err
}

// PutReset implements auth.Store.
func (s *ResetStore) PutReset(ctx context.Context, r auth.Reset) error {
	item, err := marshal(toResetItem(r))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the reset")
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Name, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
	if err != nil {
		return storeError(err)
	}
	return nil
}

// Reset implements auth.Store. Expired tokens count as absent even before the TTL sweep.
func (s *ResetStore) Reset(ctx context.Context, tokenHash string) (auth.Reset, error) {
	r, err := get[resetRow](ctx, s.Table, resetPK(tokenHash), resetSK, "reset token")
	if err == nil && !s.Now().Before(r.ExpiresAt) {
		return auth.Reset{}, fault.New(fault.NotFound, "no such reset token")
	}
	return r, err
}

// CompleteReset implements auth.Store.
func (s *ResetStore) CompleteReset(ctx context.Context, tokenHash string, m account.Member, entry audit.Entry) error {
	consume := types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(resetPK(tokenHash), resetSK),
		ConditionExpression: aws.String("attribute_exists(pk)")}}
	return s.writeMember(ctx, m, entry, consume)
}

// CreateMember adds a user to an account with its sign-in lookups and email guard;
// Conflict when the user name or email is taken.
func (s *UserStore) CreateMember(ctx context.Context, acct account.Account, m account.Member, entry audit.Entry, idem *idempotency.Record) error {
	puts, err := s.memberPuts(acct, m)
	if err != nil {
		return err
	}
	audits, err := s.auditPuts(acct.ID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	items, err := s.withIdempotency(append(puts, audits...), idem)
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, items)
	return err
}
