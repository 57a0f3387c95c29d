package app

import (
	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/user"
	"github.com/provisio/provisio/shared/webhook"
)

// Each domain names what it needs of storage in its own Store interface; the types below
// serve those interfaces with the DynamoDB stores of the aggregates they read, all over
// the function's one table client. The assertions keep each in step with its interface.
type (
	accountStore struct {
		*dynamo.AccountStore
		*dynamo.UserStore
		*dynamo.IdempotencyStore
	}
	authStore struct {
		*dynamo.AccountStore
		*dynamo.UserStore
		*dynamo.ResetStore
		*dynamo.ThrottleStore
		*dynamo.KeyStore
	}
	userStore struct {
		*dynamo.AccountStore
		*dynamo.UserStore
		*dynamo.PortingStore
		*dynamo.NumberingStore
		*dynamo.IdempotencyStore
	}
	contactStore struct {
		*dynamo.AccountStore
		*dynamo.UserStore
		*dynamo.ContactStore
		*dynamo.IdempotencyStore
	}
	registrationStore struct {
		*dynamo.AccountStore
		*dynamo.RegistrationStore
		*dynamo.IdempotencyStore
	}
	portingStore struct {
		*dynamo.PortingStore
		*dynamo.IdempotencyStore
	}
	portingAccounts struct {
		*dynamo.AccountStore
		*dynamo.UserStore
	}
	numberingStore struct {
		*dynamo.AccountStore
		*dynamo.NumberingStore
		*dynamo.IdempotencyStore
	}
	sipStore struct {
		*dynamo.AccountStore
		*dynamo.SIPStore
		*dynamo.BindingStore
		*dynamo.IdempotencyStore
	}
	registrarStore struct {
		*dynamo.AccountStore
		*dynamo.SIPStore
		*dynamo.BindingStore
	}
	callStore struct {
		*dynamo.AccountStore
		*dynamo.CallStore
	}
	billingStore struct {
		*dynamo.AccountStore
		*dynamo.BillingStore
		*dynamo.IdempotencyStore
	}
	apiKeyStore struct {
		*dynamo.AccountStore
		*dynamo.APIKeyStore
	}
	webhookStore struct {
		*dynamo.AccountStore
		*dynamo.WebhookStore
	}
)

var (
	_ account.Store      = accountStore{}
	_ auth.Store         = authStore{}
	_ auth.MemberReader  = (*dynamo.UserStore)(nil)
	_ auth.KeyReader     = (*dynamo.KeyStore)(nil)
	_ user.Store         = userStore{}
	_ contact.Store      = contactStore{}
	_ registration.Store = registrationStore{}
	_ porting.Store      = portingStore{}
	_ porting.Accounts   = portingAccounts{}
	_ numbering.Store    = numberingStore{}
	_ sip.Store          = sipStore{}
	_ sip.RegistrarStore = registrarStore{}
	_ calls.Store        = callStore{}
	_ billing.Store      = billingStore{}
	_ apikey.Store       = apiKeyStore{}
	_ webhook.Store      = webhookStore{}
	_ auth.APIKeyReader  = (*dynamo.APIKeyStore)(nil)
	_ auth.APIKeyUse     = (*dynamo.APIKeyStore)(nil)
)

// stores are the aggregate stores over the function's table, built once per cold start.
type stores struct {
	accounts      *dynamo.AccountStore
	users         *dynamo.UserStore
	resets        *dynamo.ResetStore
	registrations *dynamo.RegistrationStore
	portings      *dynamo.PortingStore
	numbering     *dynamo.NumberingStore
	sip           *dynamo.SIPStore
	bindings      *dynamo.BindingStore
	calls         *dynamo.CallStore
	billing       *dynamo.BillingStore
	contacts      *dynamo.ContactStore
	idempotency   *dynamo.IdempotencyStore
	throttle      *dynamo.ThrottleStore
	keys          *dynamo.KeyStore
	apiKeys       *dynamo.APIKeyStore
	webhooks      *dynamo.WebhookStore
}

func newStores(t *dynamo.Table) *stores {
	return &stores{
		accounts: &dynamo.AccountStore{Table: t}, users: &dynamo.UserStore{Table: t}, resets: &dynamo.ResetStore{Table: t},
		registrations: &dynamo.RegistrationStore{Table: t}, portings: &dynamo.PortingStore{Table: t},
		numbering: &dynamo.NumberingStore{Table: t}, sip: &dynamo.SIPStore{Table: t}, bindings: &dynamo.BindingStore{Table: t},
		calls: &dynamo.CallStore{Table: t}, billing: &dynamo.BillingStore{Table: t}, contacts: &dynamo.ContactStore{Table: t},
		idempotency: &dynamo.IdempotencyStore{Table: t}, throttle: &dynamo.ThrottleStore{Table: t}, keys: &dynamo.KeyStore{Table: t},
		apiKeys: &dynamo.APIKeyStore{Table: t}, webhooks: &dynamo.WebhookStore{Table: t},
	}
}

func (s *stores) forAccounts() accountStore { return accountStore{s.accounts, s.users, s.idempotency} }
func (s *stores) forAuth() authStore {
	return authStore{s.accounts, s.users, s.resets, s.throttle, s.keys}
}
func (s *stores) forUsers() userStore {
	return userStore{s.accounts, s.users, s.portings, s.numbering, s.idempotency}
}
func (s *stores) forContacts() contactStore {
	return contactStore{s.accounts, s.users, s.contacts, s.idempotency}
}
func (s *stores) forRegistrations() registrationStore {
	return registrationStore{s.accounts, s.registrations, s.idempotency}
}
func (s *stores) forPorting() portingStore            { return portingStore{s.portings, s.idempotency} }
func (s *stores) forPortingAccounts() portingAccounts { return portingAccounts{s.accounts, s.users} }
func (s *stores) forNumbering() numberingStore {
	return numberingStore{s.accounts, s.numbering, s.idempotency}
}
func (s *stores) forSIP() sipStore { return sipStore{s.accounts, s.sip, s.bindings, s.idempotency} }
func (s *stores) forRegistrar() registrarStore {
	return registrarStore{s.accounts, s.sip, s.bindings}
}
func (s *stores) forCalls() callStore       { return callStore{s.accounts, s.calls} }
func (s *stores) forAPIKeys() apiKeyStore   { return apiKeyStore{s.accounts, s.apiKeys} }
func (s *stores) forWebhooks() webhookStore { return webhookStore{s.accounts, s.webhooks} }
func (s *stores) forBilling() billingStore {
	return billingStore{s.accounts, s.billing, s.idempotency}
}

// AccountStore serves account.Store on table, for tools that create accounts outside a
// function (the bootstrap).
func AccountStore(table *dynamo.Table) account.Store { return newStores(table).forAccounts() }
