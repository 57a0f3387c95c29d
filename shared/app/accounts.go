package app

import (
	"context"
	"slices"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/ident"
)

func accountFunctions() map[string]Wiring {
	return map[string]Wiring{
		"CreateAccountFunction":   CreateAccountFunction,
		"ListAccountsFunction":    ListAccountsFunction,
		"GetAccountFunction":      GetAccountFunction,
		"UpdateAccountFunction":   UpdateAccountFunction,
		"DeleteAccountFunction":   DeleteAccountFunction,
		"AccountAuditLogFunction": AccountAuditLogFunction,
		"AddCreditFunction":       AddCreditFunction,
		"MeFunction":              MeFunction,
		"AddStaffFunction":        AddStaffFunction,
	}
}

// accountService is the account service on the table; creating accounts adds the rest.
func (d *Deps) accountService() *account.Service {
	if d.Accounts == nil {
		d.Accounts = &account.Service{Store: d.store().forAccounts(), Log: d.Log, Now: time.Now, NewID: ident.New}
	}
	return d.Accounts
}

// accountsAPI is the API of the account routes that only read and write the table.
func (d *Deps) accountsAPI() *httpapi.API { return &httpapi.API{Accounts: d.accountService()} }

// AddStaffFunction answers POST /v1/accounts/{accountId}/staff and mails the new member.
func AddStaffFunction(d *Deps) any {
	svc := d.accountService()
	svc.Mailer = d.mailer()
	svc.PortalURL = d.Env("PORTAL_URL")
	api := &httpapi.API{Accounts: svc}
	return d.route(api, api.AddStaff)
}

// CreateAccountFunction answers POST /v1/accounts and mails the new admin.
func CreateAccountFunction(d *Deps) any {
	svc := d.accountService()
	svc.Mailer = d.mailer()
	svc.RealmSuffix = d.Env("REALM_SUFFIX")
	svc.PortalURL = d.Env("PORTAL_URL")
	svc.Currency = d.Env("CURRENCY")
	api := &httpapi.API{Accounts: svc}
	return d.route(api, api.CreateAccount)
}

// ListAccountsFunction answers GET /v1/accounts.
func ListAccountsFunction(d *Deps) any { api := d.accountsAPI(); return d.route(api, api.ListAccounts) }

// GetAccountFunction answers GET /v1/accounts/{accountId}, with its channels in use.
func GetAccountFunction(d *Deps) any {
	api := d.accountsAPI()
	api.Accounts.Channels = d.callService()
	return d.route(api, api.GetAccount)
}

// UpdateAccountFunction answers PATCH /v1/accounts/{accountId}.
func UpdateAccountFunction(d *Deps) any {
	api := d.accountsAPI()
	return d.route(api, api.UpdateAccount)
}

// DeleteAccountFunction answers DELETE /v1/accounts/{accountId}.
func DeleteAccountFunction(d *Deps) any {
	api := d.accountsAPI()
	return d.route(api, api.DeleteAccount)
}

// AccountAuditLogFunction answers GET /v1/accounts/{accountId}/audit-log.
func AccountAuditLogFunction(d *Deps) any {
	api := d.accountsAPI()
	return d.route(api, api.AccountAuditLog)
}

// AddCreditFunction answers POST /v1/accounts/{accountId}/credit-additions.
func AddCreditFunction(d *Deps) any { api := d.accountsAPI(); return d.route(api, api.AddCredit) }

// MeFunction answers GET /v1/me.
func MeFunction(d *Deps) any { api := d.accountsAPI(); return d.route(api, api.Me) }

// ProviderTrunks is the root account's trunk pool of each kind: the platform's capacity
// that resellers and tenants are given trunks from.
const ProviderTrunks = 10000

// ProviderUsers is the root account's user pool, which resellers and tenants are given
// their user caps from.
const ProviderUsers = 1_000_000

// BootstrapProvider creates the provider's root account, whose permissions are every
// feature and permission the service templates offer, and its first provider_admin
// (see account.Service.Bootstrap).
func BootstrapProvider(ctx context.Context, accounts *account.Service, cat *catalog.Catalog, adminEmail string) (account.Created, string, error) {
	var perms []string
	for _, t := range cat.All() {
		perms = append(perms, t.Features...)
		perms = append(perms, t.DefaultPermissions...)
	}
	slices.Sort(perms)
	return accounts.Bootstrap(ctx, account.RootRequest{
		Name: "Provider", Timezone: "Europe/Stockholm", AdminEmail: adminEmail, Permissions: slices.Compact(perms),
		Limits: account.Limits{InboundTrunks: ProviderTrunks, OutboundTrunks: ProviderTrunks, TwowayTrunks: ProviderTrunks, Users: ProviderUsers},
	})
}

// BootstrapProvider is BootstrapProvider with the accounts d wired (CreateAccountFunction's).
func (d *Deps) BootstrapProvider(ctx context.Context, adminEmail string) (account.Created, string, error) {
	return BootstrapProvider(ctx, d.accountService(), d.Catalogue(), adminEmail)
}
