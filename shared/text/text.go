// Package text checks the free text people type as names and addresses. A name is shown
// in other people's screens, lists, emails and SMS, so it must read the same everywhere:
// no control characters, no line or paragraph separators, nothing invisible (zero-width
// characters, the byte-order mark) and nothing that turns the direction of the text
// around it (U+202E and the other bidirectional controls), which can disguise a name.
// It also makes the keys the lists' prefix searches look in.
package text

import (
	"strings"
	"unicode"
)

// Hidden reports whether r changes how a line reads without being seen: a control
// character (U+0085 among them), a format character (zero-width and bidirectional
// controls, U+FEFF) or a line or paragraph separator.
func Hidden(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) || r == unicode.ReplacementChar
}

// Visible reports whether s holds no hidden character.
func Visible(s string) bool { return !strings.ContainsFunc(s, Hidden) }

// MaxPersonName is the longest first or last name, in characters.
const MaxPersonName = 64

// PersonName reports whether s is a first or last name: a letter, then up to 63 letters,
// combining marks, spaces, dots, hyphens or apostrophes.
func PersonName(s string) bool {
	n := 0
	for i, r := range s {
		n++
		switch {
		case n > MaxPersonName:
			return false
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
		case i > 0 && (r == ' ' || r == '.' || r == '-' || r == '\''):
		default:
			return false
		}
	}
	return n > 0
}

// Character sets for Of.
const (
	Uppercase    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	Lowercase    = "abcdefghijklmnopqrstuvwxyz"
	Digits       = "0123456789"
	Alphanumeric = Uppercase + Lowercase + Digits
)

// Of reports whether s has min to max bytes, each one of the ASCII characters allowed.
// Identifiers are checked this way rather than with a pattern such as ^[a-z]{2,63}$: a
// counted repetition compiles into hundreds of allocations at every cold start.
func Of(s, allowed string, min, max int) bool {
	return len(s) >= min && len(s) <= max && strings.Trim(s, allowed) == ""
}

// SearchKey is what a prefix search looks in: each term lower-case, its words split,
// between single spaces and with a space at each end. A query q (SearchQuery) matches
// when the key contains " "+q: a prefix of any word, and words written next to each
// other (a first and a last name) across the space between them.
func SearchKey(terms ...string) string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, t := range terms {
		for _, w := range strings.Fields(strings.ToLower(t)) {
			b.WriteString(w)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// SearchQuery is q as SearchKey matches it: lower-case, single spaces, trimmed.
func SearchQuery(q string) string { return strings.Join(strings.Fields(strings.ToLower(q)), " ") }

// NumberTerms are numbers' search terms: each as written (+46…) and without its plus, so
// "4670" finds what "+4670" does.
func NumberTerms(numbers ...string) []string {
	var out []string
	for _, n := range numbers {
		if n != "" {
			out = append(out, n, strings.TrimPrefix(n, "+"))
		}
	}
	return out
}
