package contact

import (
	"regexp"
	"strings"
	"sync"

	"github.com/provisio/provisio/shared/password"
)

// MaxNotes bounds each notes field.
const MaxNotes = 2000

// MaxPasswordChecks bounds how many password-shaped words of a note are compared with the
// contact's password hash: each comparison is a deliberate bcrypt cost.
const MaxPasswordChecks = 8

// credentialRule is one way a note can carry a credential; the name is what a refusal
// says, so the note's text is never echoed.
type credentialRule struct {
	name    string
	pattern *regexp.Regexp
}

// credentialRules are the patterns docs/contacts.md lists. Words are matched whole, so
// "Compass: north" or "passport" do not hit. They are compiled on first use, not at cold
// start: their Unicode classes cost every function that links this package.
var credentialRules = sync.OnceValue(func() []credentialRule {
	return []credentialRule{
		{`a secret word followed by ":" or "=" and a value (password:, pwd=, pin:, token=, ...)`,
			regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])(password|passwd|passwort|passcode|pass|pwd|pw|pin|secret|token|api[ _-]?key|lösenord|losenord)\s*[:=]\s*\S`)},
		{`a secret word followed by "is" and a value (password is ...)`,
			regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])(password|passwd|passcode|pwd|pin|lösenord|losenord)\s+(is|was|är)\s+\S`)},
		{`a secret word followed by a value with digits (password Hunter2, pw - Hunter2!, PIN 4711)`,
			regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])(password|passwd|passwort|passcode|pwd|pw|pin|secret|token|api[ _-]?key|lösenord|losenord|kod)\s*[-–:=/]?\s*(\d{4,}|[^\s\d]+\d\S*|\d+[^\s\d]\S*)`)},
		{`a login and a value with digits beside it (login kim / Summer2024!)`,
			regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])(login|user|username|användare|användarnamn)\s*[:=]?\s*\S+\s*[/|,;]\s*\S*\d\S*`)},
		{`credentials inside a link (scheme://user:password@host)`,
			regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://[^\s/:@]+:[^\s/@]+@`)},
	}
})

// CredentialIn returns why notes look like they carry a credential, or "" when they do
// not. isPassword, when not nil, tells whether a word is the contact's current password;
// it is asked only about words that meet the password policy, at most MaxPasswordChecks
// of them (more such words are refused as a pile of passwords).
func CredentialIn(notes string, isPassword func(string) bool) string {
	for _, r := range credentialRules() {
		if r.pattern.MatchString(notes) {
			return "looks like it holds a credential (" + r.name + "): never keep passwords in notes"
		}
	}
	var shaped []string
	for _, word := range strings.Fields(notes) {
		word = strings.Trim(word, `"'()[]{}<>,;`)
		if password.Check(word) == "" {
			shaped = append(shaped, word)
		}
	}
	if len(shaped) > MaxPasswordChecks {
		return "holds many password-like strings: never keep passwords in notes"
	}
	if isPassword != nil {
		for _, word := range shaped {
			if isPassword(word) {
				return "holds the contact's current password: never keep passwords in notes"
			}
		}
	}
	return ""
}
