package apikey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/testclock"
)

// store is an in-memory apikey.Store over a reseller "acc-r" under the provider.
type store struct {
	keys    map[string]apikey.Key
	entries []audit.Entry
	writes  int
}

func (s *store) Account(_ context.Context, id string) (account.Account, error) {
	switch id {
	case "acc-r":
		return account.Account{ID: "acc-r", Path: []string{"provider", "acc-r"}, Kind: account.Reseller}, nil
	case "acc-t":
		return account.Account{ID: "acc-t", Path: []string{"provider", "acc-r", "acc-t"}, Kind: account.Tenant}, nil
	case "acc-o":
		return account.Account{ID: "acc-o", Path: []string{"provider", "acc-o"}, Kind: account.Reseller}, nil
	}
	return account.Account{}, fault.New(fault.NotFound, "no such account")
}

func (s *store) APIKey(_ context.Context, id string) (apikey.Key, error) {
	k, ok := s.keys[id]
	if !ok {
		return k, fault.New(fault.NotFound, "no such API key")
	}
	return k, nil
}

func (s *store) APIKeys(_ context.Context, accountID string) ([]apikey.Key, error) {
	var out []apikey.Key
	for _, k := range s.keys {
		if k.AccountID == accountID {
			out = append(out, k)
		}
	}
	return out, nil
}

func (s *store) SaveAPIKeys(_ context.Context, keys []apikey.Key, entries []audit.Entry) error {
	for _, k := range keys {
		if k.Version != s.keys[k.ID].Version+1 {
			return fault.New(fault.Conflict, "changed")
		}
	}
	for _, k := range keys {
		s.keys[k.ID] = k
	}
	s.entries, s.writes = append(s.entries, entries...), s.writes+1
	return nil
}

func (s *store) TouchAPIKey(context.Context, string, time.Time) error { return nil }

func newService() (*apikey.Service, *store, *testclock.Clock) {
	st := &store{keys: map[string]apikey.Key{}}
	clock := testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	n := 0
	return &apikey.Service{Store: st, Now: clock.Now, NewID: func(p string) string { n++; return p + string(rune('a'+n)) }}, st, clock
}

var reseller = account.Actor{UserID: "usr-r", AccountID: "acc-r", Role: account.ResellerAdmin}

func TestKeysAreIssuedOnceAndKeptAsHashes(t *testing.T) {
	svc, st, _ := newService()
	ctx := context.Background()
	made, err := svc.Create(ctx, reseller, "acc-t", apikey.BillingJob, " Fortnox export ")
	if err != nil || made.Key.Name != "Fortnox export" || made.Key.Job.Role() != account.Billing {
		t.Fatalf("create: %+v %v", made, err)
	}
	id, ok := apikey.Parse(made.Secret)
	if !ok || id != made.Key.ID || !st.keys[id].Matches(made.Secret) || strings.Contains(st.keys[id].SecretHash, made.Secret) {
		t.Fatalf("the stored key %+v does not match its secret %q as a hash", st.keys[id], made.Secret)
	}
	for _, e := range st.entries {
		for field := range e.Diff {
			if strings.Contains(strings.ToLower(field), "secret") || strings.Contains(strings.ToLower(field), "hash") {
				t.Fatalf("the audit entry shows %s", field)
			}
		}
	}
	bad := []struct {
		name  string
		actor account.Actor
		acct  string
		job   apikey.Job
		key   string
		code  fault.Code
	}{
		{"an unknown job", reseller, "acc-t", "printer", "n", fault.Invalid},
		{"no name", reseller, "acc-t", apikey.SwitchJob, " ", fault.Invalid},
		{"a tenant's administrator", account.Actor{UserID: "usr-t", AccountID: "acc-t", Role: account.TenantAdmin}, "acc-t", apikey.SwitchJob, "n", fault.Forbidden},
		{"a user", account.Actor{UserID: "usr-u", AccountID: "acc-r", Role: account.User}, "acc-r", apikey.SwitchJob, "n", fault.Forbidden},
		{"another reseller's account", reseller, "acc-o", apikey.SwitchJob, "n", fault.NotFound},
	}
	for _, c := range bad {
		writes := st.writes
		if _, err := svc.Create(ctx, c.actor, c.acct, c.job, c.key); !fault.Is(err, c.code) || st.writes != writes {
			t.Errorf("%s: %v, want %s and nothing written", c.name, err, c.code)
		}
	}
	for _, secret := range []string{"pvk_", "pvk__x", "Bearer-ish", "key-1_x"} {
		if _, ok := apikey.Parse(secret); ok {
			t.Errorf("%q parsed as a key", secret)
		}
	}
}

func TestARotationKeepsTheOldKeyForItsGraceThenRevokeEndsIt(t *testing.T) {
	svc, st, clock := newService()
	ctx := context.Background()
	old, err := svc.Create(ctx, reseller, "acc-r", apikey.SwitchJob, "Kista switch")
	if err != nil {
		t.Fatal(err)
	}
	for _, grace := range []time.Duration{-time.Second, apikey.MaxGrace + time.Second} {
		if _, err := svc.Rotate(ctx, reseller, "acc-r", old.Key.ID, grace); !fault.Is(err, fault.Invalid) {
			t.Errorf("grace %v: %v", grace, err)
		}
	}
	if _, err := svc.Rotate(ctx, reseller, "acc-t", old.Key.ID, 0); !fault.Is(err, fault.NotFound) {
		t.Errorf("rotated through another account: %v", err)
	}
	next, err := svc.Rotate(ctx, reseller, "acc-r", old.Key.ID, 0)
	if err != nil || next.Key.Job != apikey.SwitchJob || next.Key.AccountID != "acc-r" {
		t.Fatalf("rotate: %+v %v", next, err)
	}
	rotated := st.keys[old.Key.ID]
	if rotated.ReplacedBy != next.Key.ID || !rotated.Valid(clock.Now().Add(apikey.DefaultGrace-time.Second)) || rotated.Valid(clock.Now().Add(apikey.DefaultGrace)) {
		t.Fatalf("the old key after a rotation: %+v", rotated)
	}
	if _, err := svc.Rotate(ctx, reseller, "acc-r", old.Key.ID, 0); !fault.Is(err, fault.Conflict) {
		t.Fatalf("a rotated key rotated again: %v", err)
	}
	revoked, err := svc.Revoke(ctx, reseller, "acc-r", next.Key.ID)
	if err != nil || revoked.Valid(clock.Now()) {
		t.Fatalf("revoke: %+v %v", revoked, err)
	}
	writes := st.writes
	if again, err := svc.Revoke(ctx, reseller, "acc-r", next.Key.ID); err != nil || !again.RevokedAt.Equal(revoked.RevokedAt) || st.writes != writes {
		t.Fatalf("a second revoke wrote: %v", err)
	}
	if keys, err := svc.List(ctx, reseller, "acc-r"); err != nil || len(keys) != 2 {
		t.Fatalf("list: %+v %v", keys, err)
	}
}
