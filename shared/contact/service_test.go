package contact_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/contact/contacttest"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/notify/notifytest"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/testclock"
)

// fixture is a tenant "acc-t" under a reseller "acc-r", the contact service over fakes,
// and one contact of the tenant made by the reseller's administrator with a generated
// password.
type fixture struct {
	clock            *testclock.Clock
	store            *contacttest.Store
	mail             *notifytest.Mailer
	sms              *notifytest.SMS
	svc              *contact.Service
	reseller, tenant account.Actor
	contact          contact.Shown
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)),
		store: contacttest.New(
			account.Account{ID: "acc-r", Kind: account.Reseller, Path: []string{"provider", "acc-r"}, Name: "Reseller", Version: 1},
			account.Account{ID: "acc-t", Kind: account.Tenant, Path: []string{"provider", "acc-r", "acc-t"}, Name: "Kenton", Realm: "t.sip.example", Version: 1},
			account.Account{ID: "acc-other", Kind: account.Tenant, Path: []string{"provider", "acc-other"}, Name: "Other", Version: 1}),
		mail:     &notifytest.Mailer{},
		sms:      &notifytest.SMS{},
		reseller: account.Actor{UserID: "usr-r", AccountID: "acc-r", Role: account.ResellerAdmin},
		tenant:   account.Actor{UserID: "usr-t", AccountID: "acc-t", Role: account.TenantAdmin}}
	// The tenant's own administrator, so its contacts may be deleted.
	f.store.Users["acc-t/usr-t"] = account.Member{ID: "usr-t", AccountID: "acc-t", Username: "t@kenton.example", Role: account.TenantAdmin, Version: 1}
	n := 0
	f.svc = &contact.Service{Store: f.store, Mailer: f.mail, SMS: f.sms, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: f.clock.Now, NewID: func(prefix string) string { n++; return prefix + strconv.Itoa(n) }, PortalURL: "https://portal.example"}
	c, err := f.svc.Create(context.Background(), f.reseller, "acc-t", contact.CreateRequest{Name: "Kim Berg", Email: "Kim@Kenton.example",
		Mobile: "+46 70 123 45 67", PublicNotes: "Invoices go to Kim.", PrivateNotes: "Prefers calls after ten."}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.contact = c
	return f
}

func TestAContactWithAGeneratedPasswordGetsItByEmailOnce(t *testing.T) {
	f := newFixture(t)
	if len(f.mail.Sent) != 1 || f.mail.Sent[0].Name != message.ContactWelcome || f.mail.Sent[0].To != "kim@kenton.example" {
		t.Fatalf("mail %+v", f.mail.Sent)
	}
	pw := f.mail.Sent[0].Field("Password")
	stored := f.store.Users["acc-t/"+f.contact.ID]
	if pw == "" || !password.Matches(stored.PasswordHash, pw) || stored.Role != account.TenantAdmin || stored.Contact.Mobile != "+46701234567" {
		t.Fatalf("stored %+v, mailed password %q", stored, pw)
	}
	if entry := f.store.Audit[0]; strings.Contains(fmt.Sprint(entry.Diff), stored.PasswordHash) || entry.Action != "contact.create" {
		t.Fatalf("audit %+v", entry)
	}
}

func TestPrivateNotesAreForTheStaffAbove(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	own, err := f.svc.Get(ctx, f.tenant, "acc-t", f.contact.ID)
	if err != nil || own.Contact.PrivateNotes != "" || own.Staff || own.Contact.PublicNotes != "Invoices go to Kim." {
		t.Fatalf("the tenant's own view: %+v %v", own.Contact, err)
	}
	staff, err := f.svc.Get(ctx, f.reseller, "acc-t", f.contact.ID)
	if err != nil || staff.Contact.PrivateNotes != "Prefers calls after ten." || !staff.Staff {
		t.Fatalf("the reseller's view: %+v %v", staff.Contact, err)
	}
	list, _, err := f.svc.List(ctx, f.tenant, "acc-t", "", "", 10)
	if err != nil || len(list) != 1 || list[0].Contact.PrivateNotes != "" {
		t.Fatalf("the tenant's list: %+v %v", list, err)
	}
	name := strings.Fields(f.contact.Contact.Name)[0]
	for query, want := range map[string]int{strings.ToUpper(name[:2]): 1, "zz": 0} {
		if found, _, err := f.svc.List(ctx, f.tenant, "acc-t", query, "", 10); err != nil || len(found) != want {
			t.Errorf("contacts matching %q: %+v %v, want %d", query, found, err, want)
		}
	}
	if _, _, err := f.svc.List(ctx, f.tenant, "acc-t", strings.Repeat("k", 65), "", 10); !fault.Is(err, fault.Invalid) {
		t.Errorf("a query too long: %v", err)
	}
}

func TestRefusedContactChangesChangeNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other := account.Actor{UserID: "usr-o", AccountID: "acc-other", Role: account.TenantAdmin}
	notes := "staff only"
	taken := "kim@kenton.example"
	cases := []struct {
		name string
		code fault.Code
		call func() error
	}{
		{"a password in the notes", fault.Invalid, func() error {
			_, err := f.svc.Create(ctx, f.reseller, "acc-t", contact.CreateRequest{Name: "Lee", Email: "lee@kenton.example",
				Password: "Correct-Horse-42", PublicNotes: "pw: Correct-Horse-42"}, "")
			return err
		}},
		{"private notes written by the tenant itself", fault.Invalid, func() error {
			_, err := f.svc.Create(ctx, f.tenant, "acc-t", contact.CreateRequest{Name: "Lee", Email: "lee@kenton.example", PrivateNotes: notes}, "")
			return err
		}},
		{"a login email taken", fault.Conflict, func() error {
			_, err := f.svc.Create(ctx, f.reseller, "acc-t", contact.CreateRequest{Name: "Lee", Email: taken}, "")
			return err
		}},
		{"another tenant's contact", fault.NotFound, func() error { _, err := f.svc.Get(ctx, other, "acc-t", f.contact.ID); return err }},
		{"a stale version", fault.Conflict, func() error {
			_, err := f.svc.Update(ctx, f.reseller, "acc-t", f.contact.ID, contact.Patch{Version: 9, PrivateNotes: &notes})
			return err
		}},
		{"a weak password", fault.Invalid, func() error { _, err := f.svc.SetPassword(ctx, f.reseller, "acc-t", f.contact.ID, "weak"); return err }},
		{"a mobile code to no mobile", fault.Invalid, func() error {
			mobile := ""
			if _, err := f.svc.Update(ctx, f.reseller, "acc-t", f.contact.ID, contact.Patch{Version: 1, Mobile: &mobile}); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.SendCode(ctx, f.reseller, "acc-t", f.contact.ID, account.MobileChannel)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writes, mails := f.store.Writes, len(f.mail.Sent)
			if err := c.call(); !fault.Is(err, c.code) {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if f.store.Writes > writes+1 || len(f.mail.Sent) != mails { // the mobile case writes its own setup
				t.Fatalf("a refused call wrote %d times and mailed %d", f.store.Writes-writes, len(f.mail.Sent)-mails)
			}
		})
	}
}

func TestAVerificationCodeConfirmsTheContactAndItsAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sent, err := f.svc.SendCode(ctx, f.tenant, "acc-t", f.contact.ID, account.EmailChannel)
	if err != nil || sent.SentTo != "kim@kenton.example" || !sent.ExpiresAt.Equal(f.clock.T.Add(contact.CodeTTL)) {
		t.Fatalf("sent %+v %v", sent, err)
	}
	if _, err := f.svc.SendCode(ctx, f.tenant, "acc-t", f.contact.ID, account.EmailChannel); !fault.Is(err, fault.Throttled) {
		t.Fatalf("a second code at once: %v", err)
	}
	code := f.mail.Sent[len(f.mail.Sent)-1].Field("Code")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if _, err := f.svc.Confirm(ctx, f.tenant, "acc-t", f.contact.ID, account.EmailChannel, wrong); !fault.Is(err, fault.Invalid) {
		t.Fatalf("a wrong code: %v", err)
	}
	if _, err := f.svc.Confirm(ctx, f.tenant, "acc-t", f.contact.ID, account.EmailChannel, "12a456"); !fault.Is(err, fault.Invalid) {
		t.Fatalf("a code that is no code: %v", err)
	}
	got, err := f.svc.Confirm(ctx, f.tenant, "acc-t", f.contact.ID, account.EmailChannel, code)
	if err != nil || !got.Contact.EmailVerified || !f.store.Accounts["acc-t"].EmailVerified {
		t.Fatalf("confirmed: %+v %v; account %+v", got.Contact, err, f.store.Accounts["acc-t"])
	}
	if _, err := f.svc.Confirm(ctx, f.tenant, "acc-t", f.contact.ID, account.EmailChannel, code); !fault.Is(err, fault.Invalid) {
		t.Fatalf("the code worked twice: %v", err)
	}
	// A mobile code by SMS, voided after the last wrong attempt.
	if _, err := f.svc.SendCode(ctx, f.tenant, "acc-t", f.contact.ID, account.MobileChannel); err != nil || len(f.sms.Sent) != 1 || f.sms.Sent[0].To != "+46701234567" {
		t.Fatalf("mobile code: %v %+v", err, f.sms.Sent)
	}
	right := f.sms.Sent[0].Field("Code")
	bad := "000000"
	if right == bad {
		bad = "111111"
	}
	for range contact.MaxAttempts {
		_, _ = f.svc.Confirm(ctx, f.tenant, "acc-t", f.contact.ID, account.MobileChannel, bad)
	}
	if _, err := f.svc.Confirm(ctx, f.tenant, "acc-t", f.contact.ID, account.MobileChannel, right); !fault.Is(err, fault.Invalid) {
		t.Fatalf("the right code after the last attempt: %v", err)
	}
}

func TestChangesToAContact(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	email := "kim.berg@kenton.example"
	got, err := f.svc.Update(ctx, f.reseller, "acc-t", f.contact.ID, contact.Patch{Version: 1, Email: &email})
	if err != nil || got.Email != email || got.Username != email || got.Contact.EmailVerified || got.Version != 2 {
		t.Fatalf("a new email: %+v %v", got.Member, err)
	}
	before := f.store.Users["acc-t/"+f.contact.ID]
	set, err := f.svc.SetPassword(ctx, f.reseller, "acc-t", f.contact.ID, "")
	if err != nil || set.SessionEpoch != before.SessionEpoch+1 {
		t.Fatalf("a generated password: %+v %v", set.Member, err)
	}
	if last := f.mail.Sent[len(f.mail.Sent)-1]; last.Name != message.ContactPassword || last.Field("Password") == "" {
		t.Fatalf("mail %+v", last)
	}
	if err := f.svc.Delete(ctx, f.reseller, "acc-t", f.contact.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(ctx, f.reseller, "acc-t", f.contact.ID); !fault.Is(err, fault.NotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
