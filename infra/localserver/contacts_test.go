package localserver_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/app"
)

type contactView struct {
	ID, Name, Email, Mobile, PublicNotes string
	PrivateNotes                         *string
	EmailVerified, MobileVerified        bool
	Pending                              map[string]struct{ AttemptsLeft int } `json:"pendingVerification"`
	Version                              int
}

// tenantWithAdmin makes a tenant under the provider with an administrator who can sign
// in, and returns it with the administrator's token.
func (e *env) tenantWithAdmin(root, name, adminEmail string) (accountView, string) {
	e.t.Helper()
	acct := e.newAccount(root, "", name, 2, adminBody(adminEmail))
	return acct, e.login(acct.Realm, adminEmail, "Correct-Horse-42")
}

// passwordIn reads the password a welcome or new-password email carries.
func passwordIn(t *testing.T, body string) string {
	t.Helper()
	m := generatedPassword.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no password in the email:\n%s", body)
	}
	return m[1]
}

func TestContactLifecycle(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct, admin := e.tenantWithAdmin(root, "ABC Company", "alice@abc.example")
	base := "/v1/accounts/" + acct.ID + "/contacts"

	// Staff add a contact with both notes and no password: one is generated and emailed.
	res := e.do("POST", base, map[string]string{"name": "Kim Berg", "email": "Kim@ABC.example", "mobile": "+46 70 123 45 67",
		"publicNotes": "Prefers email", "privateNotes": "Slow payer; call the CFO"}, bearer(root)...)
	var kim contactView
	res.decode(t, &kim)
	if res.status != http.StatusCreated || kim.Email != "kim@abc.example" || kim.Mobile != "+46701234567" || kim.PrivateNotes == nil || *kim.PrivateNotes != "Slow payer; call the CFO" {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	pw := passwordIn(t, e.waitForMail("kim@abc.example")[0].Body)
	kimToken := e.login(acct.Realm, "kim@abc.example", pw)

	// Customers never see the private notes, not even as an empty field.
	for _, tok := range []string{admin, kimToken} {
		res = e.do("GET", base+"/"+kim.ID, nil, bearer(tok)...)
		if res.status != http.StatusOK || strings.Contains(res.String(), "privateNotes") || strings.Contains(res.String(), "CFO") {
			t.Fatalf("customer view: %d %s", res.status, res.body)
		}
		res = e.do("GET", base, nil, bearer(tok)...)
		if res.status != http.StatusOK || strings.Contains(res.String(), "CFO") || !strings.Contains(res.String(), kim.ID) {
			t.Fatalf("customer list: %d %s", res.status, res.body)
		}
	}
	// The list searches a prefix of the name, the email or the mobile number, page by page.
	for query, want := range map[string]bool{"q=kim+b": true, "q=BERG": true, "q=kim%40abc": true, "q=4670123": true, "q=erg": false,
		"q=kim&limit=1": true} {
		res := e.do("GET", base+"?"+query, nil, bearer(admin)...)
		if res.status != http.StatusOK || strings.Contains(res.String(), kim.ID) != want {
			t.Errorf("contacts ?%s: %d %s, want listed=%v", query, res.status, res.body, want)
		}
	}
	// ... nor in the audit log, which shows no more than the contact's own view.
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?limit=100", nil, bearer(admin)...); res.status != http.StatusOK ||
		strings.Contains(res.String(), "CFO") || strings.Contains(res.String(), "privateNotes") || !strings.Contains(res.String(), "Prefers email") {
		t.Fatalf("the customer's audit log: %d %s", res.status, res.body)
	}
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?limit=100", nil, bearer(root)...); !strings.Contains(res.String(), "CFO") {
		t.Fatalf("the provider's staff no longer see their own notes in the audit log: %s", res.body)
	}
	// ... nor write them; their own edits leave the staff's notes alone.
	res = e.do("PATCH", base+"/"+kim.ID, map[string]any{"version": kim.Version, "privateNotes": "mine now"}, bearer(admin)...)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("customer writing private notes: %d %s", res.status, res.body)
	}
	res = e.do("PATCH", base+"/"+kim.ID, map[string]any{"version": kim.Version, "publicNotes": "Call after 10:00"}, bearer(admin)...)
	if res.status != http.StatusOK {
		t.Fatalf("customer edit: %d %s", res.status, res.body)
	}
	res = e.do("GET", base+"/"+kim.ID, nil, bearer(root)...)
	res.decode(t, &kim)
	if kim.PublicNotes != "Call after 10:00" || kim.PrivateNotes == nil || *kim.PrivateNotes != "Slow payer; call the CFO" {
		t.Fatalf("after the customer's edit: %s", res.body)
	}

	// Notes that look like credentials are refused without echoing them; nothing changes.
	for _, notes := range []string{"pwd=Hunter2hunter", "the password is Hunter2hunter", "old: " + pw} {
		res = e.do("PATCH", base+"/"+kim.ID, map[string]any{"version": kim.Version, "privateNotes": notes}, bearer(root)...)
		if res.status != http.StatusUnprocessableEntity || strings.Contains(res.String(), "Hunter2") || strings.Contains(res.String(), pw) {
			t.Fatalf("credential in notes %q: %d %s", notes, res.status, res.body)
		}
	}
	res = e.do("GET", base+"/"+kim.ID, nil, bearer(root)...)
	var unchanged contactView
	res.decode(t, &unchanged)
	if unchanged.Version != kim.Version || *unchanged.PrivateNotes != *kim.PrivateNotes {
		t.Fatalf("a refused change changed the contact: %s", res.body)
	}

	// Login emails are unique on the platform: another account's user has this one.
	other, _ := e.tenantWithAdmin(root, "Other Company", "bob@other.example")
	res = e.do("POST", "/v1/accounts/"+other.ID+"/contacts", map[string]string{"name": "Kim Again", "email": "kim@abc.example"}, bearer(root)...)
	if res.status != http.StatusConflict {
		t.Fatalf("taken login email: %d %s", res.status, res.body)
	}
	res = e.do("POST", base, map[string]string{"name": "Bob Twice", "email": "bob@other.example", "password": "Correct-Horse-43"}, bearer(root)...)
	if res.status != http.StatusConflict {
		t.Fatalf("a user's email as a contact's login: %d %s", res.status, res.body)
	}

	// Passwords: a weak one is refused; a generated one is emailed and replaces the old.
	res = e.do("POST", base+"/"+kim.ID+"/password", map[string]string{"password": "short"}, bearer(admin)...)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("weak password: %d %s", res.status, res.body)
	}
	res = e.do("POST", base+"/"+kim.ID+"/password", map[string]bool{"generate": true}, bearer(admin)...)
	if res.status != http.StatusOK {
		t.Fatalf("generate: %d %s", res.status, res.body)
	}
	mails := e.outboxTo("kim@abc.example")
	newPW := passwordIn(t, mails[len(mails)-1].Body)
	if newPW == pw {
		t.Fatal("the same password twice")
	}
	if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "kim@abc.example", "password": pw}); res.status != http.StatusUnauthorized {
		t.Fatalf("old password still works: %d", res.status)
	}
	e.login(acct.Realm, "kim@abc.example", newPW)

	// A new login email moves the sign-in.
	res = e.do("GET", base+"/"+kim.ID, nil, bearer(root)...)
	res.decode(t, &kim)
	res = e.do("PATCH", base+"/"+kim.ID, map[string]any{"version": kim.Version, "email": "kim.berg@abc.example"}, bearer(root)...)
	if res.status != http.StatusOK {
		t.Fatalf("new email: %d %s", res.status, res.body)
	}
	e.login(acct.Realm, "kim.berg@abc.example", newPW)
	if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "kim@abc.example", "password": newPW}); res.status != http.StatusUnauthorized {
		t.Fatalf("old login email still signs in: %d", res.status)
	}

	// Deleting frees the login email; a user is not a contact.
	if res := e.do("DELETE", base+"/"+kim.ID, nil, bearer(admin)...); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "kim.berg@abc.example", "password": newPW}); res.status != http.StatusUnauthorized {
		t.Fatalf("deleted contact signs in: %d", res.status)
	}
	res = e.do("POST", base, map[string]string{"name": "Kim Berg", "email": "kim.berg@abc.example"}, bearer(root)...)
	if res.status != http.StatusCreated {
		t.Fatalf("re-create with the freed email: %d %s", res.status, res.body)
	}
	// Contacts page exactly, whatever other users the account has.
	for _, email := range []string{"lee@abc.example", "max@abc.example"} {
		if res := e.do("POST", base, map[string]string{"name": "Colleague", "email": email}, bearer(root)...); res.status != http.StatusCreated {
			t.Fatalf("another contact: %d %s", res.status, res.body)
		}
	}
	var page struct {
		Items  []contactView
		Cursor string
	}
	e.do("GET", base+"?limit=2", nil, bearer(admin)...).decode(t, &page)
	if len(page.Items) != 2 || page.Cursor == "" {
		t.Fatalf("first page: %+v", page)
	}
	var rest struct {
		Items  []contactView
		Cursor string
	}
	e.do("GET", base+"?limit=2&cursor="+page.Cursor, nil, bearer(admin)...).decode(t, &rest)
	if len(rest.Items) != 1 || rest.Items[0].ID == page.Items[0].ID || rest.Items[0].ID == page.Items[1].ID {
		t.Fatalf("second page: %+v", rest)
	}

	var me struct{ ID string }
	e.do("GET", "/v1/me", nil, bearer(admin)...).decode(t, &me)
	if res := e.do("GET", base+"/"+me.ID, nil, bearer(root)...); res.status != http.StatusNotFound {
		t.Fatalf("a user read as a contact: %d %s", res.status, res.body)
	}

	// The audit log holds every change, and no password, hash or note secret.
	res = e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=contact&limit=100", nil, bearer(root)...)
	for _, action := range []string{"contact.create", "contact.update", "contact.password_set", "contact.delete"} {
		if !strings.Contains(res.String(), action) {
			t.Fatalf("audit lacks %s: %s", action, res.body)
		}
	}
	if strings.Contains(res.String(), pw) || strings.Contains(res.String(), newPW) || strings.Contains(res.String(), "$2a$") {
		t.Fatalf("a secret in the audit log: %s", res.body)
	}
}

// clock is a settable time for the functions of one test. It ticks a millisecond a
// reading, as a real clock moves between requests (audit entries are keyed by time).
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func codeIn(t testing.TB, body string) string {
	t.Helper()
	m := regexp.MustCompile(`\b(\d{6})\b`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in %q", body)
	}
	return m[1]
}

func TestContactVerificationCodes(t *testing.T) {
	clk := &clock{now: time.Now()}
	e := mustServe(t, mustEngine(t), func(_ string, a *app.Deps) {
		if a.API != nil && a.API.Contacts != nil {
			a.API.Contacts.Now = clk.Now
		}
	})
	root := e.rootToken()
	acct, admin := e.tenantWithAdmin(root, "ABC Company", "alice@abc.example")
	res := e.do("POST", "/v1/accounts/"+acct.ID+"/contacts", map[string]string{"name": "Kim Berg", "email": "kim@abc.example",
		"mobile": "+46701234567", "password": "Correct-Horse-44"}, bearer(root)...)
	var kim contactView
	res.decode(t, &kim)
	path := "/v1/accounts/" + acct.ID + "/contacts/" + kim.ID
	confirm := func(channel, code string) response {
		return e.do("POST", path+"/confirm", map[string]string{"channel": channel, "code": code}, bearer(admin)...)
	}

	// Email: a wrong code costs an attempt, the right one verifies contact and account.
	if res := e.do("POST", path+"/verify-email", nil, bearer(admin)...); res.status != http.StatusAccepted {
		t.Fatalf("verify-email: %d %s", res.status, res.body)
	}
	mails := e.outboxTo("kim@abc.example")
	code := codeIn(t, mails[len(mails)-1].Body)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if res := confirm("email", wrong); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.String(), "4 attempts left") {
		t.Fatalf("wrong code: %d %s", res.status, res.body)
	}
	if res := e.do("POST", path+"/verify-email", nil, bearer(admin)...); res.status != http.StatusTooManyRequests {
		t.Fatalf("a second code within a minute: %d %s", res.status, res.body)
	}
	res = confirm("email", code)
	res.decode(t, &kim)
	if res.status != http.StatusOK || !kim.EmailVerified || kim.MobileVerified || len(kim.Pending) != 0 {
		t.Fatalf("right code: %d %s", res.status, res.body)
	}
	if res := confirm("email", code); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a used code: %d %s", res.status, res.body)
	}
	var view struct{ EmailVerified, MobileVerified bool }
	e.do("GET", "/v1/accounts/"+acct.ID, nil, bearer(admin)...).decode(t, &view)
	if !view.EmailVerified || view.MobileVerified {
		t.Fatalf("account flags: %+v", view)
	}

	// Mobile: an expired code is refused; so is every code after the last attempt.
	if res := e.do("POST", path+"/verify-mobile", nil, bearer(admin)...); res.status != http.StatusAccepted {
		t.Fatalf("verify-mobile: %d %s", res.status, res.body)
	}
	sms := e.outboxTo("+46701234567")
	if len(sms) != 1 || sms[0].Channel != "sms" {
		t.Fatalf("SMS: %+v", sms)
	}
	code = codeIn(t, sms[0].Body)
	clk.advance(16 * time.Minute)
	if res := confirm("mobile", code); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.String(), "expired") {
		t.Fatalf("expired code: %d %s", res.status, res.body)
	}
	if res := e.do("POST", path+"/verify-mobile", nil, bearer(admin)...); res.status != http.StatusAccepted {
		t.Fatalf("new code: %d %s", res.status, res.body)
	}
	sms = e.outboxTo("+46701234567")
	code = codeIn(t, sms[len(sms)-1].Body)
	wrong = "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 0; i < 5; i++ {
		confirm("mobile", wrong)
	}
	if res := confirm("mobile", code); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a code after the last attempt: %d %s", res.status, res.body)
	}
	e.do("GET", path, nil, bearer(admin)...).decode(t, &kim)
	if kim.MobileVerified {
		t.Fatal("verified without a valid code")
	}

	// A new mobile number drops the code pending for the old one; the audit shows it went.
	clk.advance(2 * time.Minute)
	if res := e.do("POST", path+"/verify-mobile", nil, bearer(admin)...); res.status != http.StatusAccepted {
		t.Fatalf("another code: %d %s", res.status, res.body)
	}
	e.do("GET", path, nil, bearer(admin)...).decode(t, &kim)
	res = e.do("PATCH", path, map[string]any{"version": kim.Version, "mobile": "+46707654321"}, bearer(admin)...)
	var moved contactView
	res.decode(t, &moved)
	if res.status != http.StatusOK || len(moved.Pending) != 0 || moved.Mobile != "+46707654321" {
		t.Fatalf("new mobile: %d %s", res.status, res.body)
	}
	var changes struct {
		Items []struct {
			Diff map[string]struct{ Before, After json.RawMessage }
		}
	}
	e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=contact&limit=1", nil, bearer(admin)...).decode(t, &changes)
	if len(changes.Items) != 1 || !strings.Contains(string(changes.Items[0].Diff["contact"].Before), `"pending"`) ||
		strings.Contains(string(changes.Items[0].Diff["contact"].After), `"pending"`) {
		t.Fatalf("the update's audit diff does not show the dropped code: %+v", changes.Items)
	}

	// Codes and their hashes never reach the audit log.
	res = e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?limit=100", nil, bearer(root)...)
	if strings.Contains(res.String(), code) || !strings.Contains(res.String(), "contact.verified") || !strings.Contains(res.String(), "account.verified") {
		t.Fatalf("audit: %s", res.body)
	}
	if !regexp.MustCompile(`"messageId":"[^"]+"`).MatchString(res.String()) {
		t.Fatalf("the code's message ID is not recorded: %s", res.body)
	}
	if hash := regexp.MustCompile(`[0-9a-f]{64}`).FindString(res.String()); hash != "" {
		t.Fatalf("a code hash in the audit log: %s", hash)
	}
	for _, item := range e.tableItems() {
		if strings.Contains(item, `"code":"`+code) {
			t.Fatalf("a clear code is stored: %s", item)
		}
	}
}
