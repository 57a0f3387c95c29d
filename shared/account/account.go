// Package account is the Accounts Manager (docs/requirements.md, AM): the tree of accounts (provider →
// reseller → tenant), their trunk limits, call restrictions, credit and permissions, and
// the users who sign in to them. An account's Path lists its ancestors, so "may the caller
// act on this account" is one look at the record itself.
package account

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/text"
)

// ProviderRootID is the provider's own account, the root of the tree. It is made once
// by the bootstrap command; registered tenants sit under it.
const ProviderRootID = "provider"

// Kind says what an account is in the tree.
type Kind string

// Account kinds.
const (
	Provider Kind = "provider"
	Reseller Kind = "reseller"
	Tenant   Kind = "tenant"
)

// Status is an account's life-cycle state.
type Status string

// Account statuses.
const (
	Active    Status = "active"
	Suspended Status = "suspended"
)

// Limits are trunk limits (concurrent calls by direction) and the user cap. Both flow
// down the tree (the Accounts Manager's step 5): what a child account is given counts against its
// parent's, and an account's own users count against its user cap.
type Limits struct {
	InboundTrunks  int `json:"inboundTrunks"`
	OutboundTrunks int `json:"outboundTrunks"`
	TwowayTrunks   int `json:"twowayTrunks"`
	Users          int `json:"users"`
}

// counted lists the limits with their JSON names, for checks and messages.
func (l Limits) counted() []struct {
	name string
	n    int
} {
	return []struct {
		name string
		n    int
	}{{"inboundTrunks", l.InboundTrunks}, {"outboundTrunks", l.OutboundTrunks}, {"twowayTrunks", l.TwowayTrunks}, {"users", l.Users}}
}

// Minus returns l - o.
func (l Limits) Minus(o Limits) Limits {
	return Limits{InboundTrunks: l.InboundTrunks - o.InboundTrunks, OutboundTrunks: l.OutboundTrunks - o.OutboundTrunks,
		TwowayTrunks: l.TwowayTrunks - o.TwowayTrunks, Users: l.Users - o.Users}
}

// Available limits are what the account has not given away: trunks and users not given
// to child accounts and, for users, not taken by its own users.

// CallClass is a class of destination calls can be restricted by.
type CallClass string

// Call classes (AM-6).
const (
	Emergency     CallClass = "emergency"
	Local         CallClass = "local"
	National      CallClass = "national"
	Mobile        CallClass = "mobile"
	International CallClass = "international"
	Premium       CallClass = "premium"
	TollFree      CallClass = "tollfree"
)

// CallClasses lists every class, in display order.
var CallClasses = []CallClass{Emergency, Local, National, Mobile, International, Premium, TollFree}

// Rule allows or denies a call class.
type Rule string

// Rules.
const (
	Allow Rule = "allow"
	Deny  Rule = "deny"
)

// DefaultRestrictions allow every class but premium-rate numbers.
func DefaultRestrictions() map[CallClass]Rule {
	r := map[CallClass]Rule{}
	for _, c := range CallClasses {
		r[c] = Allow
	}
	r[Premium] = Deny
	return r
}

// Credit is the prepaid balance in minor units of Currency; Bypass lets calls through
// when the balance is spent.
type Credit struct {
	// AddedMinor is the credit added to the account: its opening addition and every
	// credit addition since.
	AddedMinor int64 `json:"addedMinor"`
	// SpentMinor is what the account's calls have cost. Ingest adds to it beside the
	// account's data (docs/accounts.md), so no change of the account writes it back.
	SpentMinor int64  `json:"-"`
	Currency   string `json:"currency"`
	Bypass     bool   `json:"bypass"`
}

// BalanceMinor is the credit left: what was added less what calls have cost; below zero
// down to the account's debit limit.
func (c Credit) BalanceMinor() int64 { return c.AddedMinor - c.SpentMinor }

// Account is a customer of the provider or of a reseller.
type Account struct {
	ID       string   `json:"id"`
	ParentID string   `json:"parentId,omitempty"`
	Path     []string `json:"path"` // ancestors from the root, ending with ID
	Kind     Kind     `json:"kind"`
	Name     string   `json:"name"`
	// ShortName and Domain come from self-registration; Domain is the UPN suffix users
	// sign in with (the realm works too).
	ShortName    string             `json:"shortName,omitempty"`
	Domain       string             `json:"domain,omitempty"`
	Realm        string             `json:"realm"`
	Timezone     string             `json:"timezone"`
	Status       Status             `json:"status"`
	TemplateID   string             `json:"templateId,omitempty"`
	Features     []string           `json:"features,omitempty"`
	Permissions  []string           `json:"permissions"`
	Limits       Limits             `json:"limits"`
	Available    Limits             `json:"available"` // trunks not yet given to children
	Restrictions map[CallClass]Rule `json:"restrictions"`
	Credit       Credit             `json:"credit"`
	DebitLimit   int64              `json:"debitLimitMinor"`
	// LowBalanceThreshold, when above zero, is the balance below which the account's
	// administrators are alerted, once per crossing (LowBalanceSince records the last).
	LowBalanceThreshold int64     `json:"lowBalanceThresholdMinor,omitempty"`
	LowBalanceSince     time.Time `json:"-"`
	ANI                 string    `json:"ani,omitempty"`
	// ContactEmail is who hears about the account's affairs besides its administrators
	// (a self-registered tenant's contact).
	ContactEmail string `json:"contactEmail,omitempty"`
	// SMSSenderName brands the SMS the account's customers get (3-11 letters and digits).
	SMSSenderName string `json:"smsSenderName,omitempty"`
	// EmailVerified and MobileVerified say a contact of the account confirmed a code sent
	// to their email address or mobile number (CM-5).
	EmailVerified  bool      `json:"emailVerified,omitempty"`
	MobileVerified bool      `json:"mobileVerified,omitempty"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
	Version        int       `json:"version"`
}

// SMSSender is the sender name SMS to the account's customers carry: its own
// SMSSenderName, or its name cut to what SMS sender IDs allow (11 letters and digits).
func (a Account) SMSSender() string {
	name := a.SMSSenderName
	if name == "" {
		name = a.Name
	}
	var b strings.Builder
	for _, r := range name {
		if b.Len() < 11 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "Provisio"
	}
	return b.String()
}

// SignInDomain is what the account's users type as the domain when they sign in: the
// organisation's own domain when it registered one, else the realm.
func (a Account) SignInDomain() string {
	if a.Domain != "" {
		return a.Domain
	}
	return a.Realm
}

// Within reports whether the account is ancestor or the account itself.
func (a Account) Within(ancestor string) bool { return slices.Contains(a.Path, ancestor) }

// Allocated returns what a's children hold and, for users, what its own users take.
func (a Account) Allocated() Limits { return a.Limits.Minus(a.Available) }

// UserShortage explains, with the arithmetic, why a cannot have n more users; "" when it
// can.
func (a Account) UserShortage(n int) string {
	if n <= a.Available.Users {
		return ""
	}
	return fmt.Sprintf("users: asked %d, the account may have %d of which %d are given to child accounts or taken by its users, so %d are left",
		n, a.Limits.Users, a.Limits.Users-a.Available.Users, a.Available.Users)
}

// Role is what a user may do.
type Role string

// Roles (docs/auth.md).
const (
	ProviderAdmin Role = "provider_admin"
	ResellerAdmin Role = "reseller_admin"
	TenantAdmin   Role = "tenant_admin"
	User          Role = "user"
	BasicUser     Role = "basic_user"
	Operator      Role = "operator"
	// Switch is the telephony switch's API key: it may post call records and nothing else.
	Switch Role = "switch"
	// Billing is the billing system's API key: it reads invoices and acknowledges them.
	Billing Role = "billing"
	// Registrar is the SIP registrar's API key: it reports softphone registrations.
	Registrar Role = "registrar"
)

// Roles lists every role.
var Roles = []Role{ProviderAdmin, ResellerAdmin, TenantAdmin, User, BasicUser, Operator, Switch, Billing, Registrar}

// Machine reports whether r is a machine's, held by API keys rather than people.
func (r Role) Machine() bool { return r == Switch || r == Billing || r == Registrar }

// Admin reports whether r administers accounts.
func (r Role) Admin() bool { return r == ProviderAdmin || r == ResellerAdmin || r == TenantAdmin }

// MaySignIn reports whether m may sign in and use its tokens: activated and not disabled.
func (m Member) MaySignIn() bool { return !m.Inactive && !m.Disabled }

// Location is the account's time zone, where its dates (activation dates, signatures)
// are days; UTC if the zone is unknown to this machine's zone database.
func (a Account) Location() *time.Location {
	loc, err := time.LoadLocation(a.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// SearchTerms are what a search of users finds a member by: its names, user name and
// email, and its numbers (text.SearchKey).
func (m Member) SearchTerms() []string {
	terms := []string{m.FirstName, m.LastName, m.Username, m.Email}
	numbers := append([]string{m.PrimaryNumber}, m.Aliases...)
	if m.Contact != nil {
		terms, numbers = append(terms, m.Contact.Name), append(numbers, m.Contact.Mobile)
	}
	return append(terms, text.NumberTerms(numbers...)...)
}

// AdminRole is the role of an administrator of an account of kind k.
func AdminRole(k Kind) Role {
	switch k {
	case Provider:
		return ProviderAdmin
	case Reseller:
		return ResellerAdmin
	}
	return TenantAdmin
}

// PersonnelPrefix is put before an administrator's user name to form the personnel ID
// the provisioning portal knows them by (TR-4).
const PersonnelPrefix = "prp"

// Address is a postal address (invoice or SIM delivery).
type Address struct {
	Name       string `json:"name"`
	Street     string `json:"street"`
	PostalCode string `json:"postalCode"`
	City       string `json:"city"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2
}

// Member is a user who signs in to an account: an administrator, or a user made by the
// user wizard (UW) with its numbers and addresses.
type Member struct {
	ID          string `json:"id"`
	AccountID   string `json:"accountId"`
	Username    string `json:"username"`
	PersonnelID string `json:"personnelId,omitempty"`
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Role        Role   `json:"role"`
	// PasswordHash is never part of the member's JSON form: not in API views, audit
	// differences or queue messages. The store keeps it in an attribute of its own.
	PasswordHash string `json:"-"`
	// Wizard fields (UW-3 to UW-9).
	InvoiceAddress *Address `json:"invoiceAddress,omitempty"`
	PrimaryNumber  string   `json:"primaryNumber,omitempty"`
	Aliases        []string `json:"aliases,omitempty"`
	ActivationDate string   `json:"activationDate,omitempty"` // YYYY-MM-DD in the account's time zone
	// Contact, when set, makes the user one of the account's contacts (CM-2): the
	// customer's people who sign in to the portal with their login email.
	Contact *Contact `json:"contact,omitempty"`
	// Inactive users exist but cannot sign in until ActivatesAt (the activation date's
	// midnight in the account's time zone), when the dispatcher activates them.
	Inactive bool `json:"inactive,omitempty"`
	// Disabled users are refused at sign-in and on every request, until an administrator
	// enables them again (docs/numbers-and-users.md).
	Disabled    bool      `json:"disabled,omitempty"`
	ActivatesAt time.Time `json:"activatesAt,omitzero"`
	// SessionEpoch is carried by every token the user is issued. A credential change (a
	// password reset or change) moves it on, which ends every session signed in before.
	// Failed sign-ins are counted per source and name, never on the user (docs/auth.md):
	// a guesser cannot lock a user out.
	SessionEpoch int       `json:"sessionEpoch,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
	Version      int       `json:"version"`
}

// CredentialsChanged records a change of the member's credentials: every token issued
// before it is refused from now on (after at most the token check's user cache time).
func (m *Member) CredentialsChanged() { m.SessionEpoch++ }

var realmEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewRealm returns a fresh realm under suffix: eight random base32 characters, lower
// case, so realms are unguessable, DNS-safe and never derived from customer names.
func NewRealm(random io.Reader, suffix string) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	b := make([]byte, 5)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", err
	}
	return strings.ToLower(realmEncoding.EncodeToString(b)) + "." + suffix, nil
}

// PlainEmail reports whether s is a bare email address (no display name, no comments)
// whose domain has a dot.
func PlainEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}
