// Package auth signs and verifies the API's access tokens: EdDSA (Ed25519) JWTs with the
// caller's user, account and role, valid for a short time. Only the sign-in function
// holds a signing key, derived from a secret seed kept in Secrets Manager; it publishes
// the public half in the table, where every protected function reads it (KeySet).
package auth

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/provisio/provisio/shared/account"
)

// TokenTTL is how long an access token is valid.
const TokenTTL = 15 * time.Minute

// Issuer and Audience are fixed claims; tokens for anything else are refused.
const (
	Issuer   = "provisio"
	Audience = "provisio-api"
)

// Caller is who a verified token speaks for.
type Caller = account.Actor

type claims struct {
	Account string       `json:"acc"`
	Role    account.Role `json:"role"`
	Epoch   int          `json:"ep,omitempty"`
	jwt.RegisteredClaims
}

// PublicKey verifies the tokens whose kid header is its ID.
type PublicKey struct {
	ID  string            `json:"id"`
	Key ed25519.PublicKey `json:"key"`
}

// Signer signs tokens with one key. Only the sign-in function has one.
type Signer struct {
	private ed25519.PrivateKey
	// Public is the key that verifies what this signer signs.
	Public PublicKey
	Now    func() time.Time
}

// MinSeedLength is the shortest secret accepted as key material.
const MinSeedLength = 32

// NewSigner derives the signing key from a secret seed (the SHA-256 of the seed is the
// Ed25519 seed), so the secret can be any random string Secrets Manager generates. The
// key's ID is a digest of its public half: a new secret is a new kid, with nothing to
// number by hand.
func NewSigner(seed string) (*Signer, error) {
	if len(seed) < MinSeedLength {
		return nil, fmt.Errorf("the token signing secret must be at least %d characters", MinSeedLength)
	}
	sum := sha256.Sum256([]byte(seed))
	priv := ed25519.NewKeyFromSeed(sum[:])
	pub := priv.Public().(ed25519.PublicKey)
	id := sha256.Sum256(pub)
	return &Signer{private: priv, Public: PublicKey{ID: base64.RawURLEncoding.EncodeToString(id[:9]), Key: pub}, Now: time.Now}, nil
}

// Issue returns a signed token for c and when it expires.
func (s *Signer) Issue(c Caller, tokenID string) (string, time.Time, error) {
	now := s.Now().UTC().Truncate(time.Second)
	exp := now.Add(TokenTTL)
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims{Account: c.AccountID, Role: c.Role, Epoch: c.Epoch, RegisteredClaims: jwt.RegisteredClaims{
		Subject: c.UserID, Issuer: Issuer, Audience: jwt.ClaimStrings{Audience}, ID: tokenID,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
	}})
	t.Header["kid"] = s.Public.ID
	signed, err := t.SignedString(s.private)
	return signed, exp, err
}

// ErrInvalidToken is every reason a token is refused; the reason is not told to callers.
var ErrInvalidToken = errors.New("invalid token")

// Verify checks token with the public key that keyFor returns for its kid: the
// signature (EdDSA only: "none" and every other algorithm are refused), expiry, issuer,
// audience and claims. keyFor's own error (the keys could not be read) is returned as it
// is, so a store outage is not mistaken for a bad token. It also returns when the token
// was issued.
func Verify(token string, now func() time.Time, keyFor func(kid string) (ed25519.PublicKey, error)) (Caller, time.Time, error) {
	var c claims
	var lookupErr error
	_, err := jwt.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		key, err := keyFor(kid)
		lookupErr = err
		return key, err
	}, jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), jwt.WithIssuer(Issuer), jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(now), jwt.WithLeeway(5*time.Second))
	if lookupErr != nil && !errors.Is(lookupErr, ErrInvalidToken) {
		return Caller{}, time.Time{}, lookupErr
	}
	if err != nil {
		return Caller{}, time.Time{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if c.Subject == "" || c.Account == "" || !knownRole(c.Role) {
		return Caller{}, time.Time{}, fmt.Errorf("%w: incomplete claims", ErrInvalidToken)
	}
	return Caller{UserID: c.Subject, AccountID: c.Account, Role: c.Role, Epoch: c.Epoch}, c.IssuedAt.Time, nil
}

func knownRole(r account.Role) bool { return slices.Contains(account.Roles, r) }
