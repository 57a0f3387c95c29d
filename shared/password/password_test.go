package password

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name, pw string
		personal []string
		ok       bool
	}{
		{"three classes", "correct-Horse7", nil, true},
		{"four classes", "Tr0ub4dor&3xyz", nil, true},
		{"unicode letters", "Smörgåsbord-123", nil, true},
		{"too short", "Ab1!", nil, false},
		{"two classes", "alllowercase123", nil, false},
		{"too long for bcrypt", "Aa1!" + strings.Repeat("x", 69), nil, false},
		{"contains user name", "keAdmin-Secret99", []string{"keAdmin"}, false},
		{"contains tenant name case-folded", "KENTONelec#2026", []string{"kentonelec"}, false},
		{"short personal words ignored", "ke-Secret-2026x", []string{"ke"}, true},
		{"control character", "Secret-2026\x00ab", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reason := Check(c.pw, c.personal...)
			if (reason == "") != c.ok {
				t.Fatalf("Check(%q) = %q, want ok=%v", c.pw, reason, c.ok)
			}
			if strings.Contains(reason, c.pw) {
				t.Fatal("the reason echoes the password")
			}
		})
	}
}

func TestHashMatches(t *testing.T) {
	h, err := Hash("correct-Horse7")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "Horse") {
		t.Fatal("hash contains the password")
	}
	if !Matches(h, "correct-Horse7") {
		t.Fatal("the right password does not match")
	}
	if Matches(h, "correct-Horse8") {
		t.Fatal("a wrong password matches")
	}
	if Matches("not-a-hash", "correct-Horse7") {
		t.Fatal("a broken hash matches")
	}
}

func TestGenerate(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		pw, err := Generate(nil)
		if err != nil || Check(pw) != "" || len(pw) != 20 || seen[pw] {
			t.Fatalf("generated %q: %v", pw, err)
		}
		seen[pw] = true
	}
}
