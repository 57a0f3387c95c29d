package personid

import (
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func TestSwedish(t *testing.T) {
	cases := []struct {
		name  string
		owner Owner
		raw   string
		want  string // "" means refused
	}{
		{"12 digits", Person, "198112189876", "19811218-9876"},
		{"12 digits with hyphen", Person, "19811218-9876", "19811218-9876"},
		{"10 digits infers 1900s", Person, "811218-9876", "19811218-9876"},
		{"10 digits infers 2000s", Person, "0801011230", "20080101-1230"},
		{"plus means 100 or more", Person, "081231+1231", "19081231-1231"},
		{"coordination number", Person, "701063-2391", "19701063-2391"},
		{"wrong check digit", Person, "811218-9875", ""},
		{"impossible date", Person, "19811318-9871", ""},
		{"February 30th", Person, "19810230-0005", ""},
		{"letters", Person, "81121B-9876", ""},
		{"too short", Person, "8112189", ""},
		{"organisation", Organisation, "556036-0793", "556036-0793"},
		{"organisation with 16", Organisation, "165560360793", "556036-0793"},
		{"organisation wrong check", Organisation, "556036-0794", ""},
		{"sole trader", Organisation, "811218-9876", "19811218-9876"},
		{"person's number as organisation, bad check", Organisation, "811218-9875", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, reason := Parse("SE", c.owner, c.raw, today)
			if got != c.want || (c.want == "") != (reason != "") {
				t.Fatalf("Parse(%q) = %q, %q; want %q", c.raw, got, reason, c.want)
			}
			if reason != "" && strings.Contains(reason, c.raw) {
				t.Fatal("the reason repeats the number")
			}
		})
	}
	if got, _ := Parse("SE", Person, "081231-1231", today); got != "20081231-1231" {
		t.Fatalf("with a hyphen the same digits are a 2008 birth: %q", got)
	}
	if _, reason := Parse("NO", Person, "811218-9876", today); reason == "" {
		t.Fatal("an unsupported country was accepted")
	}
	if _, reason := Parse("SE", "robot", "811218-9876", today); reason == "" {
		t.Fatal("an unknown owner type was accepted")
	}
	if m := (Swedish{}).Mask("19811218-9876"); m != "19811218-****" {
		t.Fatalf("mask %q", m)
	}
}

// FuzzSwedish: the parser never panics, and what it accepts is canonical and parses to
// itself again.
func FuzzSwedish(f *testing.F) {
	for _, s := range []string{"198112189876", "811218-9876", "556036-0793", "081231+1238", "", "-", "+-+", "99999999999999"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, person bool) {
		owner := Organisation
		if person {
			owner = Person
		}
		got, reason := Parse("SE", owner, raw, today)
		if (got == "") == (reason == "") {
			t.Fatalf("Parse(%q) = %q, %q: exactly one must be set", raw, got, reason)
		}
		if got != "" {
			if again, r := Parse("SE", owner, got, today); again != got {
				t.Fatalf("canonical %q parses to %q (%s)", got, again, r)
			}
		}
	})
}
