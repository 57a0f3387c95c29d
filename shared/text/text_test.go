package text

import (
	"strings"
	"testing"
)

func TestVisible(t *testing.T) {
	for s, want := range map[string]bool{
		"ABC Company": true, "Åsa Öberg AB": true, "東京オフィス": true, "O'Brien & Co.": true,
		"ABC\u0085Company": false, "ABC\u2028Company": false, "ABC\u2029": false, "evil\u202Etxt.exe": false,
		"zero\u200Bwidth": false, "join\u200Dme": false, "bom\uFEFF": false, "tab\there": false, "line\nbreak": false,
		"nul\x00": false, "isolate\u2066x\u2069": false, "replaced\uFFFD": false,
	} {
		if got := Visible(s); got != want {
			t.Errorf("Visible(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestPersonName(t *testing.T) {
	for s, want := range map[string]bool{
		"Alice": true, "Anna-Lena": true, "D'Arcy": true, "J. R.": true, "Zoë": true, "Åke": true, "Nguyễn": true,
		"": false, " Alice": false, "-Anna": false, "Al1ce": false, "Eve\u202E": false, "Bob\u200B": false,
		strings.Repeat("a", 64): true, strings.Repeat("a", 65): false,
	} {
		if got := PersonName(s); got != want {
			t.Errorf("PersonName(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestOfBoundsLengthAndCharacters(t *testing.T) {
	for _, c := range []struct {
		s  string
		ok bool
	}{{"", false}, {"a", false}, {"ab", true}, {"abc", true}, {"abcd", false}, {"aB", false}, {"a-", false}} {
		if got := Of(c.s, "abc", 2, 3); got != c.ok {
			t.Errorf("Of(%q): %v, want %v", c.s, got, c.ok)
		}
	}
}
