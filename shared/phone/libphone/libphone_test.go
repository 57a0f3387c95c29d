package libphone_test

import (
	"testing"

	"github.com/provisio/provisio/shared/phone"
	_ "github.com/provisio/provisio/shared/phone/libphone"
)

func TestE164(t *testing.T) {
	cases := []struct{ in, want string }{
		{"+46812345678", "+46812345678"},
		{" +46 8 123 456 78 ", "+46812345678"},
		{"+1 650 253 0000", "+16502530000"},
		{"08-123 456 78", ""}, // national form
		{"+4681", ""},         // too short
		{"+999123456789", ""}, // no such country
		{"+46abc", ""},        // letters
		{"", ""},
	}
	for _, c := range cases {
		got, reason := phone.E164(c.in)
		if got != c.want {
			t.Errorf("phone.E164(%q) = %q (%s), want %q", c.in, got, reason, c.want)
		}
		if (reason == "") != (c.want != "") {
			t.Errorf("phone.E164(%q): reason %q does not fit the result", c.in, reason)
		}
	}
}

func TestTimezone(t *testing.T) {
	if got := phone.Timezone("+46812345678"); got != "Europe/Stockholm" {
		t.Errorf("Swedish number: got %q", got)
	}
	if got := phone.Timezone("+16502530000"); got != "America/Los_Angeles" && got != "" {
		t.Errorf("US number: got %q", got)
	}
	if got := phone.Timezone("garbage"); got != "" {
		t.Errorf("garbage: got %q", got)
	}
}

func TestIsMobile(t *testing.T) {
	cases := map[string]bool{
		"+46701234567":  true,  // Swedish mobile
		"+46812345678":  false, // Stockholm fixed line
		"+447911123456": true,  // UK mobile
		"+442071234567": false,
		"+16502530000":  true, // the US plan does not tell fixed from mobile
		"garbage":       false,
	}
	for n, want := range cases {
		if got := phone.IsMobile(n); got != want {
			t.Errorf("phone.IsMobile(%s) = %v, want %v", n, got, want)
		}
	}
}
