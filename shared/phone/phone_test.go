package phone

import "testing"

func TestE164(t *testing.T) {
	cases := []struct{ in, want string }{
		{"+46812345678", "+46812345678"},
		{" +46 8 123 456 78 ", "+46812345678"},
		{"+46 (8) 123-456.78", "+46812345678"},
		{"+1 650 253 0000", "+16502530000"},
		{"+39 06 1234 5678", "+390612345678"}, // Italy keeps its leading zero
		{"+800 1234 5678", "+80012345678"},    // a non-geographic number
		{"08-123 456 78", ""},                 // national form
		{"+46 08 123 456 78", ""},             // a national prefix after the country code
		{"+4681", ""},                         // too short
		{"+999123456789", ""},                 // no such country
		{"+46abc", ""},                        // letters
		{"+", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, reason := E164(c.in)
		if got != c.want {
			t.Errorf("E164(%q) = %q (%s), want %q", c.in, got, reason, c.want)
		}
		if (reason == "") != (c.want != "") {
			t.Errorf("E164(%q): reason %q does not fit the result", c.in, reason)
		}
	}
}

func TestTimezone(t *testing.T) {
	for number, want := range map[string]string{
		"+46812345678":  "Europe/Stockholm",
		"+16502530000":  "America/Los_Angeles",
		"+12125551234":  "America/New_York",
		"+79161234567":  "Europe/Moscow",
		"+18005551234":  "", // toll-free across the +1 zones
		"+447400123456": "", // a UK mobile: London, Guernsey or the Isle of Man
		"garbage":       "",
	} {
		if got := Timezone(number); got != want {
			t.Errorf("Timezone(%s) = %q, want %q", number, got, want)
		}
	}
}

func TestLines(t *testing.T) {
	cases := []struct {
		number string
		mobile bool
		line   Line
		region string
	}{
		{"+46701234567", true, MobileLine, "SE"},
		{"+46812345678", false, FixedLine, "SE"},
		{"+447400123456", true, MobileLine, "GB"},
		{"+447911123456", true, MobileLine, "GG"}, // +44 shared: told by the number
		{"+442071234567", false, FixedLine, "GB"},
		{"+16502530000", true, NoLine, "US"}, // the US plan does not tell fixed from mobile
		{"+14165550123", true, NoLine, "CA"}, // +1 shared: told by the number
		{"+4620123456", false, NoLine, "SE"}, // Swedish toll-free
		{"garbage", false, NoLine, ""},
	}
	for _, c := range cases {
		if got := IsMobile(c.number); got != c.mobile {
			t.Errorf("IsMobile(%s) = %v, want %v", c.number, got, c.mobile)
		}
		if got := LineOf(c.number); got != c.line {
			t.Errorf("LineOf(%s) = %q, want %q", c.number, got, c.line)
		}
		if got := Region(c.number); got != c.region {
			t.Errorf("Region(%s) = %q, want %q", c.number, got, c.region)
		}
	}
}

// BenchmarkE164 is a warm check: the region's patterns compiled on the first one. Its
// first check compiles them: BenchmarkFirstE164.
func BenchmarkE164(b *testing.B) {
	E164("+46 8 123 456 78")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, reason := E164("+46 8 123 456 78"); reason != "" {
			b.Fatal(reason)
		}
	}
}

// BenchmarkFirstE164 is a cold function's first check of a Swedish number: compiling
// Sweden's patterns, once per instance.
func BenchmarkFirstE164(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		compiled[firstPlan(46)] = compiledRegion{}
		if _, reason := E164("+46 8 123 456 78"); reason != "" {
			b.Fatal(reason)
		}
	}
}

func firstPlan(code int) plan {
	first, _ := plansOf(code)
	return first
}
