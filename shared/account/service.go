package account

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/money"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/password"
)

// Actor is who acts: the user, their account and role, from a verified token.
type Actor struct {
	UserID    string `json:"sub"`
	AccountID string `json:"acc"`
	Role      Role   `json:"role"`
	// Epoch is the user's session epoch when the token was issued (Member.SessionEpoch).
	Epoch int `json:"-"`
}

// Store keeps accounts and their users. Writes include their audit entries.
type Store interface {
	// Account returns an account; NotFound when there is none.
	Account(ctx context.Context, id string) (Account, error)
	// Children returns a page of an account's children that f picks and the cursor of the
	// next page.
	Children(ctx context.Context, parentID string, f Filter, cursor string, limit int) ([]Account, string, error)
	// Descendants returns a page of every account below rootID that f picks, in tree order.
	Descendants(ctx context.Context, rootID string, f Filter, cursor string, limit int) ([]Node, string, error)
	// Members returns the users of an account.
	Members(ctx context.Context, accountID string) ([]Member, error)
	// Member returns a user of an account; NotFound when there is none.
	Member(ctx context.Context, accountID, userID string) (Member, error)
	// CreateAccount writes a new account and its admin, taking the account's trunks from
	// its parent's available ones; Conflict when the parent no longer has them, or the
	// admin's email is taken.
	// With idem, the idempotency record is written too; Conflict when its key is in use.
	CreateAccount(ctx context.Context, acct Account, admin *Member, entries []audit.Entry, idem *idempotency.Record) error
	idempotency.Records
	// UpdateAccount writes acct when the stored copy has version acct.Version-1, and moves
	// extra trunks (negative: returns them) between the parent and acct; Conflict when
	// the version is stale or the parent lacks the trunks.
	UpdateAccount(ctx context.Context, acct Account, extra Limits, entry audit.Entry, idem *idempotency.Record) error
	// DeleteAccount removes acct (version-checked) and returns its trunks to its parent.
	DeleteAccount(ctx context.Context, acct Account, entry audit.Entry) error
	// AuditLog returns a page of an account's audit entries matching f, newest first.
	AuditLog(ctx context.Context, accountID string, f AuditFilter, cursor string, limit int) ([]audit.Entry, string, error)
	// Dependents names the kinds of records other than users and children that an
	// account still holds (client accounts, number ranges, subscriptions, porting
	// requests), in that order.
	Dependents(ctx context.Context, accountID string) ([]string, error)
	// CreateMember adds a user to an account; Conflict when the name or email is taken.
	CreateMember(ctx context.Context, acct Account, m Member, entry audit.Entry, idem *idempotency.Record) error
}

// Mailer sends templated email.
type Mailer interface {
	// Send renders message template name with data, emails it to to, and returns the
	// provider's message ID.
	Send(ctx context.Context, to string, name message.Name, data any) (string, error)
}

// Service is the Accounts Manager.
type Service struct {
	Store       Store
	Mailer      Mailer
	Log         *slog.Logger
	Now         func() time.Time
	NewID       func(prefix string) string
	Random      io.Reader // realm and password randomness; nil means crypto/rand
	RealmSuffix string
	PortalURL   string
	Currency    string // of new accounts' credit unless asked otherwise
	// Channels counts an account's calls in progress, for Summary.
	Channels ChannelCounter
}

// ChannelCounter counts the calls in progress of an account.
type ChannelCounter interface {
	ChannelsInUse(ctx context.Context, accountID string) (int, error)
}

// Summary is an account as its Main tab shows it: the account and its channels in use.
type Summary struct {
	Account
	ChannelsInUse int
}

// MaxPage is the largest page a list returns.
const MaxPage = 100

// action is what an actor wants to do to an account.
type action int

const (
	read action = iota
	write
)

// MayAct checks the actor's role allows the kind of action at all: admins may write,
// users may read. It comes before any read, so a refusal says nothing about the target.
func MayAct(actor Actor, writes bool) error {
	if actor.Role.Admin() || (!writes && actor.Role == User) {
		return nil
	}
	return fault.New(fault.Forbidden, "your role (%s) may not do this", actor.Role)
}

// InScope checks a loaded account lies within the actor's subtree; outside it the account
// does not exist for them (NotFound, never Forbidden).
func InScope(actor Actor, acct Account) error {
	if !acct.Within(actor.AccountID) {
		return fault.New(fault.NotFound, "no such account")
	}
	return nil
}

// Reader reads accounts; every store that keeps records under accounts is one.
type Reader interface {
	// Account returns an account; NotFound when there is none.
	Account(ctx context.Context, id string) (Account, error)
}

// Load reads the account id for an actor about to read it or its records (writes false)
// or change them (writes true): the role first, then the scope, so a refused caller
// learns nothing about the account. The caller's own account, when the route's
// permission check read it moments ago in this request (Permitting), is not read again.
func Load(ctx context.Context, r Reader, actor Actor, id string, writes bool) (Account, error) {
	if err := MayAct(actor, writes); err != nil {
		return Account{}, err
	}
	acct, read := ctx.Value(callerAccountKey{}).(Account)
	if !read || acct.ID != id {
		var err error
		if acct, err = r.Account(ctx, id); err != nil {
			return Account{}, err
		}
	}
	if err := InScope(actor, acct); err != nil {
		return Account{}, err
	}
	return acct, nil
}

// authorize loads the target account and checks the actor may act on it.
func (s *Service) authorize(ctx context.Context, actor Actor, id string, a action) (Account, error) {
	return Load(ctx, s.Store, actor, id, a == write)
}

// Get returns an account the actor may read.
func (s *Service) Get(ctx context.Context, actor Actor, id string) (Account, error) {
	return s.authorize(ctx, actor, id, read)
}

// Summary returns an account the actor may read, with its channels in use now (CM-1).
func (s *Service) Summary(ctx context.Context, actor Actor, id string) (Summary, error) {
	acct, err := s.Get(ctx, actor, id)
	if err != nil {
		return Summary{}, err
	}
	n, err := s.Channels.ChannelsInUse(ctx, acct.ID)
	return Summary{Account: acct, ChannelsInUse: n}, err
}

// Profile returns the actor's own user. Every role may read it: it is all a basic user
// may reach through the API.
func (s *Service) Profile(ctx context.Context, actor Actor) (Member, error) {
	if actor.Role.Machine() {
		return Member{}, fault.New(fault.Forbidden, "an API key has no profile; its managers list it under the account's api-keys")
	}
	return s.Store.Member(ctx, actor.AccountID, actor.UserID)
}

// PageSize is the page a list returns for a requested limit: MaxPage when none (or too
// many) was asked for.
func PageSize(limit int) int {
	if limit <= 0 || limit > MaxPage {
		return MaxPage
	}
	return limit
}

// Created is a new account and, when one was asked for, its administrator.
type Created struct {
	Account Account
	Admin   *Member
}

// Create makes a child account (of the actor's own account unless ParentID says which)
// with its optional administrator. A generated password is emailed to the administrator
// once and returned nowhere. With a key, a retry of the same request returns the account
// the first one made; the key with another request is Invalid.
func (s *Service) Create(ctx context.Context, actor Actor, req CreateRequest, key string) (Created, error) {
	if req.ParentID == "" {
		req.ParentID = actor.AccountID
	}
	if req.Kind == "" {
		req.Kind = Tenant
	}
	parent, err := s.authorize(ctx, actor, req.ParentID, write)
	if err != nil {
		return Created{}, err
	}
	k := idempotency.Key{Scope: "account:" + actor.AccountID, Value: key, Fingerprint: fingerprintOf(req)}
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Created, error) { return s.created(ctx, id, req) },
		func() (Created, error) { return s.create(ctx, actor, parent, req, k) })
}

func (s *Service) create(ctx context.Context, actor Actor, parent Account, req CreateRequest, k idempotency.Key) (Created, error) {
	if err := req.Validate(parent); err != nil {
		return Created{}, err
	}
	if why := trunkShortage(parent, req.Limits); why != "" {
		return Created{}, &fault.Error{Code: fault.Conflict, Message: "the parent account does not have the trunks or users asked for",
			Fields: []fault.FieldReason{{Field: "limits", Reason: why}}}
	}
	now := s.Now().UTC()
	realm, err := NewRealm(s.Random, s.RealmSuffix)
	if err != nil {
		return Created{}, fault.Wrap(fault.Internal, err, "could not generate a realm")
	}
	id := s.NewID("acc-")
	restrictions := DefaultRestrictions()
	for c, r := range req.Restrictions {
		restrictions[c] = r
	}
	currency := req.Credit.Currency
	if currency == "" {
		currency = s.Currency
	}
	acct := Account{
		ID: id, ParentID: parent.ID, Path: append(slices.Clone(parent.Path), id), Kind: req.Kind, Name: strings.TrimSpace(req.Name),
		Realm: realm, Timezone: req.Timezone, Status: Active, Permissions: req.Permissions, Limits: req.Limits,
		Available: req.Limits, Restrictions: restrictions, Credit: Credit{AddedMinor: req.Credit.AddMinor, Currency: currency, Bypass: req.Credit.Bypass},
		DebitLimit: req.DebitLimit, SMSSenderName: req.SMSSender, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if acct.Permissions == nil { // not asked: the parent's, which is the most allowed
		acct.Permissions = slices.Clone(parent.Permissions)
	}
	entries := []audit.Entry{audit.New(now, actor.UserID, audit.Account, audit.Create, id, nil, acct)}
	var admin *Member
	generated := ""
	if req.Admin != nil {
		var hash string
		if hash, generated, err = password.Protect(s.Random, req.Admin.Password); err != nil {
			return Created{}, err
		}
		email := strings.ToLower(req.Admin.Email)
		admin = &Member{ID: s.NewID("usr-"), AccountID: id, Username: email, FirstName: req.Admin.FirstName, LastName: req.Admin.LastName,
			Email: email, Phone: req.Admin.Phone, Role: AdminRole(req.Kind), PasswordHash: hash, CreatedAt: now, Version: 1}
		entries = append(entries, audit.New(now, actor.UserID, audit.User, audit.Create, admin.ID, nil, admin))
	}
	if err := s.Store.CreateAccount(ctx, acct, admin, entries, k.Record(id, now)); err != nil {
		if fault.Is(err, fault.Conflict) {
			return Created{}, s.explainConflict(ctx, err, parent.ID, req.Limits)
		}
		return Created{}, err
	}
	if admin != nil {
		s.welcome(ctx, acct, *admin, generated)
	}
	return Created{Account: acct, Admin: admin}, nil
}

// fingerprintOf identifies a create request without the admin's password, which is
// compared against the stored hash on replay instead.
func fingerprintOf(req CreateRequest) string {
	if req.Admin != nil {
		a := *req.Admin
		a.Password = ""
		req.Admin = &a
	}
	return idempotency.Fingerprint(req)
}

// created answers a retried create from what the first request made.
func (s *Service) created(ctx context.Context, id string, req CreateRequest) (Created, error) {
	acct, err := s.Store.Account(ctx, id)
	if err != nil {
		return Created{}, err
	}
	first := Created{Account: acct}
	if req.Admin != nil {
		members, err := s.Store.Members(ctx, acct.ID)
		if err != nil {
			return Created{}, err
		}
		for _, m := range members {
			if m.Email == strings.ToLower(req.Admin.Email) {
				if req.Admin.Password != "" && !password.Matches(m.PasswordHash, req.Admin.Password) {
					return Created{}, idempotency.ErrOtherRequest
				}
				first.Admin = &m
			}
		}
	}
	return first, nil
}

// explainConflict re-reads the parent after a lost race so the error shows the arithmetic
// as it now stands; other conflicts (a taken email) pass through.
func (s *Service) explainConflict(ctx context.Context, err error, parentID string, need Limits) error {
	parent, gerr := s.Store.Account(ctx, parentID)
	if gerr != nil {
		return err
	}
	if why := trunkShortage(parent, need); why != "" {
		return &fault.Error{Code: fault.Conflict, Message: "the parent account does not have the trunks or users asked for",
			Fields: []fault.FieldReason{{Field: "limits", Reason: why}}, Err: err}
	}
	return err
}

// welcomeMail is what the welcome email template can show.
type welcomeMail struct {
	FirstName, AccountName, Realm, Username, Password, PortalURL string
}

// welcome emails a new administrator how to sign in (with the generated password, once).
// A failure is logged, not returned: the account exists, and a reset link gets them in.
func (s *Service) welcome(ctx context.Context, acct Account, admin Member, generated string) {
	data := welcomeMail{FirstName: admin.FirstName, AccountName: acct.Name, Realm: acct.Realm, Username: admin.Username,
		Password: generated, PortalURL: s.PortalURL}
	if _, err := s.Mailer.Send(ctx, admin.Email, message.AccountAdminWelcome, data); err != nil {
		s.Log.WarnContext(ctx, "welcome email not sent", "account", acct.ID, "user", admin.ID, "error", err)
	}
}

// Update applies a patch. Trunk limits, restrictions, credit bypass, debit limit,
// permissions and status are set by the parent's administrators, never by the account's
// own; the version must be the one the caller read.
func (s *Service) Update(ctx context.Context, actor Actor, id string, p Patch) (Account, error) {
	acct, err := s.authorize(ctx, actor, id, write)
	if err != nil {
		return Account{}, err
	}
	if acct.ID == actor.AccountID && p.ByParent() {
		return Account{}, fault.New(fault.Forbidden, "limits, restrictions, credit, debit limit, permissions and status are set by the parent account's administrators")
	}
	var parent *Account
	if acct.ParentID != "" {
		pa, err := s.Store.Account(ctx, acct.ParentID)
		if err != nil {
			return Account{}, err
		}
		parent = &pa
	}
	if err := p.Validate(parent); err != nil {
		return Account{}, err
	}
	if p.Version != acct.Version {
		return Account{}, fault.New(fault.Conflict, "the account changed since you read it (version %d, you sent %d): read it again", acct.Version, p.Version)
	}
	next := acct
	var extra Limits
	if p.Name != nil {
		next.Name = strings.TrimSpace(*p.Name)
	}
	if p.Timezone != nil {
		next.Timezone = *p.Timezone
	}
	if p.Limits != nil {
		limits := p.Limits.Apply(acct.Limits)
		extra = limits.Minus(acct.Limits)
		allocated := acct.Allocated()
		next.Limits, next.Available = limits, limits.Minus(allocated)
		var why []string
		for i, t := range next.Available.counted() {
			if t.n < 0 {
				why = append(why, t.name+": its children (and, for users, its own users) hold "+strconv.Itoa(allocated.counted()[i].n)+", more than the new limit")
			}
		}
		if len(why) > 0 {
			return Account{}, &fault.Error{Code: fault.Conflict, Message: "the new limits are below what the account's children hold",
				Fields: []fault.FieldReason{{Field: "limits", Reason: strings.Join(why, "; ")}}}
		}
		if parent != nil {
			growth := Limits{InboundTrunks: max(extra.InboundTrunks, 0), OutboundTrunks: max(extra.OutboundTrunks, 0), TwowayTrunks: max(extra.TwowayTrunks, 0), Users: max(extra.Users, 0)}
			if why := trunkShortage(*parent, growth); why != "" {
				return Account{}, &fault.Error{Code: fault.Conflict, Message: "the parent account does not have the trunks or users asked for",
					Fields: []fault.FieldReason{{Field: "limits", Reason: why}}}
			}
		}
	}
	if p.Restrictions != nil {
		next.Restrictions = maps.Clone(acct.Restrictions) // the audit diff compares with acct's
		if next.Restrictions == nil {
			next.Restrictions = map[CallClass]Rule{}
		}
		maps.Copy(next.Restrictions, p.Restrictions)
	}
	if p.CreditBypass != nil {
		next.Credit.Bypass = *p.CreditBypass
	}
	if p.DebitLimit != nil {
		next.DebitLimit = *p.DebitLimit
	}
	if p.LowBalanceThreshold != nil {
		next.LowBalanceThreshold = *p.LowBalanceThreshold
	}
	if p.Permissions != nil {
		next.Permissions = *p.Permissions
	}
	if p.Status != nil {
		next.Status = *p.Status
	}
	if p.SMSSender != nil {
		next.SMSSenderName = *p.SMSSender
	}
	next.UpdatedAt, next.Version = s.Now().UTC(), acct.Version+1
	entry := audit.New(next.UpdatedAt, actor.UserID, audit.Account, audit.Update, id, acct, next)
	if err := s.Store.UpdateAccount(ctx, next, extra, entry, nil); err != nil {
		if fault.Is(err, fault.Conflict) && parent != nil {
			return Account{}, s.explainConflict(ctx, err, parent.ID, extra)
		}
		return Account{}, err
	}
	return next, nil
}

// AddCredit adds to an account's credit balance (AM-6: "credit balance
// additions"). Only the parent's administrators add credit; nobody tops up their own.
// With a key, a retry of the same addition answers with the account as it is now, and
// adds nothing again.
func (s *Service) AddCredit(ctx context.Context, actor Actor, id string, amountMinor int64, reason string, version int, key string) (Account, error) {
	acct, err := s.authorize(ctx, actor, id, write)
	if err != nil {
		return Account{}, err
	}
	if acct.ID == actor.AccountID {
		return Account{}, fault.New(fault.Forbidden, "credit is added by the parent account's administrators")
	}
	k := idempotency.NewKey("credit", actor.AccountID, key, []any{id, amountMinor, reason, version})
	return idempotency.Once(ctx, s.Store, k, s.Store.Account, func() (Account, error) { return s.addCredit(ctx, actor, acct, amountMinor, reason, version, k) })
}

func (s *Service) addCredit(ctx context.Context, actor Actor, acct Account, amountMinor int64, reason string, version int, k idempotency.Key) (Account, error) {
	var f fault.Fields
	if amountMinor <= 0 || amountMinor > money.MaxCreditAddition {
		f.Add("amountMinor", fmt.Sprintf("must be a whole number of minor units from 1 to %d", money.MaxCreditAddition))
	}
	if r := strings.TrimSpace(reason); r == "" || len(r) > 200 {
		f.Add("reason", "is required, at most 200 characters")
	}
	if version <= 0 {
		f.Add("version", "is required: send the version you read (or an If-Match header)")
	}
	if err := f.Err(); err != nil {
		return Account{}, err
	}
	if version != acct.Version {
		return Account{}, fault.New(fault.Conflict, "the account changed since you read it (version %d, you sent %d): read it again", acct.Version, version)
	}
	balance, err := money.Add(acct.Credit.BalanceMinor(), amountMinor)
	added, overflow := money.Add(acct.Credit.AddedMinor, amountMinor)
	if err != nil || overflow != nil || balance > money.MaxBalance {
		return Account{}, &fault.Error{Code: fault.Conflict, Message: "the addition would take the balance over its maximum",
			Fields: []fault.FieldReason{{Field: "amountMinor", Reason: fmt.Sprintf("the balance is %d and may be at most %d, so at most %d can be added",
				acct.Credit.BalanceMinor(), money.MaxBalance, max(money.MaxBalance-acct.Credit.BalanceMinor(), 0))}}}
	}
	next := acct
	next.Credit.AddedMinor = added
	next.UpdatedAt, next.Version = s.Now().UTC(), acct.Version+1
	entry := audit.New(next.UpdatedAt, actor.UserID, audit.Account, audit.CreditAdded, acct.ID, acct, next)
	entry.Diff["reason"] = audit.Change{After: strings.TrimSpace(reason)}
	if err := s.Store.UpdateAccount(ctx, next, Limits{}, entry, k.Record(acct.ID, next.UpdatedAt)); err != nil {
		return Account{}, err
	}
	return next, nil
}

// Delete removes an account with no children, users or other records, returning its
// trunks to its parent. Nobody deletes their own account, nor the root.
func (s *Service) Delete(ctx context.Context, actor Actor, id string, version int) error {
	acct, err := s.authorize(ctx, actor, id, write)
	if err != nil {
		return err
	}
	if acct.ID == actor.AccountID || acct.ParentID == "" {
		return fault.New(fault.Forbidden, "an account cannot delete itself; ask its parent's administrators")
	}
	if version != 0 && version != acct.Version {
		return fault.New(fault.Conflict, "the account changed since you read it (version %d, you sent %d)", acct.Version, version)
	}
	children, _, err := s.Store.Children(ctx, id, Filter{}, "", 1)
	if err != nil {
		return err
	}
	if len(children) > 0 {
		return fault.New(fault.Conflict, "the account has child accounts: delete or move them first")
	}
	members, err := s.Store.Members(ctx, id)
	if err != nil {
		return err
	}
	switch len(members) {
	case 0:
	case 1:
		return fault.New(fault.Conflict, "the account has a user: delete it first")
	default:
		return fault.New(fault.Conflict, "the account has %d users: delete them first", len(members))
	}
	held, err := s.Store.Dependents(ctx, id)
	if err != nil {
		return err
	}
	if len(held) > 0 {
		return fault.New(fault.Conflict, "the account still has %s: remove them first", strings.Join(held, ", "))
	}
	entry := audit.New(s.Now().UTC(), actor.UserID, audit.Account, audit.Delete, id, acct, nil)
	return s.Store.DeleteAccount(ctx, acct, entry)
}

// AuditFilter narrows an audit log: to one kind of entity (account, user, sip, porting,
// …) and to a time span; zero values do not narrow.
type AuditFilter struct {
	Entity   string
	From, To time.Time
}

// AuditLog returns a page of an account's audit log, newest first.
func (s *Service) AuditLog(ctx context.Context, actor Actor, id string, f AuditFilter, cursor string, limit int) ([]audit.Entry, string, error) {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, "", &fault.Error{Code: fault.Invalid, Message: "the time span is empty", Fields: []fault.FieldReason{{Field: "to", Reason: "must not be before from"}}}
	}
	acct, err := s.authorize(ctx, actor, id, write)
	if err != nil {
		return nil, "", err
	}
	entries, next, err := s.Store.AuditLog(ctx, id, f, cursor, PageSize(limit))
	hidden := auditHidden(actor, acct)
	for i := range entries {
		entries[i] = entries[i].Redacted(hidden)
	}
	return entries, next, err
}

// auditHidden says which fields of an account's audit log a reader may not see: the
// same as in the entities' own views. Private notes on contacts are for the staff who
// manage the customer (ShowsPrivateNotes); private porting comments, and the steps that
// are only such a comment, are for operators.
func auditHidden(actor Actor, acct Account) func(object map[string]any, key string) bool {
	seesNotes, operator := ShowsPrivateNotes(actor, acct), actor.Role == Operator
	return func(object map[string]any, key string) bool {
		private := object != nil && object["private"] == true
		switch key {
		case "":
			return !operator && private && object["commentOnly"] == true
		case "privateNotes":
			return !seesNotes
		case "comment":
			return !operator && private
		}
		return false
	}
}

// RootRequest describes the provider's root account and its first administrator.
type RootRequest struct {
	Name, Timezone, AdminEmail string
	Limits                     Limits
	Permissions                []string
}

// Bootstrap creates the provider's root account and its first provider_admin, once, and
// returns that administrator's generated password for the operator to see once (it is
// stored only as a hash). Conflict when the root exists already.
func (s *Service) Bootstrap(ctx context.Context, req RootRequest) (Created, string, error) {
	if _, err := s.Store.Account(ctx, ProviderRootID); err == nil {
		return Created{}, "", fault.New(fault.Conflict, "the provider account exists already")
	} else if !fault.Is(err, fault.NotFound) {
		return Created{}, "", err
	}
	now := s.Now().UTC()
	realm, err := NewRealm(s.Random, s.RealmSuffix)
	if err != nil {
		return Created{}, "", fault.Wrap(fault.Internal, err, "could not generate a realm")
	}
	hash, pw, err := password.Protect(s.Random, "")
	if err != nil {
		return Created{}, "", err
	}
	root := Account{ID: ProviderRootID, Path: []string{ProviderRootID}, Kind: Provider, Name: req.Name, Realm: realm,
		Timezone: req.Timezone, Status: Active, Permissions: req.Permissions, Limits: req.Limits, Available: req.Limits,
		Restrictions: DefaultRestrictions(), Credit: Credit{Currency: s.Currency}, CreatedAt: now, UpdatedAt: now, Version: 1}
	email := strings.ToLower(req.AdminEmail)
	admin := &Member{ID: s.NewID("usr-"), AccountID: root.ID, Username: email, Email: email, Role: ProviderAdmin,
		PasswordHash: hash, CreatedAt: now, Version: 1}
	entries := []audit.Entry{
		audit.New(now, "system:bootstrap", audit.Account, audit.Create, root.ID, nil, root),
		audit.New(now, "system:bootstrap", audit.User, audit.Create, admin.ID, nil, admin),
	}
	if err := s.Store.CreateAccount(ctx, root, admin, entries, nil); err != nil {
		return Created{}, "", err
	}
	return Created{Account: root, Admin: admin}, pw, nil
}

// AddOperator makes a porting operator at the provider's root account for the one-off
// bootstrap (operators work the porting desk for every account; later ones are added as
// staff through the API). Its login is its email; it returns the generated password,
// shown once.
func (s *Service) AddOperator(ctx context.Context, email string) (Member, string, error) {
	root, err := s.Store.Account(ctx, ProviderRootID)
	if err != nil {
		return Member{}, "", err
	}
	hash, pw, err := password.Protect(s.Random, "")
	if err != nil {
		return Member{}, "", err
	}
	email = strings.ToLower(email)
	now := s.Now().UTC()
	m := Member{ID: s.NewID("usr-"), AccountID: root.ID, Username: email, Email: email, Role: Operator, PasswordHash: hash,
		CreatedAt: now, Version: 1}
	if err := s.Store.CreateMember(ctx, root, m, audit.New(now, "system:bootstrap", audit.User, audit.Create, m.ID, nil, m), nil); err != nil {
		return Member{}, "", err
	}
	return m, pw, nil
}
