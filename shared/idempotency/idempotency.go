// Package idempotency makes creates safe to retry: the first request with an
// Idempotency-Key leaves a record (written in the same transaction as what it created)
// that a retry with the same key and the same request finds and answers from.
package idempotency

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

// TTL is how long a key is remembered.
const TTL = 24 * time.Hour

// Record remembers what the first request with a key created.
type Record struct {
	// Scope keeps keys of different callers apart: the same key from another account
	// is another key, so nobody can replay someone else's answer.
	Scope       string
	Key         string
	Fingerprint string
	ResourceID  string
	ExpiresAt   time.Time
}

// Fingerprint identifies a request. Leave secrets out of v (compare them against their
// stored hashes instead): the fingerprint is stored.
func Fingerprint(v any) string {
	raw, _ := json.Marshal(v) // request values of plain fields: cannot fail
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// CheckKey returns an Invalid error for a key that is too long or not printable ASCII.
func CheckKey(key string) error {
	if len(key) > 255 {
		return Reused("must be at most 255 characters")
	}
	for _, c := range key {
		if c < 0x21 || c > 0x7e {
			return Reused("must be printable ASCII without spaces")
		}
	}
	return nil
}

// Reused is the error for a key that cannot be used as sent.
func Reused(reason string) error {
	return &fault.Error{Code: fault.Invalid, Message: "the Idempotency-Key cannot be used",
		Fields: []fault.FieldReason{{Field: "Idempotency-Key", Reason: reason}}}
}

// ErrOtherRequest is the answer to a key sent again with a different request.
var ErrOtherRequest = Reused("was used with a different request body; use a new key")
