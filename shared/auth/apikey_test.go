package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/fault"
)

// storedKeys are the table's API keys, counting reads and recording touches.
type storedKeys struct {
	byID    map[string]apikey.Key
	reads   int
	touched []time.Time
}

func (s *storedKeys) APIKey(_ context.Context, id string) (apikey.Key, error) {
	s.reads++
	k, ok := s.byID[id]
	if !ok {
		return k, fault.New(fault.NotFound, "no such API key")
	}
	return k, nil
}

func (s *storedKeys) TouchAPIKey(_ context.Context, _ string, at time.Time) error {
	s.touched = append(s.touched, at)
	return nil
}

func TestAnAPIKeyActsInItsJobsRoleAndScope(t *testing.T) {
	c := &clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	const secret = "pvk_key-1_abcdefghijklmnopqrstuvwxyz234567"
	keys := &storedKeys{byID: map[string]apikey.Key{
		"key-1": {ID: "key-1", AccountID: "acc-r", Job: apikey.BillingJob, SecretHash: apikey.Hash(secret), Version: 1},
		"key-2": {ID: "key-2", AccountID: "acc-r", Job: apikey.SwitchJob, SecretHash: apikey.Hash("pvk_key-2_x"), RevokedAt: c.now},
		"key-3": {ID: "key-3", AccountID: "acc-r", Job: apikey.SwitchJob, SecretHash: apikey.Hash("pvk_key-3_x"), ExpiresAt: c.now.Add(time.Hour)},
	}}
	a := &Authenticator{APIKeys: keys, KeyUse: keys, Now: c.Now, CacheTTL: DefaultCacheTTL}
	got, err := a.Authenticate(context.Background(), "Bearer "+secret)
	if err != nil || got != (Caller{UserID: "key-1", AccountID: "acc-r", Role: account.Billing}) {
		t.Fatalf("a billing key: %+v %v", got, err)
	}
	for _, bad := range []string{"pvk_key-1_wrong", "pvk_key-9_abc", "pvk_key-2_x"} {
		if _, err := a.Authenticate(context.Background(), "Bearer "+bad); !fault.Is(err, fault.Unauthorized) || !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: %v, want an invalid token", bad, err)
		}
	}
	// A rotated key works until its grace ends.
	if _, err := a.Authenticate(context.Background(), "Bearer pvk_key-3_x"); err != nil {
		t.Fatalf("a rotated key within its grace: %v", err)
	}
	c.advance(time.Hour)
	if _, err := a.Authenticate(context.Background(), "Bearer pvk_key-3_x"); !fault.Is(err, fault.Unauthorized) {
		t.Fatalf("a rotated key after its grace: %v", err)
	}
	// Cached for CacheTTL; its use recorded at most once a KeyUseEvery.
	if _, err := a.Authenticate(context.Background(), "Bearer "+secret); err != nil {
		t.Fatal(err)
	}
	reads, touches := keys.reads, len(keys.touched)
	for range 5 {
		if _, err := a.Authenticate(context.Background(), "Bearer "+secret); err != nil {
			t.Fatal(err)
		}
	}
	if keys.reads != reads || len(keys.touched) != touches {
		t.Fatalf("warm requests read %d and touched %d times", keys.reads-reads, len(keys.touched)-touches)
	}
	c.advance(KeyUseEvery)
	if _, err := a.Authenticate(context.Background(), "Bearer "+secret); err != nil || len(keys.touched) != touches+1 {
		t.Fatalf("after a minute: %v, %d touches", err, len(keys.touched)-touches)
	}
	// A function wired without keys refuses them.
	if _, err := (&Authenticator{Now: c.Now}).Authenticate(context.Background(), "Bearer "+secret); !fault.Is(err, fault.Unauthorized) {
		t.Fatalf("a function without keys: %v", err)
	}
}
