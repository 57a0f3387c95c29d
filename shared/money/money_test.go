package money

import (
	"errors"
	"math"
	"testing"
)

func TestSum(t *testing.T) {
	cases := []struct {
		in   []int64
		want int64
		err  error
	}{
		{nil, 0, nil},
		{[]int64{1, 2, 3}, 6, nil},
		{[]int64{10, -25}, -15, nil},
		{[]int64{math.MaxInt64, 0}, math.MaxInt64, nil},
		{[]int64{math.MaxInt64, 1}, 0, ErrOverflow},
		{[]int64{math.MinInt64, -1}, 0, ErrOverflow},
		{[]int64{math.MaxInt64, 1, -1}, 0, ErrOverflow}, // overflow on the way counts
		// Float64 cannot hold every cent of this; integers can.
		{[]int64{9007199254740993, 1}, 9007199254740994, nil},
	}
	for _, c := range cases {
		got, err := Sum(c.in...)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("Sum(%v) = %d, %v; want %d, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		minor    int64
		currency string
		want     string
	}{
		{0, "SEK", "0.00"},
		{5, "SEK", "0.05"},
		{12345, "SEK", "123.45"},
		{-5, "EUR", "-0.05"},
		{-12345, "eur", "-123.45"},
		{1500, "JPY", "1500"},
		{1234, "KWD", "1.234"},
		{math.MinInt64, "SEK", "-92233720368547758.08"},
		{math.MaxInt64, "SEK", "92233720368547758.07"},
	}
	for _, c := range cases {
		if got := Format(c.minor, c.currency); got != c.want {
			t.Errorf("Format(%d, %s) = %q, want %q", c.minor, c.currency, got, c.want)
		}
	}
}
