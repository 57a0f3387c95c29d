package dynamo

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/sip"
)

// Secrets are item attributes of their own, never in the data a domain value's JSON form
// comes from; items written before, with the secret inside the data, still read.
func TestSecretsAreKeptBesideTheDataAndOldItemsStillRead(t *testing.T) {
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	m := func(kv map[string]types.AttributeValue) types.AttributeValue {
		return &types.AttributeValueMemberM{Value: kv}
	}

	item, err := marshal(toMemberItem(account.Member{ID: "usr-1", AccountID: "acc-1", PasswordHash: "$2a$10$hash"}))
	if err != nil {
		t.Fatal(err)
	}
	if item["passwordHash"] == nil || item["data"].(*types.AttributeValueMemberM).Value["passwordHash"] != nil {
		t.Fatalf("a member item: %v", item)
	}
	if got, err := memberFrom(item); err != nil || got.PasswordHash != "$2a$10$hash" {
		t.Fatalf("read back %+v %v", got, err)
	}
	old := map[string]types.AttributeValue{"data": m(map[string]types.AttributeValue{"id": s("usr-1"), "passwordHash": s("$2a$10$old")})}
	if got, err := memberFrom(old); err != nil || got.PasswordHash != "$2a$10$old" {
		t.Fatalf("an old member item: %+v %v", got, err)
	}

	oldSIP := map[string]types.AttributeValue{"data": m(map[string]types.AttributeValue{"id": s("sip-1"), "secret": s("s3cret")})}
	if got, err := sipFrom(oldSIP); err != nil || got.Secret != "s3cret" {
		t.Fatalf("an old client account item: %+v %v", got, err)
	}
	if item, _ := marshal(toSIPItem(sip.Account{ID: "sip-1", Secret: "s3cret"})); item["secret"] == nil || item["data"].(*types.AttributeValueMemberM).Value["secret"] != nil {
		t.Fatalf("a client account item: %v", item)
	}

	oldReg := map[string]types.AttributeValue{"data": m(map[string]types.AttributeValue{"id": s("reg-1"),
		"tenant": m(map[string]types.AttributeValue{"name": s("Kenton"), "passwordHash": s("$2a$10$reg")})})}
	if got, err := registrationFrom(oldReg); err != nil || got.Tenant.PasswordHash != "$2a$10$reg" || got.Tenant.Name != "Kenton" {
		t.Fatalf("an old registration item: %+v %v", got, err)
	}
	reg := registration.Registration{ID: "reg-1", Tenant: registration.Tenant{Name: "Kenton", PasswordHash: "$2a$10$reg"}}
	if item, _ := marshal(toRegistrationItem(reg)); item["passwordHash"] == nil {
		t.Fatalf("a registration item: %v", item)
	}
}
