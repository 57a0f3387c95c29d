package sip_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/notify/notifytest"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/sip/siptest"
	"github.com/provisio/provisio/shared/testclock"
)

// fixture is a tenant "acc-t" under a reseller "acc-r", a client account of the tenant in
// status created, and the service over fakes.
type fixture struct {
	clock *testclock.Clock
	store *siptest.Store
	sms   *notifytest.SMS
	svc   *sip.Service
	admin account.Actor
	sip   sip.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)),
		store: siptest.NewStore(
			account.Account{ID: "acc-r", Path: []string{"provider", "acc-r"}, Name: "Reseller", Realm: "r.sip.example"},
			account.Account{ID: "acc-t", Path: []string{"provider", "acc-r", "acc-t"}, Name: "Kenton", Realm: "t.sip.example"},
			account.Account{ID: "acc-other", Path: []string{"provider", "acc-other"}, Name: "Other"}),
		sms:   &notifytest.SMS{},
		admin: account.Actor{UserID: "usr-admin", AccountID: "acc-t", Role: account.TenantAdmin}}
	n := 0
	f.svc = &sip.Service{Store: f.store, SMS: f.sms, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.clock.Now,
		NewID: func(prefix string) string { n++; return prefix + string(rune('0'+n)) }, BaseURL: "https://api.example/", Proxy: "sip.example"}
	a, err := f.svc.Create(context.Background(), f.admin, "acc-t", sip.CreateRequest{DisplayName: "Kim", Email: "Kim@Kenton.example",
		PrimaryNumber: "+46 70 123 45 67"}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.sip = a
	return f
}

// link is the token of the last SMS's link.
func (f *fixture) link(t *testing.T) string {
	t.Helper()
	if len(f.sms.Sent) == 0 {
		t.Fatal("no SMS sent")
	}
	url := f.sms.Sent[len(f.sms.Sent)-1].Field("Link")
	return url[strings.LastIndex(url, "/")+1:]
}

func TestCreateMakesAClientAccountInStatusCreated(t *testing.T) {
	f := newFixture(t)
	want := sip.Account{ID: "sip-1", AccountID: "acc-t", DisplayName: "Kim", Email: "kim@kenton.example", PrimaryNumber: "+46701234567",
		Username: "sip-1", DisabledAnnouncement: sip.DefaultAnnouncement, LastStatus: sip.Created, LastStatusDate: f.clock.T, KeyVersion: 1,
		CreatedAt: f.clock.T, UpdatedAt: f.clock.T, Version: 1}
	got := f.sip
	if got.Secret == "" {
		t.Fatal("no SIP secret generated")
	}
	got.Secret = ""
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
	if len(f.store.Audit) != 1 || f.store.Audit[0].Action != "sip.create" || strings.Contains(string(mustJSON(t, f.store.Audit[0])), f.sip.Secret) {
		t.Fatalf("audit %+v", f.store.Audit)
	}
}

func TestRefusalsChangeNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other := account.Actor{UserID: "usr-o", AccountID: "acc-other", Role: account.TenantAdmin}
	user := account.Actor{UserID: "usr-u", AccountID: "acc-t", Role: account.User}
	name := "New"
	cases := []struct {
		name string
		code fault.Code
		call func() error
	}{
		{"invalid fields", fault.Invalid, func() error {
			_, err := f.svc.Create(ctx, f.admin, "acc-t", sip.CreateRequest{DisplayName: " ", Email: "not-an-email", PrimaryNumber: "0701234567"}, "")
			return err
		}},
		{"the same number twice", fault.Invalid, func() error {
			_, err := f.svc.Create(ctx, f.admin, "acc-t", sip.CreateRequest{DisplayName: "Pat", Email: "p@k.example", PrimaryNumber: "+46701234568", SecondaryNumber: "+46 70 123 45 68"}, "")
			return err
		}},
		{"a number in use", fault.Conflict, func() error {
			_, err := f.svc.Create(ctx, f.admin, "acc-t", sip.CreateRequest{DisplayName: "Pat", Email: "p@k.example", PrimaryNumber: "+46701234567"}, "")
			return err
		}},
		{"another tenant's account", fault.NotFound, func() error { _, err := f.svc.Get(ctx, other, "acc-t", f.sip.ID); return err }},
		{"a user may not write", fault.Forbidden, func() error { return f.svc.Delete(ctx, user, "acc-t", f.sip.ID) }},
		{"a virtual number edited", fault.Invalid, func() error {
			n := "+46709999999"
			_, err := f.svc.Update(ctx, f.admin, "acc-t", f.sip.ID, sip.Patch{Version: 1, PrimaryNumber: &n})
			return err
		}},
		{"a stale version", fault.Conflict, func() error {
			_, err := f.svc.Update(ctx, f.admin, "acc-t", f.sip.ID, sip.Patch{Version: 7, DisplayName: &name})
			return err
		}},
		{"no version", fault.Invalid, func() error {
			_, err := f.svc.Update(ctx, f.admin, "acc-t", f.sip.ID, sip.Patch{DisplayName: &name})
			return err
		}},
		{"an SMS not confirmed", fault.Invalid, func() error {
			_, err := f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendInstallationSMS, false)
			return err
		}},
		{"an activation SMS before installation", fault.Conflict, func() error {
			_, err := f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendActivationSMS, true)
			return err
		}},
		{"an unknown status filter", fault.Invalid, func() error {
			_, _, err := f.svc.List(ctx, f.admin, "acc-t", sip.Filter{LastStatus: "lost"}, "", 10)
			return err
		}},
		{"a link that was never sent", fault.NotFound, func() error { _, err := f.svc.Install(ctx, "forged"); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writes := f.store.Writes
			if err := c.call(); !fault.Is(err, c.code) {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if f.store.Writes != writes || len(f.sms.Sent) != 0 {
				t.Fatalf("a refused call wrote %d times and sent %d SMS", f.store.Writes-writes, len(f.sms.Sent))
			}
		})
	}
}

func TestTheAutomaticActivationEndToEnd(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	step := func(name string, want sip.Status, do func() (sip.Account, error)) sip.Account {
		t.Helper()
		a, err := do()
		if err != nil || a.LastStatus != want || !a.LastStatusDate.Equal(f.clock.T) {
			t.Fatalf("%s: %+v %v, want %s at %v", name, a, err, want, f.clock.T)
		}
		f.clock.Advance(time.Minute)
		return a
	}
	step("installation SMS", sip.InstallationSMSSent, func() (sip.Account, error) {
		return f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendInstallationSMS, true)
	})
	if s := f.sms.Sent[0]; s.To != "+46701234567" || s.Name != message.SIPInstallation {
		t.Fatalf("SMS %+v", s)
	}
	install := f.link(t)
	cfg, err := f.svc.Install(ctx, install)
	if err != nil || cfg.Username != f.sip.Username || cfg.Password != f.sip.Secret || cfg.Domain != "t.sip.example" || cfg.Enabled {
		t.Fatalf("configuration %+v %v", cfg, err)
	}
	if _, err := f.svc.Install(ctx, install); !fault.Is(err, fault.NotFound) {
		t.Fatalf("the installation link worked twice: %v", err)
	}
	f.clock.Advance(time.Minute)
	step("activation SMS", sip.ActivationSMSSent, func() (sip.Account, error) {
		return f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendActivationSMS, true)
	})
	activate := f.link(t)
	writes := f.store.Writes
	if a, err := f.svc.ActivationPage(ctx, activate); err != nil || a.ID != f.sip.ID || f.store.Writes != writes {
		t.Fatalf("opening the activation page: %+v %v, %d writes", a, err, f.store.Writes-writes)
	}
	done := step("activate", sip.Activated, func() (sip.Account, error) { return f.svc.Activate(ctx, activate) })
	if !done.Enabled {
		t.Fatal("an activated account is not enabled")
	}
	// Disabling keeps the last status (and its date): it is no step of the activation.
	off, err := f.svc.Switch(ctx, f.admin, "acc-t", f.sip.ID, sip.Disable)
	if err != nil || off.Enabled || off.LastStatus != sip.Activated || !off.LastStatusDate.Equal(done.LastStatusDate) {
		t.Fatalf("disable: %+v %v", off, err)
	}
	writes = f.store.Writes
	if again, err := f.svc.Switch(ctx, f.admin, "acc-t", f.sip.ID, sip.Disable); err != nil || again.Version != off.Version || f.store.Writes != writes {
		t.Fatalf("disabling twice: %+v %v, %d writes", again, err, f.store.Writes-writes)
	}
	keys := step("revoke keys", sip.Created, func() (sip.Account, error) { return f.svc.Switch(ctx, f.admin, "acc-t", f.sip.ID, sip.RevokeKeys) })
	if keys.KeyVersion != 2 || keys.Enabled {
		t.Fatalf("after revoking the keys: %+v", keys)
	}
}

func TestLinksExpireAndAreReplaced(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	send := func() string {
		t.Helper()
		if _, err := f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendInstallationSMS, true); err != nil {
			t.Fatal(err)
		}
		return f.link(t)
	}
	first := send()
	second := send()
	if _, err := f.svc.Install(ctx, first); !fault.Is(err, fault.NotFound) {
		t.Fatalf("a replaced link still works: %v", err)
	}
	f.clock.Advance(sip.LinkTTL)
	if _, err := f.svc.Install(ctx, second); !fault.Is(err, fault.NotFound) {
		t.Fatalf("an expired link still works: %v", err)
	}
}

func TestAtMostSMSPerHourGoToOneClientAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range sip.SMSPerHour {
		if _, err := f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendInstallationSMS, true); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
	}
	if _, err := f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendInstallationSMS, true); !fault.Is(err, fault.Throttled) {
		t.Fatalf("one SMS too many: %v", err)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendInstallationSMS, true); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
}

func TestFailuresOfTheStoreAndTheSMSServiceComeBack(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	down := fault.New(fault.Unavailable, "the data store is unavailable")
	f.sms.Err = fault.New(fault.Unavailable, "the SMS service is unavailable")
	if _, err := f.svc.SendLink(ctx, f.admin, "acc-t", f.sip.ID, sip.SendInstallationSMS, true); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("SMS down: %v", err)
	}
	f.sms.Err = nil
	f.store.Fail = func(method string) error {
		if method == "SIPAccount" {
			return down
		}
		return nil
	}
	if _, err := f.svc.Get(ctx, f.admin, "acc-t", f.sip.ID); !errors.Is(err, down) {
		t.Fatalf("store down: %v", err)
	}
}

func TestUpdateAndDelete(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	name, announcement := "  Kim Berg ", "closed-for-lunch"
	got, err := f.svc.Update(ctx, f.admin, "acc-t", f.sip.ID, sip.Patch{Version: 1, DisplayName: &name, DisabledAnnouncement: &announcement})
	if err != nil || got.DisplayName != "Kim Berg" || got.DisabledAnnouncement != announcement || got.Version != 2 {
		t.Fatalf("update: %+v %v", got, err)
	}
	yes, no := true, false
	for _, c := range []struct {
		f    sip.Filter
		want int
	}{
		{sip.Filter{LastStatus: sip.Created}, 1}, {sip.Filter{LastStatus: sip.Activated}, 0},
		{sip.Filter{Query: "kim b"}, 1}, {sip.Filter{Query: "berg"}, 1}, {sip.Filter{Query: "erg"}, 0},
		{sip.Filter{Query: strings.TrimPrefix(got.PrimaryNumber, "+")[:6]}, 1},
		{sip.Filter{Enabled: &yes}, 0}, {sip.Filter{Enabled: &no}, 1}, // enabled once activated
	} {
		list, _, err := f.svc.List(ctx, f.admin, "acc-t", c.f, "", 10)
		if err != nil || len(list) != c.want {
			t.Errorf("list %+v: %v %v, want %d", c.f, list, err, c.want)
		}
	}
	if _, _, err := f.svc.List(ctx, f.admin, "acc-t", sip.Filter{Query: strings.Repeat("k", 65)}, "", 10); !fault.Is(err, fault.Invalid) {
		t.Errorf("a query too long: %v", err)
	}
	if err := f.svc.Delete(ctx, f.admin, "acc-t", f.sip.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(ctx, f.admin, "acc-t", f.sip.ID); !fault.Is(err, fault.NotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
