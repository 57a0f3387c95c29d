package calls_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/provisio/provisio/shared/account"
)

// alerts records the low-balance alerts raised.
type alerts struct{ balances []int64 }

func (a *alerts) LowBalance(_ context.Context, _ account.Account, balanceMinor int64) {
	a.balances = append(a.balances, balanceMinor)
}

func TestALowBalanceAlertsOncePerCrossing(t *testing.T) {
	svc, store, _ := newService(t)
	heard := &alerts{}
	svc.Alerts = heard
	ctx := context.Background()
	acct := store.Store.Accounts["acc-t"]
	acct.Credit.AddedMinor, acct.LowBalanceThreshold = 1000, 500
	store.Store.Accounts["acc-t"] = acct
	n := 0
	spend := func(records int) { // each record costs 120
		t.Helper()
		batch := make([]json.RawMessage, 0, records)
		for range records {
			n++
			batch = append(batch, record("lb-"+string(rune('a'+n)), "acc-t", "SEK"))
		}
		if _, err := svc.Ingest(ctx, switchActor, batch); err != nil {
			t.Fatal(err)
		}
	}
	spend(4) // 1000 → 520: above the threshold
	spend(1) // → 400: the crossing
	spend(2) // → 160: still below, no second alert
	if len(heard.balances) != 1 || heard.balances[0] != 400 {
		t.Fatalf("alerts %v, want one at 400", heard.balances)
	}
	acct = store.Store.Accounts["acc-t"]
	acct.Credit.AddedMinor += 1000 // a credit addition: 1160, above again
	store.Store.Accounts["acc-t"] = acct
	spend(1) // → 1040
	spend(5) // → 440: a new crossing
	if len(heard.balances) != 2 || heard.balances[1] != 440 {
		t.Fatalf("alerts %v, want a second at 440", heard.balances)
	}
	acct = store.Store.Accounts["acc-t"]
	acct.LowBalanceThreshold = 0 // no threshold: no alert, however low
	store.Store.Accounts["acc-t"] = acct
	spend(10)
	if len(heard.balances) != 2 {
		t.Fatalf("alerts without a threshold: %v", heard.balances)
	}
}

// Two batches stored at the same time each read the balance before the other's calls:
// neither alone crosses the threshold, together they do, and the alert fires once.
func TestBatchesThatCrossTogetherAlertOnce(t *testing.T) {
	svc, store, _ := newService(t)
	heard := &alerts{}
	svc.Alerts = heard
	acct := store.Store.Accounts["acc-t"]
	acct.Credit.AddedMinor, acct.LowBalanceThreshold = 700, 500
	store.Store.Accounts["acc-t"] = acct
	store.Read = map[string]account.Account{"acc-t": acct}    // both read 700 before either is stored
	for _, id := range []string{"together-1", "together-2"} { // 120 each: 580 as each read it, 460 in truth
		if _, err := svc.Ingest(context.Background(), switchActor, []json.RawMessage{record(id, "acc-t", "SEK")}); err != nil {
			t.Fatal(err)
		}
	}
	if len(heard.balances) != 1 || heard.balances[0] != 460 {
		t.Fatalf("alerts %v, want one at 460", heard.balances)
	}
}
