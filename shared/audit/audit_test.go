package audit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type doc struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Tenant struct {
		AdminUserName string `json:"adminUserName"`
		PasswordHash  string `json:"passwordHash"`
	} `json:"tenant"`
	Password string `json:"password,omitempty"`
}

func TestDiffListsChangedFieldsOnly(t *testing.T) {
	before := doc{Name: "Kenton", Status: "queued"}
	after := before
	after.Status = "provisioning"
	got := Diff(before, after)
	want := map[string]Change{"status": {Before: "queued", After: "provisioning"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("diff (-want +got):\n%s", d)
	}
}

func TestDiffMasksSecretsAtAnyDepth(t *testing.T) {
	after := doc{Name: "Kenton", Password: "Sup3r-Secret!x"}
	after.Tenant.AdminUserName = "keAdmin"
	after.Tenant.PasswordHash = "$2a$10$abcdefghijklmnopqrstuv"
	e := New(time.Unix(0, 0), "public", "registration.create", "registration", "r1", nil, after)
	raw, _ := json.Marshal(e)
	for _, secret := range []string{"Sup3r-Secret!x", "$2a$10$"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("audit entry leaks %q: %s", secret, raw)
		}
	}
	if !strings.Contains(string(raw), "keAdmin") || !strings.Contains(string(raw), Masked) {
		t.Fatalf("audit entry lost the non-secret or the mask: %s", raw)
	}
}

func TestDiffOfDeleteHasBeforeOnly(t *testing.T) {
	got := Diff(doc{Name: "A"}, nil)
	if c := got["name"]; c.Before != "A" || c.After != nil {
		t.Fatalf("got %+v", got)
	}
}

func TestRedactedHidesWhatItsReaderMayNotSee(t *testing.T) {
	e := New(time.Now(), "u", "porting.scheduled", "porting", "p1",
		map[string]any{"status": "pending", "notes": map[string]any{"privateNotes": "old", "publicNotes": "hi"},
			"timeline": []any{map[string]any{"status": "pending"}}},
		map[string]any{"status": "scheduled", "notes": map[string]any{"privateNotes": "new", "publicNotes": "hi"},
			"timeline": []any{map[string]any{"status": "pending"},
				map[string]any{"status": "scheduled", "comment": "internal", "private": true},
				map[string]any{"status": "scheduled", "comment": "internal only", "private": true, "commentOnly": true}}})
	got := e.Redacted(func(object map[string]any, key string) bool {
		private := object != nil && object["private"] == true
		return key == "privateNotes" || (key == "comment" && private) || (key == "" && private && object["commentOnly"] == true)
	})
	raw, _ := json.Marshal(got.Diff)
	for _, leak := range []string{"privateNotes", "internal", "commentOnly"} {
		if strings.Contains(string(raw), leak) {
			t.Errorf("the redacted diff shows %s: %s", leak, raw)
		}
	}
	if _, ok := got.Diff["notes"]; ok {
		t.Errorf("a field that changed only in hidden parts is listed: %s", raw)
	}
	if !strings.Contains(string(raw), `"status":"scheduled"`) {
		t.Errorf("the state change went missing: %s", raw)
	}
}

type role string

type inner struct {
	Kind  role              `json:"kind"`
	Count uint16            `json:"count,omitempty"`
	Tags  map[int]string    `json:"tags,omitempty"`
	Raw   json.RawMessage   `json:"raw,omitempty"`
	Extra map[string]any    `json:"extra"`
	When  time.Time         `json:"when,omitzero"`
	Left  *inner            `json:"left,omitempty"`
	List  []inner           `json:"list"`
	Skip  string            `json:"-"`
	Bytes []byte            `json:"bytes"`
	Flags map[string]bool   `json:"flags,omitempty"`
	Any   any               `json:"any"`
	Named map[role][]string `json:"named"`
}

type Embedded struct {
	Shared string  `json:"shared"`
	Ratio  float64 `json:"ratio"`
}

type outer struct {
	Embedded
	*inner
	ID       string `json:"id"`
	Untagged int64
	At       time.Time `json:"at"`
	hidden   string
}

// The direct walk must see exactly what a JSON round trip sees, or the audit log would
// change shape.
func TestFieldsAreTheJSONForm(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 30, 0, 123000000, time.FixedZone("CET", 3600))
	values := []any{
		outer{ID: "a", Untagged: 1 << 40, At: at, hidden: "x", Embedded: Embedded{Shared: "s", Ratio: 0.5}},
		outer{ID: "b", inner: &inner{Kind: "admin", Count: 3, Tags: map[int]string{2: "two", 10: "ten"}, Raw: json.RawMessage(`{"z":[1,"x"]}`),
			Extra: map[string]any{"n": 7, "deep": map[string]any{"k": []any{true, nil}}}, When: at,
			Left: &inner{Kind: "user", List: []inner{}}, List: []inner{{Kind: "x"}}, Skip: "gone", Bytes: []byte("hi"),
			Flags: map[string]bool{}, Any: Embedded{Shared: "in"}, Named: map[role][]string{"r": nil}}},
		map[string]any{"status": "pending", "nested": map[string]any{"a": []any{1.5, "b"}}},
	}
	for _, v := range values {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, fields(v)); d != "" {
			t.Errorf("%T (-round trip +walk):\n%s", v, d)
		}
	}
}
