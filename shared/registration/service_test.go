package registration_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/registration/registrationtest"
)

var clock = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

func newService(t *testing.T, store *registrationtest.Store, jobs *registrationtest.Jobs) *registration.Service {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &registration.Service{Catalog: cat, Store: store, Jobs: jobs, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Now: func() time.Time { return clock }, NewID: func() string { return "reg-1" }, StaleAfter: 10 * time.Minute}
}

func request() registration.Request {
	return registration.Request{TemplateID: "basic-office", Schedule: registration.Now,
		Tenant: registration.TenantRequest{Name: "Kenton", ShortName: "ke", UPNSuffix: "kenton.se", AdminUserName: "keAdmin",
			Password: "Correct-Horse-42", ANI: "+46812345678"},
		Contact: registration.Contact{Name: "Kim", Email: "it@kenton.se", Phone: "+46701234567"}}
}

func TestSubmitKeepsRequestedWhenTheQueueRefuses(t *testing.T) {
	saves := 0
	store := &registrationtest.Store{SaveFunc: func(context.Context, registration.Registration, audit.Entry) error { saves++; return nil }}
	jobs := &registrationtest.Jobs{EnqueueFunc: func(context.Context, string) error { return errors.New("queue down") }}
	reg, err := newService(t, store, jobs).Submit(context.Background(), request(), "")
	if err != nil || reg.Status != registration.Requested || saves != 0 {
		t.Fatalf("got %s, %v, %d saves", reg.Status, err, saves)
	}
}

func TestSubmitWritesNothingWhenInvalid(t *testing.T) {
	store := &registrationtest.Store{CreateFunc: func(context.Context, registration.Registration, audit.Entry, *idempotency.Record) error {
		t.Fatal("an invalid request was written")
		return nil
	}}
	req := request()
	req.Tenant.Name = "Kenton Electronics"
	if _, err := newService(t, store, &registrationtest.Jobs{}).Submit(context.Background(), req, ""); !fault.Is(err, fault.Invalid) {
		t.Fatalf("got %v", err)
	}
}

// TestDispatchCountsAJobTakenBeforeItsHandOffWasRecorded: the consumer may record
// "queued" before the dispatcher does; the dispatcher's write then conflicts, yet the job
// is on its way and counts as queued.
func TestDispatchCountsAJobTakenBeforeItsHandOffWasRecorded(t *testing.T) {
	scheduled := registration.Registration{ID: "reg-1", Status: registration.Scheduled, Version: 2}
	taken := scheduled
	taken.Status, taken.Version = registration.Provisioning, 4
	store := &registrationtest.Store{
		ListFunc: func(_ context.Context, st registration.Status, _ time.Time) ([]registration.Registration, error) {
			if st == registration.Scheduled {
				return []registration.Registration{scheduled}, nil
			}
			return nil, nil
		},
		SaveFunc: func(context.Context, registration.Registration, audit.Entry) error {
			return fault.New(fault.Conflict, "stale version")
		},
		GetFunc: func(context.Context, string) (registration.Registration, error) { return taken, nil },
	}
	rep, err := newService(t, store, &registrationtest.Jobs{}).Dispatch(context.Background(), registration.OffPeakTask)
	if err != nil || rep != (registration.DispatchReport{Queued: 1}) {
		t.Fatalf("got %+v, %v", rep, err)
	}
}

func TestDispatchRefusesUnknownTasks(t *testing.T) {
	if _, err := newService(t, &registrationtest.Store{}, &registrationtest.Jobs{}).Dispatch(context.Background(), "nightly"); !fault.Is(err, fault.Invalid) {
		t.Fatalf("got %v", err)
	}
}

// TestProvisionGoesOnWhenTheHandOffIsRecordedConcurrently: the job arrives while the
// submitter is still recording "queued"; the consumer's own write loses, and it must carry
// on from the fresh copy instead of failing the job (which would wait out a visibility
// timeout).
func TestProvisionGoesOnWhenTheHandOffIsRecordedConcurrently(t *testing.T) {
	cat, _ := catalog.Load()
	tpl, _ := cat.Find("basic-office")
	stored := registration.Registration{ID: "reg-1", TemplateID: tpl.ID, Status: registration.Requested, Version: 1,
		Contact: registration.Contact{Email: "it@kenton.se"}}
	saves := 0
	store := &registrationtest.Store{
		GetFunc: func(context.Context, string) (registration.Registration, error) { return stored, nil },
		SaveFunc: func(_ context.Context, r registration.Registration, _ audit.Entry) error {
			saves++
			if saves == 1 { // the submitter's "queued" lands first
				stored.Status, stored.Version = registration.Queued, 2
				return fault.New(fault.Conflict, "stale version")
			}
			stored = r
			return nil
		},
	}
	svc := newService(t, store, &registrationtest.Jobs{})
	svc.Mailer = mailerFunc(func(context.Context, string, message.Name, any) (string, error) { return "msg-1", nil })
	if err := svc.Provision(context.Background(), "reg-1"); err != nil {
		t.Fatalf("Provision: %v", err)
	}
	if stored.Notification == nil || stored.Notification.MessageID != "msg-1" {
		t.Fatalf("stored %+v", stored)
	}
}

type mailerFunc func(context.Context, string, message.Name, any) (string, error)

func (f mailerFunc) Send(ctx context.Context, to string, name message.Name, data any) (string, error) {
	return f(ctx, to, name, data)
}

// TestProvisionFailsWhenTheParentHasNoTrunksLeft: a permanent failure, mailed, not retried.
func TestProvisionFailsWhenTheParentHasNoTrunksLeft(t *testing.T) {
	stored := registration.Registration{ID: "reg-1", TemplateID: "basic-office", Status: registration.Queued, Version: 3,
		Contact: registration.Contact{Email: "it@kenton.se"}}
	var failed registration.Registration
	store := &registrationtest.Store{
		GetFunc:  func(context.Context, string) (registration.Registration, error) { return stored, nil },
		SaveFunc: func(_ context.Context, r registration.Registration, _ audit.Entry) error { stored = r; return nil },
		AccountFunc: func(_ context.Context, id string) (account.Account, error) {
			return account.Account{ID: id, Path: []string{id}, Available: account.Limits{InboundTrunks: 1}}, nil
		},
		EndedFunc: func(_ context.Context, r registration.Registration, _ audit.Entry) error {
			failed = r
			stored = r
			return nil
		},
	}
	svc := newService(t, store, &registrationtest.Jobs{})
	var mailed message.Name
	svc.Mailer = mailerFunc(func(_ context.Context, _ string, name message.Name, _ any) (string, error) {
		mailed = name
		return "m", nil
	})
	if err := svc.Provision(context.Background(), "reg-1"); err != nil {
		t.Fatalf("a permanent failure must not be retried: %v", err)
	}
	if failed.Status != registration.Failed || !strings.Contains(failed.FailureReason(), "no trunks or users left") || mailed != message.RegistrationFailed {
		t.Fatalf("failed %+v, mailed %q", failed, mailed)
	}
}
