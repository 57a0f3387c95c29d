package account

import (
	"bytes"
	"regexp"
	"testing"
)

func TestNewRealm(t *testing.T) {
	r, err := NewRealm(bytes.NewReader([]byte{0, 0, 0, 0, 1}), "sip.example")
	if err != nil {
		t.Fatal(err)
	}
	if r != "aaaaaaab.sip.example" {
		t.Fatalf("got %q", r)
	}
	a, _ := NewRealm(nil, "sip.example")
	b, _ := NewRealm(nil, "sip.example")
	if a == b {
		t.Fatal("two random realms are equal")
	}
	if !regexp.MustCompile(`^[a-z2-7]{8}\.sip\.example$`).MatchString(a) {
		t.Fatalf("realm %q is not DNS-safe", a)
	}
	if _, err := NewRealm(bytes.NewReader(nil), "x"); err == nil {
		t.Fatal("want an error when randomness runs out")
	}
}
