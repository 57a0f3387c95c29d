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
