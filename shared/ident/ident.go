// Package ident makes record identifiers and link tokens: random, URL-safe and
// unguessable, because some (registration IDs, links in messages) reach the public.
package ident

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// New returns prefix followed by 26 lower-case base32 characters (128 random bits).
func New(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return prefix + strings.ToLower(encoding.EncodeToString(b))
}

// NewToken returns a random URL-safe token of 256 bits, for links sent to people.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what is stored of a token: its SHA-256, hex. Tokens are random and long,
// so a plain hash is enough to make a leaked table useless for following links.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
