package dynamo

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/sip"
)

// registeredClientItem is a binding under its account, gone by TTL when it expires.
type registeredClientItem struct {
	PK        string     `json:"pk"`
	SK        string     `json:"sk"`
	ExpiresAt int64      `json:"expiresAt"`
	Data      bindingRow `json:"data"`
}

func toBindingItem(b sip.Binding) registeredClientItem {
	return registeredClientItem{PK: accountPK(b.AccountID), SK: registeredClientSK(b), ExpiresAt: b.ExpiresAt.Unix(), Data: toBindingRow(b)}
}

// registeredClientSK keys a registration by client and contact: one client may be
// registered from several devices.
func registeredClientSK(r sip.Binding) string {
	return "REGCLIENT#" + r.SIPID + "#" + ident.HashToken(r.Contact)[:16]
}

// AccountIDByRealm implements sip.RegistrarStore with the realm's uniqueness guard.
func (s *BindingStore) AccountIDByRealm(ctx context.Context, realm string) (string, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Name, Key: key(guardPK(guardRealm, lower(realm)), guardSK)})
	if err != nil {
		return "", storeError(err)
	}
	var g guard
	if out.Item == nil || unmarshal(out.Item, &g) != nil || !strings.HasPrefix(g.Owner, "ACC#") {
		return "", fault.New(fault.NotFound, "no account has that realm")
	}
	return strings.TrimPrefix(g.Owner, "ACC#"), nil
}

// SaveBinding implements sip.RegistrarStore.
func (s *BindingStore) SaveBinding(ctx context.Context, r sip.Binding) error {
	item, err := marshal(toBindingItem(r))
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the registration")
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Name, Item: item}); err != nil {
		return storeError(err)
	}
	return nil
}

// DeleteBinding implements sip.RegistrarStore.
func (s *BindingStore) DeleteBinding(ctx context.Context, r sip.Binding) error {
	if _, err := s.Client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Name, Key: key(accountPK(r.AccountID), registeredClientSK(r))}); err != nil {
		return storeError(err)
	}
	return nil
}

// Bindings implements sip.RegistrarStore.
func (s *BindingStore) Bindings(ctx context.Context, accountID string) ([]sip.Binding, error) {
	items, err := s.queryPrefix(ctx, accountPK(accountID), "REGCLIENT#")
	if err != nil {
		return nil, err
	}
	return decodeAll[bindingRow](items, "registration")
}
