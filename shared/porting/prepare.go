package porting

import (
	"context"
	"log/slog"
	"time"

	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
)

// Store keeps porting requests.
type Store interface {
	idempotency.Records
	// Porting returns a porting request; NotFound when there is none.
	Porting(ctx context.Context, id string) (Request, error)
	// Portings returns a page of an account's porting requests in status (every one when
	// it is ""), oldest first.
	Portings(ctx context.Context, accountID string, status Status, cursor string, limit int) ([]Request, string, error)
	// SavePorting writes r when the stored copy has version r.Version-1, with its audit
	// entry; a completed request hands its number to the subscription, a canceled one
	// releases it.
	SavePorting(ctx context.Context, r Request, entry audit.Entry, idem *idempotency.Record) error
	// Desk returns a page of the operators' desk (Service.Desk).
	Desk(ctx context.Context, f DeskFilter, cursor string, limit int) ([]Request, string, error)
	// RecordAudit writes one audit entry in an account's log.
	RecordAudit(ctx context.Context, accountID string, entry audit.Entry) error
	// Unprepared lists requests submitted before cutoff that no consumer prepared yet.
	Unprepared(ctx context.Context, cutoff time.Time) ([]Job, error)
}

// Job names a porting request to prepare.
type Job struct {
	AccountID, PortingID string
}

// Jobs queues porting requests for the desk.
type Jobs interface {
	// EnqueuePorting asks for a porting request to be prepared; Unavailable when the
	// queue refuses.
	EnqueuePorting(ctx context.Context, accountID, portingID string) error
}

// Mailer sends templated email.
type Mailer interface {
	// Send renders message template name with data, emails it to to, and returns the
	// provider's message ID.
	Send(ctx context.Context, to string, name message.Name, data any) (string, error)
}

// Desk puts new porting requests on the operators' desk.
type Desk struct {
	Store     Store
	Mailer    Mailer
	Log       *slog.Logger
	Now       func() time.Time
	DeskEmail string // where the porting operators read new work
	Jobs      Jobs
	// StaleAfter is how long a submitted request may wait unprepared before the sweep
	// queues it again (its first job was lost).
	StaleAfter time.Duration
}

// Requeue queues again every request left unprepared for StaleAfter, and returns how many.
// The consumer is idempotent, so a request whose job was only slow is prepared once.
func (d *Desk) Requeue(ctx context.Context) (int, error) {
	jobs, err := d.Store.Unprepared(ctx, d.Now().UTC().Add(-d.StaleAfter))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, j := range jobs {
		if err := d.Jobs.EnqueuePorting(ctx, j.AccountID, j.PortingID); err != nil {
			d.Log.WarnContext(ctx, "porting request not queued again; the next sweep retries", "porting", j.PortingID, "error", err)
			continue
		}
		n++
	}
	return n, nil
}

// deskMail is what the operators' emails can show. The owner's ID number is not in it:
// operators read it in the API.
type deskMail struct {
	ID, AccountID, Number, ProposedAt, Problem string
}

// Prepare is the porting consumer: it marks the request prepared and tells the operators.
// It is idempotent: a prepared request, or one no longer submitted, changes nothing and
// sends nothing.
func (d *Desk) Prepare(ctx context.Context, accountID, id string) error {
	r, err := d.Store.Porting(ctx, id)
	if fault.Is(err, fault.NotFound) {
		d.Log.WarnContext(ctx, "porting job for an unknown request dropped", "porting", id)
		return nil
	}
	if err != nil {
		return err
	}
	if !r.PreparedAt.IsZero() || r.Status != Submitted {
		return nil
	}
	next := r
	next.PreparedAt, next.UpdatedAt, next.Version = d.Now().UTC(), d.Now().UTC(), r.Version+1
	if err := d.Store.SavePorting(ctx, next, audit.New(next.PreparedAt, "system:porting", audit.Porting, audit.Prepared, id, r, next), nil); err != nil {
		return err
	}
	_, err = d.Mailer.Send(ctx, d.DeskEmail, message.PortingNew, deskMail{ID: r.ID, AccountID: r.AccountID, Number: r.Number,
		ProposedAt: r.ProposedAt.Format(time.RFC3339)})
	if err != nil {
		// Prepared but not announced: the request is on the desk's list all the same.
		d.Log.WarnContext(ctx, "operators not emailed about a porting request", "porting", id, "error", err)
	}
	return nil
}

// GiveUp handles a porting job that kept failing: the operators hear about it, so the
// request is handled by hand rather than forgotten.
func (d *Desk) GiveUp(ctx context.Context, accountID, id string) error {
	_, err := d.Mailer.Send(ctx, d.DeskEmail, message.PortingNew, deskMail{ID: id, AccountID: accountID,
		Problem: "it could not be prepared automatically after several attempts; check it by hand"})
	return err
}
