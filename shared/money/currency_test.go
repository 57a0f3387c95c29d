package money

import "testing"

func TestKnownCurrency(t *testing.T) {
	for code, want := range map[string]bool{"SEK": true, "EUR": true, "USD": true, "JPY": true, "ZWG": true, "AED": true,
		"XYZ": false, "sek": false, "SE": false, "SEKK": false, "": false, "EK ": false, "D A": false, "XTS": false} {
		if got := KnownCurrency(code); got != want {
			t.Errorf("KnownCurrency(%q) = %v, want %v", code, got, want)
		}
	}
}
