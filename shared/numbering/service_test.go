package numbering_test

import (
	"context"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/numbering/numberingtest"
	"github.com/provisio/provisio/shared/testclock"
)

// fixture is a reseller "acc-r" with two tenants, "acc-a" and "acc-b", over the fake
// store; the provider's administrator gives the reseller a range of its stock first.
type fixture struct {
	store                *numberingtest.Store
	svc                  *numbering.Service
	root, reseller, a, b account.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: numberingtest.New(
		account.Account{ID: account.ProviderRootID, Path: []string{account.ProviderRootID}, Kind: account.Provider},
		account.Account{ID: "acc-r", ParentID: account.ProviderRootID, Path: []string{account.ProviderRootID, "acc-r"}, Kind: account.Reseller},
		account.Account{ID: "acc-a", ParentID: "acc-r", Path: []string{account.ProviderRootID, "acc-r", "acc-a"}, Kind: account.Tenant},
		account.Account{ID: "acc-b", ParentID: "acc-r", Path: []string{account.ProviderRootID, "acc-r", "acc-b"}, Kind: account.Tenant}),
		root:     account.Actor{UserID: "u0", AccountID: account.ProviderRootID, Role: account.ProviderAdmin},
		reseller: account.Actor{UserID: "u1", AccountID: "acc-r", Role: account.ResellerAdmin},
		a:        account.Actor{UserID: "u2", AccountID: "acc-a", Role: account.TenantAdmin},
		b:        account.Actor{UserID: "u3", AccountID: "acc-b", Role: account.TenantAdmin}}
	f.svc = &numbering.Service{Store: f.store, Now: testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)).Now}
	f.add(t, f.root, account.ProviderRootID, "+46812340000", "+46812349999") // the provider's stock
	f.add(t, f.root, "acc-r", "+46812340000", "+46812340999")
	return f
}

func (f *fixture) add(t *testing.T, who account.Actor, accountID, start, end string) numbering.Range {
	t.Helper()
	r, err := f.svc.AddRange(context.Background(), who, accountID, start, end, numbering.Fixed, "")
	if err != nil {
		t.Fatalf("range %s–%s for %s: %v", start, end, accountID, err)
	}
	return r
}

func TestNumbersFlowDownTheTree(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.add(t, f.reseller, "acc-a", "+46812340100", "+46812340199")
	cases := []struct {
		name       string
		who        account.Actor
		accountID  string
		start, end string
		kind       numbering.Kind
		code       fault.Code
	}{
		{"outside the parent's ranges", f.reseller, "acc-b", "+46812350000", "+46812350099", numbering.Fixed, fault.Conflict},
		{"overlapping a sibling's", f.reseller, "acc-b", "+46812340150", "+46812340249", numbering.Fixed, fault.Conflict},
		{"overlapping its own", f.reseller, "acc-a", "+46812340150", "+46812340160", numbering.Fixed, fault.Conflict},
		{"a user", account.Actor{UserID: "u4", AccountID: "acc-b", Role: account.User}, "acc-b", "+46812340300", "+46812340399", numbering.Fixed, fault.Forbidden},
		{"another reseller's tenant", f.a, "acc-b", "+46812340300", "+46812340399", numbering.Fixed, fault.NotFound},
		{"a mobile range of fixed numbers", f.root, "acc-r", "+46812360000", "+46812360099", numbering.Mobile, fault.Invalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writes := f.store.Writes
			if _, err := f.svc.AddRange(ctx, c.who, c.accountID, c.start, c.end, c.kind, ""); !fault.Is(err, c.code) {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if f.store.Writes != writes {
				t.Fatal("a refused range was written")
			}
		})
	}
	// The parent's range cannot go while a child holds numbers of it.
	if err := f.svc.ReleaseRange(ctx, f.root, "acc-r", "rng-46812340000"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("releasing a range a child uses: %v", err)
	}
}

func TestAvailableNumbersSkipClaimedOnesAndPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.add(t, f.reseller, "acc-a", "+46812340100", "+46812340104")
	f.store.Claimed["+46812340101"] = true
	first, cursor, err := f.svc.Available(ctx, f.a, "acc-a", numbering.Fixed, "", 2)
	if err != nil || len(first) != 2 || first[0].Number != "+46812340100" || first[1].Number != "+46812340102" || cursor == "" {
		t.Fatalf("first page %+v %q %v", first, cursor, err)
	}
	rest, next, err := f.svc.Available(ctx, f.a, "acc-a", numbering.Fixed, cursor, 10)
	if err != nil || len(rest) != 2 || rest[0].Number != "+46812340103" || next != "" {
		t.Fatalf("second page %+v %q %v", rest, next, err)
	}
	if _, _, err := f.svc.Available(ctx, f.a, "acc-a", numbering.Fixed, "not base64!", 10); !fault.Is(err, fault.Invalid) {
		t.Fatalf("a forged cursor: %v", err)
	}
}

func TestBlocksNeedRangesAndAreOneAKey(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.AssignBlock(ctx, f.a, "acc-a", ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("a block without ranges: %v", err)
	}
	f.add(t, f.reseller, "acc-a", "+46812340100", "+46812340399")
	b, err := f.svc.AssignBlock(ctx, f.a, "acc-a", "k1")
	if err != nil || b.First != "+46812340100" || b.Size != 100 {
		t.Fatalf("block %+v %v", b, err)
	}
	again, err := f.svc.AssignBlock(ctx, f.a, "acc-a", "k1")
	if err != nil || again.First != b.First {
		t.Fatalf("a retry: %+v %v", again, err)
	}
	next, err := f.svc.AssignBlock(ctx, f.a, "acc-a", "")
	if err != nil || next.First != "+46812340200" {
		t.Fatalf("the next block: %+v %v", next, err)
	}
	blocks, err := f.svc.Blocks(ctx, f.a, "acc-a")
	if err != nil || len(blocks) != 2 {
		t.Fatalf("blocks %+v %v", blocks, err)
	}
	if err := f.svc.ReleaseRange(ctx, f.reseller, "acc-a", "rng-46812340100"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("releasing a range with blocks: %v", err)
	}
}

func TestAFreeRangeIsReleased(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.add(t, f.reseller, "acc-b", "+46812340500", "+46812340599")
	f.store.Claimed["+46812340550"] = true
	if err := f.svc.ReleaseRange(ctx, f.reseller, "acc-b", "rng-46812340500"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("releasing a range with a claimed number: %v", err)
	}
	delete(f.store.Claimed, "+46812340550")
	if err := f.svc.ReleaseRange(ctx, f.reseller, "acc-b", "rng-46812340500"); err != nil {
		t.Fatal(err)
	}
	if rs, err := f.svc.Ranges(ctx, f.b, "acc-b"); err != nil || len(rs) != 0 {
		t.Fatalf("after the release: %+v %v", rs, err)
	}
	if err := f.svc.ReleaseRange(ctx, f.reseller, "acc-b", "rng-46812340500"); !fault.Is(err, fault.NotFound) {
		t.Fatalf("releasing it twice: %v", err)
	}
}
