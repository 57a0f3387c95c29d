package auth

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/password"
)

const seed = "a-test-seed-that-is-long-enough-0123456789"

func keysAt(t *testing.T, seed string, at time.Time) *Keys {
	t.Helper()
	k, err := NewKeys(seed)
	if err != nil {
		t.Fatal(err)
	}
	k.Now = func() time.Time { return at }
	return k
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	k := keysAt(t, seed, now)
	caller := Caller{UserID: "usr-1", AccountID: "acc-1", Role: account.TenantAdmin}
	good, exp, err := k.Issue(caller, "tok-1")
	if err != nil || !exp.Equal(now.Add(TokenTTL)) {
		t.Fatal(err, exp)
	}
	parts := strings.Split(good, ".")
	enc := base64.RawURLEncoding
	tamperedClaims := func() string {
		raw, _ := enc.DecodeString(parts[1])
		forged := strings.Replace(string(raw), `"tenant_admin"`, `"provider_admin"`, 1)
		return parts[0] + "." + enc.EncodeToString([]byte(forged)) + "." + parts[2]
	}()
	none := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "usr-1", "acc": "acc-1", "role": "provider_admin",
			"iss": Issuer, "aud": Audience, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()})
		s, _ := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		return s
	}()
	hs256 := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "usr-1", "acc": "acc-1", "role": "tenant_admin",
			"iss": Issuer, "aud": Audience, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()})
		s, _ := tok.SignedString([]byte(seed))
		return s
	}()
	otherKey, _, _ := keysAt(t, seed+"-other", now).Issue(caller, "tok-2")
	cases := []struct {
		name  string
		token string
		keys  *Keys
		ok    bool
	}{
		{"valid", good, k, true},
		{"valid until the last second", good, keysAt(t, seed, now.Add(TokenTTL-time.Second)), true},
		{"expired", good, keysAt(t, seed, now.Add(TokenTTL+time.Minute)), false},
		{"issued in the future", good, keysAt(t, seed, now.Add(-time.Hour)), false},
		{"signed by another key", otherKey, k, false},
		{"alg none", none, k, false},
		{"alg HS256 with the seed", hs256, k, false},
		{"tampered role claim", tamperedClaims, k, false},
		{"garbage", "not.a.token", k, false},
		{"empty", "", k, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.keys.Verify(c.token)
			if c.ok != (err == nil) {
				t.Fatalf("err %v, want ok=%v", err, c.ok)
			}
			if c.ok && got != caller {
				t.Fatalf("caller %+v", got)
			}
		})
	}
	if _, err := NewKeys("short"); err == nil {
		t.Fatal("a short seed was accepted")
	}
}

func BenchmarkVerify(b *testing.B) {
	k, _ := NewKeys(seed)
	tok, _, _ := k.Issue(Caller{UserID: "usr-1", AccountID: "acc-1", Role: account.TenantAdmin}, "tok-1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// The unknown-user comparison must cost what a real one does.
func TestDummyHashHasTheCostOfRealOnes(t *testing.T) {
	real, err := password.Hash("Correct-Horse-42")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := bcrypt.Cost([]byte(real))
	if got, err := bcrypt.Cost([]byte(dummyHash)); err != nil || got != want {
		t.Fatalf("the dummy hash has cost %d (%v), real ones %d", got, err, want)
	}
}
