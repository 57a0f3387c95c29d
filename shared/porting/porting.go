// Package porting is the port-in workflow operators run by hand (docs/requirements.md,
// UW-11: every porting is handled manually): a porting request moves through the states
// port desks know, each step on a timeline with who, when and why.
//
// Requests are submitted by the user wizard, put on the operators' desk by the porting
// consumer (Desk), and moved by operators through Service, which also takes documents.
package porting

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/personid"
)

// Status is a porting request's state (docs/porting.md).
type Status string

// Porting states.
const (
	Submitted Status = "submitted"
	Pending   Status = "pending"
	Scheduled Status = "scheduled"
	Completed Status = "completed"
	Rejected  Status = "rejected"
	Canceled  Status = "canceled"
)

// next lists the moves allowed from each state; completed and canceled are final.
var next = map[Status][]Status{
	Submitted: {Pending, Rejected, Canceled},
	Pending:   {Scheduled, Rejected, Canceled},
	Scheduled: {Completed, Rejected, Canceled},
	Rejected:  {Submitted, Canceled}, // corrected and sent again
}

// Step is one entry of a request's timeline.
type Step struct {
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	// ByRole is the role By acted in, so that a timeline says who moved the request
	// (the porting desk, the account's administrator) without a user ID to look up.
	ByRole  string `json:"byRole,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Comment string `json:"comment,omitempty"`
	// Private comments are shown to operators only.
	Private bool `json:"private,omitempty"`
	// CommentOnly steps add a comment without changing the status.
	CommentOnly bool `json:"commentOnly,omitempty"`
}

// TimelineFor returns the timeline as a reader sees it: operators see everything; others
// see every state change, without the private comment it may carry, and no private
// comment-only step.
func (r Request) TimelineFor(operator bool) []Step {
	if operator {
		return r.Timeline
	}
	var out []Step
	for _, st := range r.Timeline {
		if st.Private {
			if st.CommentOnly {
				continue
			}
			st.Comment, st.Private = "", false
		}
		out = append(out, st)
	}
	return out
}

// Request is a porting request.
type Request struct {
	ID        string `json:"id"`
	AccountID string `json:"accountId"`
	// AccountName and Timezone are the account's when the request was made: the desk's
	// operators may not read accounts, yet name the customer and talk in its local time.
	AccountName    string         `json:"accountName,omitempty"`
	Timezone       string         `json:"timezone,omitempty"`
	UserID         string         `json:"userId"`
	SubscriptionID string         `json:"subscriptionId"`
	Number         string         `json:"number"` // the mobile number to port in
	Country        string         `json:"country"`
	OwnerType      personid.Owner `json:"ownerType"`
	OwnerID        string         `json:"ownerId"` // canonical; masked for everyone but operators
	ProposedAt     time.Time      `json:"proposedAt"`
	ConfirmedAt    time.Time      `json:"confirmedAt,omitzero"`
	// TemporaryNumber serves the subscription until the port completes; it is released then.
	TemporaryNumber string `json:"temporaryNumber,omitempty"`
	// LosingCarrier is what the carrier the number leaves needs; complete before scheduling.
	LosingCarrier LosingCarrier `json:"losingCarrier,omitzero"`
	Status        Status        `json:"status"`
	Timeline      []Step        `json:"timeline"`
	Documents     []Document    `json:"documents,omitempty"`
	// PreparedAt is when the porting consumer put the request on the operators' desk.
	PreparedAt time.Time `json:"preparedAt,omitzero"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
	Version    int       `json:"version"`
}

// Due is when a request next needs the desk: its confirmed time once scheduled, its
// proposed time before.
func (r Request) Due() time.Time {
	if !r.ConfirmedAt.IsZero() {
		return r.ConfirmedAt
	}
	return r.ProposedAt
}

// Final reports whether the request can change no more.
func (s Status) Final() bool { return s == Completed || s == Canceled }

// Move is an operator's (or, to cancel or resubmit, an administrator's) step.
type Move struct {
	To          Status
	By          string
	ByRole      string
	Reason      string
	Comment     string
	Private     bool
	ConfirmedAt time.Time
}

// Apply returns r after m at now: a Conflict names the allowed moves; scheduling needs a
// confirmed date and time in the future, rejecting needs a reason.
// A move without a status (To "") adds a comment and changes nothing else.
func (r Request) Apply(m Move, now time.Time) (Request, error) {
	if m.To == "" {
		if strings.TrimSpace(m.Comment) == "" {
			return r, &fault.Error{Code: fault.Invalid, Message: "some fields are invalid",
				Fields: []fault.FieldReason{{Field: "comment", Reason: "is required when the status does not change"}}}
		}
		r.Timeline = append(slices.Clone(r.Timeline), Step{Status: r.Status, At: now, By: m.By, ByRole: m.ByRole, Comment: m.Comment, Private: m.Private, CommentOnly: true})
		r.UpdatedAt = now
		return r, nil
	}
	if !slices.Contains(next[r.Status], m.To) {
		return r, fault.New(fault.Conflict, "a %s porting request cannot become %s; allowed: %v", r.Status, m.To, next[r.Status])
	}
	var f fault.Fields
	switch m.To {
	case Scheduled:
		if missing := r.LosingCarrier.Missing(); len(missing) > 0 {
			return r, fault.New(fault.Conflict, "the losing carrier's details are needed before scheduling; missing: %s", strings.Join(missing, ", "))
		}
		if !m.ConfirmedAt.After(now) {
			f.Add("confirmedAt", "is required when scheduling: the confirmed porting date and time, in the future")
		}
	case Rejected:
		if m.Reason == "" {
			f.Add("reason", "is required when rejecting: say what to correct")
		}
	}
	if err := f.Err(); err != nil {
		return r, err
	}
	if m.To == Scheduled {
		r.ConfirmedAt = m.ConfirmedAt.UTC()
	}
	r.Timeline = append(slices.Clone(r.Timeline), Step{Status: m.To, At: now, By: m.By, ByRole: m.ByRole, Reason: m.Reason, Comment: m.Comment, Private: m.Private})
	r.Status, r.UpdatedAt = m.To, now
	return r, nil
}

// Business window for proposed porting times, in the account's time zone.
const (
	WindowStartHour = 8
	WindowEndHour   = 17
)

// CheckProposal says why a proposed porting time cannot be offered: it must be in the
// future, on a weekday, between 08:00 and 17:00 in the account's zone. "" when it can.
func CheckProposal(at time.Time, loc *time.Location, now time.Time) string {
	local := at.In(loc)
	switch {
	case !at.After(now):
		return "must be in the future"
	case local.Weekday() == time.Saturday || local.Weekday() == time.Sunday:
		return "must be on a weekday (porting desks work Monday to Friday)"
	case local.Hour() < WindowStartHour || local.Hour() >= WindowEndHour:
		return fmt.Sprintf("must be between %02d:00 and %02d:00 in %s", WindowStartHour, WindowEndHour, loc)
	}
	return ""
}
