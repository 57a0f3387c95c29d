package contact

import (
	"strings"
	"testing"
)

func TestCredentialIn(t *testing.T) {
	const current = "Tr0ub4dor&3xyz"
	isCurrent := func(w string) bool { return w == current }
	cases := []struct {
		notes string
		hit   bool
	}{
		{"password: hunter2", true},
		{"Password:hunter2", true},
		{"pwd=abc", true},
		{"PIN: 1234", true},
		{"token = abcdef", true},
		{"api-key: xyz", true},
		{"apikey=xyz", true},
		{"Lösenord: sommar2024", true},
		{"the password is swordfish", true},
		{"old pass: x", true},
		{"login via sip://alice:s3cret@pbx.example", true},
		{"password Hunter2Hunter2", true},
		{"pw - Hunter2!", true},
		{"PIN 4711", true},
		{"login kim / Summer2024!", true},
		{"user: kim, Summer2024!", true},
		{"secret 9x", true},
		{"remember " + current + " for later", true},
		{"(" + current + ")", true},
		{strings.Repeat("Aa1!Aa1!Aa1!x ", MaxPasswordChecks+1), true},
		// Near misses: the words without a value, or inside other words.
		{"", false},
		{"Password reset requested by phone on Monday", false},
		{"Passport copy received", false},
		{"Compass: north office", false},
		{"Spin: 3 rounds", false},
		{"Call before 10:00, ask for the PIN-less door", false},
		{"Token ring network in the basement", false},
		{"https://portal.example/help", false},
		{"Prefers email; invoice address Gatan 1", false},
		{"Different strong string Xy9!Xy9!Xy9!", false},
		{"PIN code letter sent by post", false},
		{"User training booked for 2026-12-03", false},
		{"Login problems fixed after the upgrade", false},
		{"Password policy explained; see ticket", false},
		{"Pin the invoice to account 12", false},
	}
	for _, c := range cases {
		reason := CredentialIn(c.notes, isCurrent)
		if (reason != "") != c.hit {
			t.Errorf("%q: reason %q, want hit %v", c.notes, reason, c.hit)
		}
		if reason != "" && (strings.Contains(reason, "hunter2") || strings.Contains(reason, current) || strings.Contains(reason, "s3cret")) {
			t.Errorf("%q: the reason echoes the secret: %q", c.notes, reason)
		}
	}
}

func TestCredentialInChecksFewHashes(t *testing.T) {
	calls := 0
	CredentialIn("one Aa1!Aa1!Aa1! two Bb2!Bb2!Bb2! three", func(string) bool { calls++; return false })
	if calls != 2 {
		t.Fatalf("compared %d words with the password, want the 2 password-shaped ones", calls)
	}
}
