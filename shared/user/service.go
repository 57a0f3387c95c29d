package user

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/phone"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/text"
)

// Resetter mails a user a single-use password-reset link.
type Resetter interface {
	// SendReset stores a reset token for m and emails the link.
	SendReset(ctx context.Context, m account.Member) error
}

// welcomeMail is what the user welcome template can show.
type welcomeMail struct {
	FirstName, AccountName, Domain, Username, Email, Password, PortalURL, ActivationDate string
}

// Create runs the wizard. With dryRun it returns the overview and writes nothing;
// otherwise it saves everything in one transaction and emails the user (with the
// generated password, once). With a key, a retry of the same request answers with what
// the first one made; the key with another request is Invalid.
func (s *Service) Create(ctx context.Context, actor account.Actor, accountID string, req Request, dryRun bool, key string) (Created, error) {
	var need []account.Permission
	if req.Subscription != nil {
		need = append(need, account.SubscriptionsManage)
		if req.Subscription.Kind == PortIn {
			need = append(need, account.PortingRequest)
		}
	}
	if err := account.Permit(ctx, s.Store, actor, need...); err != nil {
		return Created{}, err
	}
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return Created{}, err
	}
	if dryRun {
		c, _, err := s.plan(ctx, acct, req)
		return c, err
	}
	typed, unkeyed := req.Password, req
	unkeyed.Password = "" // compared against the stored hash on a retry; the fingerprint is stored
	k := idempotency.NewKey("user", actor.AccountID, key, []any{accountID, unkeyed})
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Created, error) { return s.created(ctx, accountID, id, typed) },
		func() (Created, error) { return s.save(ctx, actor, acct, req, k) })
}

// save plans the wizard's request again and writes it.
func (s *Service) save(ctx context.Context, actor account.Actor, acct account.Account, req Request, k idempotency.Key) (Created, error) {
	c, pw, err := s.plan(ctx, acct, req)
	if err != nil {
		return c, err
	}
	var generated string
	if c.User.PasswordHash, generated, err = password.Protect(nil, pw); err != nil {
		return Created{}, err
	}
	c.User.ID = s.NewID("usr-")
	entries := []audit.Entry{audit.New(c.User.CreatedAt, actor.UserID, audit.User, audit.Create, c.User.ID, nil, c.User)}
	if c.Subscription != nil {
		c.Subscription.ID, c.Subscription.UserID = s.NewID("sub-"), c.User.ID
		entries = append(entries, audit.New(c.User.CreatedAt, actor.UserID, audit.Subscription, audit.Create, c.Subscription.ID, nil, c.Subscription))
	}
	if p := c.Porting; p != nil {
		p.ID, p.UserID, p.SubscriptionID = s.NewID("port-"), c.User.ID, c.Subscription.ID
		p.Timeline = []porting.Step{{Status: porting.Submitted, At: p.CreatedAt, By: actor.UserID, ByRole: string(actor.Role), Reason: "submitted with the user wizard"}}
		c.Subscription.PortingID = p.ID
		entries = append(entries, audit.New(c.User.CreatedAt, actor.UserID, audit.Porting, audit.Submitted, p.ID, nil, p))
	}
	if err := s.Store.CreateUser(ctx, acct, c.User, c.Subscription, c.Porting, entries, k.Record(c.User.ID, c.User.CreatedAt)); err != nil {
		return Created{}, err
	}
	if c.Porting != nil {
		if err := s.Jobs.EnqueuePorting(ctx, acct.ID, c.Porting.ID); err != nil {
			// Submitted and saved; the sweep queues it again.
			s.Log.WarnContext(ctx, "porting request saved but not queued", "porting", c.Porting.ID, "error", err)
		}
	}
	if _, err := s.Mailer.Send(ctx, c.User.Email, message.UserWelcome, welcomeMail{FirstName: c.User.FirstName, AccountName: acct.Name,
		Domain: acct.SignInDomain(), Username: c.User.Username, Email: c.User.Email, Password: generated, PortalURL: s.PortalURL,
		ActivationDate: c.User.ActivationDate}); err != nil {
		s.Log.WarnContext(ctx, "welcome email not sent", "user", c.User.ID, "error", err)
	}
	return c, nil
}

// created answers a retried save with the user the first one made, its subscription and
// its porting request as they are now; it sends no email again.
func (s *Service) created(ctx context.Context, accountID, userID, typed string) (Created, error) {
	m, err := s.Store.Member(ctx, accountID, userID)
	if err != nil {
		return Created{}, err
	}
	if typed != "" && !password.Matches(m.PasswordHash, typed) {
		return Created{}, idempotency.ErrOtherRequest
	}
	return s.withSubscription(ctx, m)
}

// withSubscription is m with its subscription and, for a port-in under way or done, its
// porting request as they are now, and every number they hold.
func (s *Service) withSubscription(ctx context.Context, m account.Member) (Created, error) {
	accountID, userID := m.AccountID, m.ID
	c := Created{User: m, Emails: []string{}}
	subs, err := s.Store.Subscriptions(ctx, accountID)
	if err != nil {
		return Created{}, err
	}
	for _, sub := range subs {
		if sub.UserID == userID {
			c.Subscription = &sub
		}
	}
	c.Numbers = Numbers(m, c.Subscription)
	if c.Subscription != nil && c.Subscription.PortingID != "" {
		p, err := s.Store.Porting(ctx, c.Subscription.PortingID)
		if err != nil {
			return Created{}, err
		}
		c.Porting, c.Numbers = &p, append(c.Numbers, p.Number)
	}
	return c, nil
}

// users reads one user of an account the actor may act on.
func (s *Service) users(ctx context.Context, actor account.Actor, accountID, userID string, writes bool) (account.Account, account.Member, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, writes)
	if err != nil {
		return acct, account.Member{}, err
	}
	m, err := s.Store.Member(ctx, accountID, userID)
	return acct, m, err
}

// Get returns a user with its subscription and porting request (Created, without emails).
func (s *Service) Get(ctx context.Context, actor account.Actor, accountID, userID string) (Created, error) {
	_, m, err := s.users(ctx, actor, accountID, userID, false)
	if err != nil {
		return Created{}, err
	}
	return s.withSubscription(ctx, m)
}

// Patch changes a user: its names and invoice address, its type, email, numbers and,
// while it waits for it, its activation date. Absent fields stay as they are.
type Patch struct {
	Version        int
	FirstName      *string
	LastName       *string
	InvoiceAddress *account.Address
	Type           *Type
	Email          *string
	PrimaryNumber  *string
	Aliases        *[]string
	ActivationDate *string
}

// Update applies a patch. Numbers and the email move their claims in the user's own
// transaction: a number or an email in use is 409 naming it, and nothing is written.
func (s *Service) Update(ctx context.Context, actor account.Actor, accountID, userID string, p Patch) (account.Member, error) {
	acct, m, err := s.users(ctx, actor, accountID, userID, true)
	if err != nil {
		return account.Member{}, err
	}
	var f fault.Fields
	if p.Version <= 0 {
		f.Add("version", "is required: send the version you read (or an If-Match header)")
	}
	next := m
	if p.FirstName != nil {
		next.FirstName = strings.TrimSpace(*p.FirstName)
		if !text.PersonName(next.FirstName) {
			f.Add("firstName", "letters, spaces, dots, hyphens or apostrophes, at most 64")
		}
	}
	if p.LastName != nil {
		next.LastName = strings.TrimSpace(*p.LastName)
		if !text.PersonName(next.LastName) {
			f.Add("lastName", "letters, spaces, dots, hyphens or apostrophes, at most 64")
		}
	}
	if p.InvoiceAddress != nil {
		checkAddress(&f, "invoiceAddress", *p.InvoiceAddress)
		next.InvoiceAddress = p.InvoiceAddress
	}
	if p.Email != nil {
		next.Email = strings.ToLower(strings.TrimSpace(*p.Email))
		if !account.PlainEmail(next.Email) {
			f.Add("email", "must be a plain email address; it is also a login name")
		} else if m.Username == m.Email {
			next.Username = next.Email // a user signing in with its email keeps doing so
		}
	}
	fresh, err := s.renumber(ctx, acct, &f, m, &next, p)
	if err != nil {
		return account.Member{}, err
	}
	if p.ActivationDate != nil {
		now := s.Now().UTC()
		at := activationInstant(&f, "activationDate", *p.ActivationDate, acct.Location(), now)
		next.ActivationDate, next.ActivatesAt, next.Inactive = *p.ActivationDate, at.UTC(), at.After(now)
	}
	if err := f.Err(); err != nil {
		return account.Member{}, err
	}
	if p.Version != m.Version {
		return account.Member{}, fault.New(fault.Conflict, "the user changed since you read it (version %d, you sent %d)", m.Version, p.Version)
	}
	if err := s.retype(ctx, m, &next, p.Type); err != nil {
		return account.Member{}, err
	}
	if p.ActivationDate != nil && !m.Inactive && *p.ActivationDate != m.ActivationDate {
		return account.Member{}, fault.New(fault.Conflict, "the user is active already; its activation date is history")
	}
	if err := s.stillFree(ctx, acct, m, next, fresh); err != nil {
		return account.Member{}, err
	}
	next.Version = m.Version + 1
	return next, s.Store.UpdateUser(ctx, acct, m, next, audit.New(s.Now().UTC(), actor.UserID, audit.User, audit.Update, userID, m, next))
}

// renumber applies a patch's numbers to next: each in the account's ranges (not given to
// a child account), none twice. It returns the numbers next claims that m did not.
func (s *Service) renumber(ctx context.Context, acct account.Account, f *fault.Fields, m account.Member, next *account.Member, p Patch) ([]string, error) {
	if p.PrimaryNumber == nil && p.Aliases == nil {
		return nil, nil
	}
	ranges, err := s.Store.Ranges(ctx, acct.ID)
	if err != nil {
		return nil, err
	}
	given, _, err := s.Store.ChildRanges(ctx, acct.ID)
	if err != nil {
		return nil, err
	}
	var seen []string
	claim := func(field, raw string) string {
		n, reason := phone.E164(raw)
		switch {
		case reason != "":
			f.Add(field, reason)
		case !numbering.Holds(ranges, n) || numbering.Holds(given, n):
			f.Add(field, "is not in the account's number ranges (see GET …/numbers/available)")
		case slices.Contains(seen, n):
			f.Add(field, "is given twice")
		}
		seen = append(seen, n)
		return n
	}
	if p.PrimaryNumber != nil {
		next.PrimaryNumber = claim("primaryNumber", *p.PrimaryNumber)
	} else {
		seen = append(seen, m.PrimaryNumber)
	}
	if p.Aliases != nil {
		next.Aliases = nil
		for i, a := range *p.Aliases {
			next.Aliases = append(next.Aliases, claim(fmt.Sprintf("aliases[%d]", i), a))
		}
	} else {
		for _, a := range m.Aliases {
			if slices.Contains(seen, a) {
				f.Add("primaryNumber", "is one of the user's aliases already")
			}
			seen = append(seen, a)
		}
	}
	var fresh []string
	for _, n := range Numbers(*next, nil) {
		if !slices.Contains(Numbers(m, nil), n) {
			fresh = append(fresh, n)
		}
	}
	return fresh, nil
}

// retype applies a change of type: a user becomes a basic user (who has no mobile
// subscription) or the other way; an administrator's type is its role's.
func (s *Service) retype(ctx context.Context, m account.Member, next *account.Member, t *Type) error {
	if t == nil {
		return nil
	}
	switch {
	case *t != Full && *t != Basic:
		return &fault.Error{Code: fault.Invalid, Message: "some fields are invalid", Fields: []fault.FieldReason{{Field: "type", Reason: `must be "user" or "basic"`}}}
	case m.Role != account.User && m.Role != account.BasicUser:
		return fault.New(fault.Conflict, "a %s has no type to change; change its role first", m.Role)
	case *t == Basic:
		subs, err := s.Store.Subscriptions(ctx, m.AccountID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(subs, func(sub Subscription) bool { return sub.UserID == m.ID && sub.Status != Terminated }) {
			return fault.New(fault.Conflict, "the user has a mobile subscription, which basic users do not get; terminate it first")
		}
		next.Role = account.BasicUser
	default:
		next.Role = account.User
	}
	return nil
}

// stillFree says, before the write, which of the new email and numbers are taken; the
// write's own conditions catch what a concurrent change takes meanwhile.
func (s *Service) stillFree(ctx context.Context, acct account.Account, m, next account.Member, fresh []string) error {
	var taken fault.Fields
	if next.Email != m.Email {
		_, emailTaken, err := s.Store.LoginsTaken(ctx, acct, account.Member{Username: next.Email, Email: next.Email})
		if err != nil {
			return err
		}
		if emailTaken {
			taken.Add("email", "is in use by another user or contact")
		}
	}
	if err := s.numbersTaken(ctx, &taken, fresh); err != nil {
		return err
	}
	return taken.Conflict("some values are in use", nil)
}

// SetDisabled disables a user (refused at sign-in and on every request, its sessions
// ended) or enables it again. Disabling one already disabled, or enabling one that is
// not, changes nothing and writes nothing. Nobody disables themselves.
func (s *Service) SetDisabled(ctx context.Context, actor account.Actor, accountID, userID string, disabled bool) (account.Member, error) {
	_, m, err := s.users(ctx, actor, accountID, userID, true)
	if err != nil {
		return account.Member{}, err
	}
	if disabled && m.ID == actor.UserID {
		return account.Member{}, fault.New(fault.Forbidden, "you cannot disable yourself")
	}
	if m.Disabled == disabled {
		return m, nil
	}
	next := m
	next.Disabled, next.Version = disabled, m.Version+1
	verb := audit.Enable
	if disabled {
		verb = audit.Disable
		next.SessionEpoch++ // ends the tokens issued before, as a credential change does
	}
	keeper, err := account.Keeper(ctx, s.Store, m, &next)
	if err != nil {
		return account.Member{}, err
	}
	return next, s.Store.SaveUser(ctx, next, audit.New(s.Now().UTC(), actor.UserID, audit.User, verb, userID, m, next), keeper)
}

// SetRole makes a user one of its account's administrators (the administrator role of
// the account's kind), a user, or, in the provider's own account, a porting operator.
// Only provider administrators make operators; a basic user changes type first; nobody
// changes their own role, nor takes the last administrator's. The user signs in again:
// tokens that carry the old role are refused.
func (s *Service) SetRole(ctx context.Context, actor account.Actor, accountID, userID string, role account.Role) (account.Member, error) {
	acct, m, err := s.users(ctx, actor, accountID, userID, true)
	if err != nil {
		return account.Member{}, err
	}
	allowed := []account.Role{account.AdminRole(acct.Kind), account.User}
	if acct.ID == account.ProviderRootID {
		allowed = append(allowed, account.Operator)
	}
	switch {
	case !slices.Contains(allowed, role):
		return account.Member{}, &fault.Error{Code: fault.Invalid, Message: "some fields are invalid",
			Fields: []fault.FieldReason{{Field: "role", Reason: fmt.Sprintf("must be one of %v in this account", allowed)}}}
	case role == account.Operator && actor.Role != account.ProviderAdmin:
		return account.Member{}, fault.New(fault.Forbidden, "only provider administrators make porting operators")
	case m.ID == actor.UserID:
		return account.Member{}, fault.New(fault.Forbidden, "you cannot change your own role")
	case m.Role == role:
		return m, nil
	case m.Role == account.BasicUser || m.Role == account.Switch:
		return account.Member{}, fault.New(fault.Conflict, "a %s keeps its role; a basic user changes its type first", m.Role)
	}
	next := m
	next.Role, next.Version = role, m.Version+1
	keeper, err := account.Keeper(ctx, s.Store, m, &next)
	if err != nil {
		return account.Member{}, err
	}
	return next, s.Store.SaveUser(ctx, next, audit.New(s.Now().UTC(), actor.UserID, audit.User, audit.RoleChanged, userID, m, next), keeper)
}

// Delete removes a user and releases its numbers. Nobody deletes themselves.
func (s *Service) Delete(ctx context.Context, actor account.Actor, accountID, userID string) error {
	acct, m, err := s.users(ctx, actor, accountID, userID, true)
	if err != nil {
		return err
	}
	if m.ID == actor.UserID {
		return fault.New(fault.Forbidden, "you cannot delete yourself")
	}
	keeper, err := account.Keeper(ctx, s.Store, m, nil)
	if err != nil {
		return err
	}
	return s.Store.DeleteUser(ctx, acct, m, audit.New(s.Now().UTC(), actor.UserID, audit.User, audit.Delete, userID, m, nil), keeper)
}

// ListSubscriptions returns a page of an account's mobile subscriptions, only userID's
// when it is set, for those who may read the account.
func (s *Service) ListSubscriptions(ctx context.Context, actor account.Actor, accountID, userID, cursor string, limit int) ([]Subscription, string, error) {
	if _, err := account.Load(ctx, s.Store, actor, accountID, false); err != nil {
		return nil, "", err
	}
	return s.Store.SubscriptionPage(ctx, accountID, userID, cursor, account.PageSize(limit))
}

// Filter picks the users of a list.
type Filter struct {
	// Query is a case-insensitive prefix of a word of the name, of the user name or email,
	// or of a number (with or without its +).
	Query string
	// Type is "user" or "basic"; "" both.
	Type Type
	// Active, when set, keeps the active users (true) or those waiting for their
	// activation date (false).
	Active *bool
	// Role keeps the users of one role (the account's staff: its administrators, the
	// provider's operators).
	Role account.Role
}

// Matches reports whether m is one of the users f picks, as the store's search does:
// Query a prefix of a word of m's SearchTerms.
func (f Filter) Matches(m account.Member) bool {
	if f.Type == Basic && m.Role != account.BasicUser || f.Type == Full && m.Role == account.BasicUser {
		return false
	}
	if f.Active != nil && *f.Active == m.Inactive || f.Role != "" && m.Role != f.Role {
		return false
	}
	return strings.Contains(text.SearchKey(m.SearchTerms()...), " "+text.SearchQuery(f.Query))
}

// List returns a page of the users of an account the actor may read.
func (s *Service) List(ctx context.Context, actor account.Actor, accountID string, f Filter, cursor string, limit int) ([]account.Member, string, error) {
	var bad fault.Fields
	account.CheckQuery(&bad, f.Query)
	if f.Type != "" && f.Type != Full && f.Type != Basic {
		bad.Add("type", "must be user or basic")
	}
	if f.Role != "" && !slices.Contains(account.Roles, f.Role) {
		bad.Add("role", fmt.Sprintf("must be one of %v", account.Roles))
	}
	if err := bad.Err(); err != nil {
		return nil, "", err
	}
	if _, err := account.Load(ctx, s.Store, actor, accountID, false); err != nil {
		return nil, "", err
	}
	return s.Store.SearchUsers(ctx, accountID, f, cursor, account.PageSize(limit))
}

// SendReset mails a user a single-use reset link on an administrator's request.
func (s *Service) SendReset(ctx context.Context, actor account.Actor, accountID, userID string) error {
	_, m, err := s.users(ctx, actor, accountID, userID, true)
	if err != nil {
		return err
	}
	if m.Email == "" {
		return fault.New(fault.Conflict, "the user has no email address to send the link to")
	}
	return s.Resets.SendReset(ctx, m)
}

// Activations counts what one run of the activation sweep did.
type Activations struct {
	Users           int `json:"activated"`
	Subscriptions   int `json:"subscriptionsActivated"`
	NumbersReleased int `json:"numbersReleased"`
}

// ActivateDue activates every user and subscription whose activation date has come, and
// frees the numbers of terminated subscriptions whose aging is over.
func (s *Service) ActivateDue(ctx context.Context) (Activations, error) {
	now := s.Now().UTC()
	var done Activations
	due, err := s.Store.PendingActivations(ctx, now.Add(time.Second))
	if err != nil {
		return done, err
	}
	for _, m := range due {
		next := m
		next.Inactive, next.Version = false, m.Version+1
		if err := s.Store.SaveUser(ctx, next, audit.New(now, "system:dispatcher", audit.User, audit.Activate, m.ID, m, next), nil); err != nil {
			s.Log.WarnContext(ctx, "user not activated; the next run retries", "user", m.ID, "error", err)
			continue
		}
		done.Users++
	}
	if done.Subscriptions, err = s.activateDueSubscriptions(ctx, now); err != nil {
		return done, err
	}
	done.NumbersReleased, err = s.Store.ReleaseAgedNumbers(ctx, now)
	return done, err
}
