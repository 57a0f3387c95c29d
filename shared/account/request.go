package account

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/money"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/phone"
	"github.com/provisio/provisio/shared/text"
)

// AdminRequest is the optional first administrator of a new account (AM-4).
// An empty Password asks for a generated one, emailed once.
type AdminRequest struct {
	FirstName, LastName, Email, Phone, Password string
}

// CreditRequest sets up the credit of a new account: an opening addition and the bypass.
type CreditRequest struct {
	AddMinor int64
	Currency string
	Bypass   bool
}

// CreateRequest is a new account as the Accounts Manager wizard submits it.
type CreateRequest struct {
	Name         string
	Kind         Kind
	Timezone     string
	ParentID     string // empty: the caller's own account
	Admin        *AdminRequest
	Limits       Limits
	Restrictions map[CallClass]Rule
	Credit       CreditRequest
	DebitLimit   int64
	Permissions  []string
	SMSSender    string
}

// LimitsChange changes some limits of an account; nil ones stay as they are.
type LimitsChange struct {
	InboundTrunks, OutboundTrunks, TwowayTrunks, Users *int
}

// Apply returns l with the limits c names replaced.
func (c LimitsChange) Apply(l Limits) Limits {
	for _, f := range []struct {
		to   *int
		from *int
	}{{&l.InboundTrunks, c.InboundTrunks}, {&l.OutboundTrunks, c.OutboundTrunks}, {&l.TwowayTrunks, c.TwowayTrunks}, {&l.Users, c.Users}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	return l
}

// Patch is a change to an account; nil fields stay as they are.
type Patch struct {
	Version      int
	Name         *string
	Timezone     *string
	Limits       *LimitsChange
	Restrictions map[CallClass]Rule
	CreditBypass *bool
	DebitLimit   *int64
	// LowBalanceThreshold is the account's own to set, as its parent's.
	LowBalanceThreshold *int64
	Permissions         *[]string
	Status              *Status
	SMSSender           *string
}

// ByParent reports whether the patch touches what only a parent's administrators may set.
func (p Patch) ByParent() bool {
	return p.Limits != nil || p.Restrictions != nil || p.CreditBypass != nil || p.DebitLimit != nil || p.Permissions != nil || p.Status != nil
}

const maxAccountName = 100

func checkName(f *fault.Fields, field, v string) {
	switch {
	case strings.TrimSpace(v) == "":
		f.Add(field, "is required")
	case len(v) > maxAccountName:
		f.Add(field, "must be at most 100 characters")
	case !text.Visible(v):
		f.Add(field, "must not contain control, invisible or direction-changing characters")
	}
}

func checkTimezone(f *fault.Fields, field, tz string) {
	if tz == "" {
		f.Add(field, "is required (an IANA zone such as Europe/Stockholm)")
		return
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		f.Add(field, "is not an IANA time zone (such as Europe/Stockholm)")
	}
}

func checkLimits(f *fault.Fields, field string, l Limits) {
	for _, t := range l.counted() {
		if t.n < 0 || t.n > MaxLimit {
			f.Add(field+"."+t.name, fmt.Sprintf("must be a whole number from 0 to %d", MaxLimit))
		}
	}
}

func checkRestrictions(f *fault.Fields, r map[CallClass]Rule) {
	for class, rule := range r {
		switch {
		case !slices.Contains(CallClasses, class):
			f.Add("restrictions."+string(class), fmt.Sprintf("is not a call class; use one of %v", CallClasses))
		case rule != Allow && rule != Deny:
			f.Add("restrictions."+string(class), `must be "allow" or "deny"`)
		case class == Emergency && rule == Deny:
			f.Add("restrictions.emergency", "emergency calls cannot be denied")
		}
	}
}

func checkPermissions(f *fault.Fields, asked, parent []string) {
	for _, p := range asked {
		if !slices.Contains(parent, p) {
			f.Add("permissions", fmt.Sprintf("%q is not a permission the parent account has", p))
		}
	}
}

// checkAdmin adds to f, with field names under prefix, what is wrong with a new
// administrator; nothing when there is none.
func checkAdmin(f *fault.Fields, prefix string, a *AdminRequest) {
	if a == nil {
		return
	}
	for _, fv := range [][2]string{{prefix + "firstName", a.FirstName}, {prefix + "lastName", a.LastName}} {
		field, v := fv[0], fv[1]
		if !text.PersonName(v) {
			f.Add(field, "is required: letters, spaces, dots, hyphens or apostrophes, at most 64")
		}
	}
	if !PlainEmail(a.Email) {
		f.Add(prefix+"email", "must be a plain email address")
	}
	if _, reason := phone.E164(a.Phone); reason != "" {
		f.Add(prefix+"phone", reason)
	}
	if a.Password != "" {
		if reason := password.Check(a.Password, a.FirstName, a.LastName, a.Email); reason != "" {
			f.Add(prefix+"password", reason)
		}
	}
}

// Validate checks a create request against the rules and what the parent has.
func (r CreateRequest) Validate(parent Account) error {
	var f fault.Fields
	checkName(&f, "name", r.Name)
	checkTimezone(&f, "timezone", r.Timezone)
	switch r.Kind {
	case Tenant:
	case Reseller:
		if parent.Kind != Provider {
			f.Add("kind", "only the provider's administrators create resellers")
		}
	default:
		f.Add("kind", `must be "tenant" or "reseller"`)
	}
	checkAdmin(&f, "admin.", r.Admin)
	checkLimits(&f, "limits", r.Limits)
	checkRestrictions(&f, r.Restrictions)
	if r.Credit.AddMinor < 0 || r.Credit.AddMinor > money.MaxCreditAddition {
		f.Add("credit.addMinor", fmt.Sprintf("must be a whole number of minor units from 0 to %d, as for a credit addition", money.MaxCreditAddition))
	}
	if r.Credit.Currency != "" && !money.KnownCurrency(r.Credit.Currency) {
		f.Add("credit.currency", "must be an ISO 4217 currency code such as SEK")
	}
	checkDebitLimit(&f, r.DebitLimit)
	checkPermissions(&f, r.Permissions, parent.Permissions)
	checkSMSSender(&f, r.SMSSender)
	return f.Err()
}

func checkDebitLimit(f *fault.Fields, v int64) {
	if v < 0 || v > money.MaxDebitLimit {
		f.Add("debitLimitMinor", fmt.Sprintf("must be a whole number of minor units from 0 to %d", money.MaxDebitLimit))
	}
}

func checkSMSSender(f *fault.Fields, v string) {
	if v != "" && !text.Of(v, text.Alphanumeric, 3, 11) { // an SMS sender ID: 3 to 11 letters and digits
		f.Add("smsSenderName", "must be 3 to 11 letters and digits (what an SMS sender ID allows)")
	}
}

// Validate checks a patch; parent is nil when a is the root.
func (p Patch) Validate(parent *Account) error {
	var f fault.Fields
	if p.Version <= 0 {
		f.Add("version", "is required: send the version you read (or an If-Match header)")
	}
	if p.Name != nil {
		checkName(&f, "name", *p.Name)
	}
	if p.Timezone != nil {
		checkTimezone(&f, "timezone", *p.Timezone)
	}
	if p.Limits != nil {
		checkLimits(&f, "limits", p.Limits.Apply(Limits{}))
	}
	checkRestrictions(&f, p.Restrictions)
	if p.DebitLimit != nil {
		checkDebitLimit(&f, *p.DebitLimit)
	}
	if p.LowBalanceThreshold != nil && (*p.LowBalanceThreshold < 0 || *p.LowBalanceThreshold > money.MaxBalance) {
		f.Add("lowBalanceThresholdMinor", fmt.Sprintf("must be a whole number of minor units from 0 (no alert) to %d", money.MaxBalance))
	}
	if p.Status != nil && *p.Status != Active && *p.Status != Suspended {
		f.Add("status", `must be "active" or "suspended"`)
	}
	if p.Permissions != nil && parent != nil {
		checkPermissions(&f, *p.Permissions, parent.Permissions)
	}
	if p.SMSSender != nil {
		checkSMSSender(&f, *p.SMSSender)
	}
	return f.Err()
}

// MaxLimit bounds every trunk and user limit, so no sum of them can overflow.
const MaxLimit = 10_000_000

// trunkShortage explains, with the arithmetic, why parent cannot give need more trunks
// or users; "" when it can.
func trunkShortage(parent Account, need Limits) string {
	var lines []string
	have := parent.Available.counted()
	for i, t := range need.counted() {
		if t.n > have[i].n {
			total := parent.Limits.counted()[i].n
			lines = append(lines, fmt.Sprintf("%s: asked %d, the parent has %d of which %d are given to other accounts, so %d are left",
				t.name, t.n, total, total-have[i].n, have[i].n))
		}
	}
	return strings.Join(lines, "; ")
}
