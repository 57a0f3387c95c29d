package localserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/provisio/provisio/shared/account"
)

// Tenant Creation Management: the provider's staff list the registrations of the
// provider's templates, newest first, filtered and searched on the server and paged, and
// read one with its contact and history. Bad filters are refused; a reseller outside the
// provider's tree finds nothing, and a tenant's administrator may not look.
func TestTenantCreationManagement(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	later, _ := e.submit(registrationBody("Later", "off-peak"))
	done, res := e.submit(registrationBody("Done", "now"))
	if later.ID == "" || done.ID == "" {
		t.Fatalf("submit: %d %s", res.status, res.body)
	}
	e.waitFor(done.ID, "completed")

	type row struct {
		ID, Status, TenantName, ShortName, ContactEmail string
	}
	var page struct {
		Items  []row
		Cursor string
	}
	list := func(query string) response {
		t.Helper()
		page.Items, page.Cursor = nil, ""
		res := e.do("GET", "/v1/accounts/"+account.ProviderRootID+"/registrations"+query, nil, bearer(root)...)
		if res.status == http.StatusOK {
			res.decode(t, &page)
		}
		return res
	}
	if res := list(""); res.status != http.StatusOK || len(page.Items) != 2 || page.Items[0].ID != done.ID || page.Items[1].ID != later.ID ||
		page.Items[0].Status != "completed" || page.Items[1].Status != "scheduled" || page.Items[1].ContactEmail != "it@kenton-later.com" {
		t.Fatalf("the listing, newest first: %d %s", res.status, res.body)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"?status=scheduled", []string{later.ID}},
		{"?status=failed", nil},
		{"?q=kentond", []string{done.ID}},  // a prefix of the name, in any case
		{"?q=KELATER", []string{later.ID}}, // or of the short name
		{"?templateId=business-pro&status=completed", []string{done.ID}},
		{"?templateId=withdrawn", nil},
		{"?to=2000-01-01T00:00:00Z", nil},
	} {
		if res := list(c.query); res.status != http.StatusOK || len(page.Items) != len(c.want) || (len(c.want) == 1 && page.Items[0].ID != c.want[0]) {
			t.Errorf("%s: %d %s", c.query, res.status, res.body)
		}
	}

	// Paged: a page of one, then the rest from its cursor.
	if res := list("?limit=1"); res.status != http.StatusOK || len(page.Items) != 1 || page.Cursor == "" {
		t.Fatalf("first page: %d %s", res.status, res.body)
	}
	if res := list("?limit=1&cursor=" + page.Cursor); res.status != http.StatusOK || len(page.Items) != 1 || page.Items[0].ID != later.ID || page.Cursor != "" {
		t.Fatalf("second page: %d %s", res.status, res.body)
	}

	// Bad filters: 422 with the field named.
	for query, field := range map[string]string{"?status=lost": "status", "?from=yesterday": "from",
		"?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z": "to", "?q=" + strings.Repeat("k", 65): "q"} {
		if res := list(query); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.String(), `"field":"`+field+`"`) {
			t.Errorf("%s: %d %s", query, res.status, res.body)
		}
	}

	// One registration, whole: the contact and the history, never the password.
	var detail struct {
		ID, OwnerID, Status, AccountID, Realm string
		Contact                               struct{ Name, Email, Phone string }
		Tenant                                struct{ Name, ANI string }
		History                               []struct{ Status string }
	}
	res = e.do("GET", "/v1/accounts/"+account.ProviderRootID+"/registrations/"+done.ID, nil, bearer(root)...)
	res.decode(t, &detail)
	if res.status != http.StatusOK || detail.OwnerID != account.ProviderRootID || detail.Contact.Email != "it@kenton-done.com" ||
		detail.Tenant.ANI != "+46812345678" || detail.AccountID == "" || detail.Realm == "" || len(detail.History) < 3 ||
		strings.Contains(strings.ToLower(res.String()), "password") {
		t.Fatalf("the registration: %d %s", res.status, res.body)
	}

	// Cancel a scheduled one: final, its names free again; a second cancel, a completed
	// one and an overlong reason are refused and change nothing.
	regPath := "/v1/accounts/" + account.ProviderRootID + "/registrations/"
	if res := e.do("POST", regPath+later.ID+"/cancel", map[string]any{"reason": strings.Repeat("r", 201)}, bearer(root)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an overlong reason: %d %s", res.status, res.body)
	}
	res = e.do("POST", regPath+later.ID+"/cancel", map[string]any{"reason": "the prospect asked us to stop"}, bearer(root)...)
	res.decode(t, &detail)
	if res.status != http.StatusOK || detail.Status != "canceled" || detail.History[len(detail.History)-1].Status != "canceled" {
		t.Fatalf("cancel: %d %s", res.status, res.body)
	}
	for _, id := range []string{later.ID, done.ID} {
		if res := e.do("POST", regPath+id+"/cancel", map[string]any{}, bearer(root)...); res.status != http.StatusConflict {
			t.Errorf("cancel %s again: %d %s", id, res.status, res.body)
		}
	}
	if again, res := e.submit(registrationBody("Later", "off-peak")); again.ID == "" {
		t.Fatalf("the canceled registration's names are still taken: %d %s", res.status, res.body)
	}
	if res := list("?status=canceled"); len(page.Items) != 1 || page.Items[0].ID != later.ID {
		t.Errorf("the canceled one in the listing: %d %s", res.status, res.body)
	}

	// Provision a scheduled one now, without waiting for the off-peak window.
	soon, _ := e.submit(registrationBody("Soon", "off-peak"))
	res = e.do("POST", regPath+soon.ID+"/provision-now", nil, bearer(root)...)
	res.decode(t, &detail)
	if res.status != http.StatusAccepted || detail.Status != "queued" {
		t.Fatalf("provision now: %d %s", res.status, res.body)
	}
	e.waitFor(soon.ID, "completed")
	if res := e.do("POST", regPath+soon.ID+"/provision-now", nil, bearer(root)...); res.status != http.StatusConflict {
		t.Errorf("provision a completed one now: %d %s", res.status, res.body)
	}

	// A reseller's administrator: the provider's registrations are outside its tree, and
	// its own account owns none of them.
	var reseller accountView
	res = e.do("POST", "/v1/accounts", map[string]any{"name": "Reseller", "kind": "reseller", "timezone": "Europe/Stockholm",
		"limits": map[string]int{"inboundTrunks": 2, "outboundTrunks": 2, "users": 10}, "admin": adminBody("res@reseller.example")}, bearer(root)...)
	res.decode(t, &reseller)
	if res.status != http.StatusCreated {
		t.Fatalf("a reseller: %d %s", res.status, res.body)
	}
	resellerToken := e.login(reseller.Realm, "res@reseller.example", clearPassword)
	for _, path := range []string{"/v1/accounts/" + account.ProviderRootID + "/registrations",
		"/v1/accounts/" + account.ProviderRootID + "/registrations/" + done.ID, "/v1/accounts/" + reseller.ID + "/registrations/" + done.ID} {
		if res := e.do("GET", path, nil, bearer(resellerToken)...); res.status != http.StatusNotFound {
			t.Errorf("a reseller's admin, %s: %d %s", path, res.status, res.body)
		}
	}
	for action, body := range map[string]any{"/cancel": map[string]any{}, "/provision-now": nil, "/retry": nil} {
		if res := e.do("POST", regPath+soon.ID+action, body, bearer(resellerToken)...); res.status != http.StatusNotFound {
			t.Errorf("a reseller's admin, %s: %d %s", action, res.status, res.body)
		}
	}
	if res := e.do("GET", "/v1/accounts/"+reseller.ID+"/registrations", nil, bearer(resellerToken)...); res.status != http.StatusOK ||
		strings.Contains(res.String(), done.ID) {
		t.Errorf("a reseller's own listing: %d %s", res.status, res.body)
	}

	// The tenant's own administrator manages no registrations.
	tenant := e.login(detail.Realm, "keAdmin", "Correct-Horse-42")
	if res := e.do("GET", "/v1/accounts/"+detail.AccountID+"/registrations", nil, bearer(tenant)...); res.status != http.StatusForbidden {
		t.Errorf("a tenant's admin: %d %s", res.status, res.body)
	}
}

// A failed registration is retried once its cause is fixed: while the contact's email is
// still another user's, the retry is refused naming it; once that user is gone, the
// registration is queued again, completes, and the contact gets the new outcome.
func TestRetryAFailedRegistration(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	reg, _ := e.submit(registrationBody("Clash", "off-peak"))
	early := e.newAccount(root, "", "Early", 1, adminBody("it@kenton-clash.com"))
	if res := e.do("POST", "/_local/schedules/OffPeakWindow", nil); res.status >= 300 {
		t.Fatalf("window: %d %s", res.status, res.body)
	}
	e.waitFor(reg.ID, "failed")
	path := "/v1/accounts/" + account.ProviderRootID + "/registrations/" + reg.ID + "/retry"
	if res := e.do("POST", path, nil, bearer(root)...); res.status != http.StatusConflict || !strings.Contains(res.String(), `"field":"contact.email"`) {
		t.Fatalf("a retry before the cause is fixed: %d %s", res.status, res.body)
	}
	// The user who took the email is the account's only administrator: it goes once the
	// account has another.
	userPath := "/v1/accounts/" + early.ID + "/users/" + early.Admin.ID
	if res := e.do("DELETE", userPath, nil, bearer(root)...); res.status != http.StatusConflict || !strings.Contains(res.String(), "last administrator") {
		t.Fatalf("delete the account's last administrator: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/accounts/"+early.ID+"/contacts", map[string]string{"name": "Second Admin", "email": "second@early.example"}, bearer(root)...); res.status != http.StatusCreated {
		t.Fatalf("another administrator: %d %s", res.status, res.body)
	}
	if res := e.do("DELETE", userPath, nil, bearer(root)...); res.status != http.StatusNoContent {
		t.Fatalf("delete the user who took the email: %d %s", res.status, res.body)
	}
	var detail struct{ Status string }
	res := e.do("POST", path, nil, bearer(root)...)
	res.decode(t, &detail)
	if res.status != http.StatusAccepted || detail.Status != "queued" {
		t.Fatalf("retry: %d %s", res.status, res.body)
	}
	e.waitFor(reg.ID, "completed")
	eventually(t, "the new outcome mailed", func() bool {
		for _, m := range e.outboxTo("it@kenton-clash.com") {
			if strings.HasSuffix(m.Subject, " is ready") {
				return true
			}
		}
		return false
	})
	if res := e.do("POST", path, nil, bearer(root)...); res.status != http.StatusConflict {
		t.Errorf("retry a completed one: %d %s", res.status, res.body)
	}
}
