package auth

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/password"
)

const seed = "a-test-seed-that-is-long-enough-0123456789"

func signerAt(t testing.TB, seed string, at time.Time) *Signer {
	t.Helper()
	s, err := NewSigner(seed)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return at }
	return s
}

// only is the key lookup of a verifier that knows one published key.
func only(k PublicKey) func(string) (ed25519.PublicKey, error) {
	return func(kid string) (ed25519.PublicKey, error) {
		if kid != k.ID {
			return nil, ErrInvalidToken
		}
		return k.Key, nil
	}
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	k := signerAt(t, seed, now)
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
	otherKey, _, _ := signerAt(t, seed+"-other", now).Issue(caller, "tok-2")
	// A token signed by another key that claims this key's kid.
	forgedKid := func() string {
		other := signerAt(t, seed+"-other", now)
		other.Public.ID = k.Public.ID
		s, _, _ := other.Issue(caller, "tok-3")
		return s
	}()
	cases := []struct {
		name  string
		token string
		at    time.Time
		ok    bool
	}{
		{"valid", good, now, true},
		{"valid until the last second", good, now.Add(TokenTTL - time.Second), true},
		{"expired", good, now.Add(TokenTTL + time.Minute), false},
		{"issued in the future", good, now.Add(-time.Hour), false},
		{"signed by a key that is not published", otherKey, now, false},
		{"signed by another key under this key's kid", forgedKid, now, false},
		{"alg none", none, now, false},
		{"alg HS256 with the seed", hs256, now, false},
		{"tampered role claim", tamperedClaims, now, false},
		{"garbage", "not.a.token", now, false},
		{"empty", "", now, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := Verify(c.token, func() time.Time { return c.at }, only(k.Public))
			if c.ok != (err == nil) || (err != nil && !errors.Is(err, ErrInvalidToken)) {
				t.Fatalf("err %v, want ok=%v", err, c.ok)
			}
			if c.ok && got != caller {
				t.Fatalf("caller %+v", got)
			}
		})
	}
	if _, err := NewSigner("short"); err == nil {
		t.Fatal("a short seed was accepted")
	}
	if header := strings.Split(good, ".")[0]; !strings.Contains(decoded(t, header), `"kid":"`+k.Public.ID+`"`) {
		t.Fatalf("the token's header %s does not name its key", decoded(t, header))
	}
}

func decoded(t *testing.T, part string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// A store that does not answer is not a bad token: the caller may retry.
func TestAKeyLookupFailureIsNotAnInvalidToken(t *testing.T) {
	k := signerAt(t, seed, time.Now())
	tok, _, _ := k.Issue(Caller{UserID: "usr-1", AccountID: "acc-1", Role: account.TenantAdmin}, "tok-1")
	down := fault.New(fault.Unavailable, "the data store is unavailable")
	_, _, err := Verify(tok, time.Now, func(string) (ed25519.PublicKey, error) { return nil, down })
	if !errors.Is(err, down) || errors.Is(err, ErrInvalidToken) {
		t.Fatalf("got %v, want the lookup's own error", err)
	}
}

func BenchmarkVerify(b *testing.B) {
	k := signerAt(b, seed, time.Now())
	tok, _, _ := k.Issue(Caller{UserID: "usr-1", AccountID: "acc-1", Role: account.TenantAdmin}, "tok-1")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Verify(tok, time.Now, only(k.Public)); err != nil {
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
