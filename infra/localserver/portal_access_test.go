package localserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/provisio/provisio/shared/account"
)

// Staff and integrations: the provider's administrator adds a customer's administrator
// and a porting operator, issues the switch's API key (its secret shown once and
// working), rotates and revokes it, adds a webhook endpoint, reads its delivery log,
// sends an invoice's delivery again, and changes a user's role.
func TestStaffAndIntegrationsInThePortal(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		tenant, _ := e.tenantWithAdmin(e.rootToken(), "Kenton Access", "alice@kenton-access.example")
		b.signIn(e.rootRealm, "admin@provisio.example", e.rootPassword, "Welcome, admin@provisio.example")
		b.open("/accounts/"+tenant.ID+"/access", "Kenton Access")

		// A staff member: an administrator of the customer, the password emailed.
		if roles := eval[[]string](b, `[...document.querySelectorAll("#f-role option")].map(o => o.value)`); strings.Join(roles, " ") != "tenant_admin" {
			t.Fatalf("the roles offered for a customer's staff: %v", roles)
		}
		b.fill("firstName", "Bo")
		b.fill("lastName", "Staff")
		b.fill("email", "bo@kenton-access.example")
		b.fill("phone", "+46701234599")
		b.check("staff and integrations", width)
		b.click(`form[aria-labelledby="staff-heading"] button[type="submit"]`)
		eventually(t, "the staff member added", func() bool {
			return strings.Contains(b.text(`[role="status"].notice-live`), "Bo Staff is added as administrator")
		})
		if staff := b.text(`#staff-list`); !strings.Contains(staff, "Bo Staff") || !strings.Contains(staff, "Alice") {
			t.Fatalf("the staff list: %q", staff)
		}
		if mails := e.waitForMail("bo@kenton-access.example"); len(mails) == 0 {
			t.Fatal("no password email to the new staff member")
		}

		// The switch's key: its secret shown once, and it works.
		b.fill("name", "Switch Stockholm 1")
		b.click(`form[aria-labelledby="key-heading"] button[type="submit"]`)
		eventually(t, "the secret", func() bool { return strings.HasPrefix(b.text("#secret"), "pvk_") })
		first := b.text("#secret")
		b.shot("key-issued")
		post := func(key, id string) int {
			return e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{call(id, tenant.ID, "2026-01-05T09:00:00Z", 60, 100)}}, bearer(key)...).status
		}
		if got := post(first, "a-1"); got != http.StatusOK {
			t.Fatalf("the issued key posts call records: %d", got)
		}
		if row := b.text("#api-keys tbody"); !strings.Contains(row, "Switch Stockholm 1") || !strings.Contains(row, "switch") || !strings.Contains(row, "active") {
			t.Fatalf("the key's row: %q", row)
		}

		// Rotate: a successor with its own secret; the old key works through the grace.
		b.click(`[aria-label="Rotate Switch Stockholm 1, active"]`)
		eventually(t, "the rotate dialog", func() bool { return strings.Contains(b.text("dialog[open]"), "24 hours") })
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "the successor's secret", func() bool { s := b.text("#secret"); return strings.HasPrefix(s, "pvk_") && s != first })
		second := b.text("#secret")
		if got := post(first, "a-2"); got != http.StatusOK {
			t.Fatalf("the rotated key during its grace: %d", got)
		}
		if row := b.text("#api-keys tbody"); !strings.Contains(row, "rotating") {
			t.Fatalf("the rotated key's row: %q", row)
		}

		// Revoke the successor: refused from then on.
		b.click(`[aria-label="Revoke Switch Stockholm 1, active"]`) // the successor; the old key is rotating
		eventually(t, "the revoke dialog", func() bool { return strings.Contains(b.text("dialog[open]"), "stops working at once") })
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "revoked", func() bool { return strings.Contains(b.text(`[role="status"].notice-live`), "is revoked") })
		eventually(t, "the revoked key refused", func() bool { return post(second, "a-3") == http.StatusUnauthorized })

		// A webhook endpoint, its secret once; an event delivered, then sent again.
		hook := newReceiver(t)
		b.fill("url", hook.endpoint.URL)
		b.fill("description", "Our CRM")
		b.click(`#f-event-invoice-issued`)
		b.click(`form[aria-labelledby="hook-heading"] button[type="submit"]`)
		eventually(t, "the webhook's secret", func() bool { return strings.HasPrefix(b.text("#secret"), "whsec_") })
		if res := e.do("POST", "/v1/accounts/"+tenant.ID+"/invoices", map[string]any{"summaryIds": []string{"day-2026-01-05"}}, bearer(e.rootToken())...); res.status != http.StatusCreated {
			t.Fatalf("an invoice of the key's calls: %d %s", res.status, res.body)
		}
		hook.waitFor(t, 1)
		deliveries := `[aria-label="Deliveries: ` + hook.endpoint.URL + `"]`
		eventually(t, "the delivery logged", func() bool {
			b.click(deliveries)
			return strings.Contains(b.text("main"), "succeeded")
		})
		if log := b.text("main"); !strings.Contains(log, "invoice.issued") || !strings.Contains(log, "HTTP 204") {
			t.Fatalf("the delivery log: %q", log)
		}
		b.check("webhook deliveries", width)
		b.click(`[aria-label="Send again: invoice.issued"]`)
		hook.waitFor(t, 2)
		b.click(`[aria-label="Disable: ` + hook.endpoint.URL + `"]`)
		eventually(t, "the endpoint disabled", func() bool { return strings.Contains(b.text(`[role="status"].notice-live`), "is disabled") })
		b.click(`[aria-label="Roll secret: ` + hook.endpoint.URL + `"]`)
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "the new webhook secret", func() bool { return strings.Contains(b.text(".secret"), "has a new secret") })
		b.click(`[aria-label="Delete: ` + hook.endpoint.URL + `"]`)
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "the endpoint deleted", func() bool { return strings.Contains(b.text("main"), "No webhook endpoint yet") })

		// The role on the user's page: Bo becomes a user, who administers nothing.
		b.click(`nav.tabs a[href$="/users"]`)
		b.openFound("bo", "Bo Staff")
		eventually(t, "Bo's role", func() bool { return b.text("#user-role") == "Administrator" })
		b.do(chromedp.SetValue(chromedp.CSS("#f-role"), "user"))
		b.click(`#change-role`)
		eventually(t, "the new role", func() bool { return b.text("#user-role") == "User" })
		b.check("user role", width)
		b.click(`#delete-user`)
		eventually(t, "the delete dialog", func() bool { return strings.Contains(b.text("dialog[open]"), "can no longer sign in") })
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "the user deleted", func() bool { return strings.Contains(b.text(".notice"), "Bo Staff is deleted") })
		if strings.Contains(b.text("main table"), "Bo Staff") {
			t.Fatal("the deleted user is still listed")
		}

		// In the provider's own account the role may also be a porting operator.
		b.open("/accounts/"+account.ProviderRootID+"/access", "Provider")
		b.do(chromedp.SetValue(chromedp.CSS("#f-role"), "operator"))
		b.fill("firstName", "Olle")
		b.fill("lastName", "Operator")
		b.fill("email", "olle@provisio.example")
		b.fill("phone", "+46701234597")
		b.click(`form[aria-labelledby="staff-heading"] button[type="submit"]`)
		eventually(t, "the operator added", func() bool { return strings.Contains(b.text(`[role="status"].notice-live`), "as porting operator") })
		if staff := b.text("#staff-list"); !strings.Contains(staff, "Olle Operator\tolle@provisio.example\tPorting operator") {
			t.Fatalf("the provider's staff: %q", staff)
		}
	})
}
