package porting_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/notify/notifytest"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/porting/portingtest"
	"github.com/provisio/provisio/shared/testclock"
)

// fixture is a tenant "acc-t" with an administrator, a submitted porting request of it,
// and the service and desk over fakes; the operator works for the provider.
type fixture struct {
	clock                     *testclock.Clock
	accounts                  *accounttest.Store
	store                     *portingtest.Store
	mail                      *notifytest.Mailer
	jobs                      *portingtest.Jobs
	svc                       *porting.Service
	desk                      *porting.Desk
	operator, admin, stranger account.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f := &fixture{clock: testclock.At(now), mail: &notifytest.Mailer{}, jobs: &portingtest.Jobs{},
		accounts: accounttest.New(
			account.Account{ID: account.ProviderRootID, Path: []string{account.ProviderRootID}, Kind: account.Provider},
			account.Account{ID: "acc-t", Path: []string{account.ProviderRootID, "acc-t"}, Kind: account.Tenant, ContactEmail: "it@kenton.example"},
			account.Account{ID: "acc-other", Path: []string{account.ProviderRootID, "acc-other"}, Kind: account.Tenant}),
		operator: account.Actor{UserID: "usr-op", AccountID: account.ProviderRootID, Role: account.Operator},
		admin:    account.Actor{UserID: "usr-admin", AccountID: "acc-t", Role: account.TenantAdmin},
		stranger: account.Actor{UserID: "usr-x", AccountID: "acc-other", Role: account.TenantAdmin}}
	f.accounts.Users["acc-t/usr-admin"] = account.Member{ID: "usr-admin", AccountID: "acc-t", Role: account.TenantAdmin, Email: "admin@kenton.example"}
	f.store = portingtest.New(f.accounts, porting.Request{ID: "port-1", AccountID: "acc-t", Number: "+46709876543", Status: porting.Submitted,
		ProposedAt: now.Add(48 * time.Hour), CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour), Version: 1,
		Timeline: []porting.Step{{Status: porting.Submitted, At: now.Add(-time.Hour), By: "usr-admin"}}})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n := 0
	f.svc = &porting.Service{Store: f.store, Accounts: f.accounts, Files: &portingtest.Files{}, Mailer: f.mail, Log: log, Now: f.clock.Now,
		NewID: func(prefix string) string { n++; return prefix + strconv.Itoa(n) }}
	f.desk = &porting.Desk{Store: f.store, Mailer: f.mail, Log: log, Now: f.clock.Now, DeskEmail: "desk@provider.example", Jobs: f.jobs,
		StaleAfter: 10 * time.Minute}
	return f
}

func (f *fixture) move(t *testing.T, who account.Actor, m porting.MoveRequest) porting.Request {
	t.Helper()
	r, err := f.svc.Move(context.Background(), who, "port-1", m)
	if err != nil {
		t.Fatalf("move to %q: %v", m.To, err)
	}
	return r
}

func TestOperatorsRunARequestToCompletion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.desk.Prepare(ctx, "acc-t", "port-1"); err != nil {
		t.Fatal(err)
	}
	if len(f.mail.Sent) != 1 || f.mail.Sent[0].To != "desk@provider.example" || f.mail.Sent[0].Name != message.PortingNew {
		t.Fatalf("the desk's email: %+v", f.mail.Sent)
	}
	if err := f.desk.Prepare(ctx, "acc-t", "port-1"); err != nil || len(f.mail.Sent) != 1 {
		t.Fatalf("a duplicate job mailed again: %v %d", err, len(f.mail.Sent))
	}
	f.move(t, f.operator, porting.MoveRequest{To: porting.Pending})
	f.move(t, f.operator, porting.MoveRequest{Comment: "called the losing carrier", Private: true})
	confirmed := f.clock.T.Add(72 * time.Hour)
	if _, err := f.svc.Move(ctx, f.operator, "port-1", porting.MoveRequest{To: porting.Scheduled, ConfirmedAt: confirmed}); !fault.Is(err, fault.Conflict) {
		t.Fatalf("scheduling without the losing carrier's details: %v", err)
	}
	// The details and the move in one PATCH: the details apply first.
	f.move(t, f.operator, porting.MoveRequest{To: porting.Scheduled, ConfirmedAt: confirmed, LosingCarrier: &porting.LosingCarrier{
		Name: "Telia", AccountNumber: "1234567", PIN: "4321", SigneeName: "Kim Larsson", SignedOn: "2026-11-30"}})
	done := f.move(t, f.operator, porting.MoveRequest{To: porting.Completed})
	if done.Status != porting.Completed || !done.ConfirmedAt.Equal(confirmed) || len(done.Timeline) != 5 {
		t.Fatalf("completed: %+v", done)
	}
	// The administrator and the account's contact hear of each step; the private
	// comment reaches nobody.
	var steps []string
	for _, m := range f.mail.Sent[1:] {
		steps = append(steps, m.To+":"+m.Field("Status")+":"+m.Field("Comment"))
	}
	want := "admin@kenton.example:pending: it@kenton.example:pending: admin@kenton.example:scheduled: it@kenton.example:scheduled: admin@kenton.example:completed: it@kenton.example:completed:"
	if got := strings.Join(steps, " "); got != want {
		t.Fatalf("step emails:\n%s\nwant\n%s", got, want)
	}
	if tl := done.TimelineFor(false); len(tl) != 4 {
		t.Fatalf("the customer's timeline shows the private comment: %+v", tl)
	}
}

func TestRefusedMovesChangeNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	user := account.Actor{UserID: "usr-u", AccountID: "acc-t", Role: account.User}
	cases := []struct {
		name string
		who  account.Actor
		m    porting.MoveRequest
		code fault.Code
	}{
		{"a move the state machine does not have", f.operator, porting.MoveRequest{To: porting.Completed}, fault.Conflict},
		{"rejecting without a reason", f.operator, porting.MoveRequest{To: porting.Rejected}, fault.Invalid},
		{"a stale version", f.operator, porting.MoveRequest{To: porting.Pending, Version: 7}, fault.Conflict},
		{"an administrator moving the desk's way", f.admin, porting.MoveRequest{To: porting.Pending}, fault.Forbidden},
		{"a private comment by an administrator", f.admin, porting.MoveRequest{Comment: "x", Private: true}, fault.Invalid},
		{"a comment without text", f.operator, porting.MoveRequest{}, fault.Invalid},
		{"a user", user, porting.MoveRequest{To: porting.Canceled}, fault.Forbidden},
		{"another tenant", f.stranger, porting.MoveRequest{To: porting.Canceled}, fault.NotFound},
		{"a user's carrier details", user, porting.MoveRequest{LosingCarrier: &porting.LosingCarrier{Name: "Telia"}}, fault.Forbidden},
		{"a signature dated tomorrow", f.admin, porting.MoveRequest{LosingCarrier: &porting.LosingCarrier{SignedOn: "2026-12-02"}}, fault.Invalid},
		{"another tenant's carrier details", f.stranger, porting.MoveRequest{LosingCarrier: &porting.LosingCarrier{Name: "Telia"}}, fault.NotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writes := f.accounts.Writes
			if _, err := f.svc.Move(ctx, c.who, "port-1", c.m); !fault.Is(err, c.code) {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if f.accounts.Writes != writes || len(f.mail.Sent) != 0 {
				t.Fatalf("a refused move wrote %d times and mailed %d", f.accounts.Writes-writes, len(f.mail.Sent))
			}
		})
	}
	if _, err := f.svc.Get(ctx, f.stranger, "port-1"); !fault.Is(err, fault.NotFound) {
		t.Fatalf("another tenant reads the request: %v", err)
	}
	if _, _, err := f.svc.List(ctx, f.stranger, "acc-t", "", "", 10); !fault.Is(err, fault.NotFound) {
		t.Fatalf("another tenant lists the requests: %v", err)
	}
	for status, want := range map[porting.Status]int{"": 1, porting.Submitted: 1, porting.Pending: 0} {
		if list, _, err := f.svc.List(ctx, f.admin, "acc-t", status, "", 10); err != nil || len(list) != want {
			t.Errorf("the account's requests in %q: %d %v, want %d", status, len(list), err, want)
		}
	}
	if _, _, err := f.svc.List(ctx, f.admin, "acc-t", "lost", "", 10); !fault.Is(err, fault.Invalid) {
		t.Errorf("an unknown state: %v", err)
	}
}

func TestAnAdministratorCancelsOrSendsARejectedRequestAgain(t *testing.T) {
	f := newFixture(t)
	f.move(t, f.operator, porting.MoveRequest{To: porting.Rejected, Reason: "the owner's ID number is wrong"})
	again := f.move(t, f.admin, porting.MoveRequest{To: porting.Submitted, Comment: "corrected"})
	if again.Status != porting.Submitted {
		t.Fatalf("sent again: %+v", again)
	}
	if gone := f.move(t, f.admin, porting.MoveRequest{To: porting.Canceled}); gone.Status != porting.Canceled {
		t.Fatalf("canceled: %+v", gone)
	}
}

func TestDocumentsUploadOnceAKey(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	up, err := f.svc.Upload(ctx, f.admin, "port-1", "../consent form.pdf", "application/pdf", "k1")
	if err != nil || up.Document.FileName != "consent_form.pdf" || !strings.Contains(up.URL, up.Document.Key) || !up.ExpiresAt.Equal(f.clock.T.Add(porting.UploadTTL)) {
		t.Fatalf("upload %+v %v", up, err)
	}
	again, err := f.svc.Upload(ctx, f.admin, "port-1", "../consent form.pdf", "application/pdf", "k1")
	if err != nil || again.Document.ID != up.Document.ID {
		t.Fatalf("a retry: %+v %v", again, err)
	}
	if r, _ := f.svc.Get(ctx, f.operator, "port-1"); len(r.Documents) != 1 {
		t.Fatalf("documents %+v", r.Documents)
	}
	for _, c := range []struct {
		name, file, kind string
		who              account.Actor
		code             fault.Code
	}{
		{"a program", "x.exe", "application/x-msdownload", f.admin, fault.Invalid},
		{"no name", " ", "application/pdf", f.admin, fault.Invalid},
		{"a user", "a.pdf", "application/pdf", account.Actor{UserID: "u", AccountID: "acc-t", Role: account.User}, fault.Forbidden},
		{"another tenant", "a.pdf", "application/pdf", f.stranger, fault.NotFound},
	} {
		if _, err := f.svc.Upload(ctx, c.who, "port-1", c.file, c.kind, ""); !fault.Is(err, c.code) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
}

func TestTheSweepQueuesLostJobsAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if n, err := f.desk.Requeue(ctx); err != nil || n != 1 || len(f.jobs.Queued) != 1 || f.jobs.Queued[0].PortingID != "port-1" {
		t.Fatalf("requeued %d %v %+v", n, err, f.jobs.Queued)
	}
	f.jobs.Err = fault.New(fault.Unavailable, "the queue is down")
	if n, err := f.desk.Requeue(ctx); err != nil || n != 0 {
		t.Fatalf("with the queue down: %d %v", n, err)
	}
	if err := f.desk.GiveUp(ctx, "acc-t", "port-1"); err != nil || !strings.Contains(f.mail.Sent[0].Field("Problem"), "by hand") {
		t.Fatalf("giving up: %v %+v", err, f.mail.Sent)
	}
	if err := f.desk.Prepare(ctx, "acc-t", "port-unknown"); err != nil {
		t.Fatalf("a job for an unknown request: %v", err)
	}
}

func TestAnyoneWhoSeesARequestComments(t *testing.T) {
	f := newFixture(t)
	f.svc.DeskEmail = "desk@provider.example"
	user := account.Actor{UserID: "usr-u", AccountID: "acc-t", Role: account.User}
	r := f.move(t, user, porting.MoveRequest{Comment: "the SIM arrived"})
	last := r.Timeline[len(r.Timeline)-1]
	if r.Status != porting.Submitted || !last.CommentOnly || last.By != "usr-u" {
		t.Fatalf("a user's comment: %+v", r)
	}
	if len(f.mail.Sent) != 1 || f.mail.Sent[0].To != "desk@provider.example" || f.mail.Sent[0].Name != message.PortingComment ||
		f.mail.Sent[0].Field("Comment") != "the SIM arrived" {
		t.Fatalf("the desk hears of the account's comment: %+v", f.mail.Sent)
	}
	if got := f.accounts.Audit[len(f.accounts.Audit)-1].Action; got != "porting.comment" {
		t.Fatalf("audited as %s", got)
	}
}

func TestTheAccountFillsInTheLosingCarrier(t *testing.T) {
	f := newFixture(t)
	r := f.move(t, f.admin, porting.MoveRequest{LosingCarrier: &porting.LosingCarrier{Name: " Telia ", AccountNumber: "1234567", PIN: "4321"}})
	if r.LosingCarrier.Name != "Telia" || len(r.Timeline) != 1 || r.Version != 2 {
		t.Fatalf("details only: no step, a new version: %+v", r)
	}
	entry := f.accounts.Audit[len(f.accounts.Audit)-1]
	if entry.Action != "porting.update" || strings.Contains(fmt.Sprint(entry.Diff), "4321") {
		t.Fatalf("the audit entry shows the PIN or is not an update: %+v", entry)
	}
	if len(f.mail.Sent) != 0 {
		t.Fatalf("details mailed: %+v", f.mail.Sent)
	}
	f.move(t, f.admin, porting.MoveRequest{To: porting.Canceled})
	if _, err := f.svc.Move(context.Background(), f.admin, "port-1", porting.MoveRequest{LosingCarrier: &porting.LosingCarrier{Name: "Tele2"}}); !fault.Is(err, fault.Conflict) {
		t.Fatalf("details of a canceled request: %v", err)
	}
}

func TestTheDeskListsEveryAccountsOpenRequestsDueFirst(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.clock.T
	f.store.Requests["port-2"] = porting.Request{ID: "port-2", AccountID: "acc-other", Status: porting.Scheduled, ProposedAt: now.Add(96 * time.Hour),
		ConfirmedAt: now.Add(24 * time.Hour), Version: 1}
	f.store.Requests["port-3"] = porting.Request{ID: "port-3", AccountID: "acc-t", Status: porting.Completed, ProposedAt: now.Add(time.Hour), Version: 1}
	ids := func(rs []porting.Request) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		name   string
		filter porting.DeskFilter
		want   string
	}{
		{"the open queue, due first", porting.DeskFilter{}, "port-2,port-1"},
		{"one account", porting.DeskFilter{AccountID: "acc-t"}, "port-1"},
		{"one state", porting.DeskFilter{Status: porting.Completed}, "port-3"},
		{"due within a day", porting.DeskFilter{To: now.Add(24 * time.Hour)}, "port-2"},
	} {
		got, _, err := f.svc.Desk(ctx, f.operator, c.filter, "", 50)
		if err != nil || ids(got) != c.want {
			t.Errorf("%s: %s %v, want %s", c.name, ids(got), err, c.want)
		}
	}
	for _, who := range []account.Actor{f.admin, {UserID: "usr-r", AccountID: "acc-r", Role: account.ResellerAdmin},
		{UserID: "usr-o", AccountID: "acc-r", Role: account.Operator}} { // an operator outside the provider's account too
		if _, _, err := f.svc.Desk(ctx, who, porting.DeskFilter{}, "", 50); !fault.Is(err, fault.Forbidden) {
			t.Errorf("%s reads the desk: %v", who.Role, err)
		}
	}
	if _, _, err := f.svc.Desk(ctx, f.operator, porting.DeskFilter{Status: "lost"}, "", 50); !fault.Is(err, fault.Invalid) {
		t.Errorf("an unknown state: %v", err)
	}
	if _, _, err := f.svc.Desk(ctx, f.operator, porting.DeskFilter{From: now, To: now.Add(-time.Hour)}, "", 50); !fault.Is(err, fault.Invalid) {
		t.Errorf("a span that ends before it starts: %v", err)
	}
}

func TestOperatorsDownloadDocumentsAndTheLogSaysSo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	files := &portingtest.Files{Uploaded: map[string]int64{}}
	f.svc.Files = files
	up, err := f.svc.Upload(ctx, f.admin, "port-1", "consent.pdf", "application/pdf", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Download(ctx, f.operator, "port-1", up.Document.ID); !fault.Is(err, fault.NotFound) {
		t.Fatalf("a document never uploaded: %v", err)
	}
	files.Uploaded[up.Document.Key] = 2048
	entries := len(f.accounts.Audit)
	d, err := f.svc.Download(ctx, f.operator, "port-1", up.Document.ID)
	if err != nil || d.Size != 2048 || !strings.HasPrefix(d.URL, "https://downloads.example/"+up.Document.Key) || !d.ExpiresAt.Equal(f.clock.T.Add(porting.DownloadTTL)) {
		t.Fatalf("download %+v %v", d, err)
	}
	if len(f.accounts.Audit) != entries+1 {
		t.Fatalf("the download is not in the audit log: %+v", f.accounts.Audit)
	}
	entry := f.accounts.Audit[entries]
	if entry.Action != "porting.download" || entry.Actor != "usr-op" || !strings.Contains(fmt.Sprint(entry.Diff), up.Document.ID) {
		t.Fatalf("the download's entry: %+v", entry)
	}
	for _, c := range []struct {
		name, doc string
		who       account.Actor
		code      fault.Code
	}{
		{"an administrator", up.Document.ID, f.admin, fault.Forbidden},
		{"another tenant", up.Document.ID, f.stranger, fault.NotFound},
		{"an unknown document", "doc-x", f.operator, fault.NotFound},
	} {
		if _, err := f.svc.Download(ctx, c.who, "port-1", c.doc); !fault.Is(err, c.code) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
	if len(f.accounts.Audit) != entries+1 {
		t.Fatalf("a refused download was logged: %+v", f.accounts.Audit[entries+1:])
	}
}

// A signature's date is a day where the account is: just before midnight UTC it is
// already tomorrow in Stockholm.
func TestASignatureIsDatedInTheAccountsZone(t *testing.T) {
	f := newFixture(t)
	acct := f.accounts.Accounts["acc-t"]
	acct.Timezone = "Europe/Stockholm"
	f.accounts.Accounts["acc-t"] = acct
	f.clock.T = time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)
	r, err := f.svc.Move(context.Background(), f.admin, "port-1", porting.MoveRequest{LosingCarrier: &porting.LosingCarrier{SignedOn: "2026-12-02"}})
	if err != nil || r.LosingCarrier.SignedOn != "2026-12-02" {
		t.Fatalf("signed today in Stockholm: %+v %v", r.LosingCarrier, err)
	}
	if _, err := f.svc.Move(context.Background(), f.admin, "port-1", porting.MoveRequest{LosingCarrier: &porting.LosingCarrier{SignedOn: "2026-12-03"}}); !fault.Is(err, fault.Invalid) {
		t.Fatalf("signed tomorrow in Stockholm: %v", err)
	}
}

// A screen offers the moves MovesFor lists; each is one the service accepts from that
// state for that role, and no other is.
func TestMovesForListsWhatTheRoleMayDoFromTheState(t *testing.T) {
	for _, c := range []struct {
		role account.Role
		from porting.Status
		want []porting.Status
	}{
		{account.Operator, porting.Submitted, []porting.Status{porting.Pending, porting.Rejected, porting.Canceled}},
		{account.Operator, porting.Rejected, []porting.Status{porting.Canceled}},
		{account.TenantAdmin, porting.Submitted, []porting.Status{porting.Canceled}},
		{account.TenantAdmin, porting.Rejected, []porting.Status{porting.Submitted, porting.Canceled}},
		{account.User, porting.Scheduled, []porting.Status{}},
		{account.Operator, porting.Completed, []porting.Status{}},
	} {
		if got := porting.MovesFor(c.role, c.from); !slices.Equal(got, c.want) {
			t.Errorf("%s from %s: %v, want %v", c.role, c.from, got, c.want)
		}
	}
}
