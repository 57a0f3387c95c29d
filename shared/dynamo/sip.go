package dynamo

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/text"
)

const (
	guardNumber = "number"
	tokenSK     = "TOKEN"
)

func sipSK(id string) string { return "SIP#" + id }

func sipTokenPK(hash string) string { return "SIPTOKEN#" + hash }

// sipItem is a client account, under its customer account's partition. The SIP secret
// is an attribute of the item, beside the account's data: the account's JSON form (API
// views, audit differences) leaves it out. Items written before hold it in data.
type sipItem struct {
	PK      string `json:"pk"`
	SK      string `json:"sk"`
	Version int    `json:"version"`
	Secret  string `json:"secret,omitempty"`
	// SearchKey is the account's text.SearchKey of its SearchTerms.
	SearchKey string `json:"searchKey"`
	Data      sipRow `json:"data"`
}

func toSIPItem(a sip.Account) sipItem {
	return sipItem{PK: accountPK(a.AccountID), SK: sipSK(a.ID), Version: a.Version, Secret: a.Secret,
		SearchKey: text.SearchKey(a.SearchTerms()...), Data: toSipRow(a)}
}

// sipFrom decodes a client account item: its data, and its secret from the item's
// attribute, or from the data of an item written before the secret moved out of it.
func sipFrom(raw map[string]types.AttributeValue) (sip.Account, error) {
	var it sipItem
	if err := unmarshal(raw, &it); err != nil {
		return sip.Account{}, fault.Wrap(fault.Internal, err, "could not decode a client account")
	}
	a := it.Data.domain()
	if a.Secret = it.Secret; a.Secret == "" {
		a.Secret = legacyData(raw, "secret")
	}
	return a, nil
}

// sipAccounts decodes client account items.
func sipAccounts(items []map[string]types.AttributeValue) ([]sip.Account, error) {
	return decodeEach(items, sipFrom)
}

// sipTokenItem is a link token, found by its hash; TTL removes it when it expires.
type sipTokenItem struct {
	PK        string      `json:"pk"`
	SK        string      `json:"sk"`
	ExpiresAt int64       `json:"expiresAt"`
	Data      sipTokenRow `json:"data"`
}

func toSIPTokenItem(t sip.Token) sipTokenItem {
	return sipTokenItem{PK: sipTokenPK(t.Hash), SK: tokenSK, ExpiresAt: t.ExpiresAt.Unix(), Data: toSipTokenRow(t)}
}

// numbers lists a client account's virtual numbers.
func numbers(a sip.Account) []string {
	if a.SecondaryNumber != "" {
		return []string{a.PrimaryNumber, a.SecondaryNumber}
	}
	return []string{a.PrimaryNumber}
}

func sipOwner(a sip.Account) string { return accountPK(a.AccountID) + "#" + sipSK(a.ID) }

// SIPAccount implements sip.Store.
func (s *SIPStore) SIPAccount(ctx context.Context, accountID, sipID string) (sip.Account, error) {
	return getItem(ctx, s.Table, accountPK(accountID), sipSK(sipID), "client account", sipFrom)
}

// SIPAccountWithCustomer implements sip.Store: both in one BatchGetItem.
func (s *SIPStore) SIPAccountWithCustomer(ctx context.Context, accountID, sipID string) (sip.Account, account.Account, error) {
	items, err := s.batchGet(ctx, []map[string]types.AttributeValue{key(accountPK(accountID), sipSK(sipID)), key(accountPK(accountID), accountSK)}, "")
	if err != nil {
		return sip.Account{}, account.Account{}, err
	}
	var clients, customers []map[string]types.AttributeValue
	for _, it := range items {
		if sk, _ := it["sk"].(*types.AttributeValueMemberS); sk != nil && sk.Value == accountSK {
			customers = append(customers, it)
		} else {
			clients = append(clients, it)
		}
	}
	if len(clients) == 0 || len(customers) == 0 {
		return sip.Account{}, account.Account{}, fault.New(fault.NotFound, "no such client account")
	}
	a, err := sipAccounts(clients)
	if err != nil {
		return sip.Account{}, account.Account{}, err
	}
	c, err := decodeEach(customers, accountFrom)
	if err != nil {
		return sip.Account{}, account.Account{}, err
	}
	return a[0], c[0], nil
}

// SIPAccounts implements sip.Store.
func (s *SIPStore) SIPAccounts(ctx context.Context, accountID string, f sip.Filter, cursor string, limit int) ([]sip.Account, string, error) {
	in, err := s.prefixPage(accountPK(accountID), "SIP#", cursor)
	if err != nil {
		return nil, "", err
	}
	var where filter
	where.search(f.Query)
	if f.LastStatus != "" {
		where.dataIs("lastStatus", string(f.LastStatus))
	}
	if f.Enabled != nil {
		where.dataIs("enabled", *f.Enabled)
	}
	where.apply(in)
	return pageFiltered(ctx, s.Table, in, limit, sipFrom)
}

// CreateSIPAccount implements sip.Store.
func (s *SIPStore) CreateSIPAccount(ctx context.Context, a sip.Account, entry audit.Entry, idem *idempotency.Record) error {
	rows := []any{toSIPItem(a)}
	nums := numbers(a)
	for _, n := range nums {
		rows = append(rows, guard{PK: guardPK(guardNumber, n), SK: guardSK, Owner: sipOwner(a)})
	}
	items, err := s.putsNew(rows)
	if err != nil {
		return err
	}
	audits, err := s.auditPuts(a.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	items, err = s.withIdempotency(append(items, audits...), idem)
	if err != nil {
		return err
	}
	failed, err := s.transact(ctx, items)
	if len(failed) == 0 {
		return err
	}
	var f fault.Fields
	for _, i := range failed {
		if i >= 1 && i <= len(nums) {
			field := "primaryNumber"
			if i == 2 {
				field = "secondaryNumber"
			}
			f.Add(field, "is in use by another user, alias, subscription or client account")
		}
	}
	if taken := f.Conflict("a virtual number is in use", err); taken != nil {
		return taken
	}
	return err
}

// SaveSIPAccount implements sip.Store.
func (s *SIPStore) SaveSIPAccount(ctx context.Context, a sip.Account, entry audit.Entry, issue *sip.Token, consume string) error {
	item, err := marshal(toSIPItem(a))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the client account")
	}
	items := []types.TransactWriteItem{s.putVersioned(item, a.Version)}
	if issue != nil {
		tok, err := s.putsNew([]any{toSIPTokenItem(*issue)})
		if err != nil {
			return err
		}
		items = append(items, tok...)
	}
	if consume != "" {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Name, Key: key(sipTokenPK(consume), tokenSK),
			ConditionExpression: aws.String("attribute_exists(pk)")}})
	}
	audits, err := s.auditPuts(a.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// DeleteSIPAccount implements sip.Store.
func (s *SIPStore) DeleteSIPAccount(ctx context.Context, a sip.Account, entry audit.Entry) error {
	items := []types.TransactWriteItem{{Delete: &types.Delete{TableName: &s.Name, Key: key(accountPK(a.AccountID), sipSK(a.ID)),
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.Itoa(a.Version)}}}}}
	for _, n := range numbers(a) {
		items = append(items, s.guardDelete(guardNumber, n, sipOwner(a)))
	}
	audits, err := s.auditPuts(a.AccountID, []audit.Entry{entry})
	if err != nil {
		return err
	}
	_, err = s.transact(ctx, append(items, audits...))
	return err
}

// Token implements sip.Store. Expired tokens count as absent even before the TTL sweep.
func (s *SIPStore) Token(ctx context.Context, hash string) (sip.Token, error) {
	t, err := get[sipTokenRow](ctx, s.Table, sipTokenPK(hash), tokenSK, "link")
	if err == nil && !s.Now().Before(t.ExpiresAt) {
		return sip.Token{}, fault.New(fault.NotFound, "no such link")
	}
	return t, err
}
