package localserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/app"
)

type apiKeyView struct {
	ID         string    `json:"id"`
	Job        string    `json:"job"`
	Status     string    `json:"status"`
	Secret     string    `json:"secret"`
	LastUsedAt time.Time `json:"lastUsedAt"`
	ReplacedBy string    `json:"replacedBy"`
}

// A provider administrator issues the switch a key scoped to a reseller's subtree: the
// switch posts the subtree's calls with it and nothing else, its use is recorded, a
// rotation keeps the old key working beside the new one, and a revoked key is refused.
// The secret is shown once and never reaches the audit log.
func TestTheSwitchPostsCallsWithAScopedAPIKey(t *testing.T) {
	// Keys are read on every request here, so a revocation shows at once (in AWS, within
	// the token check's 30-second cache).
	e := mustServe(t, mustEngine(t), func(_ string, a *app.Deps) {
		if a.Authenticator != nil {
			a.Authenticator.CacheTTL = 0
		}
	})
	root := e.rootToken()
	reseller := e.newAccount(root, "", "Keyed Reseller", 2, nil)
	tenant := e.newAccount(root, reseller.ID, "Keyed Tenant", 1, nil)
	outside := e.newAccount(root, "", "Outside Reseller", 1, nil)
	keys := "/v1/accounts/" + reseller.ID + "/api-keys"

	for _, bad := range []map[string]string{{"job": "printer", "name": "x"}, {"job": "switch", "name": ""}, {"job": "switch"}} {
		if res := e.do("POST", keys, bad, bearer(root)...); res.status != http.StatusUnprocessableEntity {
			t.Errorf("key %v: %d %s", bad, res.status, res.body)
		}
	}
	var made apiKeyView
	res := e.do("POST", keys, map[string]string{"job": "switch", "name": "Kista switch"}, bearer(root)...)
	res.decode(t, &made)
	if res.status != http.StatusCreated || !strings.HasPrefix(made.Secret, "pvk_"+made.ID+"_") || made.Status != "active" {
		t.Fatalf("a switch key: %d %s", res.status, res.body)
	}
	post := func(secret string, accountIDs ...string) response {
		var recs []map[string]any
		for _, id := range accountIDs {
			recs = append(recs, map[string]any{"id": fmt.Sprintf("key-%s-%d", id, time.Now().UnixNano()), "accountId": id,
				"start": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), "durationSeconds": 30, "from": "+46812340001",
				"to": "+46701234567", "direction": "outbound", "costMinor": 50, "currency": "SEK"})
		}
		return e.do("POST", "/v1/call-records", map[string]any{"records": recs}, bearer(secret)...)
	}
	res = post(made.Secret, tenant.ID, outside.ID)
	if res.status != http.StatusOK || !strings.Contains(res.String(), `"stored":1`) || !strings.Contains(res.String(), `"index":1`) {
		t.Fatalf("the subtree's record stored, the outside one rejected: %d %s", res.status, res.body)
	}
	// The key does nothing but its job.
	for _, path := range []string{"/v1/me", "/v1/accounts/" + tenant.ID, "/v1/accounts/" + reseller.ID + "/invoices"} {
		if res := e.do("GET", path, nil, bearer(made.Secret)...); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
			t.Errorf("the switch key reads %s: %d %s", path, res.status, res.body)
		}
	}
	var listed struct{ Items []apiKeyView }
	e.do("GET", keys, nil, bearer(root)...).decode(t, &listed)
	if len(listed.Items) != 1 || listed.Items[0].LastUsedAt.IsZero() || listed.Items[0].Secret != "" {
		t.Fatalf("the key's last use, without its secret: %+v", listed.Items)
	}

	// Rotation: both keys work until the old one's grace ends; then the old is revoked.
	var next apiKeyView
	res = e.do("POST", keys+"/"+made.ID+"/rotate", map[string]int{"graceSeconds": 3600}, bearer(root)...)
	res.decode(t, &next)
	if res.status != http.StatusCreated || next.Secret == "" || next.ID == made.ID {
		t.Fatalf("rotate: %d %s", res.status, res.body)
	}
	for _, secret := range []string{made.Secret, next.Secret} {
		if res := post(secret, tenant.ID); res.status != http.StatusOK {
			t.Fatalf("during the rotation: %d %s", res.status, res.body)
		}
	}
	if res := e.do("POST", keys+"/"+made.ID+"/rotate", map[string]int{}, bearer(root)...); res.status != http.StatusConflict {
		t.Fatalf("a rotated key rotated again: %d %s", res.status, res.body)
	}
	if res := e.do("POST", keys+"/"+made.ID+"/revoke", nil, bearer(root)...); res.status != http.StatusOK || !strings.Contains(res.String(), `"status":"revoked"`) {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{}}, bearer(made.Secret)...); res.status != http.StatusUnauthorized {
		t.Fatalf("a revoked key: %d %s", res.status, res.body)
	}
	if res := e.do("GET", "/v1/me", nil, bearer("pvk_"+next.ID+"_guessed")...); res.status != http.StatusUnauthorized {
		t.Fatalf("a guessed secret: %d %s", res.status, res.body)
	}

	// Another reseller's administrator finds none of it; a tenant's administrator may not
	// manage keys.
	var other accountView
	res = e.do("POST", "/v1/accounts", map[string]any{"name": "Other Reseller", "kind": "reseller", "timezone": "Europe/Stockholm",
		"limits": map[string]int{"inboundTrunks": 1, "outboundTrunks": 1, "users": 10}, "admin": adminBody("keys@other.example")}, bearer(root)...)
	res.decode(t, &other)
	if res.status != http.StatusCreated {
		t.Fatalf("another reseller: %d %s", res.status, res.body)
	}
	otherToken := e.login(other.Realm, "keys@other.example", "Correct-Horse-42")
	if res := e.do("POST", "/v1/accounts/"+other.ID+"/api-keys", map[string]string{"job": "billing", "name": "Its own billing"}, bearer(otherToken)...); res.status != http.StatusCreated {
		t.Fatalf("a reseller's administrator keys its own account: %d %s", res.status, res.body)
	}
	for _, call := range [][2]string{{"GET", keys}, {"POST", keys + "/" + next.ID + "/revoke"}} {
		if res := e.do(call[0], call[1], nil, bearer(otherToken)...); res.status != http.StatusNotFound {
			t.Errorf("another reseller's %s %s: %d %s", call[0], call[1], res.status, res.body)
		}
	}
	log := e.do("GET", "/v1/accounts/"+reseller.ID+"/audit-log?entity=api_key&limit=100", nil, bearer(root)...).String()
	if !strings.Contains(log, "api_key.create") || !strings.Contains(log, "api_key.rotate") || !strings.Contains(log, "api_key.revoke") {
		t.Fatalf("the audit log: %s", log)
	}
	if strings.Contains(log, made.Secret[len(made.Secret)-20:]) || strings.Contains(log, "secretHash") {
		t.Fatalf("the audit log shows a secret: %s", log)
	}
}
