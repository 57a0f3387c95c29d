package numberplan

import (
	"bytes"
	"os"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/provisio/provisio/shared/phone"
)

func TestTablesAreCurrent(t *testing.T) {
	want, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../" + Output)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the generator writes from this library version: run make numberplan", Output)
	}
}

// library is what libphonenumber answers for a number, as phone's functions would. A
// number the library rewrites (it strips a national prefix after the country code) is
// one phone refuses, by design (see its package comment).
func library(number string) (e164, region string, line phone.Line, mobile bool, zone string) {
	p, err := phonenumbers.Parse(number, "ZZ")
	if err != nil || !phonenumbers.IsValidNumber(p) || phonenumbers.Format(p, phonenumbers.E164) != number {
		return "", "", phone.NoLine, false, ""
	}
	region = phonenumbers.GetRegionCodeForNumber(p)
	switch phonenumbers.GetNumberType(p) {
	case phonenumbers.MOBILE:
		line, mobile = phone.MobileLine, true
	case phonenumbers.FIXED_LINE:
		line = phone.FixedLine
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		mobile = true
	}
	if zones, err := phonenumbers.GetTimezonesForNumber(p); err == nil && len(zones) == 1 && zones[0] != "Etc/Unknown" {
		zone = zones[0]
	}
	return phonenumbers.Format(p, phonenumbers.E164), region, line, mobile, zone
}

// samples are every region's example numbers of every type, and numbers one digit off
// each (longer, shorter, the last digit changed), in international form.
func samples() []string {
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
		phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}
	var out []string
	add := func(p *phonenumbers.PhoneNumber) {
		if p == nil {
			return
		}
		e := phonenumbers.Format(p, phonenumbers.E164)
		out = append(out, e, e+"5", e[:len(e)-1])
		for d := range 10 {
			out = append(out, e[:len(e)-1]+strconv.Itoa(d))
		}
	}
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range types {
			add(phonenumbers.GetExampleNumberForType(region, typ))
		}
	}
	for code := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		add(phonenumbers.GetExampleNumberForNonGeoEntity(code))
	}
	return out
}

// TestThePlanAgreesWithLibphonenumber checks phone's answers against the library's for
// every sample: validity and E.164 form, region, line and time zone.
func TestThePlanAgreesWithLibphonenumber(t *testing.T) {
	numbers := samples()
	if len(numbers) < 10000 {
		t.Fatalf("only %d samples", len(numbers))
	}
	mismatches, valid, zoned := 0, 0, 0
	for _, n := range numbers {
		e164, region, line, mobile, zone := library(n)
		if e164 != "" {
			valid++
		}
		if zone != "" {
			zoned++
		}
		got, _ := phone.E164(n)
		if got != e164 || phone.Region(n) != region || phone.LineOf(n) != line || phone.IsMobile(n) != mobile || phone.Timezone(n) != zone {
			mismatches++
			if mismatches <= 20 {
				t.Errorf("%s: phone says %q %q %q %v %q; libphonenumber %q %q %q %v %q", n,
					got, phone.Region(n), phone.LineOf(n), phone.IsMobile(n), phone.Timezone(n), e164, region, line, mobile, zone)
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d of %d samples differ", mismatches, len(numbers))
	}
	if valid < len(numbers)/4 || zoned < valid/4 {
		t.Errorf("of %d samples, only %d are valid and %d have one zone: the comparison shows little", len(numbers), valid, zoned)
	}
	t.Logf("%d samples, %d valid, %d with one zone", len(numbers), valid, zoned)
}
