// Package webhook tells the provider's and its customers' own systems what happened:
// endpoints an account's administrators register for chosen events, events published
// by the actions that cause them (one queue message each, never failing the action),
// fanned out to the endpoints of the account and of its ancestors, and delivered signed,
// with retries and a delivery log (docs/webhooks.md).
package webhook

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
)

// Event is a kind of event an endpoint may subscribe to.
type Event string

// The events.
const (
	RegistrationCompleted Event = "registration.completed"
	RegistrationFailed    Event = "registration.failed"
	PortingStatusChanged  Event = "porting.status_changed"
	SIPActivated          Event = "sip.activated"
	SIPDisabled           Event = "sip.disabled"
	InvoiceIssued         Event = "invoice.issued"
	BalanceLow            Event = "balance.low"
)

// Events lists every event.
var Events = []Event{RegistrationCompleted, RegistrationFailed, PortingStatusChanged, SIPActivated, SIPDisabled, InvoiceIssued, BalanceLow}

// Message is an event as it is published and delivered: the body of every delivery.
type Message struct {
	ID         string          `json:"id"`
	Type       Event           `json:"type"`
	AccountID  string          `json:"accountId"`
	OccurredAt time.Time       `json:"occurredAt"`
	Data       json.RawMessage `json:"data"`
}

// Endpoint is an HTTPS URL an account's administrators registered for some events: it
// hears those of the account and of every account below it.
type Endpoint struct {
	ID          string  `json:"id"`
	AccountID   string  `json:"accountId"`
	URL         string  `json:"url"`
	Description string  `json:"description,omitempty"`
	Events      []Event `json:"events"`
	Enabled     bool    `json:"enabled"`
	// Secret signs the deliveries. During a roll, PreviousSecret signs them too until
	// PreviousUntil, so the receiver can move to the new secret without losing one.
	Secret         string    `json:"-"`
	PreviousSecret string    `json:"-"`
	PreviousUntil  time.Time `json:"previousUntil,omitzero"`
	CreatedAt      time.Time `json:"createdAt"`
	CreatedBy      string    `json:"createdBy"`
	UpdatedAt      time.Time `json:"updatedAt"`
	Version        int       `json:"version"`
}

// Hears reports whether the endpoint takes ev.
func (e Endpoint) Hears(ev Event) bool { return e.Enabled && slices.Contains(e.Events, ev) }

// Secrets are the secrets a delivery at now is signed with: the current one, and the
// previous during a roll's grace.
func (e Endpoint) Secrets(now time.Time) []string {
	if e.PreviousSecret != "" && now.Before(e.PreviousUntil) {
		return []string{e.Secret, e.PreviousSecret}
	}
	return []string{e.Secret}
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// The statuses of a delivery.
const (
	Pending   DeliveryStatus = "pending"
	Succeeded DeliveryStatus = "succeeded"
	Failed    DeliveryStatus = "failed"
)

// Attempt is one try of a delivery.
type Attempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"statusCode,omitempty"`
	LatencyMs  int64     `json:"latencyMs"`
	Error      string    `json:"error,omitempty"`
}

// Delivery is one event sent to one endpoint, with every attempt.
type Delivery struct {
	ID         string          `json:"id"`
	EndpointID string          `json:"endpointId"`
	AccountID  string          `json:"accountId"` // the endpoint's
	EventID    string          `json:"eventId"`
	Type       Event           `json:"type"`
	Status     DeliveryStatus  `json:"status"`
	Attempts   []Attempt       `json:"attempts"`
	Body       json.RawMessage `json:"body"` // the Message, as sent every time
	// RoundStart is how many attempts came before the current round: a redelivery
	// starts a new round of MaxAttempts.
	RoundStart int       `json:"roundStart,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// Publisher publishes events; the actions that cause them hold one.
type Publisher interface {
	// Publish sends an event of the account: it never fails the caller, and a failure
	// is logged (docs/webhooks.md).
	Publish(ctx context.Context, accountID string, ev Event, data any)
}

// Parking keeps the events the events queue did not take, for the dispatcher's sweep to
// publish again, so that an SQS outage delays events rather than losing them.
type Parking interface {
	// Park keeps m until it is published.
	Park(ctx context.Context, m Message) error
	// Parked returns up to limit parked events, the oldest first.
	Parked(ctx context.Context, limit int) ([]Message, error)
	// Unpark lets m go once it is published.
	Unpark(ctx context.Context, m Message) error
}

// Publish publishes through p, when there is one: a function that publishes no events
// holds none.
func Publish(ctx context.Context, p Publisher, accountID string, ev Event, data any) {
	if p != nil {
		p.Publish(ctx, accountID, ev, data)
	}
}

// Store keeps endpoints and deliveries.
type Store interface {
	account.Reader
	// CreateEndpoint writes a new endpoint with its audit entry.
	CreateEndpoint(ctx context.Context, e Endpoint, entry audit.Entry) error
	// SaveEndpoint writes a changed endpoint whose stored version is e.Version-1
	// (Conflict otherwise), with its audit entry.
	SaveEndpoint(ctx context.Context, e Endpoint, entry audit.Entry) error
	// DeleteEndpoint deletes an endpoint at version, with its audit entry.
	DeleteEndpoint(ctx context.Context, e Endpoint, entry audit.Entry) error
	// Endpoint returns an endpoint of an account, its secrets with it; NotFound
	// otherwise.
	Endpoint(ctx context.Context, accountID, id string) (Endpoint, error)
	// Endpoints returns every endpoint of an account.
	Endpoints(ctx context.Context, accountID string) ([]Endpoint, error)
	// CreateDelivery writes a new delivery; Conflict when it exists.
	CreateDelivery(ctx context.Context, d Delivery) error
	// SaveDelivery writes a delivery's new status and attempts.
	SaveDelivery(ctx context.Context, d Delivery) error
	// Delivery returns a delivery of an endpoint; NotFound otherwise.
	Delivery(ctx context.Context, accountID, endpointID, id string) (Delivery, error)
	// Deliveries returns a page of an endpoint's deliveries, newest first.
	Deliveries(ctx context.Context, accountID, endpointID, cursor string, limit int) ([]Delivery, string, error)
}

// Queue carries the events and the deliveries.
type Queue interface {
	// EnqueueDelivery asks for an attempt of a delivery after delay.
	EnqueueDelivery(ctx context.Context, job DeliveryJob, delay time.Duration) error
	// DeadLetter puts a delivery that failed its last attempt on the dead-letter queue.
	DeadLetter(ctx context.Context, job DeliveryJob) error
}

// DeliveryJob is a delivery's queue message: which delivery, and which attempt.
type DeliveryJob struct {
	AccountID  string `json:"accountId"`
	EndpointID string `json:"endpointId"`
	DeliveryID string `json:"deliveryId"`
	Attempt    int    `json:"attempt"`
}
