// Package money is exact arithmetic on amounts in integer minor units (öre, cents):
// money never passes through floating point.
package money

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrOverflow is returned when a sum does not fit in 64 bits.
var ErrOverflow = errors.New("the amount is too large")

// Add returns a+b, or ErrOverflow.
func Add(a, b int64) (int64, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, ErrOverflow
	}
	return a + b, nil
}

// Sum returns the sum of amounts, or ErrOverflow.
func Sum(amounts ...int64) (int64, error) {
	var total int64
	for _, a := range amounts {
		var err error
		if total, err = Add(total, a); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// exponents are the ISO 4217 currencies whose minor unit is not a hundredth.
var exponents = map[string]int{"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3}

// Exponent returns how many decimals currency's minor unit has (2 unless listed).
func Exponent(currency string) int {
	if e, ok := exponents[strings.ToUpper(currency)]; ok {
		return e
	}
	return 2
}

// Format writes minor units as a decimal amount with the currency's decimals, without
// rounding: Format(12345, "SEK") is "123.45", Format(-5, "SEK") is "-0.05".
func Format(minor int64, currency string) string {
	exp := Exponent(currency)
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign, u = "-", uint64(-(minor+1))+1 // MinInt64 has no positive int64
	}
	if exp == 0 {
		return fmt.Sprintf("%s%d", sign, u)
	}
	div := uint64(math.Pow10(exp))
	return fmt.Sprintf("%s%d.%0*d", sign, u/div, exp, u%div)
}
