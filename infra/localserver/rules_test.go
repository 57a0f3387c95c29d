package localserver_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/provisio/provisio/infra/awsconfig"
	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/config"
	"github.com/provisio/provisio/shared/dynamo"
)

// The rules a provider relies on (release blockers): each test here failed before its
// rule was enforced.

// rootChild creates the account body describes under the provider, and signs its admin
// (adminBody's password) in.
func (e *env) rootChild(body map[string]any) (accountView, string) {
	e.t.Helper()
	res := e.do("POST", "/v1/accounts", body, bearer(e.rootToken())...)
	var acct accountView
	res.decode(e.t, &acct)
	if res.status != http.StatusCreated {
		e.t.Fatalf("create: %d %s", res.status, res.body)
	}
	return acct, e.login(acct.Realm, body["admin"].(map[string]any)["email"].(string), clearPassword)
}

func TestPermissionsTheParentLeftOutAreRefused(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct, admin := e.rootChild(map[string]any{"name": "Narrow", "timezone": "Europe/Stockholm", "permissions": []string{"users.manage"},
		"limits": map[string]int{"inboundTrunks": 1, "users": 5}, "admin": adminBody("narrow@perm.example")})
	base := "/v1/accounts/" + acct.ID
	for _, c := range []struct {
		method, path string
		body         any
		permission   string
	}{
		{"POST", base + "/number-ranges", map[string]string{"start": "+46812350000", "end": "+46812350099", "kind": "fixed"}, "numbers.manage"},
		{"GET", base + "/numbers/available", nil, "numbers.view"},
		{"POST", base + "/internal-number-blocks", map[string]any{}, "numbers.manage"},
		{"POST", base + "/sip-accounts", map[string]string{"displayName": "Kim", "email": "kim@perm.example", "primaryNumber": "+46812350001"}, "sip.manage"},
		{"GET", base + "/sip-accounts", nil, "sip.manage"},
		{"GET", base + "/porting-requests", nil, "porting.request"},
	} {
		before := len(e.tableItems())
		res := e.do(c.method, c.path, c.body, bearer(admin)...)
		if res.status != http.StatusForbidden || !strings.Contains(string(res.body), c.permission) ||
			res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d %s, want 403 naming %s", c.method, c.path, res.status, res.body, c.permission)
		}
		if after := len(e.tableItems()); after != before {
			t.Errorf("%s %s wrote %d items", c.method, c.path, after-before)
		}
	}
	// The wizard asks by its body: a subscription needs subscriptions.manage.
	wiz := wizardBody("kim@perm.example", "+46812350001")
	wiz["subscription"] = map[string]any{"kind": "new", "activationDate": "2030-01-01", "simDeliveryAddress": invoice}
	if res := e.do("POST", base+"/users?dryRun=true", wiz, bearer(admin)...); res.status != http.StatusForbidden ||
		!strings.Contains(string(res.body), "subscriptions.manage") {
		t.Errorf("wizard with a subscription: %d %s", res.status, res.body)
	}
	// The parent's staff may do for the customer what the customer may not.
	if res := e.do("POST", base+"/number-ranges", map[string]string{"start": "+46812350000", "end": "+46812350099", "kind": "fixed"},
		bearer(root)...); res.status != http.StatusCreated {
		t.Fatalf("the provider adding a range: %d %s", res.status, res.body)
	}
	// And the customer may do what it was granted.
	if res := e.do("POST", base+"/users", wizardBody("kim@perm.example", "+46812350001"), bearer(admin)...); res.status != http.StatusCreated {
		t.Fatalf("a user under users.manage: %d %s", res.status, res.body)
	}
}

func TestTheUserLimitHoldsLikeTrunks(t *testing.T) {
	e := mustStart(t)
	acct, admin := e.rootChild(map[string]any{"name": "Capped", "timezone": "Europe/Stockholm",
		"limits": map[string]int{"inboundTrunks": 2, "users": 1}, "admin": adminBody("capped@users.example")})
	base := "/v1/accounts/" + acct.ID
	if res := e.do("POST", base+"/number-ranges", map[string]string{"start": "+46812360000", "end": "+46812360099", "kind": "fixed"},
		bearer(admin)...); res.status != http.StatusCreated {
		t.Fatalf("range: %d %s", res.status, res.body)
	}
	if res := e.do("POST", base+"/users", wizardBody("one@users.example", "+46812360001"), bearer(admin)...); res.status != http.StatusCreated {
		t.Fatalf("first user: %d %s", res.status, res.body)
	}
	want := "users: asked 1, the account may have 1 of which 1 are given to child accounts or taken by its users, so 0 are left"
	for _, path := range []string{base + "/users?dryRun=true", base + "/users"} {
		res := e.do("POST", path, wizardBody("two@users.example", "+46812360002"), bearer(admin)...)
		if res.status != http.StatusConflict || !strings.Contains(string(res.body), want) {
			t.Errorf("%s: %d %s, want 409 with the arithmetic", path, res.status, res.body)
		}
	}
	// A child account cannot be given more users than its parent has left.
	res := e.do("POST", "/v1/accounts", map[string]any{"name": "Child", "timezone": "Europe/Stockholm",
		"limits": map[string]int{"users": 1}}, bearer(admin)...)
	if res.status != http.StatusConflict || !strings.Contains(string(res.body), "users: asked 1, the parent has 1 of which 1 are given") {
		t.Errorf("child with users: %d %s", res.status, res.body)
	}
}

func TestPatchChangesOnlyTheLimitsItNames(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	child := e.newAccount(root, "", "Partial", 5, nil)
	res := e.do("PATCH", "/v1/accounts/"+child.ID, map[string]any{"version": child.Version, "limits": map[string]int{"inboundTrunks": 3}}, bearer(root)...)
	var got struct {
		Limits map[string]int `json:"limits"`
	}
	res.decode(t, &got)
	if res.status != http.StatusOK || got.Limits["inboundTrunks"] != 3 || got.Limits["outboundTrunks"] != 5 || got.Limits["users"] != 60 {
		t.Fatalf("patch: %d %s", res.status, res.body)
	}
	var provider struct {
		Available map[string]int `json:"available"`
	}
	e.do("GET", "/v1/accounts/provider", nil, bearer(root)...).decode(t, &provider)
	if provider.Available["outboundTrunks"] != 10000-5 || provider.Available["inboundTrunks"] != 10000-3 {
		t.Fatalf("the provider has %v left", provider.Available)
	}
}

func TestMoneyHasBounds(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	for name, credit := range map[string]map[string]any{
		"huge opening credit": {"addMinor": int64(9223372036854775807)},
		"over one addition":   {"addMinor": 100000001},
		"unknown currency":    {"addMinor": 100, "currency": "XYZ"},
		"fraction":            {"addMinor": 1.5},
	} {
		before := len(e.tableItems())
		res := e.do("POST", "/v1/accounts", map[string]any{"name": "Rich", "timezone": "Europe/Stockholm", "credit": credit}, bearer(root)...)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "credit.") {
			t.Errorf("%s: %d %s", name, res.status, res.body)
		}
		if len(e.tableItems()) != before {
			t.Errorf("%s: something was written", name)
		}
	}
	res := e.do("POST", "/v1/accounts", map[string]any{"name": "Rich", "timezone": "Europe/Stockholm", "debitLimitMinor": int64(1) << 62}, bearer(root)...)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "debitLimitMinor") {
		t.Errorf("huge debit limit: %d %s", res.status, res.body)
	}
}

func TestNamesAndBodiesRefuseWhatReadsDifferently(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	for name, value := range map[string]string{"RLO": "Evil\u202Etxt.exe", "NEL": "A\u0085B", "LS": "A\u2028B", "ZWSP": "A\u200BB"} {
		res := e.do("POST", "/v1/accounts", map[string]any{"name": value, "timezone": "Europe/Stockholm"}, bearer(root)...)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), `"field":"name"`) {
			t.Errorf("%s: %d %s", name, res.status, res.body)
		}
	}
	for name, c := range map[string]struct {
		body        string
		contentType string
		status      int
	}{
		"invalid UTF-8":   {"{\"name\":\"A\xffB\",\"timezone\":\"Europe/Stockholm\"}", "application/json", http.StatusBadRequest},
		"duplicate key":   {`{"name":"A","name":"B","timezone":"Europe/Stockholm"}`, "application/json", http.StatusBadRequest},
		"key in capitals": {`{"name":"A","NAME":"B","timezone":"Europe/Stockholm"}`, "application/json", http.StatusUnprocessableEntity},
		"latin-1":         {`{"name":"A","timezone":"Europe/Stockholm"}`, "application/json; charset=iso-8859-1", http.StatusUnsupportedMediaType},
		"nested unknown":  {`{"name":"A","timezone":"Europe/Stockholm","admin":{"confirmPassword":"x"}}`, "application/json", http.StatusUnprocessableEntity},
	} {
		res := e.do("POST", "/v1/accounts", c.body, append(bearer(root), "Content-Type", c.contentType)...)
		if res.status != c.status {
			t.Errorf("%s: %d %s, want %d", name, res.status, res.body, c.status)
		}
		if name == "nested unknown" && !strings.Contains(string(res.body), "admin.confirmPassword") {
			t.Errorf("nested unknown field not named with its path: %s", res.body)
		}
	}
}

func TestSignInDomainsAreUniqueAcrossThePlatform(t *testing.T) {
	e := mustStart(t)
	suffix := e.rootRealm[strings.IndexByte(e.rootRealm, '.')+1:]
	for name, c := range map[string]struct{ n, upn string }{
		"the provider's realm":         {"A", e.rootRealm},
		"under the platform's suffix":  {"B", "kenton." + suffix},
		"the platform's suffix itself": {"C", suffix},
	} {
		upn := c.upn
		body := registrationBody("Clash"+c.n, "now")
		body["tenant"].(map[string]any)["upnSuffix"] = upn
		before := len(e.tableItems())
		_, res := e.submit(body)
		if res.status != http.StatusConflict || !strings.Contains(res.String(), "tenant.upnSuffix") {
			t.Errorf("%s (%s): %d %s", name, upn, res.status, res.body)
		}
		if len(e.tableItems()) != before {
			t.Errorf("%s: the refused registration wrote something", name)
		}
	}
	// The first tenant's domain is taken for the second, whatever its other names.
	first, _ := e.submit(registrationBody("Domain", "now"))
	e.waitFor(first.ID, "completed")
	second := registrationBody("Other", "now")
	second["tenant"].(map[string]any)["upnSuffix"] = "kenton-domain.com"
	if _, res := e.submit(second); res.status != http.StatusConflict || !strings.Contains(res.String(), "tenant.upnSuffix") {
		t.Errorf("a second tenant on a taken domain: %d %s", res.status, res.body)
	}
}

func TestTheSelfRegisteredAdminHasTheContactsEmail(t *testing.T) {
	e := mustStart(t)
	reg, _ := e.submit(registrationBody("Mail", "now"))
	e.waitFor(reg.ID, "completed")
	token := e.login("kenton-mail.com", "keAdmin", clearPassword)
	var me struct {
		Email string `json:"email"`
	}
	e.do("GET", "/v1/me", nil, bearer(token)...).decode(t, &me)
	if me.Email != "it@kenton-mail.com" {
		t.Fatalf("the admin's email is %q", me.Email)
	}
	done := e.waitForMail("it@kenton-mail.com")
	if strings.Contains(done[0].Body, "Smart Queues") {
		t.Errorf("a business-pro tenant is told about Smart Queues: %s", done[0].Body)
	}
	if res := e.do("POST", "/v1/auth/password-reset", map[string]string{"domain": "kenton-mail.com", "username": "keAdmin"}); res.status != http.StatusAccepted {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	eventually(t, "a reset link to the admin's email", func() bool { return len(e.outboxTo("it@kenton-mail.com")) >= 2 })
}

func TestAProvisioningClashFailsWithItsCause(t *testing.T) {
	e := mustStart(t)
	reg, _ := e.submit(registrationBody("Late", "off-peak"))
	// Before the window opens, someone else takes the contact's email.
	e.newAccount(e.rootToken(), "", "Early", 1, adminBody("it@kenton-late.com"))
	if res := e.do("POST", "/_local/schedules/OffPeakWindow", nil); res.status >= 300 {
		t.Fatalf("window: %d %s", res.status, res.body)
	}
	failed := e.waitFor(reg.ID, "failed")
	last := failed.History[len(failed.History)-1].Reason
	if !strings.Contains(last, "it@kenton-late.com") || strings.Contains(last, "several attempts") {
		t.Fatalf("the failure says %q", last)
	}
	var outcome string
	eventually(t, "the outcome mail", func() bool {
		for _, m := range e.outboxTo("it@kenton-late.com") {
			if strings.Contains(m.Subject, "could not be completed") {
				outcome = m.Body
			}
		}
		return outcome != ""
	})
	if !strings.Contains(outcome, "it@kenton-late.com") || strings.Contains(outcome, "several attempts") {
		t.Errorf("the outcome mail does not name the cause: %s", outcome)
	}
}

func TestTheAuditFilterPagesOverMatchingEntries(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct := e.newAccount(root, "", "Logged", 1, adminBody("logged@audit.example"))
	version := acct.Version
	for i := range 5 {
		res := e.do("PATCH", "/v1/accounts/"+acct.ID, map[string]any{"version": version, "name": "Logged " + strings.Repeat("I", i+1)}, bearer(root)...)
		if res.status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
		version++
	}
	type page struct {
		Items []struct {
			Entity string `json:"entity"`
		} `json:"items"`
		Cursor string `json:"cursor"`
	}
	var users page
	e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=user&limit=1", nil, bearer(root)...).decode(t, &users)
	if len(users.Items) != 1 || users.Items[0].Entity != "user" || users.Cursor != "" {
		t.Fatalf("the one user entry behind five account entries: %+v", users)
	}
	seen, cursor := 0, ""
	for pages := 0; ; pages++ {
		var p page
		e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=account&limit=2&cursor="+cursor, nil, bearer(root)...).decode(t, &p)
		if len(p.Items) == 0 || pages > 3 {
			t.Fatalf("page %d is empty or the paging does not end: %+v", pages, p)
		}
		seen += len(p.Items)
		if cursor = p.Cursor; cursor == "" {
			break
		}
	}
	if seen != 6 {
		t.Fatalf("%d account entries, want 6 (a create and five updates)", seen)
	}
}

// frozenEngine stands between the functions and the engine (each engine, when services
// run on two) and, once frozen, takes requests and never answers them, as a hung
// dependency does. It points the endpoint variables at itself for the test's duration.
type frozenEngine struct {
	frozen  atomic.Bool
	release chan struct{}
}

func newFrozenEngine(t *testing.T) *frozenEngine {
	t.Helper()
	f := &frozenEngine{release: make(chan struct{})}
	var servers []*httptest.Server
	for _, variable := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SESV2"} {
		endpoint := os.Getenv(variable)
		if endpoint == "" {
			continue
		}
		target, err := url.Parse(endpoint)
		if err != nil {
			t.Fatal(err)
		}
		proxy := httputil.NewSingleHostReverseProxy(target)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if f.frozen.Load() {
				select {
				case <-r.Context().Done():
				case <-f.release:
				}
				return
			}
			proxy.ServeHTTP(w, r)
		}))
		servers = append(servers, srv)
		t.Setenv(variable, srv.URL)
	}
	t.Cleanup(func() {
		close(f.release)
		for _, srv := range servers {
			srv.Close()
		}
	})
	return f
}

func TestAHungEngineAnswers503AndWritesNothing(t *testing.T) {
	mustEngine(t)
	frozen := newFrozenEngine(t)
	cfg, err := awsconfig.Within(context.Background(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	e := serve(t, cfg, noUserCache, false)
	root := e.rootToken()
	if res := e.do("GET", "/v1/health/ready", nil); res.status != http.StatusOK || !strings.Contains(res.String(), `"table":"ok"`) {
		t.Fatalf("ready before the freeze: %d %s", res.status, res.body)
	}
	before := len(e.tableItems())

	frozen.frozen.Store(true)
	for _, c := range []struct {
		name, method, path string
		body               any
		headers            []string
	}{
		{"the token check's user read", "GET", "/v1/accounts/provider", nil, bearer(root)},
		{"a public create", "POST", "/v1/registrations", registrationBody("Frozen", "now"), nil},
		{"the readiness check", "GET", "/v1/health/ready", nil, nil},
	} {
		res := e.do(c.method, c.path, c.body, c.headers...)
		if res.status != http.StatusServiceUnavailable || res.header.Get("Content-Type") != "application/problem+json" || res.header.Get("Retry-After") == "" {
			t.Errorf("%s: %d %v %s, want a 503 problem with Retry-After", c.name, res.status, res.header, res.body)
		}
	}
	if res := e.do("GET", "/v1/health", nil); res.status != http.StatusOK {
		t.Errorf("liveness while the engine hangs: %d", res.status)
	}
	frozen.frozen.Store(false)

	if after := len(e.tableItems()); after != before {
		t.Fatalf("%d items were written while the engine hung", after-before)
	}
	if res := e.do("GET", "/v1/accounts/provider", nil, bearer(root)...); res.status != http.StatusOK {
		t.Fatalf("after the engine is back: %d %s", res.status, res.body)
	}
}

func TestANumberBelongsToOneAccount(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	reseller := e.newAccount(root, "", "Reseller", 4, adminBody("res@numbers.example"))
	resToken := e.login(reseller.Realm, "res@numbers.example", clearPassword)
	addRange := func(token, accountID, start, end string) response {
		return e.do("POST", "/v1/accounts/"+accountID+"/number-ranges", map[string]string{"start": start, "end": end, "kind": "fixed"}, bearer(token)...)
	}
	if res := addRange(root, reseller.ID, "+46812350000", "+46812350999"); res.status != http.StatusCreated || !strings.Contains(res.String(), `"id":"rng-46812350000"`) {
		t.Fatalf("the reseller's range from stock: %d %s", res.status, res.body)
	}
	left := e.newAccount(resToken, "", "Left", 1, adminBody("left@numbers.example"))
	right := e.newAccount(resToken, "", "Right", 1, adminBody("right@numbers.example"))
	rightToken := e.login(right.Realm, "right@numbers.example", clearPassword)
	if res := addRange(resToken, left.ID, "+46812350100", "+46812350199"); res.status != http.StatusCreated {
		t.Fatalf("left's range: %d %s", res.status, res.body)
	}
	// A sibling's overlapping range: 409, naming the other range only to the parent's staff.
	res := addRange(rightToken, right.ID, "+46812350150", "+46812350249")
	if res.status != http.StatusConflict || strings.Contains(res.String(), left.ID) || strings.Contains(res.String(), "+46812350100") {
		t.Errorf("a sibling's overlap seen by the sibling: %d %s", res.status, res.body)
	}
	res = addRange(resToken, right.ID, "+46812350150", "+46812350249")
	if res.status != http.StatusConflict || !strings.Contains(res.String(), left.ID) {
		t.Errorf("a sibling's overlap seen by the parent: %d %s", res.status, res.body)
	}
	// Outside the parent's ranges: 409.
	if res := addRange(resToken, right.ID, "+46812360000", "+46812360099"); res.status != http.StatusConflict || !strings.Contains(res.String(), "inside one range of the parent") {
		t.Errorf("a range outside the parent's: %d %s", res.status, res.body)
	}
	// Left's numbers are not the reseller's to give its own users, nor to offer.
	if avail := e.do("GET", "/v1/accounts/"+reseller.ID+"/numbers/available?limit=100&cursor="+base64.RawURLEncoding.EncodeToString([]byte("+46812350099")),
		nil, bearer(resToken)...).String(); strings.Contains(avail, "+46812350100") || !strings.Contains(avail, "+46812350200") {
		t.Errorf("the reseller offers its child's numbers: %s", avail)
	}
	if res := e.do("POST", "/v1/accounts/"+reseller.ID+"/users", wizardBody("res-user@numbers.example", "+46812350150"), bearer(resToken)...); res.status != http.StatusUnprocessableEntity {
		t.Errorf("the reseller's user taking its child's number: %d %s", res.status, res.body)
	}
	// A range is released only while nothing uses it.
	release := func(token, accountID, id string) response {
		return e.do("DELETE", "/v1/accounts/"+accountID+"/number-ranges/"+id, nil, bearer(token)...)
	}
	if res := release(resToken, reseller.ID, "rng-46812350000"); res.status != http.StatusConflict || !strings.Contains(res.String(), "child account") {
		t.Errorf("releasing a range a child holds numbers of: %d %s", res.status, res.body)
	}
	if res := release(rightToken, left.ID, "rng-46812350100"); res.status != http.StatusNotFound {
		t.Errorf("a sibling releasing the range: %d %s", res.status, res.body)
	}
	leftToken := e.login(left.Realm, "left@numbers.example", clearPassword)
	if res := e.do("POST", "/v1/accounts/"+left.ID+"/users", wizardBody("l-user@numbers.example", "+46812350150"), bearer(leftToken)...); res.status != http.StatusCreated {
		t.Fatalf("left's user: %d %s", res.status, res.body)
	}
	if res := release(resToken, left.ID, "rng-46812350100"); res.status != http.StatusConflict || !strings.Contains(res.String(), "1 numbers of the range are in use") {
		t.Errorf("releasing a range in use: %d %s", res.status, res.body)
	}
	if res := addRange(resToken, left.ID, "+46812350300", "+46812350399"); res.status != http.StatusCreated {
		t.Fatalf("left's second range: %d %s", res.status, res.body)
	}
	if res := release(resToken, left.ID, "rng-46812350300"); res.status != http.StatusNoContent {
		t.Fatalf("releasing an unused range: %d %s", res.status, res.body)
	}
	if res := addRange(rightToken, right.ID, "+46812350300", "+46812350399"); res.status != http.StatusCreated {
		t.Errorf("the released numbers for a sibling: %d %s", res.status, res.body)
	}
	var block struct{ First string }
	for range 2 {
		e.do("POST", "/v1/accounts/"+reseller.ID+"/internal-number-blocks", nil, bearer(resToken)...).decode(t, &block)
	}
	if block.First != "+46812350200" {
		t.Errorf("the reseller's second block starts at %s, want +46812350200 (past its child's numbers)", block.First)
	}
}

func TestConcurrentRetriesOfOneCreateAnswerPromptly(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	body := map[string]any{"name": "Retried", "timezone": "Europe/Stockholm", "limits": map[string]int{"inboundTrunks": 1}}
	const retries = 20
	results := make(chan response, retries)
	var wg sync.WaitGroup
	for range retries {
		wg.Go(func() {
			results <- e.do("POST", "/v1/accounts", body, append(bearer(root), "Idempotency-Key", "retry-1")...)
		})
	}
	wg.Wait()
	close(results)
	ids := map[string]bool{}
	for res := range results {
		switch res.status {
		case http.StatusCreated:
			var v accountView
			res.decode(t, &v)
			ids[v.ID] = true
		case http.StatusConflict:
			if res.header.Get("Retry-After") == "" || !strings.Contains(res.String(), "in progress") {
				t.Errorf("a retry refused without saying it is in progress: %d %v %s", res.status, res.header, res.body)
			}
		default:
			t.Errorf("a retry answered %d %s", res.status, res.body)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("the retries answered with %d accounts, want the one", len(ids))
	}
	var children struct{ Items []accountView }
	e.do("GET", "/v1/accounts?parentId=provider", nil, bearer(root)...).decode(t, &children)
	made := 0
	for _, c := range children.Items {
		if c.Name == "Retried" {
			made++
		}
	}
	if made != 1 {
		t.Fatalf("%d accounts made by 20 retries of one create", made)
	}
}

func TestRetriedBlockAssignmentsAssignOneBlock(t *testing.T) {
	e := mustStart(t)
	acct, token := sipTenant(e, "Blocks")
	base := "/v1/accounts/" + acct.ID + "/internal-number-blocks"
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/number-ranges", map[string]string{"start": "+46812360000", "end": "+46812360999", "kind": "fixed"},
		bearer(token)...); res.status != http.StatusCreated {
		t.Fatalf("range: %d %s", res.status, res.body)
	}
	assign := func(headers ...string) string {
		res := e.do("POST", base, nil, append(bearer(token), headers...)...)
		var b struct{ First string }
		res.decode(t, &b)
		if res.status != http.StatusCreated {
			t.Fatalf("assign: %d %s", res.status, res.body)
		}
		return b.First
	}
	first := assign("Idempotency-Key", "block-1")
	if again := assign("Idempotency-Key", "block-1"); again != first {
		t.Fatalf("a retry assigned %s after %s", again, first)
	}
	if next := assign(); next == first {
		t.Fatalf("a new request without a key got the same block %s", next)
	}
	var blocks struct{ Items []struct{ First string } }
	e.do("GET", base, nil, bearer(token)...).decode(t, &blocks)
	if len(blocks.Items) != 2 {
		t.Fatalf("%d blocks after a request, its retry and another request; want 2", len(blocks.Items))
	}
}

func TestEveryCreateHonoursIdempotencyKey(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct, admin := wizardTenant(e, "Keys")
	base := "/v1/accounts/" + acct.ID
	// A finished day's call, for an invoice; a port-in, for a document.
	day := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
	if res := e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{call("key-call", acct.ID, day+"T08:00:00Z", 60, 100)}},
		bearer(e.switchToken())...); res.status != http.StatusOK {
		t.Fatalf("call records: %d %s", res.status, res.body)
	}
	var port struct{ Porting struct{ ID string } }
	res := e.do("POST", base+"/users", portIn("port@keys.example", "+46812340080", "+46709876543", "811218-9876", nextWeekday10()), bearer(admin)...)
	if res.decode(t, &port); res.status != http.StatusCreated {
		t.Fatalf("port-in: %d %s", res.status, res.body)
	}
	var version struct{ Version int }
	e.do("GET", base, nil, bearer(root)...).decode(t, &version)

	id := func(res response) string { // what identifies the create's result
		var v struct {
			ID       string
			Document struct{ ID string }
			Credit   struct{ BalanceMinor int64 }
		}
		res.decode(t, &v)
		return fmt.Sprint(v.ID, v.Document.ID, v.Credit.BalanceMinor)
	}
	for _, c := range []struct {
		name, path, token string
		status            int
		body, other       any
	}{
		// First: every other create below changes the account's version.
		{"credit addition", base + "/credit-additions", root, http.StatusOK,
			map[string]any{"amountMinor": 500, "reason": "top-up", "version": version.Version},
			map[string]any{"amountMinor": 600, "reason": "top-up", "version": version.Version}},
		{"number range", base + "/number-ranges", admin, http.StatusCreated,
			map[string]string{"start": "+46812340100", "end": "+46812340199", "kind": "fixed"},
			map[string]string{"start": "+46812340200", "end": "+46812340299", "kind": "fixed"}},
		{"user", base + "/users", admin, http.StatusCreated, wizardBody("kim@keys.example", "+46812340010"), wizardBody("kim@keys.example", "+46812340011")},
		{"SIP account", base + "/sip-accounts", admin, http.StatusCreated,
			map[string]string{"displayName": "Desk", "email": "desk@keys.example", "primaryNumber": "+46812340020"},
			map[string]string{"displayName": "Desk", "email": "desk@keys.example", "primaryNumber": "+46812340021"}},
		{"contact", base + "/contacts", admin, http.StatusCreated,
			map[string]string{"name": "Kim Berg", "email": "berg@keys.example"}, map[string]string{"name": "Kim Borg", "email": "berg@keys.example"}},
		{"invoice", base + "/invoices", root, http.StatusCreated, map[string]any{"summaryIds": []string{"day-" + day}},
			map[string]any{"summaryIds": []string{"month-" + day[:7]}}},
		{"porting document", "/v1/porting-requests/" + port.Porting.ID + "/documents", admin, http.StatusCreated,
			map[string]string{"fileName": "consent.pdf", "contentType": "application/pdf"},
			map[string]string{"fileName": "other.pdf", "contentType": "application/pdf"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := append(bearer(c.token), "Idempotency-Key", "key-"+strings.ReplaceAll(c.name, " ", "-"))
			first := e.do("POST", c.path, c.body, key...)
			if first.status != c.status {
				t.Fatalf("first: %d %s", first.status, first.body)
			}
			stored := len(e.tableItems())
			again := e.do("POST", c.path, c.body, key...)
			if again.status != c.status || id(again) != id(first) {
				t.Fatalf("a retry answered %d %s, want %d with the first's %s", again.status, again.body, c.status, id(first))
			}
			if now := len(e.tableItems()); now != stored {
				t.Fatalf("the retry wrote: %d items, then %d", stored, now)
			}
			if res := e.do("POST", c.path, c.other, key...); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.String(), "Idempotency-Key") {
				t.Fatalf("the key with another body: %d %s", res.status, res.body)
			}
			if now := len(e.tableItems()); now != stored {
				t.Fatalf("the refused request wrote: %d items, then %d", stored, now)
			}
		})
	}
}

// TestTheLambdaConfigurationReachesTheEngine: on Lambda a function builds its AWS
// configuration from the environment alone (config.Lambda, not the SDK's default chain);
// with the engine's endpoint and credentials there, the table answers through it.
func TestTheLambdaConfigurationReachesTheEngine(t *testing.T) {
	e := mustStart(t)
	if v := os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"); v != "" {
		t.Setenv("AWS_ENDPOINT_URL", v)
	}
	store := &dynamo.AccountStore{Table: dynamo.NewTable(dynamodb.NewFromConfig(config.Lambda()), e.table("GetAccountFunction").Name)}
	if acct, err := store.Account(context.Background(), account.ProviderRootID); err != nil || acct.ID != account.ProviderRootID {
		t.Fatalf("the provider's account through config.Lambda: %+v, %v", acct, err)
	}
}
