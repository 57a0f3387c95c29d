// Package auth signs and verifies the API's access tokens: EdDSA (Ed25519) JWTs with the
// caller's user, account and role, valid for a short time. The key is derived from a
// secret seed kept in Secrets Manager (generated locally), so no key file is ever shipped.
package auth

import (
	"crypto/ed25519"
	"crypto/sha256"
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

// Keys signs and verifies tokens.
type Keys struct {
	private ed25519.PrivateKey
	public  ed25519.PublicKey
	Now     func() time.Time
}

// MinSeedLength is the shortest secret accepted as key material.
const MinSeedLength = 32

// NewKeys derives the signing key from a secret seed (the SHA-256 of the seed is the
// Ed25519 seed), so the secret can be any random string Secrets Manager generates.
func NewKeys(seed string) (*Keys, error) {
	if len(seed) < MinSeedLength {
		return nil, fmt.Errorf("the token signing secret must be at least %d characters", MinSeedLength)
	}
	sum := sha256.Sum256([]byte(seed))
	priv := ed25519.NewKeyFromSeed(sum[:])
	return &Keys{private: priv, public: priv.Public().(ed25519.PublicKey), Now: time.Now}, nil
}

// Issue returns a signed token for c and when it expires.
func (k *Keys) Issue(c Caller, tokenID string) (string, time.Time, error) {
	now := k.Now().UTC().Truncate(time.Second)
	exp := now.Add(TokenTTL)
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims{Account: c.AccountID, Role: c.Role, Epoch: c.Epoch, RegisteredClaims: jwt.RegisteredClaims{
		Subject: c.UserID, Issuer: Issuer, Audience: jwt.ClaimStrings{Audience}, ID: tokenID,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
	}})
	signed, err := t.SignedString(k.private)
	return signed, exp, err
}

// ErrInvalidToken is every reason a token is refused; the reason is not told to callers.
var ErrInvalidToken = errors.New("invalid token")

// Verify checks the signature (EdDSA only: "none" and every other algorithm are refused),
// expiry, issuer, audience and claims, and returns the caller.
func (k *Keys) Verify(token string) (Caller, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return k.public, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), jwt.WithIssuer(Issuer), jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(k.Now), jwt.WithLeeway(5*time.Second))
	if err != nil {
		return Caller{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if c.Subject == "" || c.Account == "" || !knownRole(c.Role) {
		return Caller{}, fmt.Errorf("%w: incomplete claims", ErrInvalidToken)
	}
	return Caller{UserID: c.Subject, AccountID: c.Account, Role: c.Role, Epoch: c.Epoch}, nil
}

func knownRole(r account.Role) bool { return slices.Contains(account.Roles, r) }
