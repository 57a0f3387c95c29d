package contact

import (
	"testing"

	"github.com/provisio/provisio/shared/account"
)

func TestShowsPrivateNotes(t *testing.T) {
	customer := account.Account{ID: "acc-c", Path: []string{account.ProviderRootID, "acc-r", "acc-c"}}
	reseller := account.Account{ID: "acc-r", Path: []string{account.ProviderRootID, "acc-r"}}
	root := account.Account{ID: account.ProviderRootID, Path: []string{account.ProviderRootID}}
	cases := []struct {
		name  string
		actor account.Actor
		acct  account.Account
		want  bool
	}{
		{"provider admin on a customer", account.Actor{AccountID: account.ProviderRootID, Role: account.ProviderAdmin}, customer, true},
		{"provider admin on the provider", account.Actor{AccountID: account.ProviderRootID, Role: account.ProviderAdmin}, root, true},
		{"reseller admin on its customer", account.Actor{AccountID: "acc-r", Role: account.ResellerAdmin}, customer, true},
		{"reseller admin on itself", account.Actor{AccountID: "acc-r", Role: account.ResellerAdmin}, reseller, false},
		{"customer's admin (or contact)", account.Actor{AccountID: "acc-c", Role: account.TenantAdmin}, customer, false},
		{"reseller's user on its customer", account.Actor{AccountID: "acc-r", Role: account.User}, customer, false},
		{"operator", account.Actor{AccountID: account.ProviderRootID, Role: account.Operator}, customer, false},
		{"admin of another branch", account.Actor{AccountID: "acc-x", Role: account.ResellerAdmin}, customer, false},
	}
	for _, c := range cases {
		if got := account.ShowsPrivateNotes(c.actor, c.acct); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
