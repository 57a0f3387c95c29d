// Package ident makes record identifiers: random, URL-safe and unguessable, because some
// (registration IDs) are shown to the public and must not be enumerable.
package ident

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// New returns prefix followed by 26 lower-case base32 characters (128 random bits).
func New(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return prefix + strings.ToLower(encoding.EncodeToString(b))
}
