package localserver_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// browser is a headless Chromium (Debian's package) driving the portal of env, saving a
// screenshot of each step under bin/test-artifacts/portal/<test>/.
type browser struct {
	t         *testing.T
	e         *env
	ctx       context.Context
	shots     string
	n         int
	axeScript string
}

// chromium finds the system browser: the tests never download one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium: install Debian's chromium package (apt-get install chromium); .ci/run does")
	return ""
}

func newBrowser(t *testing.T, e *env, width, height int) *browser {
	t.Helper()
	axe, err := os.ReadFile("../../portal/node_modules/axe-core/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core for the accessibility checks: %v (make portal-deps)", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.WindowSize(width, height), chromedp.Flag("disable-gpu", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Each run's screenshots replace the last run's: none is left from a run before.
	shots := filepath.Join("..", "..", "bin", "test-artifacts", "portal", t.Name())
	if err := os.RemoveAll(shots); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	// The first run starts the browser, which lives as long as its context: no timeout.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	b := &browser{t: t, e: e, ctx: ctx, shots: shots, axeScript: string(axe)}
	// A failed test leaves the page it failed on: its screenshot, and its text in the log.
	t.Cleanup(func() {
		if t.Failed() {
			b.shot("failed")
			t.Logf("the page when the test failed:\n%s", b.text("main"))
		}
	})
	return b
}

// do runs steps, each bounded so a page that never comes fails the test instead of
// hanging it.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression and returns its value.
func eval[T any](b *browser, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		b.t.Fatalf("browser: %s: %v", expr, err)
	}
	return v
}

// text is the text of the first element that sel matches, "" when there is none.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {}).innerText || ""`, sel))
}

// open loads path and waits for its heading.
func (b *browser) open(path, heading string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.e.url + path))
	b.waitHeading(heading)
}

// waitHeading waits until the page's heading is heading.
func (b *browser) waitHeading(heading string) {
	b.t.Helper()
	eventually(b.t, "the page "+heading, func() bool { return b.text("main h1") == heading })
}

// shot saves a screenshot of the whole page.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	b.n++
	if err := os.WriteFile(filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name)), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// accessible runs axe-core on the page and fails on a serious or critical violation.
func (b *browser) accessible(page string) {
	b.t.Helper()
	eval[bool](b, b.axeScript+";true")
	found := eval[[]string](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))`, chromedp.EvalAwaitPromise)
	if len(found) > 0 {
		b.t.Errorf("%s: accessibility violations:\n%s", page, strings.Join(found, "\n"))
	}
}

// fitsWidth fails when the page scrolls sideways.
func (b *browser) fitsWidth(page string, width int) {
	b.t.Helper()
	if scroll := eval[int](b, `document.documentElement.scrollWidth`); scroll > width {
		b.t.Errorf("%s is %d px wide at a width of %d", page, scroll, width)
	}
}

// settle runs steps until they succeed: a page that re-renders (a list reloading after a
// search) can replace the node a step found before the step acts on it.
func (b *browser) settle(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	var last error
	eventually(b.t, what, func() bool {
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		defer cancel()
		if last = chromedp.Do(ctx, steps...); last != nil {
			b.t.Logf("%s: %v; again", what, last)
		}
		return last == nil
	})
}

func (b *browser) fill(name, value string) {
	b.t.Helper()
	sel := fmt.Sprintf(`[name="%s"]`, name)
	clear := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error { // as a user clears it
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).value = "", true`, sel)))
		return err
	})
	b.settle("filling "+name, clear, chromedp.SendKeys(chromedp.CSS(sel), value))
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.settle("a click on "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// openFound searches a list page for q and opens its one row, once the list shows name
// alone: the search replaces the list, so the row clicked is the one found.
func (b *browser) openFound(q, name string) {
	b.t.Helper()
	b.fill("q", q)
	b.click(`form[role="search"] button[type="submit"]`)
	eventually(b.t, "the search for "+q, func() bool {
		return strings.Contains(b.text("tbody"), name) && eval[int](b, `document.querySelectorAll("tbody tr").length`) == 1
	})
	b.click(`tbody a`)
}

// fieldError is the error shown at the field of the API's name.
func (b *browser) fieldError(name string) string {
	b.t.Helper()
	return b.text("#f-" + regexp.MustCompile(`[^a-zA-Z0-9]`).ReplaceAllString(name, "-") + "-error")
}

// focused is the name (or text) of the element that has the focus.
func (b *browser) focused() string {
	return eval[string](b, `document.activeElement.name || document.activeElement.textContent.trim()`)
}

// viewport is a browser window the portal is tested in.
type viewport struct {
	name          string
	width, height int
}

// atBothWidths runs a browser test at a desktop's width and at a phone's (360 px), each
// on a server of its own.
func atBothWidths(t *testing.T, test func(t *testing.T, e *env, b *browser, width viewport)) {
	for _, w := range []viewport{{"desktop", 1280, 900}, {"phone", 360, 740}} {
		t.Run(w.name, func(t *testing.T) {
			e := mustStart(t)
			test(t, e, newBrowser(t, e, w.width, w.height), w)
		})
	}
}

func TestThePortalRegistersSignsInAndResetsAPassword(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		tenant := map[string]string{"desktop": "KentonDesk", "phone": "KentonPhone"}[width.name]
		domain := strings.ToLower(tenant) + ".example"
		email := "it@" + domain

		// Register: template, tenant, contact; the form checks the confirmation first.
		b.open("/register", "Register your company")
		b.accessible("registration")
		b.fitsWidth("registration", width.width)
		b.shot("template")
		// The tabs take arrow keys, as the WAI-ARIA tabs pattern has it.
		b.do(chromedp.Focus(chromedp.CSS("#tab-Template")), chromedp.KeyEvent(kb.ArrowRight))
		if tab := eval[string](b, `document.activeElement.id + " " + document.activeElement.getAttribute("aria-selected")`); tab != "tab-Tenant true" {
			t.Fatalf("ArrowRight from the Template tab: %q", tab)
		}
		b.fill("tenant.name", tenant)
		b.fill("tenant.shortName", strings.ToLower(tenant[:8])+width.name[:1])
		b.fill("tenant.upnSuffix", domain)
		b.fill("tenant.adminUserName", "keAdmin")
		b.fill("tenant.password", "Correct-Horse-42")
		b.fill("passwordConfirm", "Correct-Horse-43")
		b.fill("tenant.ani", "+46812345678")
		if personnel := b.text(`#panel-Tenant p[aria-live]`); personnel != "Personnel ID: prpkeAdmin" {
			t.Fatalf("the personnel ID shown: %q", personnel)
		}
		b.shot("tenant")
		b.click(`#panel-Tenant button.secondary`)
		b.fill("contact.name", "Kim Kenton")
		b.fill("contact.email", email)
		b.fill("contact.phone", "+46701234567")
		b.shot("contact")
		b.click(`#panel-Contact button[type="submit"]`)
		eventually(t, "the confirmation's error", func() bool { return b.fieldError("passwordConfirm") != "" })
		b.shot("confirmation-refused")
		b.fill("passwordConfirm", "Correct-Horse-42")
		b.fill("tenant.ani", "12")
		b.click(`#tab-Contact`)
		b.click(`#panel-Contact button[type="submit"]`)
		// The API's reason shows at its field, on the tab that holds it.
		eventually(t, "the API's reason at the ANI", func() bool { return b.fieldError("tenant.ani") != "" })
		b.shot("api-error-at-field")
		b.fill("tenant.ani", "+46812345678")
		b.click(`#tab-Contact`)
		b.click(`#panel-Contact button[type="submit"]`)
		b.waitHeading("Registration status")
		eventually(t, "the registration completed", func() bool { return b.text("#reg-status") == "completed" })
		b.accessible("status")
		b.fitsWidth("status", width.width)
		b.shot("completed")
		if mails := e.waitForMail(email); len(mails) == 0 {
			t.Fatal("no email to the contact")
		}

		// Sign in with the organisation's domain; keyboard only, in order.
		b.open("/sign-in", "Sign in")
		b.accessible("sign-in")
		b.fitsWidth("sign-in", width.width)
		if f := b.focused(); f != "domain" {
			t.Fatalf("the sign-in page starts at %q, not the domain", f)
		}
		b.do(chromedp.KeyEvent(domain + "\t"))
		if f := b.focused(); f != "username" {
			t.Fatalf("Tab from the domain goes to %q", f)
		}
		b.do(chromedp.KeyEvent("keAdmin\t"), chromedp.KeyEvent("Wrong-Password-1\r"))
		eventually(t, "the refusal", func() bool { return b.text(`[role="alert"]`) != "" })
		b.shot("sign-in-refused")
		b.fill("password", "Correct-Horse-42")
		b.click(`button[type="submit"]`)
		b.waitHeading("Welcome, keAdmin")
		// The start page names the role and the account, and leads to the account's pages.
		eventually(t, "the start page", func() bool {
			facts := b.text("dl.facts")
			return strings.Contains(facts, "Administrator") && strings.Contains(facts, tenant+" (")
		})
		if link := eval[string](b, `document.querySelector("main li a").getAttribute("href")`); !strings.HasPrefix(link, "/accounts/acc-") {
			t.Fatalf("the start page's first link: %q", link)
		}
		b.shot("signed-in")
		b.click(`#nav button`)
		b.waitHeading("Sign in")

		// Forgot password: the emailed link opens the portal's reset page.
		b.click(`a[href="/forgot-password"]`)
		b.waitHeading("Forgot password")
		b.accessible("forgot password")
		b.fill("domain", domain)
		b.fill("username", "keAdmin")
		b.click(`button[type="submit"]`)
		var token string
		eventually(t, "the reset email", func() bool {
			for _, m := range e.outboxTo(email) {
				if got := resetLink.FindStringSubmatch(m.Body); got != nil {
					token = got[1]
				}
			}
			return token != ""
		})
		// The link's path on this server (its host is the stack's PortalUrl).
		b.open("/reset-password?token="+token, "Choose a new password")
		b.accessible("reset password")
		b.fill("password", "Battery-Staple-77")
		b.fill("passwordConfirm", "Battery-Staple-77")
		b.shot("reset")
		b.click(`button[type="submit"]`)
		b.waitHeading("Sign in")
		b.fill("domain", domain)
		b.fill("username", "keAdmin")
		b.fill("password", "Battery-Staple-77")
		b.click(`button[type="submit"]`)
		b.waitHeading("Welcome, keAdmin")

		// An expired token leads back to sign-in, keeping the page.
		eval[bool](b, `sessionStorage.setItem("provisio.token", "expired.token.value"), true`)
		b.do(chromedp.Navigate(e.url + "/"))
		b.waitHeading("Sign in")
		if url := eval[string](b, `location.href`); !strings.Contains(url, "next=%2F") || !strings.Contains(url, "expired=1") {
			t.Fatalf("after an expired token: %s", url)
		}
		b.shot("expired")

		// Unknown pages are the portal's, and the API keeps its own 404.
		b.open("/no-such-page", "Not found")
		if res := e.do("GET", "/v1/nothing", nil); res.status != 404 || strings.Contains(res.String(), "<html") {
			t.Fatalf("an unknown API route: %d %s", res.status, res.body)
		}
	})
}

func TestTenantCreationManagementInThePortal(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		var ids []string
		for _, name := range []string{"Soon", "Later"} {
			reg, res := e.submit(registrationBody(name, "off-peak"))
			if res.status != http.StatusAccepted || reg.Status != "scheduled" {
				t.Fatalf("register %s: %d %s", name, res.status, res.body)
			}
			ids = append(ids, reg.ID)
		}
		soon, later := ids[0], ids[1]

		// The provider's administrator signs in and finds the scheduled registrations.
		b.open("/sign-in", "Sign in")
		b.fill("domain", e.rootRealm)
		b.fill("username", "admin@provisio.example")
		b.fill("password", e.rootPassword)
		b.click(`button[type="submit"]`)
		b.waitHeading("Welcome, admin@provisio.example")
		b.click(`#nav a[href="/tenant-creation"]`)
		b.waitHeading("Tenant Creation Management")
		b.do(chromedp.SetValue(chromedp.CSS(`[name="status"]`), "scheduled"))
		b.fill("q", "kentonso")
		b.click(`form[role="search"] button[type="submit"]`)
		eventually(t, "the filtered list", func() bool {
			return b.text("tbody") != "" && strings.Contains(b.text("tbody"), "KentonSoon") && !strings.Contains(b.text("tbody"), "KentonLater")
		})
		b.accessible("the registrations")
		b.fitsWidth("the registrations", width.width)
		b.shot("list")

		// Its detail offers what a scheduled registration allows: now, or cancel.
		b.click(`tbody a`)
		b.waitHeading("Registration")
		if b.text(".actions") == "" || strings.Contains(b.text(".actions"), "Retry") {
			t.Fatalf("the actions of a scheduled registration: %q", b.text(".actions"))
		}
		b.accessible("a registration")
		b.fitsWidth("a registration", width.width)
		b.shot("detail")
		b.click(`.actions button:not(.secondary)`)
		eventually(t, "provisioned now", func() bool { return b.text("#reg-status") != "scheduled" })
		e.waitFor(soon, "completed")

		// The other one is canceled, with a reason on its history.
		b.open("/tenant-creation/"+later, "Registration")
		b.fill("reason", "the prospect asked us to stop")
		b.click(`.actions button.secondary`)
		eventually(t, "canceled", func() bool { return b.text("#reg-status") == "canceled" })
		if !strings.Contains(b.text("ol.history"), "the prospect asked us to stop") || b.text(".actions") != "" {
			t.Fatalf("after the cancel: %q, actions %q", b.text("ol.history"), b.text(".actions"))
		}
		b.shot("canceled")

		// A failed registration offers Retry: refused in words while its cause stands (the
		// contact's email is another account's administrator), queued once it is gone.
		clash, _ := e.submit(registrationBody("Clash", "off-peak"))
		root := e.rootToken()
		early := e.newAccount(root, "", "Early", 1, adminBody("it@kenton-clash.com"))
		b.open("/tenant-creation/"+clash.ID, "Registration")
		b.click(`.actions button:not(.secondary)`)
		e.waitFor(clash.ID, "failed")
		b.open("/tenant-creation/"+clash.ID, "Registration")
		b.click(`.actions button`)
		eventually(t, "the retry refused, naming the field", func() bool { return strings.Contains(b.text(`[role="alert"]`), "contact.email") })
		b.accessible("a failed registration")
		b.shot("retry-refused")
		if res := e.do("POST", "/v1/accounts/"+early.ID+"/contacts", map[string]string{"name": "Second Admin", "email": "second@early.example"}, bearer(root)...); res.status != http.StatusCreated {
			t.Fatalf("another administrator: %d %s", res.status, res.body)
		}
		if res := e.do("DELETE", "/v1/accounts/"+early.ID+"/users/"+early.Admin.ID, nil, bearer(root)...); res.status != http.StatusNoContent {
			t.Fatalf("delete the user who took the email: %d %s", res.status, res.body)
		}
		b.click(`.actions button`)
		eventually(t, "the retry queued", func() bool { return b.text("#reg-status") == "queued" })
		b.shot("retried")
		e.waitFor(clash.ID, "completed")
	})
}

func TestTheAccountsManagerInThePortal(t *testing.T) {
	atBothWidths(t, func(t *testing.T, e *env, b *browser, width viewport) {
		tenant, alice := e.tenantWithAdmin(e.rootToken(), "Kenton Reseller", "alice@kenton.example")
		b.open("/sign-in", "Sign in")
		b.fill("domain", tenant.Realm)
		b.fill("username", "alice@kenton.example")
		b.fill("password", "Correct-Horse-42")
		b.click(`button[type="submit"]`)
		b.waitHeading("Welcome, Alice")
		// A tenant's administrator has Accounts, not the provider's Tenant Creation.
		if nav := b.text("#nav"); !strings.Contains(nav, "Accounts") || strings.Contains(nav, "Tenant Creation") || strings.Contains(nav, "null") {
			t.Fatalf("a tenant administrator's navigation: %q", nav)
		}
		b.click(`#nav a[href="/accounts"]`)
		b.waitHeading("Accounts")
		b.accessible("the accounts")
		b.click(`a[href^="/accounts/new"]`)
		b.waitHeading("Add New Account")

		// Step by step: a name, an administrator, more trunks than the parent has left.
		b.fill("name", "ABC Company")
		b.click(`.actions button:not(.secondary)`)
		// Each step starts at its first field, so the keyboard goes on where the eye does.
		if f := b.focused(); f != "withAdmin" {
			t.Fatalf("the administrator step starts at %q", f)
		}
		b.click(`#with-admin`)
		b.fill("admin.firstName", "Bo")
		b.fill("admin.lastName", "Berg")
		b.fill("admin.email", "bo@abc.example")
		b.fill("admin.phone", "+46701234599")
		b.fill("admin.password", "Another-Horse-43")
		b.accessible("the administrator step")
		b.click(`.actions button:not(.secondary)`)
		if hint := b.text(`#f-limits-inboundTrunks-hint`); hint != "2 of the parent's 2 left" {
			t.Fatalf("what the parent has left: %q", hint)
		}
		b.fill("limits.inboundTrunks", "5")
		b.fill("limits.users", "0")
		b.accessible("the restrictions step")
		b.fitsWidth("the restrictions step", width.width)
		b.shot("restrictions")
		b.click(`.actions button:not(.secondary)`)
		b.click(`.actions button[type="submit"]`)
		eventually(t, "the trunks refused, in words", func() bool { return strings.Contains(b.text(`[role="alert"]`), "inbound") })
		b.shot("too-many-trunks")
		b.click(`.actions button.secondary`)
		b.fill("limits.inboundTrunks", "1")
		b.click(`.actions button:not(.secondary)`)
		b.click(`.actions button[type="submit"]`)
		b.waitHeading("ABC Company")
		if notice := b.text(`[role="status"]`); !strings.Contains(notice, "Its realm is ") {
			t.Fatalf("the realm after saving: %q", notice)
		}
		// The wizard offered the parent's permissions, all checked: the new account has them.
		if got := eval[string](b, `document.querySelectorAll('[name="permissions"]:checked').length + " of " + document.querySelectorAll('[name="permissions"]').length`); got == "0 of 0" || strings.HasPrefix(got, "0 ") {
			t.Fatalf("the new account's permissions: %s checked", got)
		}
		b.accessible("the account")
		b.fitsWidth("the account", width.width)
		b.shot("created")

		// The tree finds it; its detail edits it.
		b.open("/accounts", "Accounts")
		b.fill("q", "abc")
		b.click(`form[role="search"] button[type="submit"]`)
		eventually(t, "the search", func() bool { return strings.Contains(b.text("ul.tree"), "ABC Company") })
		b.click(`ul.tree a`)
		b.waitHeading("ABC Company")
		b.fill("name", "ABC Company AB")
		b.fill("limits.inboundTrunks", "3")
		b.click(`form button[type="submit"]`)
		eventually(t, "the limit refused, in words", func() bool { return b.text(`[role="alert"]`) != "" })
		b.fill("limits.inboundTrunks", "1")
		b.click(`form button[type="submit"]`)
		b.waitHeading("ABC Company AB")
		b.shot("edited")

		// Credit, with its reason; then the parent's settings: a denied call class and a
		// debit limit.
		b.fill("amountMinor", "2500")
		b.click(`#credit-heading ~ button[type="submit"]`)
		eventually(t, "the missing reason", func() bool { return b.fieldError("reason") != "" })
		b.fill("reason", "Opening top-up")
		b.click(`#credit-heading ~ button[type="submit"]`)
		eventually(t, "the new balance", func() bool { return strings.Contains(b.text("dl.facts"), "25.00") })
		b.accessible("the account with credit")
		b.fitsWidth("the account with credit", width.width)
		b.do(chromedp.SetValue(chromedp.CSS(`[name="restrictions.international"]`), "deny"))
		b.fill("debitLimitMinor", "500")
		b.click(`form[aria-labelledby="edit-heading"] > button[type="submit"]`)
		eventually(t, "the restriction saved", func() bool {
			facts := b.text("dl.facts")
			return strings.Contains(facts, "international") && strings.Contains(facts, "debit limit 5.00")
		})
		b.shot("restricted-and-credited")

		// On her own account she sees no parent's settings: the API would refuse them.
		b.open("/accounts/"+tenant.ID, "Kenton Reseller")
		for _, parents := range []string{"limits.inboundTrunks", "restrictions.international", "debitLimitMinor", "amountMinor", "permissions"} {
			if eval[bool](b, fmt.Sprintf(`!!document.querySelector('[name="%s"]')`, parents)) {
				t.Errorf("her own account offers %s", parents)
			}
		}
		if eval[bool](b, `!!document.getElementById("delete-account")`) {
			t.Error("her own account offers its deletion")
		}

		// Deleting a child: refused in words while it has users, done once it is empty.
		b.open("/accounts", "Accounts")
		b.click(`ul.tree a`)
		b.waitHeading("ABC Company AB")
		b.click(`#delete-account`)
		b.click(`dialog[open] button:not(.secondary)`)
		eventually(t, "the refusal naming what is left", func() bool {
			return strings.Contains(b.text(`.actions-explained [role="alert"]`), "account has a user: delete it first")
		})
		empty := e.newAccount(alice, tenant.ID, "Empty Co", 0, nil)
		b.open("/accounts/"+empty.ID, "Empty Co")
		b.click(`#delete-account`)
		b.click(`dialog[open] button:not(.secondary)`)
		b.waitHeading("Kenton Reseller")
		if notice := b.text(`.notice`); notice != "Empty Co is deleted." {
			t.Fatalf("after the deletion: %q", notice)
		}
		if res := e.do("GET", "/v1/accounts/"+empty.ID, nil, bearer(alice)...); res.status != http.StatusNotFound {
			t.Fatalf("the deleted account: %d", res.status)
		}
	})
}
