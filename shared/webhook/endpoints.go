package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
)

// SecretPrefix starts every signing secret, so a leaked one is recognised.
const SecretPrefix = "whsec_"

// The bounds of an endpoint and of a secret roll.
const (
	MaxEndpoints     = 10
	MaxDescription   = 200
	MaxRollGrace     = 7 * 24 * time.Hour
	DefaultRollGrace = 24 * time.Hour
)

// Service manages endpoints and their deliveries for the accounts' administrators.
type Service struct {
	Store  Store
	Queue  Queue
	Guard  *Guard
	Now    func() time.Time
	NewID  func(prefix string) string
	Random io.Reader // secrets; nil means crypto/rand
}

// Draft is what an administrator asks for an endpoint: every field when creating, the
// fields to change (nil: unchanged) when changing.
type Draft struct {
	URL         *string
	Description *string
	Events      *[]Event
	Enabled     *bool
}

// check refuses what no endpoint may hold.
func (d Draft) check(ctx context.Context, g *Guard) error {
	var bad fault.Fields
	if d.URL != nil {
		if err := g.CheckURL(ctx, *d.URL); err != nil {
			bad.Add("url", err.Error())
		}
	}
	if d.Description != nil && utf8.RuneCountInString(*d.Description) > MaxDescription {
		bad.Add("description", fmt.Sprintf("must be at most %d characters", MaxDescription))
	}
	if d.Events != nil {
		if len(*d.Events) == 0 {
			bad.Add("events", "must name at least one event")
		}
		for i, ev := range *d.Events {
			if !slices.Contains(Events, ev) {
				bad.Add(fmt.Sprintf("events[%d]", i), "must be one of "+strings.Join(eventNames(), ", "))
			}
		}
	}
	return bad.Err()
}

func eventNames() []string {
	out := make([]string, len(Events))
	for i, ev := range Events {
		out[i] = string(ev)
	}
	return out
}

// newSecret returns a fresh signing secret: 256 random bits.
func (s *Service) newSecret() (string, error) {
	r := s.Random
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fault.Wrap(fault.Internal, err, "no randomness for the secret")
	}
	return SecretPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// Create registers an endpoint of an account the actor administers. It returns the
// endpoint and its secret, which is shown this once.
func (s *Service) Create(ctx context.Context, actor account.Actor, accountID string, d Draft) (Endpoint, string, error) {
	if d.URL == nil || d.Events == nil {
		var bad fault.Fields
		if d.URL == nil {
			bad.Add("url", "is required")
		}
		if d.Events == nil {
			bad.Add("events", "is required")
		}
		return Endpoint{}, "", bad.Err()
	}
	if err := account.MayAct(actor, true); err != nil {
		return Endpoint{}, "", err
	}
	if err := d.check(ctx, s.Guard); err != nil {
		return Endpoint{}, "", err
	}
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return Endpoint{}, "", err
	}
	existing, err := s.Store.Endpoints(ctx, acct.ID)
	if err != nil {
		return Endpoint{}, "", err
	}
	if len(existing) >= MaxEndpoints {
		return Endpoint{}, "", fault.New(fault.Conflict, "an account may have %d endpoints: delete one first", MaxEndpoints)
	}
	secret, err := s.newSecret()
	if err != nil {
		return Endpoint{}, "", err
	}
	now := s.Now().UTC()
	e := Endpoint{ID: s.NewID("whk-"), AccountID: acct.ID, URL: *d.URL, Events: slices.Compact(slices.Sorted(slices.Values(*d.Events))),
		Enabled: true, Secret: secret, CreatedAt: now, CreatedBy: actor.UserID, UpdatedAt: now, Version: 1}
	if d.Description != nil {
		e.Description = strings.TrimSpace(*d.Description)
	}
	if d.Enabled != nil {
		e.Enabled = *d.Enabled
	}
	if err := s.Store.CreateEndpoint(ctx, e, audit.New(now, actor.UserID, audit.Webhook, audit.Create, e.ID, nil, e)); err != nil {
		return Endpoint{}, "", err
	}
	return e, secret, nil
}

// List returns the endpoints of an account the actor administers.
func (s *Service) List(ctx context.Context, actor account.Actor, accountID string) ([]Endpoint, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return nil, err
	}
	return s.Store.Endpoints(ctx, acct.ID)
}

// endpoint loads an endpoint of an account the actor administers.
func (s *Service) endpoint(ctx context.Context, actor account.Actor, accountID, id string) (Endpoint, error) {
	acct, err := account.Load(ctx, s.Store, actor, accountID, true)
	if err != nil {
		return Endpoint{}, err
	}
	return s.Store.Endpoint(ctx, acct.ID, id)
}

// Update changes an endpoint read at version.
func (s *Service) Update(ctx context.Context, actor account.Actor, accountID, id string, version int, d Draft) (Endpoint, error) {
	if err := account.MayAct(actor, true); err != nil {
		return Endpoint{}, err
	}
	if err := d.check(ctx, s.Guard); err != nil {
		return Endpoint{}, err
	}
	e, err := s.endpoint(ctx, actor, accountID, id)
	if err != nil {
		return Endpoint{}, err
	}
	if version != e.Version {
		return Endpoint{}, fault.New(fault.Conflict, "the endpoint changed since you read it (version %d, you sent %d): read it again", e.Version, version)
	}
	next := e
	if d.URL != nil {
		next.URL = *d.URL
	}
	if d.Description != nil {
		next.Description = strings.TrimSpace(*d.Description)
	}
	if d.Events != nil {
		next.Events = slices.Compact(slices.Sorted(slices.Values(*d.Events)))
	}
	if d.Enabled != nil {
		next.Enabled = *d.Enabled
	}
	next.UpdatedAt, next.Version = s.Now().UTC(), e.Version+1
	if err := s.Store.SaveEndpoint(ctx, next, audit.New(next.UpdatedAt, actor.UserID, audit.Webhook, audit.Update, e.ID, e, next)); err != nil {
		return Endpoint{}, err
	}
	return next, nil
}

// Delete removes an endpoint; its deliveries expire with their time to live.
func (s *Service) Delete(ctx context.Context, actor account.Actor, accountID, id string) error {
	e, err := s.endpoint(ctx, actor, accountID, id)
	if err != nil {
		return err
	}
	return s.Store.DeleteEndpoint(ctx, e, audit.New(s.Now().UTC(), actor.UserID, audit.Webhook, audit.Delete, e.ID, e, nil))
}

// RollSecret gives an endpoint a new secret, shown this once; the old one goes on
// signing beside it for grace (0: DefaultRollGrace), so the receiver can switch without
// refusing a delivery.
func (s *Service) RollSecret(ctx context.Context, actor account.Actor, accountID, id string, grace time.Duration) (Endpoint, string, error) {
	if grace == 0 {
		grace = DefaultRollGrace
	}
	if grace < 0 || grace > MaxRollGrace {
		var bad fault.Fields
		bad.Add("graceSeconds", fmt.Sprintf("must be from 0 (a day) to %d seconds", int(MaxRollGrace.Seconds())))
		return Endpoint{}, "", bad.Err()
	}
	e, err := s.endpoint(ctx, actor, accountID, id)
	if err != nil {
		return Endpoint{}, "", err
	}
	secret, err := s.newSecret()
	if err != nil {
		return Endpoint{}, "", err
	}
	next := e
	now := s.Now().UTC()
	next.PreviousSecret, next.PreviousUntil, next.Secret = e.Secret, now.Add(grace), secret
	next.UpdatedAt, next.Version = now, e.Version+1
	entry := audit.New(now, actor.UserID, audit.Webhook, audit.Verb("secret_rolled"), e.ID, e, next)
	if err := s.Store.SaveEndpoint(ctx, next, entry); err != nil {
		return Endpoint{}, "", err
	}
	return next, secret, nil
}

// Deliveries returns a page of an endpoint's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, actor account.Actor, accountID, id, cursor string, limit int) ([]Delivery, string, error) {
	e, err := s.endpoint(ctx, actor, accountID, id)
	if err != nil {
		return nil, "", err
	}
	return s.Store.Deliveries(ctx, e.AccountID, e.ID, cursor, account.PageSize(limit))
}

// Redeliver sends a delivery again, with a fresh round of attempts; Conflict while it
// is still being tried.
func (s *Service) Redeliver(ctx context.Context, actor account.Actor, accountID, endpointID, id string) (Delivery, error) {
	e, err := s.endpoint(ctx, actor, accountID, endpointID)
	if err != nil {
		return Delivery{}, err
	}
	d, err := s.Store.Delivery(ctx, e.AccountID, e.ID, id)
	if err != nil {
		return Delivery{}, err
	}
	if d.Status == Pending {
		return Delivery{}, fault.New(fault.Conflict, "the delivery is still being tried (attempt %d)", len(d.Attempts))
	}
	next := d
	next.Status, next.RoundStart, next.UpdatedAt = Pending, len(d.Attempts), s.Now().UTC()
	if err := s.Store.SaveDelivery(ctx, next); err != nil {
		return Delivery{}, err
	}
	if err := s.Queue.EnqueueDelivery(ctx, DeliveryJob{AccountID: e.AccountID, EndpointID: e.ID, DeliveryID: d.ID, Attempt: len(d.Attempts) + 1}, 0); err != nil {
		// Nothing will try it: put it back as it was, so it can be redelivered again.
		_ = s.Store.SaveDelivery(ctx, d)
		return Delivery{}, err
	}
	return next, nil
}
