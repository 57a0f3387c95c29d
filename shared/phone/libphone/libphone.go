// Package libphone is phone's numbering plan on libphonenumber's metadata (the
// nyaruka/phonenumbers port). Importing it installs the plan:
//
//	import _ "github.com/provisio/provisio/shared/phone/libphone" // checks telephone numbers
//
// It is a package of its own because the library loads its metadata at package init;
// a function that never checks a number does not import it and starts without that cost.
package libphone

import (
	"github.com/nyaruka/phonenumbers"

	"github.com/provisio/provisio/shared/phone"
)

func init() { phone.Use(plan{}) }

type plan struct{}

func (plan) Normalize(number string) (string, bool) {
	parsed, err := phonenumbers.Parse(number, "ZZ")
	if err != nil || !phonenumbers.IsValidNumber(parsed) {
		return "", false
	}
	return phonenumbers.Format(parsed, phonenumbers.E164), true
}

func (plan) Timezone(e164 string) string {
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

func (plan) IsMobile(e164 string) bool {
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

func (plan) Region(e164 string) string {
	parsed, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(parsed)
}

func (plan) LineOf(e164 string) phone.Line {
	parsed, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return phone.NoLine
	}
	switch phonenumbers.GetNumberType(parsed) {
	case phonenumbers.MOBILE:
		return phone.MobileLine
	case phonenumbers.FIXED_LINE:
		return phone.FixedLine
	}
	return phone.NoLine
}
