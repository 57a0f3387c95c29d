// Package phone validates and normalises telephone numbers with libphonenumber's rules
// (the nyaruka/phonenumbers port) instead of hand-written patterns.
package phone

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// E164 returns number in E.164 form when it is a valid number written in international
// form (leading "+"), and a caller-safe reason otherwise.
func E164(number string) (string, string) {
	n := strings.TrimSpace(number)
	if !strings.HasPrefix(n, "+") {
		return "", "must be in international E.164 form, starting with + and the country code"
	}
	parsed, err := phonenumbers.Parse(n, "ZZ")
	if err != nil || !phonenumbers.IsValidNumber(parsed) {
		return "", "is not a valid telephone number"
	}
	return phonenumbers.Format(parsed, phonenumbers.E164), ""
}

// Timezone returns the IANA zone of an E.164 number when the numbering plan tells exactly
// one, and "" otherwise (a country spanning zones, or an unknown number).
func Timezone(e164 string) string {
	parsed, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return ""
	}
	zones, err := phonenumbers.GetTimezonesForNumber(parsed)
	if err != nil || len(zones) != 1 || zones[0] == "Etc/Unknown" {
		return ""
	}
	return zones[0]
}

// IsMobile reports whether an E.164 number can receive SMS as a mobile number by its
// numbering plan (mobile, or a plan that does not tell fixed from mobile).
func IsMobile(e164 string) bool {
	parsed, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return false
	}
	switch phonenumbers.GetNumberType(parsed) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return true
	}
	return false
}

// Region returns the ISO 3166-1 alpha-2 region of an E.164 number, or "".
func Region(e164 string) string {
	parsed, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(parsed)
}

// Line is what a number's plan says it is.
type Line string

// The lines a plan tells apart; NoLine when it does not tell (either fits).
const (
	MobileLine Line = "mobile"
	FixedLine  Line = "fixed"
	NoLine     Line = ""
)

// LineOf returns whether an E.164 number is a mobile or a fixed line by its numbering
// plan, or NoLine.
func LineOf(e164 string) Line {
	parsed, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return NoLine
	}
	switch phonenumbers.GetNumberType(parsed) {
	case phonenumbers.MOBILE:
		return MobileLine
	case phonenumbers.FIXED_LINE:
		return FixedLine
	}
	return NoLine
}
