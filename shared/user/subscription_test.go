package user_test

import (
	"context"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/personid"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/user"
)

// withSubscription saves a user with a new subscription activated on date.
func withSubscription(t *testing.T, f *fixture, email, primary, date string) user.Subscription {
	t.Helper()
	req := request(email, primary)
	req.Subscription = &user.SubscriptionRequest{Kind: user.NewSubscription, ActivationDate: date, SIMDeliveryAddress: address}
	c, err := f.svc.Create(context.Background(), f.admin, "acc-t", req, false, "")
	if err != nil {
		t.Fatal(err)
	}
	return *c.Subscription
}

func TestASubscriptionIsOrderedUntilItsDateThenActive(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	today := withSubscription(t, f, "today@kenton.example", "+46812340040", "2026-12-01")
	if today.Status != user.Active || today.ActivatedAt.IsZero() {
		t.Fatalf("a subscription activated today: %+v", today)
	}
	later := withSubscription(t, f, "later@kenton.example", "+46812340041", "2026-12-03")
	if later.Status != user.Ordered {
		t.Fatalf("a subscription for later: %+v", later)
	}
	if done, err := f.svc.ActivateDue(ctx); err != nil || done.Subscriptions != 0 {
		t.Fatalf("activated early: %+v %v", done, err)
	}
	f.clock.Advance(48 * time.Hour) // past midnight of the 3rd in Stockholm
	if done, err := f.svc.ActivateDue(ctx); err != nil || done.Subscriptions != 1 {
		t.Fatalf("the sweep: %+v %v", done, err)
	}
	got, err := f.svc.GetSubscription(ctx, f.admin, "acc-t", later.ID)
	if err != nil || got.Subscription.Status != user.Active || got.Subscription.Version != 2 {
		t.Fatalf("after the sweep: %+v %v", got, err)
	}
	if _, err := f.svc.ActivateSubscription(ctx, f.admin, "acc-t", later.ID); !fault.Is(err, fault.Conflict) {
		t.Fatalf("an active subscription activated again: %v", err)
	}
}

func TestActivateASubscriptionNow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sub := withSubscription(t, f, "now@kenton.example", "+46812340042", "2027-01-15")
	got, err := f.svc.ActivateSubscription(ctx, f.admin, "acc-t", sub.ID)
	if err != nil || got.Status != user.Active || got.ActivationDate != "2026-12-01" {
		t.Fatalf("activated now: %+v %v", got, err)
	}
	if pending, _ := f.store.PendingSubscriptions(ctx, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)); len(pending) != 0 {
		t.Fatalf("still waits for the sweep: %+v", pending)
	}
	if e := f.store.Audit[len(f.store.Audit)-1]; e.Action != "subscription.activate" || e.Diff["status"].After != "active" {
		t.Fatalf("audit entry %+v", e)
	}
}

func TestTheSIMIsAddressedThenDispatched(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sub := withSubscription(t, f, "sim@kenton.example", "+46812340043", "2026-12-05")
	moved := account.Address{Name: "Kim Berg", Street: "Drottninggatan 2", PostalCode: "111 51", City: "Stockholm", Country: "SE"}
	bad := []struct {
		name  string
		patch user.SubscriptionPatch
		code  fault.Code
	}{
		{"no version", user.SubscriptionPatch{SIMDeliveryAddress: &moved}, fault.Invalid},
		{"an address without a street", user.SubscriptionPatch{Version: 1, SIMDeliveryAddress: &account.Address{Name: "Kim", PostalCode: "111 51", City: "Stockholm", Country: "SE"}}, fault.Invalid},
		{"an ICCID with a wrong check digit", user.SubscriptionPatch{Version: 1, SIM: &user.SIMDispatch{ICCID: "8946080000000000008", DispatchedOn: "2026-12-01"}}, fault.Invalid},
		{"an ICCID that is no SIM's", user.SubscriptionPatch{Version: 1, SIM: &user.SIMDispatch{ICCID: "1234567890123456782", DispatchedOn: "2026-12-01"}}, fault.Invalid},
		{"dispatched tomorrow", user.SubscriptionPatch{Version: 1, SIM: &user.SIMDispatch{ICCID: "8946080000000000009", DispatchedOn: "2026-12-02"}}, fault.Invalid},
		{"a stale version", user.SubscriptionPatch{Version: 7, SIMDeliveryAddress: &moved}, fault.Conflict},
	}
	for _, c := range bad {
		writes := f.store.Writes
		if _, err := f.svc.PatchSubscription(ctx, f.admin, "acc-t", sub.ID, c.patch); !fault.Is(err, c.code) || f.store.Writes != writes {
			t.Errorf("%s: %v (writes %d→%d), want %s and nothing written", c.name, err, writes, f.store.Writes, c.code)
		}
	}
	got, err := f.svc.PatchSubscription(ctx, f.admin, "acc-t", sub.ID, user.SubscriptionPatch{Version: 1, SIMDeliveryAddress: &moved})
	if err != nil || got.SIMDeliveryAddress != moved || got.Version != 2 {
		t.Fatalf("a new delivery address: %+v %v", got, err)
	}
	got, err = f.svc.PatchSubscription(ctx, f.admin, "acc-t", sub.ID, user.SubscriptionPatch{Version: 2,
		SIM: &user.SIMDispatch{ICCID: "8946 0800 0000 0000 009", DispatchedOn: "2026-12-01"}})
	if err != nil || got.SIM == nil || got.SIM.ICCID != "8946080000000000009" {
		t.Fatalf("the dispatch: %+v %v", got, err)
	}
	if _, err := f.svc.PatchSubscription(ctx, f.admin, "acc-t", sub.ID, user.SubscriptionPatch{Version: 3, SIMDeliveryAddress: &address}); !fault.Is(err, fault.Conflict) {
		t.Fatalf("the address changed after the SIM left: %v", err)
	}
}

func TestATerminatedSubscriptionsNumberAgesThenIsFree(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sub := withSubscription(t, f, "end@kenton.example", "+46812340044", "2026-12-01")
	for _, reason := range []string{"", "  ", "bad\u202ereason"} {
		if _, err := f.svc.TerminateSubscription(ctx, f.admin, "acc-t", sub.ID, reason); !fault.Is(err, fault.Invalid) {
			t.Fatalf("the reason %q: %v", reason, err)
		}
	}
	got, err := f.svc.TerminateSubscription(ctx, f.admin, "acc-t", sub.ID, "moved abroad")
	if err != nil || got.Status != user.Terminated || !got.NumberFreeAt.Equal(f.clock.Now().Add(user.NumberAging)) {
		t.Fatalf("terminated: %+v %v", got, err)
	}
	for _, again := range []func() error{
		func() error {
			_, err := f.svc.TerminateSubscription(ctx, f.admin, "acc-t", sub.ID, "again")
			return err
		},
		func() error { _, err := f.svc.ActivateSubscription(ctx, f.admin, "acc-t", sub.ID); return err },
		func() error {
			_, err := f.svc.PatchSubscription(ctx, f.admin, "acc-t", sub.ID, user.SubscriptionPatch{Version: got.Version, SIMDeliveryAddress: &address})
			return err
		},
	} {
		if err := again(); !fault.Is(err, fault.Conflict) {
			t.Errorf("a terminated subscription changed: %v", err)
		}
	}
	if !f.store.Claimed[sub.Number] {
		t.Fatal("the number is free before its aging ends")
	}
	f.clock.Advance(user.NumberAging - time.Minute)
	if done, _ := f.svc.ActivateDue(ctx); done.NumbersReleased != 0 {
		t.Fatalf("released early: %+v", done)
	}
	f.clock.Advance(2 * time.Minute)
	if done, err := f.svc.ActivateDue(ctx); err != nil || done.NumbersReleased != 1 || f.store.Claimed[sub.Number] {
		t.Fatalf("after the aging: %+v %v", done, err)
	}
	// A user whose subscription is terminated may become a basic user.
	basic := user.Basic
	m, _ := f.store.Member(ctx, "acc-t", sub.UserID)
	if _, err := f.svc.Update(ctx, f.admin, "acc-t", sub.UserID, user.Patch{Version: m.Version, Type: &basic}); err != nil {
		t.Fatalf("a user without a live subscription turns basic: %v", err)
	}
}

func TestAPortInIsTerminatedOnlyOnceItsPortEnded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	req := request("port@kenton.example", "+46812340045")
	req.Subscription = &user.SubscriptionRequest{Kind: user.PortIn, ActivationDate: "2026-12-01", SIMDeliveryAddress: address,
		Porting: &user.PortingRequest{Number: "+46709876543", OwnerType: personid.Person, OwnerID: "811218-9876",
			ProposedAt: "2026-12-08T10:00:00+01:00", TemporaryNumber: "+46701230050"}}
	c, err := f.svc.Create(ctx, f.admin, "acc-t", req, false, "")
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.GetSubscription(ctx, f.admin, "acc-t", c.Subscription.ID)
	if err != nil || d.Porting == nil || d.Porting.ID != c.Porting.ID || d.Subscription.Number != "+46701230050" {
		t.Fatalf("a port-in shows its request and temporary number: %+v %v", d, err)
	}
	if _, err := f.svc.TerminateSubscription(ctx, f.admin, "acc-t", c.Subscription.ID, "the customer changed its mind"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("terminated while its port is open: %v", err)
	}
	p := f.store.Portings[c.Porting.ID]
	p.Status = porting.Canceled
	f.store.Portings[p.ID] = p
	if _, err := f.svc.TerminateSubscription(ctx, f.admin, "acc-t", c.Subscription.ID, "the customer changed its mind"); err != nil {
		t.Fatalf("terminated once the port is canceled: %v", err)
	}
}

func TestSubscriptionsOfAnotherTenantOrWithoutThePermission(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sub := withSubscription(t, f, "own@kenton.example", "+46812340046", "2026-12-03")
	stranger := account.Actor{UserID: "usr-x", AccountID: "acc-x", Role: account.TenantAdmin}
	if _, err := f.svc.GetSubscription(ctx, stranger, "acc-t", sub.ID); !fault.Is(err, fault.NotFound) {
		t.Errorf("another tenant reads it: %v", err)
	}
	if _, err := f.svc.GetSubscription(ctx, f.admin, "acc-t", "sub-nobody"); !fault.Is(err, fault.NotFound) {
		t.Errorf("an unknown subscription: %v", err)
	}
	plain := account.Actor{UserID: "usr-u", AccountID: "acc-t", Role: account.User}
	if _, err := f.svc.ActivateSubscription(ctx, plain, "acc-t", sub.ID); !fault.Is(err, fault.Forbidden) {
		t.Errorf("a user activates it: %v", err)
	}
	acct, _ := f.store.Account(ctx, "acc-t")
	acct.Permissions = []string{string(account.UsersManage)}
	f.store.Accounts["acc-t"] = acct
	if _, err := f.svc.TerminateSubscription(ctx, f.admin, "acc-t", sub.ID, "no longer needed"); !fault.Is(err, fault.Forbidden) {
		t.Errorf("an account without subscriptions.manage terminates it: %v", err)
	}
}
