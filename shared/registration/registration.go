// Package registration is tenant self-registration (docs/requirements.md, TR): a prospect asks for a tenant
// built from a service template, the request is provisioned now or in the off-peak window,
// and the contact is told the outcome by email. It declares the store, queue and mailer it
// needs; adapters in shared/dynamo, shared/queue and shared/notify provide them.
package registration

import (
	"slices"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// Schedule says when provisioning may run.
type Schedule string

// Schedules a registration may ask for.
const (
	Now     Schedule = "now"
	OffPeak Schedule = "off-peak"
)

// Status is a registration's state (docs/registration.md).
type Status string

// Registration states.
const (
	Requested    Status = "requested"
	Scheduled    Status = "scheduled"
	Queued       Status = "queued"
	Provisioning Status = "provisioning"
	Completed    Status = "completed"
	Failed       Status = "failed"
	// Canceled is a scheduled registration the provider's staff stopped before
	// provisioning (Tenant Creation Management).
	Canceled Status = "canceled"
)

// next lists the moves allowed from each state; a state absent here is final.
var next = map[Status][]Status{
	Requested:    {Scheduled, Queued, Failed},
	Scheduled:    {Queued, Failed, Canceled},
	Queued:       {Provisioning, Failed},
	Provisioning: {Completed, Failed},
}

// Final reports whether nothing can follow s.
func Final(s Status) bool { return len(next[s]) == 0 }

// Event is one step of a registration's history.
type Event struct {
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Tenant is what the prospect asked for. The password is kept only as a hash.
type Tenant struct {
	Name          string `json:"name"`
	ShortName     string `json:"shortName"`
	UPNSuffix     string `json:"upnSuffix"`
	AdminUserName string `json:"adminUserName"`
	PasswordHash  string `json:"-"` // kept by the store beside the registration's data
	ANI           string `json:"ani"`
}

// Contact is who hears about the outcome.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Notification records an email sent about a registration.
type Notification struct {
	Kind      string    `json:"kind"`
	MessageID string    `json:"messageId"`
	SentAt    time.Time `json:"sentAt"`
}

// Registration is a tenant subscription request and its progress.
type Registration struct {
	ID         string `json:"id"`
	TemplateID string `json:"templateId"`
	// OwnerID is the account the tenant is created under: its template's reseller, or
	// the provider's root. Its staff manage the registration (Tenant Creation Management).
	OwnerID      string        `json:"ownerId,omitempty"`
	Schedule     Schedule      `json:"schedule"`
	Tenant       Tenant        `json:"tenant"`
	Contact      Contact       `json:"contact"`
	Status       Status        `json:"status"`
	History      []Event       `json:"history"`
	AccountID    string        `json:"accountId,omitempty"`
	Realm        string        `json:"realm,omitempty"`
	Notification *Notification `json:"notification,omitempty"`
	CreatedAt    time.Time     `json:"createdAt"`
	UpdatedAt    time.Time     `json:"updatedAt"`
	// Version counts writes; the store refuses a write made from a stale copy.
	Version int `json:"version"`
}

// Move returns a copy of r in state to, with the step on its history. A move the state
// machine does not allow is a Conflict naming the allowed ones.
func (r Registration) Move(to Status, at time.Time, reason string) (Registration, error) {
	if !slices.Contains(next[r.Status], to) {
		return r, fault.New(fault.Conflict, "a %s registration cannot become %s; allowed: %v", r.Status, to, next[r.Status])
	}
	r.History = append(slices.Clone(r.History), Event{Status: to, At: at, Reason: reason})
	r.Status = to
	r.UpdatedAt = at
	return r, nil
}

// Retry returns a copy of a failed r queued again, the step on its history and the
// failure's outcome email forgotten, so the new outcome is mailed. Failed stays final for
// the state machine (a job delivered again does not revive a registration); only the
// provider's staff retry one, after fixing its cause.
func (r Registration) Retry(at time.Time, reason string) (Registration, error) {
	if r.Status != Failed {
		return r, fault.New(fault.Conflict, "only a failed registration can be retried; this one is %s", r.Status)
	}
	r.History = append(slices.Clone(r.History), Event{Status: Queued, At: at, Reason: reason})
	r.Status, r.UpdatedAt, r.Notification = Queued, at, nil
	return r, nil
}

// FailureReason is the reason given when the registration failed, or "".
func (r Registration) FailureReason() string {
	if r.Status != Failed || len(r.History) == 0 {
		return ""
	}
	return r.History[len(r.History)-1].Reason
}
