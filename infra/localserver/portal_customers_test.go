package localserver_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// signIn signs a user in through the sign-in page and waits for their start page.
func (b *browser) signIn(domain, username, password, welcome string) {
	b.t.Helper()
	b.open("/sign-in", "Sign in")
	b.fill("domain", domain)
	b.fill("username", username)
	b.fill("password", password)
	b.click(`button[type="submit"]`)
	b.waitHeading(welcome)
}

// check runs the page checks every screen gets: axe-core, no sideways scroll, a screenshot.
func (b *browser) check(page string, width viewport) {
	b.t.Helper()
	b.accessible(page)
	b.fitsWidth(page, width.width)
	b.shot(strings.ReplaceAll(page, " ", "-"))
}

// allowClipboard lets the portal write to and read from the clipboard, as a user allows
// it when the browser asks.
func (b *browser) allowClipboard() {
	b.t.Helper()
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted, Origin: b.e.url}); err != nil {
			b.t.Fatalf("clipboard permission: %v", err)
		}
	}
}

// setFile chooses a file in a file input, as a user picks one from their disk.
func setFile(t *testing.T, b *browser, sel, name, body string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path}))
}

func TestTheCustomersMainTabInThePortal(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		root, sw := e.rootToken(), e.switchToken()
		tenant, _ := e.tenantWithAdmin(root, "Kenton Main", "alice@kenton-main.example")
		day1 := time.Now().UTC().AddDate(0, 0, -3).Format(time.DateOnly)
		day2 := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
		if res := e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{
			call("m-1", tenant.ID, day1+"T09:00:00Z", 60, 500), call("m-2", tenant.ID, day1+"T10:00:00Z", 120, 700),
			call("m-3", tenant.ID, day2+"T09:00:00Z", 30, 300)}}, bearer(sw)...); res.status != http.StatusOK {
			t.Fatalf("ingest: %d %s", res.status, res.body)
		}

		// The provider's administrator opens the customer: the summary first.
		b.signIn(e.rootRealm, "admin@provisio.example", e.rootPassword, "Welcome, admin@provisio.example")
		b.open("/accounts/"+tenant.ID, "Kenton Main")
		for _, want := range []string{"Status", "Balance", "debit limit", "Channels in use"} {
			if !strings.Contains(b.text("dl.facts"), want) {
				t.Fatalf("the summary has no %s: %q", want, b.text("dl.facts"))
			}
		}
		b.check("main", width)

		// Contacts: + opens the form; the password is generated and emailed.
		b.click(`nav.tabs a[href$="/contacts"]`)
		eventually(t, "the contacts page", func() bool { return strings.Contains(b.text("main"), "Internal number block") })
		b.click(`[aria-label="Add a contact"]`)
		if w := b.text("#notes-warning"); !strings.Contains(w, "passwords") {
			t.Fatalf("the warning against passwords in notes: %q", w)
		}
		b.fill("name", "Kim Contact")
		b.fill("email", "kim@kenton-main.example")
		b.fill("mobile", "+46701234567")
		b.fill("publicNotes", "Prefers email")
		b.fill("privateNotes", "Met at the fair")
		b.check("add contact", width)
		b.click(`form[aria-labelledby="contact-form-heading"] button[type="submit"]`)
		eventually(t, "the contact listed", func() bool { return strings.Contains(b.text("table"), "Kim Contact") })
		if row := b.text("tbody"); !strings.Contains(row, "email not verified") || !strings.Contains(row, "mobile not verified") || !strings.Contains(row, "Met at the fair") {
			t.Fatalf("the contact's row: %q", row)
		}
		if mails := e.waitForMail("kim@kenton-main.example"); len(mails) == 0 {
			t.Fatal("no password email to the contact")
		}

		// Verify the email: the code from the outbox, typed back.
		mailed := len(e.outboxTo("kim@kenton-main.example"))
		b.click(`[aria-label="Verify the email of Kim Contact"]`)
		eventually(t, "the code", func() bool { return len(e.outboxTo("kim@kenton-main.example")) > mailed })
		b.fill("code", codeIn(t, e.outboxTo("kim@kenton-main.example")[mailed].Body))
		b.click(`form[aria-labelledby="verify-heading"] button[type="submit"]`)
		eventually(t, "the email verified", func() bool { return strings.Contains(b.text("tbody"), "email verified") })
		b.click(`nav.tabs a[href="/accounts/` + tenant.ID + `"]`) // Main: the customer details
		eventually(t, "the customer details", func() bool { return b.text("#account-verified") == "email verified, mobile not verified" })
		b.click(`nav.tabs a[href$="/contacts"]`)
		eventually(t, "the contacts again", func() bool { return strings.Contains(b.text("tbody"), "Kim Contact") })

		// The key action: a typed password, then one generated and emailed.
		b.click(`[aria-label="Reset the password of Kim Contact"]`)
		b.click(`#how-type`)
		b.fill("newPassword", "Typed-Horse-Battery-9")
		b.click(`form[aria-labelledby="reset-heading"] button[type="submit"]`)
		eventually(t, "the typed password", func() bool { return strings.Contains(b.text(`[role="status"].notice-live`), "is changed") })
		if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": tenant.Realm, "username": "kim@kenton-main.example", "password": "Typed-Horse-Battery-9"}); res.status != http.StatusOK {
			t.Fatalf("the contact signs in with the typed password: %d %s", res.status, res.body)
		}
		before := len(e.outboxTo("kim@kenton-main.example"))
		b.click(`[aria-label="Reset the password of Kim Contact"]`)
		b.click(`form[aria-labelledby="reset-heading"] button[type="submit"]`)
		eventually(t, "a new password emailed", func() bool { return len(e.outboxTo("kim@kenton-main.example")) > before })

		// The pencil edits the contact: a new mobile is unverified again, the verified
		// email stays verified.
		b.click(`[aria-label="Edit Kim Contact"]`)
		eventually(t, "the edit form, from the contact", func() bool {
			return eval[string](b, `document.querySelector('[name="privateNotes"]')?.value || ""`) == "Met at the fair"
		})
		b.fill("mobile", "+46701234568")
		b.fill("publicNotes", "Prefers SMS")
		b.click(`form[aria-labelledby="contact-form-heading"] button[type="submit"]`)
		eventually(t, "the contact edited", func() bool { return strings.Contains(b.text("tbody"), "+46701234568") })
		if row := b.text("tbody"); !strings.Contains(row, "email verified") || !strings.Contains(row, "mobile not verified") || !strings.Contains(row, "Prefers SMS") {
			t.Fatalf("the edited contact's row: %q", row)
		}
		b.shot("contact-edited")

		// Internal number block: refused in words until the ranges exist, then assigned.
		b.click(`[aria-label="Assign an internal number block"]`)
		eventually(t, "the refusal", func() bool {
			return strings.Contains(b.text(`[role="alert"]:not([hidden])`), "number range parameters")
		})
		b.shot("block-refused")
		// The range parameters, added here, let the block be assigned.
		b.fill("start", "+46812340000")
		b.fill("end", "+46812340249")
		b.click(`form[aria-labelledby="range-heading"] button[type="submit"]`)
		eventually(t, "the range", func() bool { return strings.Contains(b.text(`[role="status"].notice-live`), "250 numbers") })
		b.click(`[aria-label="Assign an internal number block"]`)
		eventually(t, "the block", func() bool { return strings.Contains(b.text("main"), "+46812340000 – +46812340099") })
		b.check("contacts and numbers", width)

		// The bin deletes the contact once confirmed: it signs in no more.
		b.click(`[aria-label="Delete Kim Contact"]`)
		eventually(t, "the confirm dialog", func() bool { return strings.Contains(b.text("dialog[open]"), "can no longer sign in") })
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "the contact deleted", func() bool { return strings.Contains(b.text(`[role="status"].notice-live`), "Kim Contact is deleted") })
		if strings.Contains(b.text("main table"), "Kim Contact") {
			t.Fatal("the deleted contact is still listed")
		}
		if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": tenant.Realm, "username": "kim@kenton-main.example", "password": "Typed-Horse-Battery-9"}); res.status != http.StatusUnauthorized {
			t.Fatalf("the deleted contact signs in: %d %s", res.status, res.body)
		}

		// Call summaries: a grid in 24-hour UTC; a column's selected cells add up.
		b.click(`nav.tabs a[href$="/summaries"]`)
		eventually(t, "the daily rows", func() bool {
			return strings.Contains(b.text("table[role=grid]"), day1) && strings.Contains(b.text("table[role=grid]"), day2)
		})
		calls := `td[data-cell="%d:1"]`
		b.click(fmt.Sprintf(calls, 0))
		b.do(chromedp.Focus(chromedp.CSS(fmt.Sprintf(calls, 1))), chromedp.KeyEvent(" "))
		eventually(t, "the sum of the calls", func() bool { return strings.Contains(b.text("#selection"), "Calls: sum 3, average 1.50 of 2 cells") })
		// The keyboard adds the averages' cells: Space on a focused cell.
		b.do(chromedp.Focus(chromedp.CSS(`td[data-cell="0:4"]`)), chromedp.KeyEvent(" "))
		b.do(chromedp.Focus(chromedp.CSS(`td[data-cell="1:4"]`)), chromedp.KeyEvent(" "))
		eventually(t, "the average of averages", func() bool { return strings.Contains(b.text("#selection"), "average of averages") })
		b.check("call summaries", width)
		b.allowClipboard()
		b.click(`#copy-headers`)
		eventually(t, "copied", func() bool { return strings.Contains(b.text("#selection"), "Copied") })
		copied := eval[string](b, `navigator.clipboard.readText()`, chromedp.EvalAwaitPromise)
		if lines := strings.Split(copied, "\n"); len(lines) != 3 || lines[0] != "Calls\tAverage (s)" || !slices.Contains(lines, "2\t90") || !slices.Contains(lines, "1\t30") {
			t.Fatalf("Copy with Headers: %q", copied)
		}
		b.click(`#export`)
		csv := eval[string](b, `fetch(document.getElementById("export-link").href).then(r => r.text())`, chromedp.EvalAwaitPromise)
		if !strings.HasPrefix(csv, "Calls,Average (s)\r\n") || !strings.Contains(csv, "2,90\r\n") {
			t.Fatalf("the export: %q", csv)
		}

		// A row's box, then Generate Invoice: the billing system can fetch it.
		b.click(`input[name="invoice"]`)
		b.click(`h2.with-action button`)
		eventually(t, "the invoice", func() bool { return strings.Contains(b.text(".notice"), "Invoice ") })
		if inv := b.text("main"); !strings.Contains(inv, "issued") {
			t.Fatalf("the invoices: %q", inv)
		}
		b.shot("invoiced")

		// The audit log, each entry's difference as JSON.
		b.click(`nav.tabs a[href$="/audit"]`)
		eventually(t, "the audit log", func() bool { return strings.Contains(b.text("tbody"), "contact") })
		b.click(`tbody button`)
		if diff := b.text("pre.diff"); !strings.Contains(diff, "{") {
			t.Fatalf("View Difference: %q", diff)
		}
		b.check("audit log", width)
	})
}

func TestSoftphoneClientAccountsInThePortal(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		tenant, _ := e.tenantWithAdmin(e.rootToken(), "Kenton Soft", "alice@kenton-soft.example")
		b.signIn(tenant.Realm, "alice@kenton-soft.example", "Correct-Horse-42", "Welcome, Alice")
		b.open("/accounts/"+tenant.ID+"/softphones", "Kenton Soft")
		b.fill("displayName", "Reception")
		b.fill("email", "reception@kenton-soft.example")
		b.fill("primaryNumber", "+46701234501")
		b.click(`form[aria-labelledby="new-sip-heading"] button[type="submit"]`)
		eventually(t, "the configuration summary", func() bool { return b.text("#sip-status") == "Created" })
		if ro := eval[bool](b, `document.querySelector('[name="primaryNumberShown"]').readOnly`); !ro || !strings.Contains(b.text("main"), "delete the account and create it again") {
			t.Fatal("the numbers are not read-only with the delete-and-re-create note")
		}
		b.check("client account", width)

		// Send Installation SMS asks first: the number must be a real mobile.
		b.click(`.actions-explained button`)
		eventually(t, "the confirm dialog", func() bool { return strings.Contains(b.text("dialog[open]"), "real mobile") })
		b.shot("sms-confirm")
		b.do(chromedp.KeyEvent(kb.Escape)) // the keyboard's cancel sends nothing
		eventually(t, "the dialog closed", func() bool { return b.text("dialog[open]") == "" })
		b.click(`.actions-explained button`)
		b.click(`dialog[open] button.secondary`) // nor does Cancel
		if len(e.outboxTo("+46701234501")) != 0 || b.text("#sip-status") != "Created" {
			t.Fatal("a canceled SMS was sent")
		}
		b.click(`.actions-explained button`)
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "installation SMS sent", func() bool { return b.text("#sip-status") == "Installation SMS sent" })
		install := e.lastLink("+46701234501", 0)
		if res := e.do("GET", install, nil); res.status != http.StatusOK {
			t.Fatalf("the client fetches its configuration: %d %s", res.status, res.body)
		}

		// Activation: the SMS opens the mobile page, readable on a phone.
		// The list's row offers the activation SMS too, confirmed the same way.
		b.open("/accounts/"+tenant.ID+"/softphones", "Kenton Soft")
		eventually(t, "the list's status", func() bool { return strings.Contains(b.text("table"), "Installed") })
		b.check("client accounts", width)
		b.click(`[aria-label="Send Activation SMS to Reception"]`)
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "activation SMS sent", func() bool { return strings.Contains(b.text("table"), "Activation SMS sent") })
		activate := e.lastLink("+46701234501", 1)
		b.do(chromedp.Navigate(e.url + activate))
		eventually(t, "the activation page", func() bool { return b.text("button") != "" })
		b.accessible("the activation page")
		b.fitsWidth("the activation page", width.width)
		b.shot("activation-page")
		b.click("button")
		eventually(t, "activated", func() bool { return strings.Contains(strings.ToLower(b.text("body")), "activated") })

		// Disable, explained; then Revoke all Keys.
		b.open("/accounts/"+tenant.ID+"/softphones", "Kenton Soft")
		b.click(`tbody a`)
		eventually(t, "activated in the portal", func() bool { return b.text("#sip-status") == "Activated" && b.text("#sip-enabled") == "Yes" })
		if !strings.Contains(b.text(".actions-explained"), "disabled announcement") {
			t.Fatalf("Disable is not explained: %q", b.text(".actions-explained"))
		}
		b.click(`.actions-explained button.secondary`) // Disable account
		eventually(t, "disabled", func() bool {
			return b.text("#sip-enabled") == "No" && strings.Contains(b.text(".actions-explained"), "Enable account")
		})
		b.fill("displayName", "Front desk")
		b.click(`form[aria-labelledby="edit-sip-heading"] button[type="submit"]`)
		eventually(t, "renamed", func() bool { return strings.Contains(b.text("dl.facts"), "Front desk") })
		b.check("client account activated", width)

		// Delete, confirmed: the number is free for a new client account.
		b.click(`#delete-sip`)
		b.click(`dialog[open] button:not(.secondary)`)
		b.waitHeading("Kenton Soft")
		eventually(t, "the list without it", func() bool { return strings.Contains(b.text("main"), "No client account matches") })
	})
}

func TestThePortingDeskAndTheUserWizardInThePortal(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		tenant, alice := e.tenantWithAdmin(e.rootToken(), "Kenton Users", "alice@kenton-users.example")
		for _, r := range [][3]string{{"+46812340000", "+46812340099", "fixed"}, {"+46701230000", "+46701230009", "mobile"}} {
			if res := e.do("POST", "/v1/accounts/"+tenant.ID+"/number-ranges", map[string]string{"start": r[0], "end": r[1], "kind": r[2]}, bearer(alice)...); res.status != http.StatusCreated {
				t.Fatalf("range: %d %s", res.status, res.body)
			}
		}
		b.signIn(tenant.Realm, "alice@kenton-users.example", "Correct-Horse-42", "Welcome, Alice")
		b.open("/accounts/"+tenant.ID+"/users", "Kenton Users")
		b.check("users", width)
		b.click(`a[href$="/users/new"]`)
		b.waitHeading("New user")

		// The toggles: a user alone has no subscription step; with a port-in, its fields.
		b.click(`#what-subscription`)
		if eval[bool](b, `document.querySelector('fieldset.toggle:nth-of-type(2)').hidden`) {
			t.Fatal("the subscription toggle stays hidden")
		}
		b.click(`#how-port-in`)
		b.check("wizard kind", width)
		b.click(`.actions button:not(.secondary)`)
		b.fill("invoiceAddress.name", "Kenton Users AB")
		b.fill("invoiceAddress.street", "Kungsgatan 1")
		b.fill("invoiceAddress.postalCode", "111 43")
		b.fill("invoiceAddress.city", "Stockholm")
		b.fill("firstName", "Per")
		b.fill("lastName", "Porter")
		b.fill("username", "per")
		b.fill("email", "per@kenton-users.example")
		b.check("wizard user", width)
		b.click(`.actions button:not(.secondary)`)
		if ranges := b.text("#available-numbers"); !strings.Contains(ranges, "+46812340000 – +46812340099 (fixed)") {
			t.Fatalf("the organisation's ranges: %q", ranges)
		}
		b.do(chromedp.SetValue(chromedp.CSS(`[name="primaryNumber"]`), "+46812340005"))
		b.click(`.actions button:not(.secondary)`)
		b.do(chromedp.SetValue(chromedp.CSS(`[name="subscription.activationDate"]`), "2030-01-01")) // ordered until then
		b.fill("subscription.porting.number", "+46705550123")
		b.click(`#subscription-porting-ownerType-person`)
		b.fill("subscription.porting.ownerId", "19811218-9876")
		b.do(chromedp.SetValue(chromedp.CSS(`[name="subscription.porting.proposedAt"]`), "2030-01-07T10:00")) // a Monday
		b.fill("subscription.porting.losingCarrier.name", "Old Telco")
		b.check("wizard subscription", width)
		// Without the documents the overview is not asked for.
		b.click(`.actions button:not(.secondary)`)
		eventually(t, "the documents asked for", func() bool { return b.fieldError("documents") != "" })
		setFile(t, b, `[name="documents"]`, "authorisation.pdf", "%PDF-1.4 letter of authorisation")
		b.click(`.actions button:not(.secondary)`)
		eventually(t, "the overview", func() bool { return strings.Contains(b.text("#overview"), "Nothing is saved yet") })
		if o := b.text("#overview"); !strings.Contains(o, "+46812340005") || !strings.Contains(o, "+46705550123") || !strings.Contains(o, "authorisation.pdf") {
			t.Fatalf("the overview: %q", o)
		}
		if res := e.do("GET", "/v1/accounts/"+tenant.ID+"/users?q=per", nil, bearer(alice)...); strings.Contains(res.String(), "Porter") {
			t.Fatal("the dry run saved the user")
		}
		b.check("wizard overview", width)
		b.click(`.actions button.secondary`) // Previous
		b.click(`.actions button:not(.secondary)`)
		eventually(t, "the overview again", func() bool { return strings.Contains(b.text("#overview"), "Nothing is saved yet") })
		b.click(`.actions button[type="submit"]`)
		eventually(t, "the user's page", func() bool { return strings.Contains(b.text(".notice"), "Per Porter is saved") })
		if p := b.text("#porting-status"); p != "submitted" {
			t.Fatalf("the porting request's status: %q", p)
		}
		b.check("user", width)

		// The operator finds it on the desk, with the document, and moves it on.
		m, pw, err := e.srv.Function("CreateAccountFunction").Accounts.AddOperator(context.Background(), "desk@provisio.example")
		if err != nil {
			t.Fatal(err)
		}
		b.click(`#nav button`)
		b.signIn(e.rootRealm, m.Username, pw, "Welcome, "+m.Username)
		if nav := b.text("#nav"); !strings.Contains(nav, "Porting desk") || strings.Contains(nav, "Accounts") {
			t.Fatalf("an operator's navigation: %q", nav)
		}
		b.click(`#nav a[href="/porting"]`)
		b.waitHeading("Porting desk")
		eventually(t, "the queue", func() bool { return strings.Contains(b.text("tbody"), "+46705550123") })
		// An operator may not read accounts, yet the desk names the customer and gives
		// the due time in its zone too.
		if row := b.text("tbody"); !strings.Contains(row, "Kenton Users") || !strings.Contains(row, "Europe/Stockholm") {
			t.Fatalf("the desk's row: %q", row)
		}
		b.check("porting desk", width)
		b.click(`tbody a`)
		b.waitHeading("Porting request")
		if facts := b.text("dl.facts"); !strings.Contains(facts, "Kenton Users (Europe/Stockholm)") {
			t.Fatalf("the request's account, as the operator sees it: %q", facts)
		}
		if docs := b.text("main"); !strings.Contains(docs, "Download authorisation.pdf") || !strings.Contains(docs, "19811218-9876") {
			t.Fatalf("the request as the operator sees it: %q", docs)
		}
		if moves := eval[[]string](b, `[...document.querySelectorAll("[data-move]")].map(b => b.dataset.move)`); strings.Join(moves, " ") != "pending rejected canceled" {
			t.Fatalf("the moves offered from submitted: %v", moves)
		}
		b.fill("comment", "Called the losing carrier")
		b.click(`#f-private`)
		b.click(`form[aria-labelledby="comment-heading"] button[type="submit"]`)
		eventually(t, "the private comment", func() bool { return strings.Contains(b.text("ol.history"), "Called the losing carrier") })
		b.click(`[data-move="pending"]`)
		eventually(t, "pending", func() bool { return b.text("#porting-status") == "pending" })
		if moves := eval[[]string](b, `[...document.querySelectorAll("[data-move]")].map(b => b.dataset.move)`); strings.Join(moves, " ") != "scheduled rejected canceled" {
			t.Fatalf("the moves offered from pending: %v", moves)
		}
		b.check("porting request", width)

		// The account's administrator sees the timeline, without the private comment, and
		// only the moves an administrator may make.
		b.click(`#nav button`)
		b.signIn(tenant.Realm, "alice@kenton-users.example", "Correct-Horse-42", "Welcome, Alice")
		b.open("/accounts/"+tenant.ID+"/users", "Kenton Users")
		b.openFound("porter", "Per Porter")
		eventually(t, "the user's timeline", func() bool { return b.text("#porting-status") == "pending" })
		if h := b.text(`[aria-label="Porting timeline"]`); !strings.Contains(h, "pending by the porting desk") {
			t.Fatalf("the user's porting timeline: %q", h)
		}
		if strings.Contains(b.text("main"), "Called the losing carrier") {
			t.Fatal("the administrator sees the operators' private comment")
		}
		if street := eval[string](b, `document.querySelector('[name="invoiceAddress.street"]').value`); street != "Kungsgatan 1" {
			t.Fatalf("the edit form's invoice address: %q", street)
		}
		b.fill("firstName", "Pelle")
		b.do(chromedp.SetValue(chromedp.CSS(`[name="aliases"]`), "+46812340007"))
		b.click(`form[aria-labelledby="edit-user-heading"] button[type="submit"]`)
		eventually(t, "renamed", func() bool {
			return strings.Contains(b.text("main h2"), "Pelle Porter") && strings.Contains(b.text("dl.facts"), "+46812340007")
		})

		// After creation: the SIM's new address, then its dispatch; a reset link; disable.
		b.fill("simDeliveryAddress.street", "Drottninggatan 2")
		b.click(`form[aria-labelledby="sim-address-heading"] button[type="submit"]`)
		eventually(t, "the new address", func() bool { return strings.Contains(b.text("dl.facts:nth-of-type(2)"), "Drottninggatan 2") })
		b.fill("sim.iccid", "8946080000000000009")
		b.click(`form[aria-labelledby="dispatch-heading"] button[type="submit"]`)
		eventually(t, "the dispatch", func() bool { return strings.Contains(b.text("main"), "8946080000000000009, dispatched") })
		if eval[bool](b, `!!document.querySelector('[name="simDeliveryAddress.street"]')`) {
			t.Fatal("the address is still offered after the dispatch")
		}
		b.click(`#activate-now`)
		eventually(t, "active now", func() bool { return b.text("#subscription-status") == "active" })
		mailed := len(e.outboxTo("per@kenton-users.example"))
		b.click(`#send-reset`)
		eventually(t, "the reset email", func() bool { return len(e.outboxTo("per@kenton-users.example")) > mailed })
		// The email leaves before the answer comes back: wait for the page the answer
		// reloads, so the next click is on that page's button.
		eventually(t, "the reset notice", func() bool { return strings.Contains(b.text("main"), "A reset link is on its way") })
		b.click(`#disable-user`)
		eventually(t, "disabled", func() bool { return b.text("#enable-user") != "" })
		b.check("user after creation", width)

		b.click(`a[href^="/porting/"]`)
		b.waitHeading("Porting request")
		if moves := eval[[]string](b, `[...document.querySelectorAll("[data-move]")].map(b => b.dataset.move)`); strings.Join(moves, " ") != "canceled" {
			t.Fatalf("the moves offered to an administrator: %v", moves)
		}
		// The timeline says who acted by role, with no user ID to look up.
		if h := b.text("ol.history"); !strings.Contains(h, "submitted by the account's administrator") || !strings.Contains(h, "pending by the porting desk") || strings.Contains(h, "(usr") {
			t.Fatalf("the timeline as the administrator sees it: %q", h)
		}
	})
}

// Roles shape the portal: a user sees their account but no action that changes it; a
// basic user sees only their own page. Each screen offers only what the API allows.
func TestRolesShapeThePortal(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		acct, admin := wizardTenant(e, "Roles")
		for _, u := range []struct{ name, kind, primary string }{{"ulla", "user", "+46812340010"}, {"bea", "basic", "+46812340011"}} {
			body := wizardBody(u.name+"@roles.example", u.primary)
			body["type"], body["password"] = u.kind, "Correct-Horse-42"
			if res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", body, bearer(admin)...); res.status != http.StatusCreated {
				t.Fatalf("user %s: %d %s", u.name, res.status, res.body)
			}
		}

		b.signIn(acct.Realm, "ulla", "Correct-Horse-42", "Welcome, Kim")
		if nav := b.text("#nav"); !strings.Contains(nav, "Our account") || strings.Contains(nav, "Accounts") || strings.Contains(nav, "Porting") {
			t.Fatalf("a user's navigation: %q", nav)
		}
		b.click(`#nav a[href^="/accounts/"]`)
		b.waitHeading("Roles")
		for _, path := range []string{"", "/users", "/contacts", "/summaries"} {
			b.open("/accounts/"+acct.ID+path, "Roles")
			eventually(t, "the page "+path, func() bool { return b.text("nav.tabs") != "" })
			if forms := eval[int](b, `document.querySelectorAll("main form:not([role=search]):not([aria-label]) button[type=submit], [aria-label^='Add'], [aria-label^='Assign'], [aria-label^='Reset'], a[href$='/users/new'], a[href^='/accounts/new']").length`); forms != 0 {
				t.Errorf("a user is offered %d changes on %q", forms, path)
			}
		}
		b.check("a user's account", width)

		b.click(`#nav button`)
		b.signIn(acct.Realm, "bea", "Correct-Horse-42", "Welcome, Kim")
		if nav := b.text("#nav"); strings.Contains(nav, "account") || strings.Contains(nav, "Accounts") {
			t.Fatalf("a basic user's navigation: %q", nav)
		}
		if page := b.text("main"); !strings.Contains(page, "bea") || !strings.Contains(page, "+46812340011") {
			t.Fatalf("a basic user's own page: %q", page)
		}
		b.check("a basic user's page", width)
	})
}
