package dynamo

import (
	"time"

	"github.com/provisio/provisio/shared/account"
)

// accountRow is how an account.Account is stored.
type accountRow struct {
	ID             string            `json:"id"`
	ParentID       string            `json:"parentId,omitempty"`
	Path           []string          `json:"path"`
	Kind           string            `json:"kind"`
	Name           string            `json:"name"`
	ShortName      string            `json:"shortName,omitempty"`
	Domain         string            `json:"domain,omitempty"`
	Realm          string            `json:"realm"`
	Timezone       string            `json:"timezone"`
	Status         string            `json:"status"`
	TemplateID     string            `json:"templateId,omitempty"`
	Features       []string          `json:"features,omitempty"`
	Permissions    []string          `json:"permissions"`
	Limits         limitsRow         `json:"limits"`
	Available      limitsRow         `json:"available"`
	Restrictions   map[string]string `json:"restrictions"`
	Credit         creditRow         `json:"credit"`
	DebitLimit     int64             `json:"debitLimitMinor"`
	LowBalance     int64             `json:"lowBalanceThresholdMinor,omitempty"`
	ANI            string            `json:"ani,omitempty"`
	ContactEmail   string            `json:"contactEmail,omitempty"`
	SMSSenderName  string            `json:"smsSenderName,omitempty"`
	EmailVerified  bool              `json:"emailVerified,omitempty"`
	MobileVerified bool              `json:"mobileVerified,omitempty"`
	CreatedAt      time.Time         `json:"createdAt"`
	UpdatedAt      time.Time         `json:"updatedAt"`
	Version        int               `json:"version"`
}

func toAccountRow(v account.Account) accountRow {
	return accountRow{
		ID:             v.ID,
		ParentID:       v.ParentID,
		Path:           v.Path,
		Kind:           string(v.Kind),
		Name:           v.Name,
		ShortName:      v.ShortName,
		Domain:         v.Domain,
		Realm:          v.Realm,
		Timezone:       v.Timezone,
		Status:         string(v.Status),
		TemplateID:     v.TemplateID,
		Features:       v.Features,
		Permissions:    v.Permissions,
		Limits:         toLimitsRow(v.Limits),
		Available:      toLimitsRow(v.Available),
		Restrictions:   stringMap(v.Restrictions),
		Credit:         toCreditRow(v.Credit),
		DebitLimit:     v.DebitLimit,
		LowBalance:     v.LowBalanceThreshold,
		ANI:            v.ANI,
		ContactEmail:   v.ContactEmail,
		SMSSenderName:  v.SMSSenderName,
		EmailVerified:  v.EmailVerified,
		MobileVerified: v.MobileVerified,
		CreatedAt:      v.CreatedAt,
		UpdatedAt:      v.UpdatedAt,
		Version:        v.Version,
	}
}

func (r accountRow) domain() account.Account {
	return account.Account{
		ID:                  r.ID,
		ParentID:            r.ParentID,
		Path:                r.Path,
		Kind:                account.Kind(r.Kind),
		Name:                r.Name,
		ShortName:           r.ShortName,
		Domain:              r.Domain,
		Realm:               r.Realm,
		Timezone:            r.Timezone,
		Status:              account.Status(r.Status),
		TemplateID:          r.TemplateID,
		Features:            r.Features,
		Permissions:         r.Permissions,
		Limits:              r.Limits.domain(),
		Available:           r.Available.domain(),
		Restrictions:        typedMap[account.CallClass, account.Rule](r.Restrictions),
		Credit:              r.Credit.domain(),
		DebitLimit:          r.DebitLimit,
		LowBalanceThreshold: r.LowBalance,
		ANI:                 r.ANI,
		ContactEmail:        r.ContactEmail,
		SMSSenderName:       r.SMSSenderName,
		EmailVerified:       r.EmailVerified,
		MobileVerified:      r.MobileVerified,
		CreatedAt:           r.CreatedAt,
		UpdatedAt:           r.UpdatedAt,
		Version:             r.Version,
	}
}

// limitsRow is how an account.Limits is stored.
type limitsRow struct {
	InboundTrunks  int `json:"inboundTrunks"`
	OutboundTrunks int `json:"outboundTrunks"`
	TwowayTrunks   int `json:"twowayTrunks"`
	Users          int `json:"users"`
}

func toLimitsRow(v account.Limits) limitsRow {
	return limitsRow{
		InboundTrunks:  v.InboundTrunks,
		OutboundTrunks: v.OutboundTrunks,
		TwowayTrunks:   v.TwowayTrunks,
		Users:          v.Users,
	}
}

func (r limitsRow) domain() account.Limits {
	return account.Limits{
		InboundTrunks:  r.InboundTrunks,
		OutboundTrunks: r.OutboundTrunks,
		TwowayTrunks:   r.TwowayTrunks,
		Users:          r.Users,
	}
}

// creditRow is how an account.Credit is stored. balanceMinor has always held the credit
// added; what calls cost is the account item's spentMinor, beside the data.
type creditRow struct {
	BalanceMinor int64  `json:"balanceMinor"`
	Currency     string `json:"currency"`
	Bypass       bool   `json:"bypass"`
}

func toCreditRow(v account.Credit) creditRow {
	return creditRow{
		BalanceMinor: v.AddedMinor,
		Currency:     v.Currency,
		Bypass:       v.Bypass,
	}
}

func (r creditRow) domain() account.Credit {
	return account.Credit{
		AddedMinor: r.BalanceMinor,
		Currency:   r.Currency,
		Bypass:     r.Bypass,
	}
}

// nodeRow is how an account.Node is stored (in a tree row).
type nodeRow struct {
	ID        string    `json:"id"`
	ParentID  string    `json:"parentId,omitempty"`
	Path      []string  `json:"path"`
	Name      string    `json:"name"`
	Realm     string    `json:"realm"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"createdAt"`
}

func toNodeRow(v account.Node) nodeRow {
	return nodeRow{ID: v.ID, ParentID: v.ParentID, Path: v.Path, Name: v.Name, Realm: v.Realm, Kind: string(v.Kind), Status: string(v.Status),
		CreatedAt: v.CreatedAt}
}

func (r nodeRow) domain() account.Node {
	return account.Node{ID: r.ID, ParentID: r.ParentID, Path: r.Path, Name: r.Name, Realm: r.Realm, Kind: account.Kind(r.Kind),
		Status: account.Status(r.Status), CreatedAt: r.CreatedAt}
}
