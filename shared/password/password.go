// Package password holds the password policy every administrator password must meet and
// the one way passwords are stored: a bcrypt hash. Clear passwords never leave this
// package in any other form.
package password

import (
	"crypto/rand"
	"io"
	"strings"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"github.com/provisio/provisio/shared/fault"
)

// MinLength and MaxBytes bound a password. bcrypt reads at most 72 bytes, so a longer
// password would be silently truncated: it is refused instead.
const (
	MinLength = 12
	MaxBytes  = 72
)

// Check returns a caller-safe reason why pw breaks the policy, or "" when it meets it.
// The policy: 12 to 72 bytes, at least three of lower case, upper case, digits and
// symbols, and none of the given personal words (user name, tenant name) inside it.
func Check(pw string, personal ...string) string {
	if len([]rune(pw)) < MinLength {
		return "must be at least 12 characters long"
	}
	if len(pw) > MaxBytes {
		return "must be at most 72 bytes long"
	}
	var lower, upper, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsControl(r):
			return "must not contain control characters"
		default:
			symbol = true
		}
	}
	classes := 0
	for _, has := range []bool{lower, upper, digit, symbol} {
		if has {
			classes++
		}
	}
	if classes < 3 {
		return "must mix at least three of: lower case, upper case, digits, symbols"
	}
	folded := strings.ToLower(pw)
	for _, word := range personal {
		if len(word) >= 3 && strings.Contains(folded, strings.ToLower(word)) {
			return "must not contain the user or tenant name"
		}
	}
	return ""
}

// Hash returns the bcrypt hash of pw at the library's default cost.
func Hash(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// Matches reports whether pw is the password behind hash.
func Matches(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// generatedAlphabet leaves out look-alike characters (0/O, 1/l/I) since people type these.
const generatedAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!"

// Generate returns a random 20-character password that meets the policy. random is
// crypto/rand when nil.
func Generate(random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	for {
		b := make([]byte, 20)
		if _, err := io.ReadFull(random, b); err != nil {
			return "", err
		}
		for i := range b {
			b[i] = generatedAlphabet[int(b[i])%len(generatedAlphabet)]
		}
		if pw := string(b); Check(pw) == "" {
			return pw, nil
		}
	}
}

// Protect returns the hash to store for a new sign-in: of given, or, when given is empty,
// of a freshly generated password, which it also returns so the caller can send it once.
// random is crypto/rand when nil. Its errors are Internal faults.
func Protect(random io.Reader, given string) (hash, generated string, err error) {
	pw := given
	if pw == "" {
		if generated, err = Generate(random); err != nil {
			return "", "", fault.Wrap(fault.Internal, err, "could not generate a password")
		}
		pw = generated
	}
	if hash, err = Hash(pw); err != nil {
		return "", "", fault.Wrap(fault.Internal, err, "could not protect the password")
	}
	return hash, generated, nil
}
