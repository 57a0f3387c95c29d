package registration

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/phone"
	"github.com/provisio/provisio/shared/webhook"
)

// Store keeps registrations and what provisioning creates. Every method that writes does
// so in one transaction together with its audit entries.
type Store interface {
	// Create writes a new registration with its uniqueness guards (tenant name, short
	// name, UPN suffix), its audit entry and, when idem is not nil, the idempotency record.
	// Conflict lists the taken fields, or says the idempotency key is in use.
	Create(ctx context.Context, reg Registration, entry audit.Entry, idem *idempotency.Record) error
	// Get returns a registration; NotFound when there is none.
	Get(ctx context.Context, id string) (Registration, error)
	// Save writes reg when the stored copy still has version reg.Version-1; Conflict otherwise.
	Save(ctx context.Context, reg Registration, entry audit.Entry) error
	// ListByStatus returns registrations in status last changed before cutoff, oldest first.
	ListByStatus(ctx context.Context, status Status, cutoff time.Time) ([]Registration, error)
	// Registrations returns a page of the registrations owned by an account (OwnerID),
	// newest first, as its staff's listing shows them.
	Registrations(ctx context.Context, ownerID string, f Filter, cursor string, limit int) ([]Summary, string, error)
	idempotency.Records
	// Provisioned writes the tenant account, its administrator and the completed
	// registration (version-checked like Save); Conflict when any of them exists already.
	Provisioned(ctx context.Context, reg Registration, acct account.Account, admin account.Member, entries []audit.Entry) error
	// Retried writes a failed registration queued again (version-checked) and claims its
	// names again, as Create does; Conflict lists the fields whose names were taken since.
	Retried(ctx context.Context, reg Registration, entry audit.Entry) error
	// Ended writes a registration that ended without a tenant, failed or canceled
	// (version-checked), and releases its names for others to take.
	Ended(ctx context.Context, reg Registration, entry audit.Entry) error
	// Account returns an account; NotFound when there is none.
	Account(ctx context.Context, id string) (account.Account, error)
}

// Jobs puts provisioning work on the queue.
type Jobs interface {
	// Enqueue asks for the registration to be provisioned; Unavailable when the queue
	// refuses. A job may be delivered more than once.
	Enqueue(ctx context.Context, registrationID string) error
}

// Mailer sends templated email.
type Mailer interface {
	// Send renders message template name with data, emails it to to, and returns the
	// provider's message ID.
	Send(ctx context.Context, to string, name message.Name, data any) (string, error)
}

// idempotencyScope is the one scope of registration keys: the form is public.
const idempotencyScope = "registration"

// Actors named in audit entries.
const (
	actorPublic      = "public:self-registration"
	actorProvisioner = "system:provisioner"
	actorDispatcher  = "system:dispatcher"
)

// Service runs registrations from submission to the outcome email.
type Service struct {
	Catalog     *catalog.Catalog
	Store       Store
	Jobs        Jobs
	Mailer      Mailer
	Log         *slog.Logger
	Now         func() time.Time
	NewID       func() string
	Random      io.Reader // realm randomness; nil means crypto/rand
	RealmSuffix string
	PortalURL   string
	Currency    string // of new tenants' credit
	// StaleAfter is how long requested or queued work may sit before the sweep re-queues it.
	StaleAfter time.Duration
	// Events hears of registrations that completed or failed.
	Events webhook.Publisher
}

// event is what a registration's webhook events carry: never its passwords.
type event struct {
	RegistrationID string `json:"registrationId"`
	Status         Status `json:"status"`
	TenantName     string `json:"tenantName"`
	ShortName      string `json:"shortName"`
	TemplateID     string `json:"templateId"`
	AccountID      string `json:"accountId,omitempty"`
	Realm          string `json:"realm,omitempty"`
	Reason         string `json:"reason,omitempty"`
}

func toEvent(r Registration, reason string) event {
	return event{RegistrationID: r.ID, Status: r.Status, TenantName: r.Tenant.Name, ShortName: r.Tenant.ShortName, TemplateID: r.TemplateID,
		AccountID: r.AccountID, Realm: r.Realm, Reason: reason}
}

// Submit validates and stores a registration, then queues it or leaves it for the
// off-peak window. With a non-empty key a retry of the same request returns the first
// registration; the key with another request is Invalid. Nothing is written when
// validation fails. A queue failure is not an error: the registration stays requested
// and the sweep queues it later.
func (s *Service) Submit(ctx context.Context, req Request, key string) (Registration, error) {
	req = req.Normalize()
	if err := req.Validate(s.Catalog); err != nil {
		return Registration{}, err
	}
	if suffix := strings.ToLower(s.RealmSuffix); suffix != "" && (req.Tenant.UPNSuffix == suffix || strings.HasSuffix(req.Tenant.UPNSuffix, "."+suffix)) {
		return Registration{}, &fault.Error{Code: fault.Conflict, Message: "the UPN suffix is reserved",
			Fields: []fault.FieldReason{{Field: "tenant.upnSuffix", Reason: "must not be, or end with, the platform's realm suffix " + suffix + ": use your organisation's own domain"}}}
	}
	k := idempotency.Key{Scope: idempotencyScope, Value: key, Fingerprint: fingerprintOf(req)}
	return idempotency.Once(ctx, s.Store, k, func(ctx context.Context, id string) (Registration, error) {
		return s.submitted(ctx, id, req.Tenant.Password)
	},
		func() (Registration, error) { return s.submit(ctx, req, k) })
}

func (s *Service) submit(ctx context.Context, req Request, k idempotency.Key) (Registration, error) {
	hash, err := password.Hash(req.Tenant.Password)
	if err != nil {
		return Registration{}, fault.Wrap(fault.Internal, err, "could not protect the password")
	}
	now := s.Now().UTC()
	owner := account.ProviderRootID
	if tpl, ok := s.Catalog.Find(req.TemplateID); ok && tpl.OwnerAccountID != "" {
		owner = tpl.OwnerAccountID
	}
	reg := Registration{
		ID: s.NewID(), TemplateID: req.TemplateID, OwnerID: owner, Schedule: req.Schedule,
		Tenant: Tenant{
			Name: req.Tenant.Name, ShortName: req.Tenant.ShortName, UPNSuffix: req.Tenant.UPNSuffix,
			AdminUserName: req.Tenant.AdminUserName, PasswordHash: hash, ANI: req.Tenant.ANI,
		},
		Contact: req.Contact, Status: Requested, CreatedAt: now, UpdatedAt: now, Version: 1,
		History: []Event{{Status: Requested, At: now, Reason: "registration received"}},
	}
	if req.Schedule == OffPeak {
		reg, _ = reg.Move(Scheduled, now, "waiting for the off-peak provisioning window")
	}
	err = s.Store.Create(ctx, reg, audit.New(now, actorPublic, audit.Registration, audit.Create, reg.ID, nil, reg), k.Record(reg.ID, now))
	if err != nil {
		return Registration{}, err
	}
	if reg.Status == Requested {
		reg, _ = s.enqueue(ctx, reg, "queued for provisioning", actorPublic)
	}
	return reg, nil
}

// submitted answers a retried submission with the registration the first one made.
func (s *Service) submitted(ctx context.Context, id, pw string) (Registration, error) {
	reg, err := s.Store.Get(ctx, id)
	if err != nil {
		return Registration{}, err
	}
	if !password.Matches(reg.Tenant.PasswordHash, pw) {
		return Registration{}, idempotency.ErrOtherRequest
	}
	return reg, nil
}

// fingerprintOf identifies a request for idempotency without the password, which is
// compared against the stored hash instead so no unsalted digest of it is kept.
func fingerprintOf(req Request) string {
	req.Tenant.Password = ""
	return idempotency.Fingerprint(req)
}

// enqueue puts reg on the queue and records it queued, reporting whether the job is on
// its way. When the queue refuses, the registration keeps its state for the sweep. When
// the record fails after the send, the job still runs: the consumer may even have taken it
// already (and recorded the hand-off itself), so the fresh copy is returned.
func (s *Service) enqueue(ctx context.Context, reg Registration, reason, actor string) (Registration, bool) {
	if err := s.Jobs.Enqueue(ctx, reg.ID); err != nil {
		s.Log.WarnContext(ctx, "enqueue failed; the sweep will retry", "registration", reg.ID, "error", err)
		return reg, false
	}
	moved, err := s.save(ctx, reg, Queued, reason, actor)
	if err == nil {
		return moved, true
	}
	if fresh, gerr := s.Store.Get(ctx, reg.ID); gerr == nil && fresh.Version != reg.Version {
		return fresh, true
	}
	s.Log.WarnContext(ctx, "queued but not recorded; the job will still run", "registration", reg.ID, "error", err)
	return reg, true
}

// save moves reg to status and writes it with its audit entry.
func (s *Service) save(ctx context.Context, reg Registration, to Status, reason, actor string) (Registration, error) {
	moved, err := reg.Move(to, s.Now().UTC(), reason)
	if err != nil {
		return reg, err
	}
	moved.Version = reg.Version + 1
	entry := audit.New(moved.UpdatedAt, actor, audit.Registration, audit.Verb(to), reg.ID, reg, moved)
	if err := s.Store.Save(ctx, moved, entry); err != nil {
		return reg, err
	}
	return moved, nil
}

// Get returns a registration by ID.
func (s *Service) Get(ctx context.Context, id string) (Registration, error) {
	return s.Store.Get(ctx, id)
}

// Task names what a dispatcher run does.
type Task string

// Dispatcher tasks, chosen by the schedule's input.
const (
	// OffPeakTask queues every scheduled registration, then sweeps.
	OffPeakTask Task = "off-peak"
	// SweepTask re-queues requested or queued work that has gone stale.
	SweepTask Task = "sweep"
)

// DispatchReport counts what a dispatcher run did.
type DispatchReport struct {
	Queued   int `json:"queued"`
	Requeued int `json:"requeued"`
	Failed   int `json:"failed"`
}

// Dispatch runs a dispatcher task. Work it cannot queue stays where it was for the next
// run; it returns an error only when it could not list the work at all.
func (s *Service) Dispatch(ctx context.Context, task Task) (DispatchReport, error) {
	var rep DispatchReport
	now := s.Now().UTC()
	switch task {
	case OffPeakTask:
		scheduled, err := s.Store.ListByStatus(ctx, Scheduled, now.Add(time.Second))
		if err != nil {
			return rep, err
		}
		for _, reg := range scheduled {
			if _, ok := s.enqueue(ctx, reg, "off-peak window opened", actorDispatcher); ok {
				rep.Queued++
			} else {
				rep.Failed++
			}
		}
	case SweepTask:
	default:
		return rep, fault.New(fault.Invalid, "unknown dispatcher task %q", task)
	}
	cutoff := now.Add(-s.StaleAfter)
	requested, err := s.Store.ListByStatus(ctx, Requested, cutoff)
	if err != nil {
		return rep, err
	}
	for _, reg := range requested {
		if _, ok := s.enqueue(ctx, reg, "queued by the sweep after an earlier enqueue failed", actorDispatcher); ok {
			rep.Requeued++
		} else {
			rep.Failed++
		}
	}
	queued, err := s.Store.ListByStatus(ctx, Queued, cutoff)
	if err != nil {
		return rep, err
	}
	for _, reg := range queued {
		if err := s.Jobs.Enqueue(ctx, reg.ID); err != nil {
			rep.Failed++
			continue
		}
		// Touch the record so the next sweep waits another StaleAfter; the consumer
		// ignores the duplicate job if the first one ran after all.
		touched := reg
		touched.UpdatedAt, touched.Version = now, reg.Version+1
		entry := audit.New(now, actorDispatcher, audit.Registration, audit.Requeue, reg.ID, reg, touched)
		if err := s.Store.Save(ctx, touched, entry); err != nil {
			s.Log.WarnContext(ctx, "requeued but not recorded", "registration", reg.ID, "error", err)
		}
		rep.Requeued++
	}
	return rep, nil
}

// Provision runs one provisioning job. It is idempotent: a job for a registration that is
// done, or whose outcome was mailed, changes nothing and sends nothing. A returned error
// means "retry later"; permanent problems fail the registration and return nil.
func (s *Service) Provision(ctx context.Context, id string) error {
	reg, err := s.start(ctx, id)
	if fault.Is(err, fault.NotFound) {
		s.Log.WarnContext(ctx, "job for an unknown registration dropped", "registration", id)
		return nil
	}
	if err != nil {
		return err
	}
	if Final(reg.Status) {
		return s.notify(ctx, reg)
	}
	tpl, ok := s.Catalog.Find(reg.TemplateID)
	if !ok {
		return s.fail(ctx, reg, "the service template "+reg.TemplateID+" is no longer offered")
	}
	parentID := tpl.OwnerAccountID
	if parentID == "" {
		parentID = account.ProviderRootID
	}
	parent, err := s.Store.Account(ctx, parentID)
	switch {
	case fault.Is(err, fault.NotFound) && parentID == account.ProviderRootID:
		return fault.Wrap(fault.Unavailable, err, "the provider account is not bootstrapped yet")
	case fault.Is(err, fault.NotFound):
		return s.fail(ctx, reg, "the reseller offering the "+tpl.Name+" template no longer exists")
	case err != nil:
		return err
	}
	if trunksShort(parent.Available, tpl.Limits) {
		s.Log.ErrorContext(ctx, "no trunks left for a registration", "registration", reg.ID, "parent", parent.ID, "template", tpl.ID)
		return s.fail(ctx, reg, "your service provider has no trunks or users left for the "+tpl.Name+" template")
	}
	done, err := s.createTenant(ctx, reg, tpl, parent)
	var clash *fault.Error
	if errors.As(err, &clash) && clash.Code == fault.Conflict && len(clash.Fields) > 0 {
		// A name another account took since the submit: no retry can succeed.
		s.Log.ErrorContext(ctx, "registration clashes with an existing account", "registration", reg.ID, "error", err)
		return s.fail(ctx, reg, "provisioning stopped: "+clash.Fields[0].Reason)
	}
	if fault.Is(err, fault.Conflict) {
		// Another delivery got there first: carry on from what it wrote.
		if done, err = s.Store.Get(ctx, id); err == nil && !Final(done.Status) {
			return fault.New(fault.Conflict, "registration %s is being provisioned by another job", id)
		}
	}
	if err != nil {
		return err
	}
	return s.notify(ctx, done)
}

// start moves a registration to provisioning and returns it, or returns it final. A
// job can arrive before its hand-off is recorded (the submitter or dispatcher writes
// "queued" just after the send), so a write that loses that race re-reads and goes on.
func (s *Service) start(ctx context.Context, id string) (Registration, error) {
	const attempts = 5
	var err error
	for range attempts {
		var reg Registration
		if reg, err = s.Store.Get(ctx, id); err != nil {
			return reg, err
		}
		switch reg.Status {
		case Requested, Scheduled:
			_, err = s.save(ctx, reg, Queued, "picked up from the queue", actorProvisioner)
		case Queued:
			reg, err = s.save(ctx, reg, Provisioning, "provisioning started", actorProvisioner)
			if err == nil {
				return reg, nil
			}
		default: // provisioning (a retry after a crash) or final
			return reg, nil
		}
		if err != nil && !fault.Is(err, fault.Conflict) {
			return Registration{}, err
		}
	}
	return Registration{}, err
}

// trunksShort reports whether have lacks any trunks or users of want.
func trunksShort(have account.Limits, want catalog.Limits) bool {
	return have.InboundTrunks < want.InboundTrunks || have.OutboundTrunks < want.OutboundTrunks || have.TwowayTrunks < want.TwowayTrunks || have.Users < want.Users
}

func (s *Service) createTenant(ctx context.Context, reg Registration, tpl catalog.Template, parent account.Account) (Registration, error) {
	now := s.Now().UTC()
	realm, err := account.NewRealm(s.Random, s.RealmSuffix)
	if err != nil {
		return reg, fault.Wrap(fault.Internal, err, "could not generate a realm")
	}
	tz := phone.Timezone(reg.Tenant.ANI)
	if tz == "" {
		tz = tpl.Timezone
	}
	id := "acc-" + reg.ID
	acct := account.Account{
		ID: id, ParentID: parent.ID, Path: append(slices.Clone(parent.Path), id), Kind: account.Tenant,
		Name: reg.Tenant.Name, ShortName: reg.Tenant.ShortName, Domain: reg.Tenant.UPNSuffix, Realm: realm, Timezone: tz,
		Status: account.Active, TemplateID: tpl.ID, Features: tpl.Features, Permissions: tpl.DefaultPermissions,
		Limits: account.Limits(tpl.Limits), Available: account.Limits(tpl.Limits), Restrictions: account.DefaultRestrictions(),
		Credit: account.Credit{Currency: s.Currency}, ANI: reg.Tenant.ANI, ContactEmail: reg.Contact.Email, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	admin := account.Member{
		ID: "usr-" + reg.ID, AccountID: acct.ID, Username: reg.Tenant.AdminUserName, Email: strings.ToLower(reg.Contact.Email),
		PersonnelID: account.PersonnelPrefix + reg.Tenant.AdminUserName, Role: account.TenantAdmin,
		PasswordHash: reg.Tenant.PasswordHash, CreatedAt: now, Version: 1,
	}
	done, err := reg.Move(Completed, now, "tenant account "+acct.ID+" created")
	if err != nil {
		return reg, err
	}
	done.AccountID, done.Realm, done.Version = acct.ID, realm, reg.Version+1
	entries := []audit.Entry{
		audit.New(now, actorProvisioner, audit.Account, audit.Create, acct.ID, nil, acct),
		audit.New(now, actorProvisioner, audit.User, audit.Create, admin.ID, nil, admin),
		audit.New(now, actorProvisioner, audit.Registration, audit.Verb(Completed), reg.ID, reg, done),
	}
	if err := s.Store.Provisioned(ctx, done, acct, admin, entries); err != nil {
		return reg, err
	}
	webhook.Publish(ctx, s.Events, acct.ID, webhook.RegistrationCompleted, toEvent(done, ""))
	return done, nil
}

// GiveUp handles a job that exhausted its retries (the dead-letter queue): the
// registration fails, its names are released, and the contact is told what to do next.
func (s *Service) GiveUp(ctx context.Context, id string) error {
	reg, err := s.Store.Get(ctx, id)
	if fault.Is(err, fault.NotFound) {
		s.Log.WarnContext(ctx, "dead job for an unknown registration dropped", "registration", id)
		return nil
	}
	if err != nil {
		return err
	}
	if Final(reg.Status) {
		return s.notify(ctx, reg)
	}
	return s.fail(ctx, reg, "provisioning did not succeed after several attempts")
}

func (s *Service) fail(ctx context.Context, reg Registration, reason string) error {
	failed, err := reg.Move(Failed, s.Now().UTC(), reason)
	if err != nil {
		return err
	}
	failed.Version = reg.Version + 1
	entry := audit.New(failed.UpdatedAt, actorProvisioner, audit.Registration, audit.Verb(Failed), reg.ID, reg, failed)
	if err := s.Store.Ended(ctx, failed, entry); err != nil {
		return err
	}
	// The tenant never came to be: its owner (the provider, or the template's reseller) hears.
	owner := reg.OwnerID
	if owner == "" {
		owner = account.ProviderRootID
	}
	webhook.Publish(ctx, s.Events, owner, webhook.RegistrationFailed, toEvent(failed, reason))
	return s.notify(ctx, failed)
}

// outcomeMail is what the outcome email templates can show.
type outcomeMail struct {
	ContactName, TenantName, Domain, UserName, PersonnelID, Realm, PortalURL, RegistrationID, Reason string
	// SmartQueues tells whether the tenant's template has them, and so a next step.
	SmartQueues bool
}

// notify emails the outcome of a final registration once and records the message ID.
func (s *Service) notify(ctx context.Context, reg Registration) error {
	if reg.Notification != nil {
		return nil
	}
	name := message.RegistrationCompleted
	if reg.Status == Failed {
		name = message.RegistrationFailed
	}
	data := outcomeMail{
		ContactName: reg.Contact.Name, TenantName: reg.Tenant.Name, Domain: reg.Tenant.UPNSuffix,
		UserName: reg.Tenant.AdminUserName, PersonnelID: account.PersonnelPrefix + reg.Tenant.AdminUserName,
		Realm: reg.Realm, PortalURL: s.PortalURL, RegistrationID: reg.ID, Reason: reg.FailureReason(),
	}
	if tpl, ok := s.Catalog.Find(reg.TemplateID); ok {
		data.SmartQueues = slices.Contains(tpl.Features, "smart-queues")
	}
	msgID, err := s.Mailer.Send(ctx, reg.Contact.Email, name, data)
	if err != nil {
		return err
	}
	noted := reg
	noted.Notification = &Notification{Kind: string(name), MessageID: msgID, SentAt: s.Now().UTC()}
	noted.Version = reg.Version + 1
	entry := audit.New(noted.Notification.SentAt, actorProvisioner, audit.Registration, audit.Notified, reg.ID, reg, noted)
	if err := s.Store.Save(ctx, noted, entry); err != nil && !errors.Is(err, context.Canceled) {
		// The mail went out; failing the job would send it again on retry.
		s.Log.WarnContext(ctx, "outcome mailed but not recorded", "registration", reg.ID, "error", err)
	}
	return nil
}
