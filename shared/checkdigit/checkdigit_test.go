package checkdigit_test

import (
	"testing"

	"github.com/provisio/provisio/shared/checkdigit"
)

func TestLuhn(t *testing.T) {
	for digits, want := range map[string]bool{
		"8112189876":           true,  // a Swedish personnummer's last ten digits
		"8112189877":           false, // its check digit off by one
		"89460800000000000002": true,  // a 20-digit ICCID
		"8946080000000000009":  true,  // a 19-digit one
		"8946080000000000002":  false,
		"79927398713":          true, // the textbook example, odd length
		"":                     false,
		"81121898a6":           false,
	} {
		if got := checkdigit.Luhn(digits); got != want {
			t.Errorf("Luhn(%q) = %v, want %v", digits, got, want)
		}
	}
}
