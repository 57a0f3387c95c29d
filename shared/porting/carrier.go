package porting

import (
	"fmt"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/text"
)

// LosingCarrier is what the carrier the number leaves needs to release it, as port desks
// ask for it: who the carrier is, the owner's account there, the PIN or a billing number
// that proves it, and who signed the letter of authorisation, when. The wizard may leave
// any of it out; a request is scheduled only once it is complete.
type LosingCarrier struct {
	Name          string `json:"name,omitempty"`
	AccountNumber string `json:"accountNumber,omitempty"`
	// PIN is the port-out code; shown to operators only, masked in audit diffs.
	PIN           string `json:"pin,omitempty"`
	BillingNumber string `json:"billingNumber,omitempty"`
	SigneeName    string `json:"signeeName,omitempty"`
	SignedOn      string `json:"signedOn,omitempty"` // YYYY-MM-DD
}

// Normalized returns c with its fields trimmed.
func (c LosingCarrier) Normalized() LosingCarrier {
	for _, f := range []*string{&c.Name, &c.AccountNumber, &c.PIN, &c.BillingNumber, &c.SigneeName, &c.SignedOn} {
		*f = strings.TrimSpace(*f)
	}
	return c
}

// Check adds to f, under prefix (such as "losingCarrier."), what is wrong with the fields
// c has; today is the date in the account's zone, which a signature may not be after.
func (c LosingCarrier) Check(f *fault.Fields, prefix string, today string) {
	for _, v := range []struct {
		field, value string
		max          int
	}{
		{"name", c.Name, 100}, {"accountNumber", c.AccountNumber, 50}, {"pin", c.PIN, 20},
		{"billingNumber", c.BillingNumber, 30}, {"signeeName", c.SigneeName, 100},
	} {
		if len(v.value) > v.max || !text.Visible(v.value) {
			f.Add(prefix+v.field, fmt.Sprintf("must be at most %d characters, without control characters", v.max))
		}
	}
	if c.SignedOn != "" {
		if _, err := time.Parse(time.DateOnly, c.SignedOn); err != nil {
			f.Add(prefix+"signedOn", "must be a date such as 2026-12-01")
		} else if c.SignedOn > today {
			f.Add(prefix+"signedOn", "must not be in the future")
		}
	}
}

// Missing names the fields a losing carrier's details still need before the request is
// scheduled: every one, but only one of the PIN and the billing number.
func (c LosingCarrier) Missing() []string {
	var out []string
	for _, v := range []struct{ field, value string }{
		{"name", c.Name}, {"accountNumber", c.AccountNumber}, {"pin or billingNumber", c.PIN + c.BillingNumber},
		{"signeeName", c.SigneeName}, {"signedOn", c.SignedOn},
	} {
		if v.value == "" {
			out = append(out, "losingCarrier."+v.field)
		}
	}
	return out
}
