// Package numbering is the account's number inventory (docs/requirements.md, UW-8 and CM-7): number range
// parameters, the free numbers in them that the user wizard offers, and the internal
// number blocks assigned from them. A number is used by at most one user, alias,
// subscription or client account platform-wide; the store's number guards enforce it.
package numbering

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/phone"
)

// Kind says whether a range holds fixed-line or mobile numbers.
type Kind string

// Range kinds.
const (
	Fixed  Kind = "fixed"
	Mobile Kind = "mobile"
)

// Limits on ranges and blocks (docs/numbers.md).
const (
	MaxRangeSize = 10000
	BlockSize    = 100
	// ExtensionDigits is how many trailing digits of a number form its internal number.
	ExtensionDigits = 4
)

// Range is a run of consecutive numbers an account may give out.
type Range struct {
	ID        string    `json:"id"` // "rng-" and the first number's digits: unique within its account
	AccountID string    `json:"accountId"`
	Start     string    `json:"start"`
	End       string    `json:"end"`
	Kind      Kind      `json:"kind"`
	Size      int       `json:"size"`
	CreatedAt time.Time `json:"createdAt"`
}

// NewRange validates range parameters: both ends valid numbers of the kind asked for
// (as libphonenumber tells), in E.164, of one length, start before end, at most
// MaxRangeSize numbers.
func NewRange(accountID, start, end string, kind Kind, now time.Time) (Range, error) {
	var f fault.Fields
	s, reason := phone.E164(start)
	if reason != "" {
		f.Add("start", reason)
	}
	e, reason := phone.E164(end)
	if reason != "" {
		f.Add("end", reason)
	}
	if kind != Fixed && kind != Mobile {
		f.Add("kind", `must be "fixed" or "mobile"`)
	}
	if err := f.Err(); err != nil {
		return Range{}, err
	}
	for _, end := range []struct{ field, n string }{{"start", s}, {"end", e}} {
		if k := kindOf(end.n); k != kind && k != "" {
			f.Add(end.field, fmt.Sprintf("is a %s number, not %s", k, kind))
		}
	}
	size := 0
	switch {
	case len(s) != len(e):
		f.Add("end", "must have as many digits as start")
	case e < s:
		f.Add("end", "must not come before start")
	default:
		diff := new(big.Int).Sub(digits(e), digits(s))
		if diff.Cmp(big.NewInt(MaxRangeSize-1)) > 0 {
			f.Add("end", fmt.Sprintf("makes the range longer than %d numbers", MaxRangeSize))
		} else {
			size = int(diff.Int64()) + 1
		}
	}
	if err := f.Err(); err != nil {
		return Range{}, err
	}
	return Range{ID: RangeID(s), AccountID: accountID, Start: s, End: e, Kind: kind, Size: size, CreatedAt: now}, nil
}

// kindOf is the library's word on a number: fixed, mobile, or "" when the plan does
// not tell (either fits).
func kindOf(e164 string) Kind {
	switch phone.LineOf(e164) {
	case phone.MobileLine:
		return Mobile
	case phone.FixedLine:
		return Fixed
	}
	return ""
}

func digits(e164 string) *big.Int {
	n, _ := new(big.Int).SetString(strings.TrimPrefix(e164, "+"), 10) // E.164 digits parse
	return n
}

// At returns the i-th number of the range (0-based).
func (r Range) At(i int) string {
	n := new(big.Int).Add(digits(r.Start), big.NewInt(int64(i)))
	return "+" + n.String()
}

// Index returns where n stands in the range.
func (r Range) Index(n string) (int, bool) {
	if len(n) != len(r.Start) || n < r.Start || n > r.End {
		return 0, false
	}
	return int(new(big.Int).Sub(digits(n), digits(r.Start)).Int64()), true
}

// Within reports whether every number of r is a number of o.
func (r Range) Within(o Range) bool {
	return len(r.Start) == len(o.Start) && o.Start <= r.Start && r.End <= o.End
}

// RangeID is the ID of the range that starts at start.
func RangeID(start string) string { return "rng-" + strings.TrimPrefix(start, "+") }

// Holds reports whether any of ranges holds n.
func Holds(ranges []Range, n string) bool {
	return slices.ContainsFunc(ranges, func(r Range) bool { _, ok := r.Index(n); return ok })
}

// Overlaps reports whether two ranges share a number.
func (r Range) Overlaps(o Range) bool {
	return len(r.Start) == len(o.Start) && r.Start <= o.End && o.Start <= r.End
}

// Block is an internal number block: BlockSize numbers of a range whose trailing digits
// serve as internal numbers (for SIP authentication and short dialling).
type Block struct {
	AccountID      string    `json:"accountId"`
	First          string    `json:"first"`
	Last           string    `json:"last"`
	FirstExtension string    `json:"firstExtension"`
	LastExtension  string    `json:"lastExtension"`
	Size           int       `json:"size"`
	CreatedAt      time.Time `json:"createdAt"`
}

// NextBlock returns the first block of the ranges (in order) that overlaps none of the
// taken blocks, or a Conflict saying why there is none.
func NextBlock(ranges []Range, taken []Block, now time.Time) (Block, error) {
	if len(ranges) == 0 {
		return Block{}, fault.New(fault.Conflict, "the account has no number range parameters: add a number range before an internal number block")
	}
	for _, r := range ranges {
		for i := 0; i+BlockSize <= r.Size; i += BlockSize {
			b := Block{AccountID: r.AccountID, First: r.At(i), Last: r.At(i + BlockSize - 1), Size: BlockSize, CreatedAt: now}
			b.FirstExtension, b.LastExtension = b.First[len(b.First)-ExtensionDigits:], b.Last[len(b.Last)-ExtensionDigits:]
			free := true
			for _, t := range taken {
				if len(t.First) == len(b.First) && b.First <= t.Last && t.First <= b.Last {
					free = false
					break
				}
			}
			if free {
				return b, nil
			}
		}
	}
	return Block{}, fault.New(fault.Conflict, "every %d-number block of the account's ranges is assigned: add a number range", BlockSize)
}
