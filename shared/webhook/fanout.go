package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// Fanout turns a published event into a delivery for each endpoint that hears it: the
// endpoints of the event's account and of each of its ancestors, so a reseller hears its
// customers' events and a tenant never hears another's. The events queue's consumer.
type Fanout struct {
	Store Store
	Queue Queue
	Log   *slog.Logger
	Now   func() time.Time
}

// deliveryID names the delivery of an event to an endpoint, so a message handled twice
// makes one delivery.
func deliveryID(eventID, endpointID string) string {
	sum := sha256.Sum256([]byte(eventID + "\n" + endpointID))
	return "dlv-" + hex.EncodeToString(sum[:10])
}

// Handle fans msg out. A store or queue failure is returned, for the queue to try the
// message again: deliveries made already are found, not made twice.
func (f *Fanout) Handle(ctx context.Context, msg Message) error {
	acct, err := f.Store.Account(ctx, msg.AccountID)
	if fault.Is(err, fault.NotFound) {
		f.Log.WarnContext(ctx, "webhook event of no account", "event", msg.ID, "account", msg.AccountID)
		return nil
	}
	if err != nil {
		return err
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return fault.Wrap(fault.Internal, err, "could not encode the event")
	}
	now := f.Now().UTC()
	for _, owner := range acct.Path {
		endpoints, err := f.Store.Endpoints(ctx, owner)
		if err != nil {
			return err
		}
		for _, e := range endpoints {
			if !e.Hears(msg.Type) {
				continue
			}
			d := Delivery{ID: deliveryID(msg.ID, e.ID), EndpointID: e.ID, AccountID: e.AccountID, EventID: msg.ID, Type: msg.Type,
				Status: Pending, Attempts: []Attempt{}, Body: body, CreatedAt: now, UpdatedAt: now}
			err := f.Store.CreateDelivery(ctx, d)
			if fault.Is(err, fault.Conflict) { // made by an earlier try of this message
				if d, err = f.Store.Delivery(ctx, e.AccountID, e.ID, d.ID); err != nil {
					return err
				}
				if d.Status != Pending || len(d.Attempts) > 0 {
					continue
				}
			} else if err != nil {
				return err
			}
			if err := f.Queue.EnqueueDelivery(ctx, DeliveryJob{AccountID: e.AccountID, EndpointID: e.ID, DeliveryID: d.ID, Attempt: 1}, 0); err != nil {
				return err
			}
		}
	}
	return nil
}
