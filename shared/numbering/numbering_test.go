package numbering

import (
	"testing"
	"time"

	"github.com/provisio/provisio/shared/fault"
)

var now = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func TestNewRange(t *testing.T) {
	cases := []struct {
		name, start, end string
		kind             Kind
		size             int
		field            string
	}{
		{"fixed Stockholm range", "+46812340000", "+46812340099", Fixed, 100, ""},
		{"mobile range", "+46701000000", "+46701000009", Mobile, 10, ""},
		{"spaces normalised", "+46 8 1234 0000", "+46 8 1234 0009", Fixed, 10, ""},
		{"single number", "+46812340000", "+46812340000", Fixed, 1, ""},
		{"end before start", "+46812340099", "+46812340000", Fixed, 0, "end"},
		{"too long", "+46812300000", "+46812399999", Fixed, 0, "end"},
		{"kind does not match", "+46812340000", "+46812340099", Mobile, 0, "start"},
		{"bad start", "08-1234", "+46812340099", Fixed, 0, "start"},
		{"unknown kind", "+46812340000", "+46812340099", "voip", 0, "kind"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewRange("acc-1", c.start, c.end, c.kind, now)
			if c.field == "" {
				if err != nil || r.Size != c.size {
					t.Fatalf("got %+v, %v", r, err)
				}
				return
			}
			fe, ok := err.(*fault.Error)
			if !ok || fe.Fields[0].Field != c.field {
				t.Fatalf("want %s refused, got %v", c.field, err)
			}
		})
	}
}

func TestRangeArithmetic(t *testing.T) {
	r, _ := NewRange("acc-1", "+46812340000", "+46812340099", Fixed, now)
	if r.At(0) != "+46812340000" || r.At(99) != "+46812340099" {
		t.Fatal("At")
	}
	if i, ok := r.Index("+46812340042"); !ok || i != 42 {
		t.Fatal("Index")
	}
	if _, ok := r.Index("+46812340100"); ok {
		t.Fatal("Index outside")
	}
	o, _ := NewRange("acc-2", "+46812340050", "+46812340150", Fixed, now)
	far, _ := NewRange("acc-2", "+46812340100", "+46812340150", Fixed, now)
	if !r.Overlaps(o) || r.Overlaps(far) {
		t.Fatal("Overlaps")
	}
}

func TestNextBlock(t *testing.T) {
	if _, err := NextBlock(nil, nil, now); !fault.Is(err, fault.Conflict) {
		t.Fatalf("no ranges: %v", err)
	}
	r, _ := NewRange("acc-1", "+46812340000", "+46812340249", Fixed, now)
	b1, err := NextBlock([]Range{r}, nil, now)
	if err != nil || b1.First != "+46812340000" || b1.Last != "+46812340099" || b1.FirstExtension != "0000" || b1.LastExtension != "0099" {
		t.Fatalf("first block %+v %v", b1, err)
	}
	b2, _ := NextBlock([]Range{r}, []Block{b1}, now)
	if b2.First != "+46812340100" {
		t.Fatalf("second block %+v", b2)
	}
	if _, err := NextBlock([]Range{r}, []Block{b1, b2}, now); !fault.Is(err, fault.Conflict) {
		t.Fatalf("the last 50 numbers make no block: %v", err)
	}
}
