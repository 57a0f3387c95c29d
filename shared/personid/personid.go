// Package personid validates the ID numbers of the owners of ported numbers: a person's
// or an organisation's number, with its check digit. Each country's rule is a Rule; the
// requirements' market is Sweden (personnummer, samordningsnummer, organisationsnummer), and
// another country is added by registering its Rule.
package personid

import (
	"fmt"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/checkdigit"
)

// Owner says who owns a number.
type Owner string

// Owner types.
const (
	Person       Owner = "person"
	Organisation Owner = "organisation"
)

// Rule parses and validates one country's ID numbers. Parse returns the canonical form
// (what is stored) or a caller-safe reason that never repeats the number.
type Rule interface {
	Parse(owner Owner, raw string, today time.Time) (canonical, reason string)
	// Mask hides all but what a person needs to recognise the number.
	Mask(canonical string) string
}

// Rules holds the rule of each country, by ISO 3166-1 alpha-2 code.
var Rules = map[string]Rule{"SE": Swedish{}}

// Parse validates raw for owner under country's rule.
func Parse(country string, owner Owner, raw string, today time.Time) (string, string) {
	r, ok := Rules[country]
	if !ok {
		return "", fmt.Sprintf("ID numbers of country %q are not supported yet", country)
	}
	if owner != Person && owner != Organisation {
		return "", `the owner type must be "person" or "organisation"`
	}
	return r.Parse(owner, raw, today)
}

// Swedish is the rule of Sweden: personnummer (and samordningsnummer, whose day is
// 60 higher) as YYYYMMDD-NNNN, and organisationsnummer as NNNNNN-NNNN, both with the
// Luhn check digit over the last ten digits.
type Swedish struct{}

// Parse implements Rule. Persons may write 10 digits (YYMMDD-NNNN, with "+" for people
// aged 100 or more) or 12 (YYYYMMDDNNNN); the century is then inferred from today.
// Organisations write 10 digits, or 12 with the "16" prefix; a sole trader's
// organisation number is the owner's personnummer.
func (Swedish) Parse(owner Owner, raw string, today time.Time) (string, string) {
	s := strings.TrimSpace(raw)
	sep := byte(0)
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		sep, s = s[i], s[:i]+s[i+1:]
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return "", "must hold only digits, with an optional - or + before the last four"
		}
	}
	if owner == Organisation {
		if len(s) == 12 && strings.HasPrefix(s, "16") {
			s = s[2:]
		}
		if len(s) == 10 && s[2] >= '2' {
			if !checkdigit.Luhn(s) {
				return "", "has a wrong check digit"
			}
			return s[:6] + "-" + s[6:], ""
		}
		// A sole trader: the owner's personnummer.
	}
	switch len(s) {
	case 12:
		if !checkdigit.Luhn(s[2:]) {
			return "", "has a wrong check digit"
		}
	case 10:
		if !checkdigit.Luhn(s) {
			return "", "has a wrong check digit"
		}
		s = century(s, sep == '+', today) + s
	default:
		return "", "must have 10 or 12 digits"
	}
	if !validDate(s[:8]) {
		return "", "does not start with a valid birth date"
	}
	return s[:8] + "-" + s[8:], ""
}

// century infers the first two digits of a 10-digit personnummer: the latest century in
// which the birth date is not in the future, one more back for "+" (aged 100 or more).
func century(s string, hundredPlus bool, today time.Time) string {
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	year := today.Year() - today.Year()%100 + yy
	if year > today.Year() {
		year -= 100
	}
	if hundredPlus {
		year -= 100
	}
	return fmt.Sprintf("%02d", year/100)
}

// validDate checks YYYYMMDD, where a samordningsnummer's day is 61-91.
func validDate(ymd string) bool {
	day := int(ymd[6]-'0')*10 + int(ymd[7]-'0')
	if day > 60 {
		day -= 60
	}
	d, err := time.Parse("20060102", fmt.Sprintf("%s%02d", ymd[:6], day))
	return err == nil && d.Day() == day
}

// Mask implements Rule: the birth date or organisation prefix stays, the last four go.
func (Swedish) Mask(canonical string) string {
	if i := strings.IndexByte(canonical, '-'); i > 0 {
		return canonical[:i] + "-****"
	}
	return "****"
}
