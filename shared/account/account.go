// Package account describes the tree of accounts (provider → reseller → tenant) and the
// users that sign in to them. This first cut holds what tenant provisioning creates.
package account

import (
	"crypto/rand"
	"encoding/base32"
	"io"
	"strings"
	"time"
)

// ProviderRootID is the account every template-registered tenant sits under until
// resellers own templates.
const ProviderRootID = "provider"

// Status is an account's life-cycle state.
type Status string

// Account statuses.
const (
	Active    Status = "active"
	Suspended Status = "suspended"
)

// Limits are an account's trunk limits.
type Limits struct {
	InboundTrunks  int `json:"inboundTrunks"`
	OutboundTrunks int `json:"outboundTrunks"`
	TwowayTrunks   int `json:"twowayTrunks"`
	Users          int `json:"users"`
}

// Account is a customer of the provider or of a reseller.
type Account struct {
	ID          string    `json:"id"`
	ParentID    string    `json:"parentId"`
	Name        string    `json:"name"`
	ShortName   string    `json:"shortName"`
	Domain      string    `json:"domain"` // the UPN suffix users sign in with
	Realm       string    `json:"realm"`
	Timezone    string    `json:"timezone"`
	Status      Status    `json:"status"`
	TemplateID  string    `json:"templateId"`
	Features    []string  `json:"features"`
	Permissions []string  `json:"permissions"`
	Limits      Limits    `json:"limits"`
	ANI         string    `json:"ani"`
	CreatedAt   time.Time `json:"createdAt"`
	Version     int       `json:"version"`
}

// Role is what a user may do.
type Role string

// Roles, from DESIGN.md section 3.
const (
	ProviderAdmin Role = "provider_admin"
	ResellerAdmin Role = "reseller_admin"
	TenantAdmin   Role = "tenant_admin"
	User          Role = "user"
	BasicUser     Role = "basic_user"
	Operator      Role = "operator"
)

// PersonnelPrefix is put before an administrator's user name to form the personnel ID
// the provisioning portal knows them by (seed 004).
const PersonnelPrefix = "prp"

// Member is a user who signs in to an account.
type Member struct {
	ID           string    `json:"id"`
	AccountID    string    `json:"accountId"`
	Username     string    `json:"username"`
	PersonnelID  string    `json:"personnelId"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"passwordHash"`
	CreatedAt    time.Time `json:"createdAt"`
}

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
