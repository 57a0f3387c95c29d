package registration_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/registration/registrationtest"
)

// Tenant Creation Management is for the provider's and resellers' administrators, within
// their tree; a bad filter reaches no store, and a registration of another account does
// not exist for the caller.
func TestTenantCreationManagementRules(t *testing.T) {
	var asked []registration.Filter
	store := &registrationtest.Store{
		AccountFunc: func(_ context.Context, id string) (account.Account, error) {
			return account.Account{ID: id, Path: map[string][]string{"res-1": {"provider", "res-1"}, "res-2": {"provider", "res-2"}}[id]}, nil
		},
		RegistrationsFunc: func(_ context.Context, owner string, f registration.Filter, _ string, _ int) ([]registration.Summary, string, error) {
			asked = append(asked, f)
			return []registration.Summary{{ID: "reg-1"}}, "", nil
		},
		GetFunc: func(context.Context, string) (registration.Registration, error) {
			return registration.Registration{ID: "reg-1", OwnerID: "res-1"}, nil
		},
	}
	svc := newService(t, store, &registrationtest.Jobs{})
	ctx := context.Background()
	reseller := account.Actor{UserID: "usr-1", AccountID: "res-1", Role: account.ResellerAdmin}
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	for _, c := range []struct {
		name    string
		actor   account.Actor
		account string
		filter  registration.Filter
		want    fault.Code
	}{
		{"its own account", reseller, "res-1", registration.Filter{Status: registration.Failed, Query: "KenTon"}, ""},
		{"another reseller's account", reseller, "res-2", registration.Filter{}, fault.NotFound},
		{"a tenant's administrator", account.Actor{AccountID: "res-1", Role: account.TenantAdmin}, "res-1", registration.Filter{}, fault.Forbidden},
		{"an operator", account.Actor{AccountID: "res-1", Role: account.Operator}, "res-1", registration.Filter{}, fault.Forbidden},
		{"an unknown status", reseller, "res-1", registration.Filter{Status: "lost"}, fault.Invalid},
		{"an empty span", reseller, "res-1", registration.Filter{From: day, To: day.Add(-time.Second)}, fault.Invalid},
	} {
		_, _, err := svc.List(ctx, c.actor, c.account, c.filter, "", 0)
		if (c.want == "" && err != nil) || (c.want != "" && !fault.Is(err, c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if len(asked) != 1 || asked[0].Query != "kenton" {
		t.Errorf("the store was asked %+v: only the good filter, its search folded to lower case", asked)
	}

	if reg, err := svc.Detail(ctx, reseller, "res-1", "reg-1"); err != nil || reg.ID != "reg-1" {
		t.Errorf("its own registration: %+v %v", reg, err)
	}
	owner := account.Actor{UserID: "usr-0", AccountID: "provider", Role: account.ProviderAdmin}
	if _, err := svc.Detail(ctx, owner, "res-2", "reg-1"); !fault.Is(err, fault.NotFound) {
		t.Errorf("a registration of another account: %v", err)
	}
}

// Only a scheduled registration can be canceled or provisioned now; a queue that refuses
// the job changes nothing.
func TestCancelAndProvisionNowNeedAScheduledRegistration(t *testing.T) {
	status := registration.Completed
	var ended, saved int
	store := &registrationtest.Store{
		GetFunc: func(context.Context, string) (registration.Registration, error) {
			return registration.Registration{ID: "reg-1", OwnerID: "provider", Status: status, Version: 3}, nil
		},
		EndedFunc: func(context.Context, registration.Registration, audit.Entry) error { ended++; return nil },
		SaveFunc:  func(context.Context, registration.Registration, audit.Entry) error { saved++; return nil },
	}
	jobs := &registrationtest.Jobs{EnqueueFunc: func(context.Context, string) error { return errors.New("queue down") }}
	svc := newService(t, store, jobs)
	ctx := context.Background()
	staff := account.Actor{UserID: "usr-0", AccountID: "provider", Role: account.ProviderAdmin}
	if _, err := svc.Cancel(ctx, staff, "provider", "reg-1", ""); !fault.Is(err, fault.Conflict) {
		t.Errorf("cancel a completed one: %v", err)
	}
	if _, err := svc.ProvisionNow(ctx, staff, "provider", "reg-1"); !fault.Is(err, fault.Conflict) {
		t.Errorf("provision a completed one now: %v", err)
	}
	status = registration.Scheduled
	if _, err := svc.ProvisionNow(ctx, staff, "provider", "reg-1"); !fault.Is(err, fault.Unavailable) || saved != 0 {
		t.Errorf("the queue refuses: %v, %d saves", err, saved)
	}
	reg, err := svc.Cancel(ctx, staff, "provider", "reg-1", " the prospect asked ")
	if err != nil || reg.Status != registration.Canceled || reg.Version != 4 || ended != 1 || reg.History[len(reg.History)-1].Reason != "the prospect asked" {
		t.Errorf("cancel a scheduled one: %+v %v (%d writes)", reg, err, ended)
	}
}

// Retry queues a failed registration again with its outcome email forgotten; a
// registration that did not fail, or whose template is gone, is refused unwritten.
func TestRetryQueuesAFailedRegistrationAgain(t *testing.T) {
	stored := registration.Registration{ID: "reg-1", OwnerID: "provider", TemplateID: "basic-office", Status: registration.Failed, Version: 5,
		Notification: &registration.Notification{Kind: "registration-failed"}}
	var written []registration.Registration
	var queued []string
	store := &registrationtest.Store{
		GetFunc: func(context.Context, string) (registration.Registration, error) { return stored, nil },
		RetriedFunc: func(_ context.Context, r registration.Registration, _ audit.Entry) error {
			written = append(written, r)
			return nil
		},
	}
	jobs := &registrationtest.Jobs{EnqueueFunc: func(_ context.Context, id string) error { queued = append(queued, id); return nil }}
	svc := newService(t, store, jobs)
	ctx := context.Background()
	staff := account.Actor{UserID: "usr-0", AccountID: "provider", Role: account.ProviderAdmin}

	reg, err := svc.Retry(ctx, staff, "provider", "reg-1")
	if err != nil || reg.Status != registration.Queued || reg.Notification != nil || reg.Version != 6 || len(written) != 1 || len(queued) != 1 {
		t.Fatalf("retry: %+v %v (%d writes, %d jobs)", reg, err, len(written), len(queued))
	}
	stored.Status = registration.Completed
	if _, err := svc.Retry(ctx, staff, "provider", "reg-1"); !fault.Is(err, fault.Conflict) {
		t.Errorf("retry a completed one: %v", err)
	}
	stored.Status, stored.TemplateID = registration.Failed, "withdrawn"
	if _, err := svc.Retry(ctx, staff, "provider", "reg-1"); !fault.Is(err, fault.Conflict) || len(written) != 1 {
		t.Errorf("retry one whose template is gone: %v (%d writes)", err, len(written))
	}
}
