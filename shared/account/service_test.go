package account_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/notify/notifytest"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/testclock"
)

// fixture is the provider's root (bootstrapped, 10 trunks of each kind and 100 users)
// and a reseller under it with 4 trunks of each kind, over the in-memory store.
type fixture struct {
	clock          *testclock.Clock
	store          *accounttest.Store
	mail           *notifytest.Mailer
	svc            *account.Service
	root, reseller account.Actor
	resellerID     string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), store: accounttest.New(), mail: &notifytest.Mailer{}}
	n := 0
	f.svc = &account.Service{Store: f.store, Mailer: f.mail, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.clock.Now,
		NewID: func(prefix string) string { n++; return prefix + strconv.Itoa(n) }, RealmSuffix: "sip.example", PortalURL: "https://portal.example",
		Currency: "SEK"}
	ctx := context.Background()
	all := []string{string(account.UsersManage), string(account.NumbersView), string(account.NumbersManage), string(account.SIPManage)}
	root, pw, err := f.svc.Bootstrap(ctx, account.RootRequest{Name: "Provider", Timezone: "Europe/Stockholm", AdminEmail: "Ops@Provider.example",
		Limits: account.Limits{InboundTrunks: 10, OutboundTrunks: 10, TwowayTrunks: 10, Users: 100}, Permissions: all})
	if err != nil || pw == "" || !password.Matches(root.Admin.PasswordHash, pw) || root.Admin.Email != "ops@provider.example" {
		t.Fatalf("bootstrap: %+v %q %v", root, pw, err)
	}
	if _, _, err := f.svc.Bootstrap(ctx, account.RootRequest{Name: "Again"}); !fault.Is(err, fault.Conflict) {
		t.Fatalf("a second bootstrap: %v", err)
	}
	f.root = account.Actor{UserID: root.Admin.ID, AccountID: account.ProviderRootID, Role: account.ProviderAdmin}
	res, err := f.svc.Create(ctx, f.root, account.CreateRequest{Name: "Reseller", Kind: account.Reseller, Timezone: "Europe/Stockholm",
		Limits: account.Limits{InboundTrunks: 4, OutboundTrunks: 4, TwowayTrunks: 4, Users: 50}}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.resellerID = res.Account.ID
	f.reseller = account.Actor{UserID: "usr-r", AccountID: f.resellerID, Role: account.ResellerAdmin}
	return f
}

func (f *fixture) tenant(t *testing.T, name string, trunks int) account.Account {
	t.Helper()
	c, err := f.svc.Create(context.Background(), f.reseller, account.CreateRequest{Name: name, Timezone: "Europe/Stockholm",
		Limits: account.Limits{InboundTrunks: trunks, OutboundTrunks: trunks, Users: 10}}, "")
	if err != nil {
		t.Fatalf("tenant %s: %v", name, err)
	}
	return c.Account
}

func TestAChildTakesItsTrunksFromItsParent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.tenant(t, "Alpha", 3)
	if a.ParentID != f.resellerID || !strings.HasSuffix(a.Realm, ".sip.example") || a.Status != account.Active || a.Credit.Currency != "SEK" {
		t.Fatalf("tenant %+v", a)
	}
	res, _ := f.store.Account(ctx, f.resellerID)
	if res.Available.InboundTrunks != 1 || res.Available.Users != 40 {
		t.Fatalf("the reseller has %+v left", res.Available)
	}
	_, err := f.svc.Create(ctx, f.reseller, account.CreateRequest{Name: "Beta", Timezone: "Europe/Stockholm",
		Limits: account.Limits{InboundTrunks: 2}}, "")
	if !fault.Is(err, fault.Conflict) || !strings.Contains(err.Error(), "inboundTrunks") {
		t.Fatalf("more trunks than are left: %v", err)
	}
	children, _, err := f.svc.Children(ctx, f.reseller, f.resellerID, account.Filter{}, "", 10)
	if err != nil || len(children) != 1 || children[0].ID != a.ID {
		t.Fatalf("children %+v %v", children, err)
	}
	for _, c := range []struct {
		f    account.Filter
		want int
	}{
		{account.Filter{Query: strings.ToUpper(a.Name[:2])}, 1}, {account.Filter{Query: a.Realm[:3]}, 1}, {account.Filter{Query: "zz"}, 0},
		{account.Filter{Status: account.Active}, 1}, {account.Filter{Status: account.Suspended}, 0},
	} {
		if got, _, err := f.svc.Children(ctx, f.reseller, f.resellerID, c.f, "", 10); err != nil || len(got) != c.want {
			t.Errorf("children %+v: %d %v, want %d", c.f, len(got), err, c.want)
		}
		if got, _, err := f.svc.Descendants(ctx, f.reseller, f.resellerID, c.f, "", 10); err != nil || len(got) != c.want {
			t.Errorf("descendants %+v: %d %v, want %d", c.f, len(got), err, c.want)
		}
	}
	for _, bad := range []account.Filter{{Status: "closed"}, {Query: strings.Repeat("a", 65)}} {
		if _, _, err := f.svc.Descendants(ctx, f.reseller, f.resellerID, bad, "", 10); !fault.Is(err, fault.Invalid) {
			t.Errorf("descendants %+v: %v", bad, err)
		}
	}
	// Deleting the tenant gives its trunks back.
	if err := f.svc.Delete(ctx, f.reseller, a.ID, a.Version); err != nil {
		t.Fatal(err)
	}
	if res, _ := f.store.Account(ctx, f.resellerID); res.Available.InboundTrunks != 4 {
		t.Fatalf("after the delete the reseller has %+v left", res.Available)
	}
}

func TestAnAdministratorGetsAGeneratedPasswordByEmailOnce(t *testing.T) {
	f := newFixture(t)
	c, err := f.svc.Create(context.Background(), f.reseller, account.CreateRequest{Name: "Gamma", Timezone: "Europe/Stockholm",
		Admin: &account.AdminRequest{FirstName: "Kim", LastName: "Berg", Email: "Kim@Gamma.example", Phone: "+46701234567"}}, "k1")
	if err != nil || c.Admin == nil || c.Admin.Role != account.TenantAdmin || c.Admin.Username != "kim@gamma.example" {
		t.Fatalf("created %+v %v", c, err)
	}
	if len(f.mail.Sent) != 1 || f.mail.Sent[0].Name != message.AccountAdminWelcome || !password.Matches(c.Admin.PasswordHash, f.mail.Sent[0].Field("Password")) {
		t.Fatalf("mail %+v", f.mail.Sent)
	}
	again, err := f.svc.Create(context.Background(), f.reseller, account.CreateRequest{Name: "Gamma", Timezone: "Europe/Stockholm",
		Admin: &account.AdminRequest{FirstName: "Kim", LastName: "Berg", Email: "Kim@Gamma.example", Phone: "+46701234567"}}, "k1")
	if err != nil || again.Account.ID != c.Account.ID || again.Admin == nil || len(f.mail.Sent) != 1 {
		t.Fatalf("a retry: %+v %v, %d mails", again, err, len(f.mail.Sent))
	}
}

func TestAccountChangesAndTheirRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.tenant(t, "Delta", 1)
	own := account.Actor{UserID: "usr-d", AccountID: a.ID, Role: account.TenantAdmin}
	name, two, nine := "Delta AB", 2, 9
	suspended := account.Suspended
	renamed, err := f.svc.Update(ctx, own, a.ID, account.Patch{Version: 1, Name: &name})
	if err != nil || renamed.Name != name || renamed.Version != 2 {
		t.Fatalf("renamed by itself: %+v %v", renamed, err)
	}
	cases := []struct {
		name string
		who  account.Actor
		p    account.Patch
		code fault.Code
	}{
		{"its own limits", own, account.Patch{Version: 2, Limits: &account.LimitsChange{InboundTrunks: &two}}, fault.Forbidden},
		{"its own status", own, account.Patch{Version: 2, Status: &suspended}, fault.Forbidden},
		{"a stale version", f.reseller, account.Patch{Version: 1, Name: &name}, fault.Conflict},
		{"more than the parent has", f.reseller, account.Patch{Version: 2, Limits: &account.LimitsChange{InboundTrunks: &nine}}, fault.Conflict},
		{"another reseller's tenant", account.Actor{UserID: "x", AccountID: "acc-x", Role: account.ResellerAdmin}, account.Patch{Version: 2, Name: &name}, fault.NotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writes := f.store.Writes
			if _, err := f.svc.Update(ctx, c.who, a.ID, c.p); !fault.Is(err, c.code) {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if f.store.Writes != writes {
				t.Fatal("a refused change was written")
			}
		})
	}
	grown, err := f.svc.Update(ctx, f.reseller, a.ID, account.Patch{Version: 2, Limits: &account.LimitsChange{InboundTrunks: &two}, Status: &suspended})
	if err != nil || grown.Limits.InboundTrunks != 2 || grown.Status != account.Suspended {
		t.Fatalf("grown: %+v %v", grown, err)
	}
	if res, _ := f.store.Account(ctx, f.resellerID); res.Available.InboundTrunks != 2 {
		t.Fatalf("the reseller has %+v left", res.Available)
	}
	if err := f.svc.Delete(ctx, own, a.ID, 0); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("an account deleting itself: %v", err)
	}
}

func TestCreditIsAddedByTheParentWithinBounds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.tenant(t, "Epsilon", 1)
	own := account.Actor{UserID: "usr-e", AccountID: a.ID, Role: account.TenantAdmin}
	if _, err := f.svc.AddCredit(ctx, own, a.ID, 100, "top-up", 1, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("topping up one's own account: %v", err)
	}
	if _, err := f.svc.AddCredit(ctx, f.reseller, a.ID, 0, "", 0, ""); !fault.Is(err, fault.Invalid) {
		t.Fatalf("nothing added: %v", err)
	}
	got, err := f.svc.AddCredit(ctx, f.reseller, a.ID, 5000, "invoice 17 paid", 1, "k1")
	if err != nil || got.Credit.BalanceMinor() != 5000 || got.Version != 2 {
		t.Fatalf("added: %+v %v", got, err)
	}
	if again, err := f.svc.AddCredit(ctx, f.reseller, a.ID, 5000, "invoice 17 paid", 1, "k1"); err != nil || again.Credit.BalanceMinor() != 5000 {
		t.Fatalf("a retry added again: %+v %v", again, err)
	}
	if _, err := f.svc.AddCredit(ctx, f.reseller, a.ID, 5000, "again", 1, ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("a stale version: %v", err)
	}
	log, _, err := f.svc.AuditLog(ctx, f.reseller, a.ID, account.AuditFilter{Entity: "account"}, "", 10)
	if err != nil || len(log) != 2 || log[0].Action != "account.credit_added" || log[0].Diff["reason"].After != "invoice 17 paid" {
		t.Fatalf("audit log %+v %v", log, err)
	}
	if _, _, err := f.svc.AuditLog(ctx, f.reseller, a.ID, account.AuditFilter{From: f.clock.T, To: f.clock.T.Add(-time.Hour)}, "", 10); !fault.Is(err, fault.Invalid) {
		t.Fatalf("an empty span: %v", err)
	}
}

func TestProviderUsersAndProfiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	op, pw, err := f.svc.AddOperator(ctx, "desk@provider.example")
	if err != nil || pw == "" || op.Role != account.Operator || op.AccountID != account.ProviderRootID {
		t.Fatalf("operator %+v %v", op, err)
	}
	me, err := f.svc.Profile(ctx, f.root)
	if err != nil || me.Email != "ops@provider.example" {
		t.Fatalf("profile %+v %v", me, err)
	}
}

func TestStaffAreAddedInTheirAccountsRoles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	req := func(email string, role account.Role) account.StaffRequest {
		return account.StaffRequest{AdminRequest: account.AdminRequest{FirstName: "Ola", LastName: "Desk", Email: email, Phone: "+46701234567"}, Role: role}
	}
	op, err := f.svc.AddStaff(ctx, f.root, account.ProviderRootID, req("Ola@Provider.example", account.Operator), "k1")
	if err != nil || op.Role != account.Operator || op.Username != "ola@provider.example" || op.PasswordHash == "" {
		t.Fatalf("an operator: %+v %v", op, err)
	}
	if last := f.mail.Sent[len(f.mail.Sent)-1]; last.To != "ola@provider.example" || last.Field("Password") == "" {
		t.Fatalf("the welcome mail: %+v", last)
	}
	if again, err := f.svc.AddStaff(ctx, f.root, account.ProviderRootID, req("Ola@Provider.example", account.Operator), "k1"); err != nil || again.ID != op.ID {
		t.Fatalf("a retry: %+v %v", again, err)
	}
	admin, err := f.svc.AddStaff(ctx, f.reseller, f.resellerID, req("kim@reseller.example", account.ResellerAdmin), "")
	if err != nil || admin.Role != account.ResellerAdmin {
		t.Fatalf("a reseller's administrator: %+v %v", admin, err)
	}
	for _, c := range []struct {
		name    string
		who     account.Actor
		account string
		role    account.Role
		code    fault.Code
	}{
		{"an operator in a reseller", f.reseller, f.resellerID, account.Operator, fault.Invalid},
		{"a provider administrator by a reseller", f.reseller, account.ProviderRootID, account.ProviderAdmin, fault.NotFound},
		{"a role above the account's", f.root, f.resellerID, account.ProviderAdmin, fault.Invalid},
		{"a user's role", f.root, f.resellerID, account.User, fault.Invalid},
	} {
		if _, err := f.svc.AddStaff(ctx, c.who, c.account, req("new@example.com", c.role), ""); !fault.Is(err, c.code) {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}
