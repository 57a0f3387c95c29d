// Package queue is Provisio's job queues: a sender for jobs and the consumer adapter that
// turns an SQS batch into per-message calls with partial batch failures. The SQS client
// itself is package queue/sqs, so a function that queues nothing links none of it.
package queue

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/webhook"
)

// Job is the body of a provisioning message. It carries only the ID: the record in the
// table is the truth, so a stale or duplicated message can do no harm.
type Job struct {
	RegistrationID string `json:"registrationId"`
}

// Transport is the queue service under a Sender.
type Transport interface {
	// SendMessage puts one message on the queue at queueURL.
	SendMessage(ctx context.Context, queueURL, body string) error
	// SendMessageDelayed puts one message on the queue at queueURL, to be received
	// after delay (at most 15 minutes).
	SendMessageDelayed(ctx context.Context, queueURL, body string, delay time.Duration) error
	// CountMessages reads the queue's message count: it answers when the service and the
	// queue do.
	CountMessages(ctx context.Context, queueURL string) error
}

// Sender puts jobs on one queue.
type Sender struct {
	Client   Transport
	QueueURL string
}

var _ registration.Jobs = (*Sender)(nil)

// Ping reads the queue's message count: it answers when SQS and the queue do.
func (s *Sender) Ping(ctx context.Context) error {
	return s.Client.CountMessages(ctx, s.QueueURL)
}

// Enqueue implements registration.Jobs.
func (s *Sender) Enqueue(ctx context.Context, registrationID string) error {
	return s.send(ctx, Job{RegistrationID: registrationID})
}

// PortingJob is the body of a porting message: which request to put on the desk.
type PortingJob struct {
	AccountID string `json:"accountId"`
	PortingID string `json:"portingId"`
}

// EnqueuePorting asks for a porting request to be prepared for the operators.
func (s *Sender) EnqueuePorting(ctx context.Context, accountID, portingID string) error {
	return s.send(ctx, PortingJob{AccountID: accountID, PortingID: portingID})
}

// ResetJob is the body of a password-reset message: the sign-in name someone asked a
// reset link for, which may name nobody.
type ResetJob struct {
	Domain   string `json:"domain"`
	Username string `json:"username"`
}

// EnqueueReset implements auth.ResetJobs.
func (s *Sender) EnqueueReset(ctx context.Context, domain, username string) error {
	return s.send(ctx, ResetJob{Domain: domain, Username: username})
}

func (s *Sender) send(ctx context.Context, job any) error {
	body, _ := json.Marshal(job) // strings, numbers and valid times: cannot fail
	if err := s.Client.SendMessage(ctx, s.QueueURL, string(body)); err != nil {
		return fault.Wrap(fault.Unavailable, err, "the queue is unavailable")
	}
	return nil
}

// Handler is an SQS-triggered Lambda handler that reports partial batch failures.
type Handler func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)

// Consumer returns a Handler that runs process on each message body. A message whose
// process fails is reported back for retry (and, after the queue's maxReceiveCount, the
// dead-letter queue), except when the error says the message itself is bad (Invalid or
// Malformed): retrying cannot help, so it is dropped with an error log.
func Consumer(log *slog.Logger, process func(ctx context.Context, body string) error) Handler {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		for _, msg := range ev.Records {
			err := process(ctx, msg.Body)
			switch {
			case err == nil:
			case fault.Is(err, fault.Invalid) || fault.Is(err, fault.Malformed):
				log.ErrorContext(ctx, "message dropped: it can never be processed", "messageId", msg.MessageId, "error", err)
			default:
				log.WarnContext(ctx, "message failed; it will be retried", "messageId", msg.MessageId,
					"receiveCount", msg.Attributes["ApproximateReceiveCount"], "error", err)
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
			}
		}
		return resp, nil
	}
}

// decoded adapts run to Consumer for messages of type J: a body that does not decode,
// or that complete refuses, is Malformed (dropped, as retrying cannot help).
func decoded[J any](what string, complete func(J) bool, run func(context.Context, J) error) func(context.Context, string) error {
	return func(ctx context.Context, body string) error {
		var job J
		if err := json.Unmarshal([]byte(body), &job); err != nil || !complete(job) {
			return fault.New(fault.Malformed, "not %s", what)
		}
		return run(ctx, job)
	}
}

// Jobs adapts a per-registration function to Consumer: it decodes a Job and passes its
// registration ID on.
func Jobs(process func(ctx context.Context, registrationID string) error) func(context.Context, string) error {
	return decoded("a provisioning job", func(j Job) bool { return j.RegistrationID != "" },
		func(ctx context.Context, j Job) error { return process(ctx, j.RegistrationID) })
}

// PortingJobs adapts a per-request function to Consumer.
func PortingJobs(process func(ctx context.Context, accountID, portingID string) error) func(context.Context, string) error {
	return decoded("a porting job", func(j PortingJob) bool { return j.AccountID != "" && j.PortingID != "" },
		func(ctx context.Context, j PortingJob) error { return process(ctx, j.AccountID, j.PortingID) })
}

// ResetJobs adapts a reset handler to Consumer.
func ResetJobs(process func(ctx context.Context, domain, username string) error) func(context.Context, string) error {
	return decoded("a password-reset job", func(j ResetJob) bool { return j.Domain != "" && j.Username != "" },
		func(ctx context.Context, j ResetJob) error { return process(ctx, j.Domain, j.Username) })
}

// CallRecordsJob is the body of a call-records message: one chunk of records the
// request already validated.
type CallRecordsJob struct {
	Records []CallRecord `json:"records"`
}

// CallRecord is a call record in a message: the message format is this package's own,
// so a change to calls.Record's JSON form cannot strand messages already queued.
type CallRecord struct {
	ID              string    `json:"id"`
	AccountID       string    `json:"accountId"`
	Start           time.Time `json:"start"`
	DurationSeconds int       `json:"durationSeconds"`
	From            string    `json:"from"`
	To              string    `json:"to"`
	Direction       string    `json:"direction"`
	CostMinor       int64     `json:"costMinor"`
	Currency        string    `json:"currency"`
	InProgress      bool      `json:"inProgress,omitempty"`
}

func toCallRecord(r calls.Record) CallRecord {
	return CallRecord{ID: r.ID, AccountID: r.AccountID, Start: r.Start, DurationSeconds: r.DurationSeconds, From: r.From, To: r.To,
		Direction: string(r.Direction), CostMinor: r.CostMinor, Currency: r.Currency, InProgress: r.InProgress}
}

func (m CallRecord) record() calls.Record {
	return calls.Record{ID: m.ID, AccountID: m.AccountID, Start: m.Start, DurationSeconds: m.DurationSeconds, From: m.From, To: m.To,
		Direction: calls.Direction(m.Direction), CostMinor: m.CostMinor, Currency: m.Currency, InProgress: m.InProgress}
}

var _ calls.Queue = (*Sender)(nil)

// EnqueueCallRecords implements calls.Queue.
func (s *Sender) EnqueueCallRecords(ctx context.Context, recs []calls.Record) error {
	job := CallRecordsJob{Records: make([]CallRecord, len(recs))}
	for i, r := range recs {
		job.Records[i] = toCallRecord(r)
	}
	return s.send(ctx, job)
}

// CallRecordsJobs adapts a per-chunk function to Consumer.
func CallRecordsJobs(process func(ctx context.Context, recs []calls.Record) error) func(context.Context, string) error {
	return decoded("a chunk of call records", func(j CallRecordsJob) bool { return len(j.Records) > 0 && len(j.Records) <= calls.InlineBatch },
		func(ctx context.Context, j CallRecordsJob) error {
			recs := make([]calls.Record, len(j.Records))
			for i, m := range j.Records {
				recs[i] = m.record()
			}
			return process(ctx, recs)
		})
}

// PublishTimeout bounds the publishing of an event, retries included: an action that
// publishes one waits at most this long for SQS, then as long again for the table that
// parks what SQS did not take, then goes on.
const PublishTimeout = 2 * time.Second

// RepublishBatch is how many parked events one sweep publishes at the most.
const RepublishBatch = 100

// Events publishes webhook events on the events queue: one SendMessage per event. An
// event SQS does not take is parked in the table for the dispatcher's sweep.
type Events struct {
	Sender  *Sender
	Parking webhook.Parking
	Log     *slog.Logger
	Now     func() time.Time
	NewID   func(prefix string) string
}

var _ webhook.Publisher = (*Events)(nil)

// Publish implements webhook.Publisher. An event SQS does not take within
// PublishTimeout is parked, and logged at warning level; one the table will not park
// either is logged at error level, with its ID, type and account, and is lost. Either
// way the action that caused it stands (docs/webhooks.md).
func (e *Events) Publish(ctx context.Context, accountID string, ev webhook.Event, data any) {
	raw, err := json.Marshal(data)
	msg := webhook.Message{ID: e.NewID("evt-"), Type: ev, AccountID: accountID, OccurredAt: e.Now().UTC(), Data: raw}
	if err != nil {
		e.Log.ErrorContext(ctx, "webhook event not published", "event", msg.ID, "type", ev, "account", accountID, "error", err)
		return
	}
	bounded := func(do func(context.Context) error) error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), PublishTimeout)
		defer cancel()
		return do(ctx)
	}
	sendErr := bounded(func(ctx context.Context) error { return e.Sender.send(ctx, msg) })
	if sendErr == nil {
		return
	}
	if parkErr := bounded(func(ctx context.Context) error { return e.Parking.Park(ctx, msg) }); parkErr != nil {
		e.Log.ErrorContext(ctx, "webhook event not published", "event", msg.ID, "type", ev, "account", accountID, "error", sendErr, "parkError", parkErr)
		return
	}
	e.Log.WarnContext(ctx, "webhook event parked for the sweep", "event", msg.ID, "type", ev, "account", accountID, "error", sendErr)
}

// Republish publishes the parked events again, the oldest first and RepublishBatch at
// the most, each leaving the parking once SQS took it. It stops at the first one SQS
// refuses (the next sweep tries again) and reports how many went. An event sent but
// not let go is sent again by the next sweep: the same event ID makes the same
// deliveries, so no endpoint hears it twice.
func (e *Events) Republish(ctx context.Context) (int, error) {
	parked, err := e.Parking.Parked(ctx, RepublishBatch)
	if err != nil {
		return 0, err
	}
	for i, msg := range parked {
		if err := e.Sender.send(ctx, msg); err != nil {
			return i, err
		}
		if err := e.Parking.Unpark(ctx, msg); err != nil {
			e.Log.WarnContext(ctx, "parked webhook event published but still parked", "event", msg.ID, "error", err)
		}
	}
	return len(parked), nil
}

// Deliveries is webhook.Queue on the delivery queue and its dead-letter queue.
type Deliveries struct {
	Client        Transport
	QueueURL      string
	DeadLetterURL string
}

var _ webhook.Queue = (*Deliveries)(nil)

// EnqueueDelivery implements webhook.Queue.
func (d *Deliveries) EnqueueDelivery(ctx context.Context, job webhook.DeliveryJob, delay time.Duration) error {
	body, _ := json.Marshal(job) // strings and a number: cannot fail
	if err := d.Client.SendMessageDelayed(ctx, d.QueueURL, string(body), delay); err != nil {
		return fault.Wrap(fault.Unavailable, err, "the delivery queue is unavailable")
	}
	return nil
}

// DeadLetter implements webhook.Queue.
func (d *Deliveries) DeadLetter(ctx context.Context, job webhook.DeliveryJob) error {
	return (&Sender{Client: d.Client, QueueURL: d.DeadLetterURL}).send(ctx, job)
}

// WebhookEvents adapts the fan-out to Consumer.
func WebhookEvents(process func(ctx context.Context, msg webhook.Message) error) func(context.Context, string) error {
	return decoded("a webhook event", func(m webhook.Message) bool { return m.ID != "" && m.Type != "" && m.AccountID != "" }, process)
}

// WebhookDeliveries adapts the deliverer to Consumer.
func WebhookDeliveries(process func(ctx context.Context, job webhook.DeliveryJob) error) func(context.Context, string) error {
	return decoded("a webhook delivery", func(j webhook.DeliveryJob) bool {
		return j.AccountID != "" && j.EndpointID != "" && j.DeliveryID != "" && j.Attempt > 0
	}, process)
}
