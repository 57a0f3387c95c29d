package registration

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
)

// Filter narrows the staff's listing of registrations; zero fields do not narrow it.
type Filter struct {
	Status     Status
	TemplateID string
	// From and To bound the submission time, both included.
	From, To time.Time
	// Query is a case-insensitive prefix of the tenant's name or short name.
	Query string
}

// Summary is a registration as a row of the staff's listing shows it.
type Summary struct {
	ID           string
	TemplateID   string
	Status       Status
	TenantName   string
	ShortName    string
	ContactName  string
	ContactEmail string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SummaryOf is r as a row of the listing.
func SummaryOf(r Registration) Summary {
	return Summary{ID: r.ID, TemplateID: r.TemplateID, Status: r.Status, TenantName: r.Tenant.Name, ShortName: r.Tenant.ShortName,
		ContactName: r.Contact.Name, ContactEmail: r.Contact.Email, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// statuses are every state a registration can be in.
var statuses = []Status{Requested, Scheduled, Queued, Provisioning, Completed, Failed, Canceled}

// maxQuery bounds a search: no tenant name is longer.
const maxQuery = 64

// Check refuses a filter that cannot match anything by mistake: an unknown status, an
// empty time span, an overlong search. The template is not checked: a withdrawn
// template's registrations stay listed under its ID.
func (f Filter) Check() error {
	var bad fault.Fields
	if f.Status != "" && !slices.Contains(statuses, f.Status) {
		bad.Add("status", "must be one of "+strings.Join(statusNames(), ", "))
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		bad.Add("to", "must not be before from")
	}
	if len(f.Query) > maxQuery {
		bad.Add("q", "must be at most 64 characters: the start of a tenant's name or short name")
	}
	return bad.Err()
}

func statusNames() []string {
	out := make([]string, len(statuses))
	for i, s := range statuses {
		out[i] = string(s)
	}
	return out
}

// mayManage lets the provider's and resellers' administrators manage registrations; a
// tenant's staff have none to manage, and other roles may not.
func mayManage(actor account.Actor) error {
	if actor.Role != account.ProviderAdmin && actor.Role != account.ResellerAdmin {
		return fault.New(fault.Forbidden, "your role (%s) may not manage registrations", actor.Role)
	}
	return nil
}

// List returns a page of the registrations whose tenants will be created under the
// account (its templates' registrations), newest first: Tenant Creation Management.
// The provider's administrators may list any account's, a reseller's those of its own
// account and its descendants; an account outside the caller's tree does not exist.
func (s *Service) List(ctx context.Context, actor account.Actor, accountID string, f Filter, cursor string, limit int) ([]Summary, string, error) {
	if err := mayManage(actor); err != nil {
		return nil, "", err
	}
	if err := f.Check(); err != nil {
		return nil, "", err
	}
	if _, err := account.Load(ctx, s.Store, actor, accountID, false); err != nil {
		return nil, "", err
	}
	f.Query = strings.ToLower(f.Query)
	return s.Store.Registrations(ctx, accountID, f, cursor, account.PageSize(limit))
}

// Detail returns one of the account's registrations whole, with its contact and history,
// for its staff; a registration of another account does not exist for them.
func (s *Service) Detail(ctx context.Context, actor account.Actor, accountID, id string) (Registration, error) {
	if err := mayManage(actor); err != nil {
		return Registration{}, err
	}
	if _, err := account.Load(ctx, s.Store, actor, accountID, false); err != nil {
		return Registration{}, err
	}
	reg, err := s.Store.Get(ctx, id)
	if err != nil || reg.OwnerID != accountID {
		return Registration{}, fault.New(fault.NotFound, "no such registration")
	}
	return reg, nil
}

// maxReason bounds a cancellation's reason, which goes on the history.
const maxReason = 200

// Cancel ends a scheduled registration before it is provisioned: it becomes canceled,
// which is final, and its names are released for others to take. The contact is not
// mailed: the staff who cancel tell the prospect why. Only a scheduled registration can
// be canceled (409 otherwise: once queued, it is provisioned within minutes).
func (s *Service) Cancel(ctx context.Context, actor account.Actor, accountID, id, reason string) (Registration, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) > maxReason {
		return Registration{}, &fault.Error{Code: fault.Invalid, Message: "the reason is too long",
			Fields: []fault.FieldReason{{Field: "reason", Reason: "must be at most 200 characters"}}}
	}
	if reason == "" {
		reason = "canceled by the provider's staff"
	}
	reg, err := s.Detail(ctx, actor, accountID, id)
	if err != nil {
		return Registration{}, err
	}
	ended, err := reg.Move(Canceled, s.Now().UTC(), reason)
	if err != nil {
		return Registration{}, err
	}
	ended.Version = reg.Version + 1
	entry := audit.New(ended.UpdatedAt, actor.UserID, audit.Registration, audit.Verb(Canceled), reg.ID, reg, ended)
	if err := s.Store.Ended(ctx, ended, entry); err != nil {
		return Registration{}, err
	}
	return ended, nil
}

// ProvisionNow queues a scheduled registration at once instead of at the off-peak
// window. Only a scheduled registration waits (409 otherwise); when the queue does not
// take the job, nothing changes and the caller may try again (503).
func (s *Service) ProvisionNow(ctx context.Context, actor account.Actor, accountID, id string) (Registration, error) {
	reg, err := s.Detail(ctx, actor, accountID, id)
	if err != nil {
		return Registration{}, err
	}
	if reg.Status != Scheduled {
		return Registration{}, fault.New(fault.Conflict, "only a scheduled registration waits for the off-peak window; this one is %s", reg.Status)
	}
	moved, queued := s.enqueue(ctx, reg, "queued now by the provider's staff", actor.UserID)
	if !queued {
		return Registration{}, &fault.Error{Code: fault.Unavailable, Message: "the provisioning queue did not take the job; nothing changed, try again",
			RetryAfter: time.Second}
	}
	return moved, nil
}

// Retry queues a failed registration again, once its cause is fixed (the reseller has
// trunks again, the template is offered again): its names are claimed again (409 naming
// the fields another account or registration took since), it goes to the provisioning
// queue, and the contact gets the new outcome by email. Only a failed registration can be
// retried (409), and not one whose template is no longer offered (409). When the queue
// does not take the job, the registration stays queued and the dispatcher's sweep queues
// it again (StaleAfter).
func (s *Service) Retry(ctx context.Context, actor account.Actor, accountID, id string) (Registration, error) {
	reg, err := s.Detail(ctx, actor, accountID, id)
	if err != nil {
		return Registration{}, err
	}
	retried, err := reg.Retry(s.Now().UTC(), "retried by the provider's staff")
	if err != nil {
		return Registration{}, err
	}
	if _, ok := s.Catalog.Find(reg.TemplateID); !ok {
		return Registration{}, fault.New(fault.Conflict, "the service template %s is no longer offered: the registration cannot be retried", reg.TemplateID)
	}
	retried.Version = reg.Version + 1
	entry := audit.New(retried.UpdatedAt, actor.UserID, audit.Registration, audit.Retry, reg.ID, reg, retried)
	if err := s.Store.Retried(ctx, retried, entry); err != nil {
		return Registration{}, err
	}
	if err := s.Jobs.Enqueue(ctx, retried.ID); err != nil {
		s.Log.WarnContext(ctx, "retried but not queued; the sweep will queue it", "registration", reg.ID, "error", err)
	}
	return retried, nil
}
