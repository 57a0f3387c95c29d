// Package phone validates and normalises telephone numbers with libphonenumber's rules
// instead of hand-written patterns. The rules themselves, the world's numbering plans,
// are a Plan that package libphone installs when a function's main imports it: the
// library loads all its metadata at package init (about 6 ms and 5.6 MB of binary), so
// only the functions that check numbers carry it. infra/footprint fails when a function
// can call this package without linking libphone.
package phone

import "strings"

// Plan is what tells numbers apart; every number it is given is in international form.
type Plan interface {
	// Normalize returns the number in E.164 form when it is a valid number.
	Normalize(number string) (e164 string, ok bool)
	// Timezone is the IANA zone of a number when its plan tells exactly one, or "".
	Timezone(e164 string) string
	// IsMobile reports whether a number can receive SMS as a mobile number.
	IsMobile(e164 string) bool
	// Region is the ISO 3166-1 alpha-2 region of a number, or "".
	Region(e164 string) string
	// LineOf is whether a number is a mobile or a fixed line, or NoLine.
	LineOf(e164 string) Line
}

var plan Plan

// Use installs the numbering plan every function of this package consults.
func Use(p Plan) { plan = p }

// rules is the installed plan. A function that checks numbers without one is a build
// defect, which infra/footprint's test catches before deployment by looking for this
// function in each binary: it is kept out of line so that it can be seen there.
//
//go:noinline
func rules() Plan {
	if plan == nil {
		panic("phone: no numbering plan: import github.com/provisio/provisio/shared/phone/libphone in this function's main")
	}
	return plan
}

// E164 returns number in E.164 form when it is a valid number written in international
// form (leading "+"), and a caller-safe reason otherwise.
func E164(number string) (string, string) {
	n := strings.TrimSpace(number)
	if !strings.HasPrefix(n, "+") {
		return "", "must be in international E.164 form, starting with + and the country code"
	}
	e164, ok := rules().Normalize(n)
	if !ok {
		return "", "is not a valid telephone number"
	}
	return e164, ""
}

// Timezone returns the IANA zone of an E.164 number when the numbering plan tells exactly
// one, and "" otherwise (a country spanning zones, or an unknown number).
func Timezone(e164 string) string { return rules().Timezone(e164) }

// IsMobile reports whether an E.164 number can receive SMS as a mobile number by its
// numbering plan (mobile, or a plan that does not tell fixed from mobile).
func IsMobile(e164 string) bool { return rules().IsMobile(e164) }

// Region returns the ISO 3166-1 alpha-2 region of an E.164 number, or "".
func Region(e164 string) string { return rules().Region(e164) }

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
func LineOf(e164 string) Line { return rules().LineOf(e164) }
