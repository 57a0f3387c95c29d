package user_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/notify/message"
	"github.com/provisio/provisio/shared/notify/notifytest"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/personid"
	"github.com/provisio/provisio/shared/porting/portingtest"
	"github.com/provisio/provisio/shared/testclock"
	"github.com/provisio/provisio/shared/user"
	"github.com/provisio/provisio/shared/user/usertest"
)

// fixture is a tenant "acc-t" in Stockholm with a fixed and a mobile range, the wizard
// over fakes, and its administrator.
type fixture struct {
	clock *testclock.Clock
	store *usertest.Store
	mail  *notifytest.Mailer
	jobs  *portingtest.Jobs
	svc   *user.Service
	admin account.Actor
}

// resets records the users sent a reset link.
type resets struct{ to []string }

func (r *resets) SendReset(_ context.Context, m account.Member) error {
	r.to = append(r.to, m.Email)
	return nil
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	all := []string{string(account.UsersManage), string(account.NumbersView), string(account.SubscriptionsManage), string(account.PortingRequest)}
	f := &fixture{clock: testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), mail: &notifytest.Mailer{}, jobs: &portingtest.Jobs{},
		store: usertest.New(account.Account{ID: "acc-t", Path: []string{"provider", "acc-t"}, Kind: account.Tenant, Name: "Kenton",
			Timezone: "Europe/Stockholm", Permissions: all, Domain: "kenton.example", Limits: account.Limits{Users: 10}, Available: account.Limits{Users: 10}}),
		admin: account.Actor{UserID: "usr-admin", AccountID: "acc-t", Role: account.TenantAdmin}}
	for _, r := range []struct {
		start, end string
		kind       numbering.Kind
	}{{"+46812340000", "+46812340099", numbering.Fixed}, {"+46701230000", "+46701230099", numbering.Mobile}} {
		rg, err := numbering.NewRange("acc-t", r.start, r.end, r.kind, f.clock.T)
		if err != nil {
			t.Fatal(err)
		}
		f.store.RangesOf["acc-t"] = append(f.store.RangesOf["acc-t"], rg)
	}
	n := 0
	f.svc = &user.Service{Store: f.store, Mailer: f.mail, Jobs: f.jobs, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.clock.Now,
		NewID: func(prefix string) string { n++; return prefix + strconv.Itoa(n) }, PortalURL: "https://portal.example", Resets: &resets{}}
	return f
}

var address = account.Address{Name: "Kenton AB", Street: "Storgatan 1", PostalCode: "111 22", City: "Stockholm", Country: "SE"}

func request(email, primary string) user.Request {
	return user.Request{Type: user.Full, FirstName: "Kim", LastName: "Berg", InvoiceAddress: address, Email: email, PrimaryNumber: primary}
}

func TestTheWizardSavesAUserWithASubscription(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	req := request("Kim@Kenton.example", "+46 8 123 400 05")
	req.Aliases = []string{"+46812340006"}
	req.Subscription = &user.SubscriptionRequest{Kind: user.NewSubscription, ActivationDate: "2026-12-02", SIMDeliveryAddress: address}
	dry, err := f.svc.Create(ctx, f.admin, "acc-t", req, true, "")
	if err != nil || f.store.Writes != 0 || len(f.mail.Sent) != 0 || dry.Subscription.Number != "+46701230000" {
		t.Fatalf("a dry run: %+v %v, %d writes", dry, err, f.store.Writes)
	}
	got, err := f.svc.Create(ctx, f.admin, "acc-t", req, false, "k1")
	if err != nil || got.User.Email != "kim@kenton.example" || got.User.Role != account.User || got.Subscription.UserID != got.User.ID {
		t.Fatalf("saved %+v %v", got, err)
	}
	if want := []string{"+46812340005", "+46812340006", "+46701230000"}; len(got.Numbers) != 3 || got.Numbers[0] != want[0] || got.Numbers[2] != want[2] {
		t.Fatalf("numbers %v, want %v", got.Numbers, want)
	}
	if len(f.mail.Sent) != 1 || f.mail.Sent[0].Name != message.UserWelcome || f.mail.Sent[0].Field("Password") == "" {
		t.Fatalf("mail %+v", f.mail.Sent)
	}
	again, err := f.svc.Create(ctx, f.admin, "acc-t", req, false, "k1")
	if err != nil || again.User.ID != got.User.ID || len(f.mail.Sent) != 1 {
		t.Fatalf("a retry: %+v %v", again, err)
	}
	list, _, err := f.svc.List(ctx, f.admin, "acc-t", user.Filter{}, "", 50)
	if err != nil || len(list) != 1 {
		t.Fatalf("list %+v %v", list, err)
	}
	for _, bad := range []user.Filter{{Type: "admin"}, {Query: strings.Repeat("k", 65)}, {Query: "k\u202e"}} {
		if _, _, err := f.svc.List(ctx, f.admin, "acc-t", bad, "", 50); !fault.Is(err, fault.Invalid) {
			t.Errorf("a list filtered by %+v: %v", bad, err)
		}
	}
}

func TestTheUserFilterMatchesAsTheSearchDoes(t *testing.T) {
	yes, no := true, false
	m := account.Member{FirstName: "Kim", LastName: "van Kenton", Username: "kimk", Email: "Kim.K@Kenton.example", Role: account.User,
		PrimaryNumber: "+46812340010", Aliases: []string{"+46812340011"}}
	for _, c := range []struct {
		f    user.Filter
		want bool
	}{
		{user.Filter{}, true},
		{user.Filter{Query: "KI"}, true},
		{user.Filter{Query: "kim van"}, true},
		{user.Filter{Query: " kenton "}, true},
		{user.Filter{Query: "kim.k@"}, true},
		{user.Filter{Query: "4681234001"}, true},
		{user.Filter{Query: "+46812340011"}, true},
		{user.Filter{Query: "enton"}, false}, // a prefix, not any part
		{user.Filter{Query: "812340"}, false},
		{user.Filter{Type: user.Full}, true},
		{user.Filter{Type: user.Basic}, false},
		{user.Filter{Active: &yes}, true},
		{user.Filter{Active: &no}, false},
	} {
		if got := c.f.Matches(m); got != c.want {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
	}
}

func TestAPortInIsSubmittedToTheDesk(t *testing.T) {
	f := newFixture(t)
	req := request("lee@kenton.example", "+46812340010")
	req.Subscription = &user.SubscriptionRequest{Kind: user.PortIn, ActivationDate: "2026-12-02", SIMDeliveryAddress: address,
		Porting: &user.PortingRequest{Number: "+46709876543", OwnerType: personid.Person, OwnerID: "811218-9876",
			ProposedAt: "2026-12-03T10:00:00+01:00", TemporaryNumber: "+46701230050"}}
	got, err := f.svc.Create(context.Background(), f.admin, "acc-t", req, false, "")
	if err != nil || got.Porting == nil || got.Porting.Number != "+46709876543" || got.Subscription.Number != "+46701230050" {
		t.Fatalf("saved %+v %v", got, err)
	}
	if len(f.jobs.Queued) != 1 || f.jobs.Queued[0].PortingID != got.Porting.ID {
		t.Fatalf("jobs %+v", f.jobs.Queued)
	}
}

func TestRefusedWizardsWriteNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.Create(ctx, f.admin, "acc-t", request("taken@kenton.example", "+46812340020"), false, ""); err != nil {
		t.Fatal(err)
	}
	basic := request("b@kenton.example", "+46812340021")
	basic.Type = user.Basic
	basic.Subscription = &user.SubscriptionRequest{Kind: user.NewSubscription, ActivationDate: "2026-12-02", SIMDeliveryAddress: address}
	past := request("p@kenton.example", "+46812340022")
	past.ActivationDate = "2026-11-30"
	noPort := request("n@kenton.example", "+46812340023")
	noPort.Subscription = &user.SubscriptionRequest{Kind: user.PortIn, ActivationDate: "2026-12-02", SIMDeliveryAddress: address}
	member := account.Actor{UserID: "usr-u", AccountID: "acc-t", Role: account.User}
	cases := []struct {
		name string
		who  account.Actor
		req  user.Request
		code fault.Code
	}{
		{"a number outside the ranges", f.admin, request("o@kenton.example", "+46812350000"), fault.Invalid},
		{"a number in use", f.admin, request("u@kenton.example", "+46812340020"), fault.Conflict},
		{"a login email in use", f.admin, request("taken@kenton.example", "+46812340024"), fault.Conflict},
		{"a basic user with a subscription", f.admin, basic, fault.Invalid},
		{"an activation date in the past", f.admin, past, fault.Invalid},
		{"a port-in without its details", f.admin, noPort, fault.Invalid},
		{"a user of the account", member, request("x@kenton.example", "+46812340025"), fault.Forbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writes := f.store.Writes
			if _, err := f.svc.Create(ctx, c.who, "acc-t", c.req, false, ""); !fault.Is(err, c.code) {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if f.store.Writes != writes {
				t.Fatal("a refused wizard wrote")
			}
		})
	}
}

func TestAUserLaterOn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	later := request("later@kenton.example", "+46812340030")
	later.ActivationDate = "2026-12-03"
	c, err := f.svc.Create(ctx, f.admin, "acc-t", later, false, "")
	if err != nil || !c.User.Inactive {
		t.Fatalf("a user activated later: %+v %v", c.User, err)
	}
	if n, err := f.svc.ActivateDue(ctx); err != nil || n.Users != 0 {
		t.Fatalf("activated early: %+v %v", n, err)
	}
	f.clock.Advance(48 * time.Hour)
	if n, err := f.svc.ActivateDue(ctx); err != nil || n.Users != 1 {
		t.Fatalf("activated %+v %v", n, err)
	}
	got, err := f.svc.Get(ctx, f.admin, "acc-t", c.User.ID)
	m := got.User
	if err != nil || m.Inactive {
		t.Fatalf("after activation %+v %v", m, err)
	}
	name := "Kimberly"
	if _, err := f.svc.Update(ctx, f.admin, "acc-t", m.ID, user.Patch{Version: 9, FirstName: &name}); !fault.Is(err, fault.Conflict) {
		t.Fatalf("a stale version: %v", err)
	}
	up, err := f.svc.Update(ctx, f.admin, "acc-t", m.ID, user.Patch{Version: m.Version, FirstName: &name})
	if err != nil || up.FirstName != name {
		t.Fatalf("update %+v %v", up, err)
	}
	if err := f.svc.SendReset(ctx, f.admin, "acc-t", m.ID); err != nil || f.svc.Resets.(*resets).to[0] != "later@kenton.example" {
		t.Fatalf("reset link: %v", err)
	}
	if err := f.svc.Delete(ctx, f.admin, "acc-t", m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(ctx, f.admin, "acc-t", m.ID); !fault.Is(err, fault.NotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestRolesChangeButTheLastAdministratorStays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := account.Member{ID: "usr-a2", AccountID: "acc-t", Username: "ada", Role: account.TenantAdmin, Version: 1}
	kim := account.Member{ID: "usr-kim", AccountID: "acc-t", Username: "kim", Role: account.User, Version: 1}
	f.store.Users["acc-t/usr-a2"], f.store.Users["acc-t/usr-kim"] = admin, kim

	// Kim becomes an administrator, and Ada, no longer the only one, may stop being one.
	got, err := f.svc.SetRole(ctx, f.admin, "acc-t", "usr-kim", account.TenantAdmin)
	if err != nil || got.Role != account.TenantAdmin || got.Version != 2 || f.store.Audit[len(f.store.Audit)-1].Action != "user.role_changed" {
		t.Fatalf("kim made an administrator: %+v %v", got, err)
	}
	if got, err := f.svc.SetRole(ctx, f.admin, "acc-t", "usr-a2", account.User); err != nil || got.Role != account.User {
		t.Fatalf("ada no longer an administrator: %+v %v", got, err)
	}
	// Kim is the last one now: not demoted, disabled or deleted.
	writes := f.store.Writes
	if _, err := f.svc.SetRole(ctx, f.admin, "acc-t", "usr-kim", account.User); !fault.Is(err, fault.Conflict) || !strings.Contains(err.Error(), "last administrator") {
		t.Fatalf("the last administrator demoted: %v", err)
	}
	if _, err := f.svc.SetDisabled(ctx, f.admin, "acc-t", "usr-kim", true); !fault.Is(err, fault.Conflict) {
		t.Fatalf("the last administrator disabled: %v", err)
	}
	if err := f.svc.Delete(ctx, f.admin, "acc-t", "usr-kim"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("the last administrator deleted: %v", err)
	}
	if f.store.Writes != writes {
		t.Fatalf("refused changes wrote %d times", f.store.Writes-writes)
	}
	for _, c := range []struct {
		name string
		who  account.Actor
		user string
		role account.Role
		code fault.Code
	}{
		{"a role of another kind of account", f.admin, "usr-a2", account.ResellerAdmin, fault.Invalid},
		{"an operator outside the provider", f.admin, "usr-a2", account.Operator, fault.Invalid},
		{"one's own role", account.Actor{UserID: "usr-kim", AccountID: "acc-t", Role: account.TenantAdmin}, "usr-kim", account.User, fault.Forbidden},
		{"a user", account.Actor{UserID: "usr-a2", AccountID: "acc-t", Role: account.User}, "usr-kim", account.User, fault.Forbidden},
		{"an unknown user", f.admin, "usr-nobody", account.User, fault.NotFound},
	} {
		if _, err := f.svc.SetRole(ctx, c.who, "acc-t", c.user, c.role); !fault.Is(err, c.code) {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	// A change that relies on an administrator who changes meanwhile is not written.
	f.store.Users["acc-t/usr-a2"] = account.Member{ID: "usr-a2", AccountID: "acc-t", Username: "ada", Role: account.TenantAdmin, Version: 3}
	keeper := f.store.Users["acc-t/usr-a2"]
	keeper.Version = 2 // as read before the change
	next := f.store.Users["acc-t/usr-kim"]
	next.Role, next.Version = account.User, next.Version+1
	if err := f.store.SaveUser(ctx, next, audit.Entry{}, &keeper); !fault.Is(err, fault.Conflict) {
		t.Fatalf("a keeper changed meanwhile: %v", err)
	}
}

func TestAPatchChangesTypeNumbersAndEmailByTheRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	got, err := f.svc.Create(ctx, f.admin, "acc-t", request("lee@kenton.example", "+46812340020"), false, "")
	if err != nil {
		t.Fatal(err)
	}
	id := got.User.ID
	basic, email, primary := user.Basic, " Lee.New@Kenton.example ", "+46812340021"
	changed, err := f.svc.Update(ctx, f.admin, "acc-t", id, user.Patch{Version: 1, Type: &basic, Email: &email, PrimaryNumber: &primary})
	if err != nil || changed.Role != account.BasicUser || changed.Email != "lee.new@kenton.example" || changed.Username != "lee.new@kenton.example" ||
		changed.PrimaryNumber != primary || changed.Version != 2 {
		t.Fatalf("the change: %+v %v", changed, err)
	}
	outside, twice := []string{"+46812349999"}, []string{primary}
	admin := account.Member{ID: "usr-a", AccountID: "acc-t", Username: "a", Role: account.TenantAdmin, Version: 1}
	f.store.Users["acc-t/usr-a"] = admin
	full := user.Full
	for _, c := range []struct {
		name string
		id   string
		p    user.Patch
		code fault.Code
	}{
		{"an alias outside the ranges", id, user.Patch{Version: 2, Aliases: &outside}, fault.Invalid},
		{"the primary number as an alias", id, user.Patch{Version: 2, Aliases: &twice}, fault.Invalid},
		{"a stale version", id, user.Patch{Version: 1, Type: &full}, fault.Conflict},
		{"an administrator's type", "usr-a", user.Patch{Version: 1, Type: &basic}, fault.Conflict},
	} {
		writes := f.store.Writes
		if _, err := f.svc.Update(ctx, f.admin, "acc-t", c.id, c.p); !fault.Is(err, c.code) || f.store.Writes != writes {
			t.Errorf("%s: %v (want %s), %d writes", c.name, err, c.code, f.store.Writes-writes)
		}
	}
}

func TestTheSubscriptionsOfAnAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	req := request("sub@kenton.example", "+46812340030")
	req.Subscription = &user.SubscriptionRequest{Kind: user.NewSubscription, ActivationDate: "2026-12-02", SIMDeliveryAddress: address}
	got, err := f.svc.Create(ctx, f.admin, "acc-t", req, false, "")
	if err != nil {
		t.Fatal(err)
	}
	for userID, want := range map[string]int{"": 1, got.User.ID: 1, "usr-other": 0} {
		if subs, _, err := f.svc.ListSubscriptions(ctx, f.admin, "acc-t", userID, "", 10); err != nil || len(subs) != want {
			t.Errorf("subscriptions of %q: %+v %v, want %d", userID, subs, err, want)
		}
	}
	stranger := account.Actor{UserID: "usr-x", AccountID: "acc-x", Role: account.TenantAdmin}
	if _, _, err := f.svc.ListSubscriptions(ctx, stranger, "acc-t", "", "", 10); !fault.Is(err, fault.NotFound) {
		t.Errorf("another tenant lists them: %v", err)
	}
}
