// Package phone validates and normalises telephone numbers with libphonenumber's rules
// instead of hand-written patterns. The rules, the world's numbering plans, are static
// tables generated from libphonenumber's metadata (tables.go, by infra/numberplan), and a
// region's patterns are compiled the first time a number of its country code is checked:
// nothing is loaded at start-up, and a function that never checks a number links none
// of it.
//
// Numbers are taken in international form only ("+", the country code, the national
// significant number, with spaces, hyphens, dots, slashes or parentheses between digits).
// Unlike libphonenumber, a national prefix written after the country code
// ("+44 (0)20 …") is not stripped: such a number is refused, with a reason saying so.
package phone

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The number descriptions of a region, in the order libphonenumber tells types apart.
const (
	general = iota
	premiumRate
	tollFree
	sharedCost
	voip
	personalNumber
	pager
	uan
	voicemail
	fixedLine
	mobile
	numDescs
)

// desc is one number type of a region: the national significant numbers it matches and
// their possible lengths, one byte each (none: any length the pattern allows).
type desc struct {
	pattern string
	lengths string
}

// region is one numbering plan: a region of a country calling code, or "001" for a
// non-geographic entity such as +800.
type region struct {
	id                 string
	code               int
	leading            string // the leading digits that tell this region from its code's others
	sameMobileAndFixed bool
	descs              [numDescs]desc
}

// compiledRegion is a region's patterns, compiled on first use.
type compiledRegion struct {
	once     sync.Once
	leading  *regexp.Regexp
	patterns [numDescs]*regexp.Regexp
}

var compiled [len(regions)]compiledRegion

// plan is a region, by its index in regions.
type plan int

func (p plan) region() *region { return &regions[p] }

func (p plan) compiled() *compiledRegion {
	c, r := &compiled[p], p.region()
	c.once.Do(func() {
		if r.leading != "" {
			c.leading = regexp.MustCompile("^(?:" + r.leading + ")")
		}
		for d, desc := range r.descs {
			if desc.pattern != "" {
				c.patterns[d] = regexp.MustCompile("^(?:" + desc.pattern + ")$")
			}
		}
	})
	return c
}

// matches reports whether a national significant number is of type d in p.
func (p plan) matches(nsn string, d int) bool {
	desc := p.region().descs[d]
	if desc.lengths != "" && strings.IndexByte(desc.lengths, byte(len(nsn))) < 0 {
		return false
	}
	re := p.compiled().patterns[d]
	return re != nil && re.MatchString(nsn)
}

// kind is the number type of nsn in p, as libphonenumber decides it; -1 when none.
func (p plan) kind(nsn string) int {
	if !p.matches(nsn, general) {
		return -1
	}
	for _, d := range specialKinds {
		if p.matches(nsn, d) {
			return d
		}
	}
	same := p.region().sameMobileAndFixed
	if p.matches(nsn, fixedLine) {
		if same || p.matches(nsn, mobile) {
			return fixedOrMobile
		}
		return fixedLine
	}
	if !same && p.matches(nsn, mobile) {
		return mobile
	}
	return -1
}

// specialKinds are tried, in libphonenumber's order, before fixed line and mobile.
var specialKinds = [...]int{premiumRate, tollFree, sharedCost, voip, personalNumber, pager, uan, voicemail}

// fixedOrMobile is the kind of a number that a plan does not tell fixed from mobile.
const fixedOrMobile = numDescs

// parsed is a number split into its country code's regions and national number.
type parsed struct {
	code int
	nsn  string
}

// parse splits the digits of an international number after "+": the country code is
// the first one to three digits that name one.
func parse(number string) (parsed, bool) {
	n := strings.TrimSpace(number)
	if !strings.HasPrefix(n, "+") {
		return parsed{}, false
	}
	digits := make([]byte, 0, len(n))
	for _, c := range n[1:] {
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, byte(c))
		case strings.ContainsRune(" -./()\u00a0", c):
		default:
			return parsed{}, false
		}
	}
	for l := 1; l <= 3 && l < len(digits); l++ {
		code := 0
		for _, d := range digits[:l] {
			code = code*10 + int(d-'0')
		}
		if first, end := plansOf(code); end > first {
			nsn := string(digits[l:])
			if len(nsn) < 2 || len(nsn) > 17 {
				return parsed{}, false
			}
			return parsed{code: code, nsn: nsn}, true
		}
	}
	return parsed{}, false
}

// plansOf are the plans of a country calling code, its main region first: the indexes
// [first, end) of regions.
func plansOf(code int) (first, end plan) {
	i, found := slices.BinarySearchFunc(regions[:], code, func(r region, c int) int { return r.code - c })
	if !found {
		return 0, 0
	}
	j := i
	for j < len(regions) && regions[j].code == code {
		j++
	}
	return plan(i), plan(j)
}

// plan is the plan a number belongs to, as libphonenumber decides it: its code's only
// region, or the first whose leading digits, else whose patterns, fit the number.
func (n parsed) plan() (plan, bool) {
	first, end := plansOf(n.code)
	if end-first == 1 {
		return first, true
	}
	for p := first; p < end; p++ {
		if p.region().leading != "" {
			if p.compiled().leading.MatchString(n.nsn) {
				return p, true
			}
		} else if p.kind(n.nsn) >= 0 {
			return p, true
		}
	}
	return 0, false
}

// checked is a valid number: its parts, plan and kind.
type checked struct {
	parsed
	plan plan
	kind int
}

// valid returns a number's parts, plan and kind when it is a valid number.
func valid(number string) (checked, bool) {
	n, ok := parse(number)
	if !ok {
		return checked{}, false
	}
	p, ok := n.plan()
	if !ok {
		return checked{}, false
	}
	k := p.kind(n.nsn)
	return checked{parsed: n, plan: p, kind: k}, k >= 0
}

// E164 returns number in E.164 form when it is a valid number written in international
// form (leading "+"), and a caller-safe reason otherwise.
func E164(number string) (string, string) {
	if !strings.HasPrefix(strings.TrimSpace(number), "+") {
		return "", "must be in international E.164 form, starting with + and the country code"
	}
	n, ok := valid(number)
	if !ok {
		return "", "is not a valid telephone number (in international form, without a national prefix such as 0 after the country code)"
	}
	return "+" + strconv.Itoa(n.code) + n.nsn, ""
}

// Timezone returns the IANA zone of an E.164 number when the numbering plan tells exactly
// one, and "" otherwise (a country spanning zones, or an unknown number).
func Timezone(e164 string) string {
	n, ok := valid(e164)
	if !ok {
		return ""
	}
	digits := strconv.Itoa(n.code) + n.nsn
	for l := len(digits); l > 0; l-- {
		i, found := slices.BinarySearchFunc(zonePrefixes[:], digits[:l], func(z zonePrefix, s string) int { return strings.Compare(z.prefix, s) })
		if found {
			return zoneNames[zonePrefixes[i].zone]
		}
	}
	return ""
}

// zonePrefix is a prefix of international numbers and the zone it tells (an index of
// zoneNames; "" when it tells several).
type zonePrefix struct {
	prefix string
	zone   uint16
}

// IsMobile reports whether an E.164 number can receive SMS as a mobile number by its
// numbering plan (mobile, or a plan that does not tell fixed from mobile).
func IsMobile(e164 string) bool {
	n, ok := valid(e164)
	return ok && (n.kind == mobile || n.kind == fixedOrMobile)
}

// Region returns the ISO 3166-1 alpha-2 region of a valid E.164 number ("001" for a
// non-geographic one), or "".
func Region(e164 string) string {
	if n, ok := valid(e164); ok {
		return n.plan.region().id
	}
	return ""
}

// Line is what a number's plan says it is.
type Line string

// The lines a plan tells apart; NoLine when it does not tell (either fits).
const (
	MobileLine Line = "mobile"
	FixedLine  Line = "fixed"
	NoLine     Line = ""
)

// LineOf returns whether an E.164 number is a mobile or a fixed line by its numbering
// plan, or NoLine.
func LineOf(e164 string) Line {
	n, ok := valid(e164)
	switch {
	case ok && n.kind == mobile:
		return MobileLine
	case ok && n.kind == fixedLine:
		return FixedLine
	}
	return NoLine
}
