// Package user is the User Wizard (docs/requirements.md, UW): it creates a user of an account with its
// invoice address, login names, password, primary number and aliases from the account's
// ranges, an activation date, and optionally a new mobile subscription, in one write;
// or, as a dry run, shows the overview of what it would create.
package user

import (
	"context"
	"fmt"
	"log/slog"
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
	"github.com/provisio/provisio/shared/personid"
	"github.com/provisio/provisio/shared/phone"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/text"
)

// Type is the wizard's user type.
type Type string

// User types (UW-5): a basic user has restricted API and presence access.
const (
	Full  Type = "user"
	Basic Type = "basic"
)

// SubscriptionKind is how a subscription starts: the User Wizard's "Create new
// subscription" or "Port in an existing subscription".
type SubscriptionKind string

// The subscription kinds.
const (
	NewSubscription SubscriptionKind = "new"
	PortIn          SubscriptionKind = "port-in"
)

// SubscriptionRequest is the wizard's subscription step.
type SubscriptionRequest struct {
	Kind               SubscriptionKind
	ActivationDate     string
	SIMDeliveryAddress account.Address
	Number             string // optional: a chosen number; otherwise the next free mobile one (new only)
	Porting            *PortingRequest
}

// PortingRequest is the wizard's port-in step.
type PortingRequest struct {
	Number          string // the mobile number to port in
	OwnerType       personid.Owner
	OwnerID         string // personnummer or organisationsnummer, check digit validated
	ProposedAt      string // RFC 3339; a proposal in the business window
	TemporaryNumber string // optional, from the account's mobile ranges
	// LosingCarrier is optional here, and required before the desk schedules the port.
	LosingCarrier porting.LosingCarrier
}

// Request is the wizard's user step.
type Request struct {
	Type           Type
	FirstName      string
	LastName       string
	InvoiceAddress account.Address
	Username       string // optional custom username
	Email          string
	Password       string // optional: generated and emailed once when empty
	PrimaryNumber  string
	Aliases        []string
	ActivationDate string // optional YYYY-MM-DD in the account's time zone
	Subscription   *SubscriptionRequest
}

// Numbers lists every number a user and its subscription hold, the primary first.
func Numbers(m account.Member, sub *Subscription) []string {
	nums := append([]string{}, m.Aliases...)
	if m.PrimaryNumber != "" {
		nums = append([]string{m.PrimaryNumber}, nums...)
	}
	if sub != nil && sub.Number != "" && sub.Status != Terminated { // a terminated one's number is aging
		nums = append(nums, sub.Number)
	}
	return nums
}

// Created is what the wizard made (or, in a dry run, would make).
type Created struct {
	User         account.Member `json:"user"`
	Subscription *Subscription  `json:"subscription,omitempty"`
	// Porting is the port-in request the save submits.
	Porting *porting.Request `json:"porting,omitempty"`
	// Numbers lists every number the save claims.
	Numbers []string `json:"numbers"`
	// Emails lists the emails the save sends.
	Emails []string `json:"emails"`
}

// Store is what the wizard needs.
type Store interface {
	numbering.Store
	// CreateUser writes the user, its subscription and porting request, its sign-in
	// lookups, its email and number claims and the audit entries in one transaction;
	// Conflict says something is taken.
	CreateUser(ctx context.Context, acct account.Account, m account.Member, sub *Subscription, port *porting.Request, entries []audit.Entry, idem *idempotency.Record) error
	// Subscriptions returns an account's subscriptions.
	Subscriptions(ctx context.Context, accountID string) ([]Subscription, error)
	// SubscriptionPage returns a page of an account's subscriptions, only userID's when
	// it is set, in ID order.
	SubscriptionPage(ctx context.Context, accountID, userID, cursor string, limit int) ([]Subscription, string, error)
	// Porting returns a porting request; NotFound when there is none.
	Porting(ctx context.Context, id string) (porting.Request, error)
	// LoginsTaken reports whether m's user name is a sign-in name of acct already, and
	// whether its email is in use anywhere.
	LoginsTaken(ctx context.Context, acct account.Account, m account.Member) (username, email bool, err error)
	// Member returns a user of an account; NotFound when there is none.
	Member(ctx context.Context, accountID, userID string) (account.Member, error)
	// Members returns every user of an account.
	Members(ctx context.Context, accountID string) ([]account.Member, error)
	// SaveUser writes m when the stored copy has version m.Version-1, with its audit
	// entry; with a keeper, only while the keeper is still as read (it stays the
	// account's administrator when m stops being one).
	SaveUser(ctx context.Context, m account.Member, entry audit.Entry, keeper *account.Member) error
	// UpdateUser writes after over before (version-checked) with its audit entry, moving
	// in the same transaction the claims of the numbers and the email, and the sign-in
	// names, that changed; Conflict when one is taken meanwhile.
	UpdateUser(ctx context.Context, acct account.Account, before, after account.Member, entry audit.Entry) error
	// SearchUsers returns a page of an account's users that f picks, in ID order.
	SearchUsers(ctx context.Context, accountID string, f Filter, cursor string, limit int) ([]account.Member, string, error)
	// DeleteUser removes a user, its subscription and sign-in lookups, and releases its
	// numbers; with a keeper, only while the keeper is still as read.
	DeleteUser(ctx context.Context, acct account.Account, m account.Member, entry audit.Entry, keeper *account.Member) error
	// PendingActivations returns inactive users whose activation time is before cutoff.
	PendingActivations(ctx context.Context, cutoff time.Time) ([]account.Member, error)
	// Subscription returns a subscription of an account; NotFound when there is none.
	Subscription(ctx context.Context, accountID, id string) (Subscription, error)
	// SaveSubscription writes after over before (Conflict unless the stored version is
	// before's) with its audit entry. When after terminates the subscription, its number's
	// claim passes from the user to the aging list in the same transaction.
	SaveSubscription(ctx context.Context, before, after Subscription, entry audit.Entry) error
	// PendingSubscriptions returns ordered subscriptions whose activation time is before
	// cutoff.
	PendingSubscriptions(ctx context.Context, cutoff time.Time) ([]Subscription, error)
	// ReleaseAgedNumbers frees the numbers of terminated subscriptions whose aging ended
	// before cutoff, and returns how many.
	ReleaseAgedNumbers(ctx context.Context, cutoff time.Time) (int, error)
}

// Mailer sends templated email.
type Mailer interface {
	// Send renders message template name with data, emails it to to, and returns the
	// provider's message ID.
	Send(ctx context.Context, to string, name message.Name, data any) (string, error)
}

// Service runs the wizard.
type Service struct {
	Store     Store
	Mailer    Mailer
	Jobs      porting.Jobs
	Log       *slog.Logger
	Now       func() time.Time
	NewID     func(prefix string) string
	PortalURL string
	// Resets mails reset links (SendReset).
	Resets Resetter
}

// customUsername reports whether name is a lower-case letter and then 1 to 31 letters,
// digits, dots, underscores or hyphens.
func customUsername(name string) bool {
	return name != "" && name[0] >= 'a' && name[0] <= 'z' && text.Of(name[1:], "abcdefghijklmnopqrstuvwxyz0123456789._-", 1, 31)
}

const dateLayout = "2006-01-02"

// checkAddress validates postal address fields.
func checkAddress(f *fault.Fields, field string, a account.Address) {
	if n := strings.TrimSpace(a.Name); n == "" || len(n) > 100 || !text.Visible(n) {
		f.Add(field+".name", "is required, at most 100 characters, none of them control, invisible or direction-changing")
	}
	if s := strings.TrimSpace(a.Street); s == "" || len(s) > 100 || !text.Visible(s) {
		f.Add(field+".street", "is required, at most 100 characters, none of them control, invisible or direction-changing")
	}
	if pc := strings.ToUpper(strings.TrimSpace(a.PostalCode)); !text.Of(pc, text.Uppercase+text.Digits+" -", 2, 10) || strings.ContainsAny(pc[:1], " -") {
		f.Add(field+".postalCode", "is required: 2 to 10 letters, digits, spaces or hyphens")
	}
	if c := strings.TrimSpace(a.City); c == "" || len(c) > 60 || !text.Visible(c) {
		f.Add(field+".city", "is required, at most 60 characters, none of them control, invisible or direction-changing")
	}
	if !text.Of(a.Country, text.Uppercase, 2, 2) {
		f.Add(field+".country", "must be an ISO 3166-1 alpha-2 code such as SE")
	}
}

// activationInstant reads a date in the account's time zone; its midnight there is when
// the user becomes active. It must not lie in the past.
func activationInstant(f *fault.Fields, field, date string, loc *time.Location, now time.Time) time.Time {
	if date == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(dateLayout, date, loc)
	if err != nil {
		f.Add(field, "must be a date such as 2026-12-01")
		return time.Time{}
	}
	today := now.In(loc)
	if d.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)) {
		f.Add(field, "must not be in the past (dates are in the account's time zone, "+loc.String()+")")
	}
	return d
}

// plan validates a request against the account and its numbers and returns what the
// wizard would create. It writes nothing.
func (s *Service) plan(ctx context.Context, acct account.Account, req Request) (Created, string, error) {
	var f fault.Fields
	now := s.Now().UTC()
	loc := acct.Location()
	if req.Type != Full && req.Type != Basic {
		f.Add("type", `must be "user" or "basic"`)
	}
	for _, fv := range [][2]string{{"firstName", req.FirstName}, {"lastName", req.LastName}} {
		field, v := fv[0], fv[1]
		if !text.PersonName(strings.TrimSpace(v)) {
			f.Add(field, "is required: letters, spaces, dots, hyphens or apostrophes, at most 64")
		}
	}
	checkAddress(&f, "invoiceAddress", req.InvoiceAddress)
	email := strings.ToLower(strings.TrimSpace(req.Email))
	if !account.PlainEmail(email) {
		f.Add("email", "must be a plain email address; it is also a login name")
	}
	name := strings.ToLower(strings.TrimSpace(req.Username))
	if name != "" && !customUsername(name) {
		f.Add("username", "must start with a letter: 2 to 32 lower-case letters, digits, dots, hyphens or underscores")
	}
	if req.Password != "" {
		if reason := password.Check(req.Password, req.FirstName, req.LastName, email, name); reason != "" {
			f.Add("password", reason)
		}
	}
	activation := activationInstant(&f, "activationDate", req.ActivationDate, loc, now)

	ranges, err := s.Store.Ranges(ctx, acct.ID)
	if err != nil {
		return Created{}, "", err
	}
	given, _, err := s.Store.ChildRanges(ctx, acct.ID)
	if err != nil {
		return Created{}, "", err
	}
	inRanges := func(n string) bool { // the account's, and not given to a child account
		return numbering.Holds(ranges, n) && !numbering.Holds(given, n)
	}
	var numbers []string
	claim := func(field, raw string) string {
		n, reason := phone.E164(raw)
		switch {
		case reason != "":
			f.Add(field, reason)
		case !inRanges(n):
			f.Add(field, "is not in the account's number ranges (see GET …/numbers/available)")
		case slices.Contains(numbers, n):
			f.Add(field, "is given twice")
		default:
			numbers = append(numbers, n)
		}
		return n
	}
	primary := claim("primaryNumber", req.PrimaryNumber)
	var aliases []string
	for i, a := range req.Aliases {
		aliases = append(aliases, claim(fmt.Sprintf("aliases[%d]", i), a))
	}

	var sub *Subscription
	var planned Created
	if req.Subscription != nil {
		if req.Type == Basic {
			f.Add("subscription", "basic users get no mobile subscription")
		}
		sr := req.Subscription
		if sr.Kind != NewSubscription && sr.Kind != PortIn {
			f.Add("subscription.kind", `must be "new" or "port-in"`)
		}
		if sr.ActivationDate == "" {
			f.Add("subscription.activationDate", "is required")
		}
		subActivation := activationInstant(&f, "subscription.activationDate", sr.ActivationDate, loc, now)
		checkAddress(&f, "subscription.simDeliveryAddress", sr.SIMDeliveryAddress)
		number := ""
		var port *porting.Request
		if sr.Kind == PortIn {
			port, number = s.planPort(&f, claim, acct, sr.Porting, loc, now)
			if port != nil && port.Number != "" {
				numbers = append(numbers, port.Number) // claimed while the port is under way
			}
		} else if sr.Number != "" {
			number = claim("subscription.number", sr.Number)
			if !phone.IsMobile(number) {
				f.Add("subscription.number", "must be a mobile number")
			}
		} else if number, err = s.nextMobile(ctx, ranges, given, numbers); err != nil {
			return Created{}, "", err
		} else if number == "" {
			f.Add("subscription.number", "the account's ranges have no free mobile number: add a mobile range or choose one")
		} else {
			numbers = append(numbers, number)
		}
		sub = &Subscription{AccountID: acct.ID, Kind: sr.Kind, Number: number, Status: Ordered, ActivationDate: sr.ActivationDate,
			ActivatesAt: subActivation.UTC(), SIMDeliveryAddress: sr.SIMDeliveryAddress, CreatedAt: now, Version: 1}
		if !subActivation.After(now) {
			sub.Status, sub.ActivatedAt, sub.ActivatesAt = Active, now, time.Time{}
		}
		planned.Porting = port
	}
	if err := f.Err(); err != nil {
		return Created{}, "", err
	}
	if name == "" {
		name = email
	}
	role := account.User
	if req.Type == Basic {
		role = account.BasicUser
	}
	m := account.Member{AccountID: acct.ID, Username: name, FirstName: strings.TrimSpace(req.FirstName), LastName: strings.TrimSpace(req.LastName),
		Email: email, Role: role, InvoiceAddress: &req.InvoiceAddress, PrimaryNumber: primary, Aliases: aliases,
		ActivationDate: req.ActivationDate, Inactive: activation.After(now), CreatedAt: now, Version: 1}
	if !activation.IsZero() {
		m.ActivatesAt = activation.UTC()
	}
	if err := s.inUse(ctx, acct, m, numbers); err != nil {
		return Created{}, "", err
	}
	emails := []string{"user-welcome to " + email}
	if planned.Porting != nil {
		emails = append(emails, "porting-new to the porting desk")
	}
	return Created{User: m, Subscription: sub, Porting: planned.Porting, Numbers: numbers, Emails: emails}, req.Password, nil
}

// planPort validates the port-in step and returns the request it submits and the
// subscription's number until the port completes (the temporary one, or none).
func (s *Service) planPort(f *fault.Fields, claim func(field, raw string) string, acct account.Account, p *PortingRequest, loc *time.Location, now time.Time) (*porting.Request, string) {
	if p == nil {
		f.Add("subscription.porting", "is required for a port-in: number, ownerType, ownerId, proposedAt")
		return nil, ""
	}
	number, reason := phone.E164(p.Number)
	if reason == "" && !phone.IsMobile(number) {
		reason = "must be a mobile number"
	}
	if reason != "" {
		f.Add("subscription.porting.number", reason)
	}
	country := phone.Region(number)
	ownerID, reason := personid.Parse(country, p.OwnerType, p.OwnerID, now.In(loc))
	if reason != "" {
		f.Add("subscription.porting.ownerId", reason)
	}
	proposed, err := time.Parse(time.RFC3339, p.ProposedAt)
	if err != nil {
		f.Add("subscription.porting.proposedAt", "must be a date and time such as 2026-12-03T09:00:00+01:00")
	} else if reason := porting.CheckProposal(proposed, loc, now); reason != "" {
		f.Add("subscription.porting.proposedAt", reason)
	}
	temporary := ""
	if p.TemporaryNumber != "" {
		temporary = claim("subscription.porting.temporaryNumber", p.TemporaryNumber)
		if !phone.IsMobile(temporary) {
			f.Add("subscription.porting.temporaryNumber", "must be a mobile number")
		}
	}
	carrier := p.LosingCarrier.Normalized()
	carrier.Check(f, "subscription.porting.losingCarrier.", now.In(loc).Format(time.DateOnly))
	return &porting.Request{AccountID: acct.ID, AccountName: acct.Name, Timezone: acct.Timezone, Number: number, Country: country, OwnerType: p.OwnerType, OwnerID: ownerID,
		ProposedAt: proposed.UTC(), TemporaryNumber: temporary, LosingCarrier: carrier, Status: porting.Submitted, CreatedAt: now, UpdatedAt: now, Version: 1}, temporary
}

// nextMobile finds the first free mobile number of the ranges, not given to a child
// account nor already taken by this request.
func (s *Service) nextMobile(ctx context.Context, ranges, given []numbering.Range, taken []string) (string, error) {
	for _, r := range ranges {
		if r.Kind != numbering.Mobile {
			continue
		}
		for start := 0; start < r.Size; start += 100 {
			var batch []string
			for i := start; i < min(start+100, r.Size); i++ {
				if n := r.At(i); !slices.Contains(taken, n) && !numbering.Holds(given, n) {
					batch = append(batch, n)
				}
			}
			used, err := s.Store.InUse(ctx, batch)
			if err != nil {
				return "", err
			}
			for _, n := range batch {
				if !used[n] {
					return n, nil
				}
			}
		}
	}
	return "", nil
}

// inUse answers, field by field, what the save would find taken: the account's user cap,
// the user name, the email and the numbers (Conflict). The dry run answers the same.
func (s *Service) inUse(ctx context.Context, acct account.Account, m account.Member, numbers []string) error {
	var taken fault.Fields
	if why := acct.UserShortage(1); why != "" {
		taken.Add("users", why)
	}
	nameTaken, emailTaken, err := s.Store.LoginsTaken(ctx, acct, m)
	if err != nil {
		return err
	}
	if nameTaken {
		taken.Add("username", "is taken in this account")
	}
	if emailTaken {
		taken.Add("email", "is in use by another user or contact")
	}
	if err := s.numbersTaken(ctx, &taken, numbers); err != nil {
		return err
	}
	return taken.Conflict("some values are in use", nil)
}

// numbersTaken adds to taken each of numbers that something holds.
func (s *Service) numbersTaken(ctx context.Context, taken *fault.Fields, numbers []string) error {
	used, err := s.Store.InUse(ctx, numbers)
	if err != nil {
		return err
	}
	for _, n := range numbers {
		if used[n] {
			taken.Add("numbers", n+" is in use by another user, alias, subscription or client account")
		}
	}
	return nil
}
