// Package checkdigit validates the check digits that identity and card numbers end in.
package checkdigit

// Luhn reports whether a string of ASCII digits ends in a valid Luhn (mod 10) check
// digit, as Swedish ID numbers and SIM cards' ICCIDs do. Every second digit is doubled
// counting from the right, so numbers of any length check alike.
func Luhn(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
