package calls

import (
	"strings"
	"testing"
)

func TestRecordIDsAndDialledNumbers(t *testing.T) {
	for id, ok := range map[string]bool{
		"": false, "sw-1": true, "a.b:c@d_e-f": true, strings.Repeat("x", 128): true, strings.Repeat("x", 129): false,
		"a b": false, "åäö": false, "id/1": false,
	} {
		if recordID(id) != ok {
			t.Errorf("record ID %q: %v, want %v", id, !ok, ok)
		}
	}
	for n, ok := range map[string]bool{
		"": false, "+": false, "+46701234567": true, "112": true, "*31#": true, "++46": false, "+46 70": false,
		strings.Repeat("1", 32): true, strings.Repeat("1", 33): false, "46-70": false,
	} {
		if dialled(n) != ok {
			t.Errorf("number %q: %v, want %v", n, !ok, ok)
		}
	}
}
