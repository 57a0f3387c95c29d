package account

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/idempotency"
	"github.com/provisio/provisio/shared/money"
)

func parentWith(inbound, outbound, twoway, availIn, availOut, availTwo int) Account {
	return Account{ID: "p", Path: []string{"provider", "p"}, Kind: Reseller, Permissions: []string{"users.manage", "sip.manage"},
		Limits:    Limits{InboundTrunks: inbound, OutboundTrunks: outbound, TwowayTrunks: twoway},
		Available: Limits{InboundTrunks: availIn, OutboundTrunks: availOut, TwowayTrunks: availTwo}}
}

func TestTrunkShortageShowsTheArithmetic(t *testing.T) {
	p := parentWith(10, 5, 2, 3, 5, 0)
	if why := trunkShortage(p, Limits{InboundTrunks: 3, OutboundTrunks: 5}); why != "" {
		t.Fatalf("exactly what is left must fit: %s", why)
	}
	why := trunkShortage(p, Limits{InboundTrunks: 4, TwowayTrunks: 1})
	for _, want := range []string{
		"inboundTrunks: asked 4, the parent has 10 of which 7 are given to other accounts, so 3 are left",
		"twowayTrunks: asked 1, the parent has 2 of which 2 are given to other accounts, so 0 are left",
	} {
		if !strings.Contains(why, want) {
			t.Errorf("%q lacks %q", why, want)
		}
	}
	if strings.Contains(why, "outbound") {
		t.Errorf("outbound fits and must not be mentioned: %s", why)
	}
}

func TestCreateRequestValidate(t *testing.T) {
	valid := func() CreateRequest {
		return CreateRequest{Name: "ABC Company", Kind: Tenant, Timezone: "Europe/Stockholm",
			Admin:        &AdminRequest{FirstName: "Anna", LastName: "Öberg", Email: "anna@abc.example", Phone: "+46701234567"},
			Restrictions: map[CallClass]Rule{International: Deny}, Permissions: []string{"users.manage"}}
	}
	cases := []struct {
		name  string
		edit  func(*CreateRequest)
		field string
	}{
		{"valid", func(*CreateRequest) {}, ""},
		{"given password", func(r *CreateRequest) { r.Admin.Password = "Correct-Horse-42" }, ""},
		{"no admin", func(r *CreateRequest) { r.Admin = nil }, ""},
		{"missing name", func(r *CreateRequest) { r.Name = " " }, "name"},
		{"long name", func(r *CreateRequest) { r.Name = strings.Repeat("a", 101) }, "name"},
		{"bad zone", func(r *CreateRequest) { r.Timezone = "Stockholm" }, "timezone"},
		{"Local is not a zone", func(r *CreateRequest) { r.Timezone = "Local" }, "timezone"},
		{"reseller under a reseller", func(r *CreateRequest) { r.Kind = Reseller }, "kind"},
		{"unknown kind", func(r *CreateRequest) { r.Kind = "shop" }, "kind"},
		{"negative trunks", func(r *CreateRequest) { r.Limits.OutboundTrunks = -1 }, "limits.outboundTrunks"},
		{"emergency denied", func(r *CreateRequest) { r.Restrictions[Emergency] = Deny }, "restrictions.emergency"},
		{"odd rule", func(r *CreateRequest) { r.Restrictions[Local] = "maybe" }, "restrictions.local"},
		{"negative credit", func(r *CreateRequest) { r.Credit.AddMinor = -5 }, "credit.addMinor"},
		{"bad currency", func(r *CreateRequest) { r.Credit.Currency = "kr" }, "credit.currency"},
		{"negative debit limit", func(r *CreateRequest) { r.DebitLimit = -1 }, "debitLimitMinor"},
		{"permission beyond the parent", func(r *CreateRequest) { r.Permissions = []string{"porting.request"} }, "permissions"},
		{"admin email with name", func(r *CreateRequest) { r.Admin.Email = "Anna <anna@abc.example>" }, "admin.email"},
		{"admin phone national", func(r *CreateRequest) { r.Admin.Phone = "0701234567" }, "admin.phone"},
		{"admin without last name", func(r *CreateRequest) { r.Admin.LastName = "" }, "admin.lastName"},
		{"weak admin password", func(r *CreateRequest) { r.Admin.Password = "password" }, "admin.password"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := valid()
			c.edit(&req)
			err := req.Validate(parentWith(10, 10, 10, 10, 10, 10))
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			fe, ok := err.(*fault.Error)
			if !ok || fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != c.field {
				t.Fatalf("want %s invalid, got %v", c.field, err)
			}
		})
	}
	provider := parentWith(10, 10, 10, 10, 10, 10)
	provider.Kind = Provider
	req := valid()
	req.Kind = Reseller
	if err := req.Validate(provider); err != nil {
		t.Fatalf("the provider creates resellers: %v", err)
	}
}

func TestRolesAndScope(t *testing.T) {
	for role, admin := range map[Role]bool{ProviderAdmin: true, ResellerAdmin: true, TenantAdmin: true, User: false, BasicUser: false, Operator: false} {
		if role.Admin() != admin {
			t.Errorf("%s.Admin() = %v", role, !admin)
		}
	}
	a := Account{ID: "c", Path: []string{"provider", "r", "c"}}
	if !a.Within("r") || !a.Within("c") || a.Within("s") {
		t.Fatal("Within does not follow the path")
	}
	if AdminRole(Reseller) != ResellerAdmin || AdminRole(Tenant) != TenantAdmin || AdminRole(Provider) != ProviderAdmin {
		t.Fatal("AdminRole")
	}
	p := parentWith(10, 10, 10, 4, 10, 10)
	if got := p.Allocated(); got.InboundTrunks != 6 || got.OutboundTrunks != 0 {
		t.Fatalf("allocated %+v", got)
	}
}

// TestUpdateLeavesTheReadCopyAlone: the audit diff compares the account as read with the
// account as written, so a change must not reach into the copy it was read as.
func TestUpdateLeavesTheReadCopyAlone(t *testing.T) {
	acct := Account{ID: "c", ParentID: "p", Path: []string{"p", "c"}, Restrictions: DefaultRestrictions(), Version: 1}
	store := &recordingStore{accounts: map[string]Account{"c": acct, "p": {ID: "p", Path: []string{"p"}}}}
	s := &Service{Store: store, Now: time.Now}
	_, err := s.Update(context.Background(), Actor{UserID: "u", AccountID: "p", Role: ResellerAdmin}, "c",
		Patch{Version: 1, Restrictions: map[CallClass]Rule{International: Deny}})
	if err != nil {
		t.Fatal(err)
	}
	change, ok := store.entry.Diff["restrictions"]
	if !ok || change.Before == nil || change.After == nil {
		t.Fatalf("the audit diff lost the restriction change: %+v", store.entry.Diff)
	}
	if acct.Restrictions[International] != Allow {
		t.Fatal("the read copy was changed")
	}
}

// recordingStore is a Store that keeps accounts in memory and records the last update.
type recordingStore struct {
	Store
	accounts map[string]Account
	entry    audit.Entry
}

func (r *recordingStore) Account(_ context.Context, id string) (Account, error) {
	a, ok := r.accounts[id]
	if !ok {
		return Account{}, fault.New(fault.NotFound, "no account")
	}
	return a, nil
}

func (r *recordingStore) UpdateAccount(_ context.Context, a Account, _ Limits, e audit.Entry, _ *idempotency.Record) error {
	r.entry = e
	return nil
}

// creditStore is the part of Store that AddCredit uses.
type creditStore struct {
	Store
	acct  Account
	saved *Account
}

func (s *creditStore) Account(context.Context, string) (Account, error) { return s.acct, nil }

func (s *creditStore) UpdateAccount(_ context.Context, a Account, _ Limits, _ audit.Entry, _ *idempotency.Record) error {
	s.saved = &a
	return nil
}

func TestCreditAdditionsStopAtTheMaximumBalance(t *testing.T) {
	for name, c := range map[string]struct {
		balance, add int64
		ok           bool
	}{
		"below":          {money.MaxBalance - 100, 100, true},
		"over":           {money.MaxBalance - 99, 100, false},
		"would overflow": {math.MaxInt64 - 1, 100, false},
	} {
		t.Run(name, func(t *testing.T) {
			store := &creditStore{acct: Account{ID: "acc-c", ParentID: "provider", Path: []string{"provider", "acc-c"}, Version: 1,
				Credit: Credit{AddedMinor: c.balance, Currency: "SEK"}}}
			svc := &Service{Store: store, Now: time.Now}
			got, err := svc.AddCredit(context.Background(), Actor{UserID: "u", AccountID: "provider", Role: ProviderAdmin}, "acc-c", c.add, "top-up", 1, "")
			switch {
			case c.ok && (err != nil || got.Credit.BalanceMinor() != c.balance+c.add):
				t.Fatalf("got %+v, %v", got.Credit, err)
			case !c.ok && (!fault.Is(err, fault.Conflict) || store.saved != nil):
				t.Fatalf("err = %v, saved %v; want a conflict and nothing written", err, store.saved)
			}
		})
	}
}

// countingReader is an account Reader that counts its reads.
type countingReader struct {
	acct  Account
	reads int
}

func (r *countingReader) Account(context.Context, string) (Account, error) {
	r.reads++
	return r.acct, nil
}

func TestPermitReadsTheCallersAccountOncePerRequest(t *testing.T) {
	r := &countingReader{acct: Account{ID: "acc-1", Permissions: []string{"users.manage", "numbers.manage"}}}
	actor := Actor{UserID: "u", AccountID: "acc-1", Role: TenantAdmin}
	ctx, err := Permitting(context.Background(), r, actor, UsersManage)
	if err != nil {
		t.Fatal(err)
	}
	if err := Permit(ctx, r, actor, NumbersView); err != nil {
		t.Fatalf("numbers.manage includes numbers.view: %v", err)
	}
	if err := Permit(ctx, r, actor, SIPManage); !fault.Is(err, fault.Forbidden) || !strings.Contains(err.Error(), "sip.manage") {
		t.Fatalf("a permission the account lacks: %v", err)
	}
	if r.reads != 1 {
		t.Fatalf("%d reads of the caller's account in one request, want 1", r.reads)
	}
	if err := Permit(context.Background(), r, actor); err != nil || r.reads != 1 {
		t.Fatalf("no permission needed must read nothing: %v, %d reads", err, r.reads)
	}
}
