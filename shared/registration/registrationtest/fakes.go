// Package registrationtest has fakes of the registration service's dependencies, as
// structs of function fields, for handler tests and in-process benchmarks. Storage
// behaviour is tested against the real engine; these fakes only stand in for it where the
// engine's cost must be left out.
package registrationtest

import (
	"context"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/registration"
)

// Store is a registration.Store whose methods call the fields; a nil field succeeds
// (reads answer NotFound).
type Store struct {
	CreateFunc  func(context.Context, registration.Registration, audit.Entry, *idempotency.Record) error
	GetFunc     func(context.Context, string) (registration.Registration, error)
	SaveFunc    func(context.Context, registration.Registration, audit.Entry) error
	ListFunc    func(context.Context, registration.Status, time.Time) ([]registration.Registration, error)
	EndedFunc   func(context.Context, registration.Registration, audit.Entry) error
	RetriedFunc func(context.Context, registration.Registration, audit.Entry) error
	// RegistrationsFunc answers Registrations; nil answers an empty page.
	RegistrationsFunc func(ctx context.Context, ownerID string, f registration.Filter, cursor string, limit int) ([]registration.Summary, string, error)
	// AccountFunc answers Account; nil answers a provider root with 1000 trunks of each kind.
	AccountFunc func(context.Context, string) (account.Account, error)
}

// Account implements registration.Store.
func (s *Store) Account(ctx context.Context, id string) (account.Account, error) {
	if s.AccountFunc == nil {
		plenty := account.Limits{InboundTrunks: 1000, OutboundTrunks: 1000, TwowayTrunks: 1000}
		return account.Account{ID: id, Path: []string{id}, Kind: account.Provider, Limits: plenty, Available: plenty}, nil
	}
	return s.AccountFunc(ctx, id)
}

var _ registration.Store = (*Store)(nil)

// Create implements registration.Store.
func (s *Store) Create(ctx context.Context, r registration.Registration, e audit.Entry, i *idempotency.Record) error {
	if s.CreateFunc == nil {
		return nil
	}
	return s.CreateFunc(ctx, r, e, i)
}

// Get implements registration.Store.
func (s *Store) Get(ctx context.Context, id string) (registration.Registration, error) {
	if s.GetFunc == nil {
		return registration.Registration{}, fault.New(fault.NotFound, "no registration %s", id)
	}
	return s.GetFunc(ctx, id)
}

// Save implements registration.Store.
func (s *Store) Save(ctx context.Context, r registration.Registration, e audit.Entry) error {
	if s.SaveFunc == nil {
		return nil
	}
	return s.SaveFunc(ctx, r, e)
}

// ListByStatus implements registration.Store.
func (s *Store) ListByStatus(ctx context.Context, st registration.Status, cutoff time.Time) ([]registration.Registration, error) {
	if s.ListFunc == nil {
		return nil, nil
	}
	return s.ListFunc(ctx, st, cutoff)
}

// Registrations implements registration.Store.
func (s *Store) Registrations(ctx context.Context, ownerID string, f registration.Filter, cursor string, limit int) ([]registration.Summary, string, error) {
	if s.RegistrationsFunc == nil {
		return nil, "", nil
	}
	return s.RegistrationsFunc(ctx, ownerID, f, cursor, limit)
}

// Idempotency implements registration.Store; every key is new.
func (s *Store) Idempotency(context.Context, string, string) (idempotency.Record, error) {
	return idempotency.Record{}, fault.New(fault.NotFound, "unknown idempotency key")
}

// Provisioned implements registration.Store; it succeeds.
func (s *Store) Provisioned(context.Context, registration.Registration, account.Account, account.Member, []audit.Entry) error {
	return nil
}

// Retried implements registration.Store.
func (s *Store) Retried(ctx context.Context, r registration.Registration, e audit.Entry) error {
	if s.RetriedFunc == nil {
		return nil
	}
	return s.RetriedFunc(ctx, r, e)
}

// Ended implements registration.Store.
func (s *Store) Ended(ctx context.Context, r registration.Registration, e audit.Entry) error {
	if s.EndedFunc == nil {
		return nil
	}
	return s.EndedFunc(ctx, r, e)
}

// Jobs is a registration.Jobs calling EnqueueFunc; nil succeeds.
type Jobs struct {
	EnqueueFunc func(context.Context, string) error
}

// Enqueue implements registration.Jobs.
func (j *Jobs) Enqueue(ctx context.Context, id string) error {
	if j.EnqueueFunc == nil {
		return nil
	}
	return j.EnqueueFunc(ctx, id)
}
