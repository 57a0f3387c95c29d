package localserver_test

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/app"
)

var invoice = map[string]string{"name": "Kenton Electronics AB", "street": "Storgatan 1", "postalCode": "111 22", "city": "Stockholm", "country": "SE"}

// wizardTenant is an account with a fixed and a mobile range, and its admin's token.
func wizardTenant(e *env, name string) (accountView, string) {
	e.t.Helper()
	acct, token := sipTenant(e, name)
	for _, r := range []map[string]string{
		{"start": "+46812340000", "end": "+46812340099", "kind": "fixed"},
		{"start": "+46701230000", "end": "+46701230009", "kind": "mobile"},
	} {
		if res := e.do("POST", "/v1/accounts/"+acct.ID+"/number-ranges", r, bearer(token)...); res.status != http.StatusCreated {
			e.t.Fatalf("range: %d %s", res.status, res.body)
		}
	}
	return acct, token
}

type wizardView struct {
	ID           string   `json:"id"`
	Active       bool     `json:"active"`
	Numbers      []string `json:"numbers"`
	DryRun       bool     `json:"dryRun"`
	Subscription *struct {
		Number string `json:"number"`
	} `json:"subscription"`
}

func wizardBody(email, primary string) map[string]any {
	return map[string]any{"type": "user", "firstName": "Kim", "lastName": "Kenton", "invoiceAddress": invoice,
		"username": strings.Split(email, "@")[0], "email": email, "primaryNumber": primary, "aliases": []string{}}
}

func TestUserWizardBothWaysAndDryRun(t *testing.T) {
	e := mustStart(t)
	acct, token := wizardTenant(e, "Wizard")
	base := "/v1/accounts/" + acct.ID + "/users"
	before := len(e.tableItems())

	withSub := wizardBody("kim@wizard.example", "+46812340010")
	withSub["aliases"] = []string{"+46812340011"}
	withSub["subscription"] = map[string]any{"kind": "new", "activationDate": todayInStockholm(), "simDeliveryAddress": invoice}
	var dry wizardView
	res := e.do("POST", base+"?dryRun=true", withSub, bearer(token)...)
	res.decode(t, &dry)
	if res.status != http.StatusOK || !dry.DryRun || dry.Subscription == nil || dry.Subscription.Number != "+46701230000" || len(dry.Numbers) != 3 {
		t.Fatalf("dry run with subscription: %d %s", res.status, res.body)
	}
	userOnly := wizardBody("solo@wizard.example", "+46812340020")
	var dryOnly wizardView
	e.do("POST", base+"?dryRun=true", userOnly, bearer(token)...).decode(t, &dryOnly)
	if dryOnly.Subscription != nil || len(dryOnly.Numbers) != 1 {
		t.Fatalf("the user-only overview: %+v", dryOnly)
	}
	if after := len(e.tableItems()); after != before {
		t.Fatalf("dry runs wrote %d items", after-before)
	}

	var made wizardView
	res = e.do("POST", base, withSub, bearer(token)...)
	res.decode(t, &made)
	if res.status != http.StatusCreated || made.ID == "" || !made.Active || made.Subscription == nil {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	mail := e.waitForMail("kim@wizard.example")
	if !strings.Contains(mail[0].Body, "Password:") || !strings.Contains(mail[0].Body, acct.Realm) {
		t.Fatalf("welcome: %+v", mail[0])
	}
	// Its numbers are no longer offered, and cannot be taken twice.
	if strings.Contains(e.do("GET", "/v1/accounts/"+acct.ID+"/numbers/available?limit=30", nil, bearer(token)...).String(), "+46812340010") {
		t.Fatal("a claimed number is still offered")
	}
	if res := e.do("POST", base, wizardBody("other@wizard.example", "+46812340011"), bearer(token)...); res.status != http.StatusConflict ||
		!strings.Contains(res.String(), "in use") {
		t.Fatalf("an alias as another primary: %d %s", res.status, res.body)
	}
	if res := e.do("POST", base, wizardBody("kim@wizard.example", "+46812340030"), bearer(token)...); res.status != http.StatusConflict {
		t.Fatalf("an email in use: %d %s", res.status, res.body)
	}
	if res := e.do("POST", base, wizardBody("far@wizard.example", "+46812349999"), bearer(token)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a number outside the ranges: %d %s", res.status, res.body)
	}

	// The user signs in with the user name or the email, as UW-6 says.
	var pw string
	for _, line := range strings.Split(mail[0].Body, "\n") {
		if strings.Contains(line, "Password:") {
			pw = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "4. Password:"))
		}
	}
	e.login(acct.Realm, "kim", pw)
	e.login(acct.Realm, "kim@wizard.example", pw)

	// Deleting the user frees its numbers.
	if res := e.do("DELETE", base+"/"+made.ID, nil, bearer(token)...); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if res := e.do("POST", base, wizardBody("again@wizard.example", "+46812340010"), bearer(token)...); res.status != http.StatusCreated {
		t.Fatalf("the freed number: %d %s", res.status, res.body)
	}
}

func TestRacingWizardsForOneNumberOneWins(t *testing.T) {
	e := mustStart(t)
	acct, token := wizardTenant(e, "Race")
	var wg sync.WaitGroup
	statuses := make(chan int, 2)
	for _, email := range []string{"alpha@race.example", "bravo@race.example"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", wizardBody(email, "+46812340042"), bearer(token)...)
			if res.status != http.StatusCreated {
				t.Log(res.String())
			}
			statuses <- res.status
		}()
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	// The loser sees the claim either when it checks (422) or when it writes (409).
	if got[http.StatusCreated] != 1 || got[http.StatusConflict]+got[http.StatusUnprocessableEntity] != 1 {
		t.Fatalf("statuses %v", got)
	}
}

func TestScheduledActivationThroughTheDispatcher(t *testing.T) {
	later := func(function string, a *app.Deps) {
		if function == "DispatcherFunction" {
			a.Users.Now = func() time.Time { return time.Now().Add(72 * time.Hour) }
		}
	}
	e := mustServe(t, mustEngine(t), later)
	acct, token := wizardTenant(e, "Later")
	body := wizardBody("later@later.example", "+46812340050")
	body["password"] = clearPassword
	body["activationDate"] = time.Now().Add(48 * time.Hour).Format("2006-01-02")
	var u wizardView
	res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", body, bearer(token)...)
	res.decode(t, &u)
	if res.status != http.StatusCreated || u.Active {
		t.Fatalf("future activation: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "later", "password": clearPassword}); res.status != http.StatusUnauthorized {
		t.Fatalf("an inactive user signed in: %d", res.status)
	}
	run := e.do("POST", "/_local/schedules/UserActivations", nil)
	if !strings.Contains(run.String(), `"activated":1`) {
		t.Fatalf("dispatcher: %s", run.body)
	}
	e.login(acct.Realm, "later", clearPassword)
	past := wizardBody("past@later.example", "+46812340051")
	past["activationDate"] = "2020-01-01"
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", past, bearer(token)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an activation date in the past: %d %s", res.status, res.body)
	}
}

func TestAdminSendsAUserAResetLink(t *testing.T) {
	e := mustStart(t)
	acct, token := wizardTenant(e, "Resets")
	var u wizardView
	e.do("POST", "/v1/accounts/"+acct.ID+"/users", wizardBody("reset@resets.example", "+46812340060"), bearer(token)...).decode(t, &u)
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/users/"+u.ID+"/password-reset", nil, bearer(token)...); res.status != http.StatusAccepted {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	eventually(t, "the reset link mailed", func() bool {
		for _, m := range e.outboxTo("reset@resets.example") {
			if resetLink.MatchString(m.Body) {
				return true
			}
		}
		return false
	})
}

// An administrator disables a user: refused at sign-in, and its token refused by a
// function that checks it; enabled again, it signs in. Nobody disables themselves, and a
// user of another account does not exist.
func TestDisableAndEnableAUser(t *testing.T) {
	e := mustStart(t)
	acct, token := wizardTenant(e, "Disabling")
	body := wizardBody("dana@disabling.example", "+46812340060")
	body["password"] = clearPassword
	var u wizardView
	res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", body, bearer(token)...)
	res.decode(t, &u)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	dana := e.login(acct.Realm, "dana", clearPassword)
	path := "/v1/accounts/" + acct.ID + "/users/" + u.ID
	var view struct {
		Disabled bool
		Version  int
	}
	res = e.do("POST", path+"/disable", nil, bearer(token)...)
	res.decode(t, &view)
	if res.status != http.StatusOK || !view.Disabled {
		t.Fatalf("disable: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "dana", "password": clearPassword}); res.status != http.StatusUnauthorized {
		t.Errorf("a disabled user signed in: %d %s", res.status, res.body)
	}
	// The token was never checked by the /me function, so nothing there has it cached.
	if res := e.do("GET", "/v1/me", nil, bearer(dana)...); res.status != http.StatusUnauthorized {
		t.Errorf("a disabled user's token: %d %s", res.status, res.body)
	}
	// Disabling again changes nothing.
	again := view.Version
	e.do("POST", path+"/disable", nil, bearer(token)...).decode(t, &view)
	if view.Version != again {
		t.Errorf("a second disable wrote version %d over %d", view.Version, again)
	}
	res = e.do("POST", path+"/enable", nil, bearer(token)...)
	res.decode(t, &view)
	if res.status != http.StatusOK || view.Disabled {
		t.Fatalf("enable: %d %s", res.status, res.body)
	}
	e.login(acct.Realm, "dana", clearPassword)

	var me struct{ ID string }
	e.do("GET", "/v1/me", nil, bearer(token)...).decode(t, &me)
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/users/"+me.ID+"/disable", nil, bearer(token)...); res.status != http.StatusForbidden {
		t.Errorf("an admin disabling themselves: %d %s", res.status, res.body)
	}
	other, otherToken := sipTenant(e, "Elsewhere")
	if res := e.do("POST", "/v1/accounts/"+other.ID+"/users/"+u.ID+"/disable", nil, bearer(otherToken)...); res.status != http.StatusNotFound {
		t.Errorf("a user of another account: %d %s", res.status, res.body)
	}
}

// TestSearchTheUsersOfAnAccount: the users list is paged and filtered in the store, by a
// prefix of a name, an email or a number, by type and by whether the user is active.
func TestSearchTheUsersOfAnAccount(t *testing.T) {
	e := mustStart(t)
	acct, token := wizardTenant(e, "Searching")
	base := "/v1/accounts/" + acct.ID + "/users"
	made := map[string]string{}
	for _, u := range []struct{ email, first, last, number, kind, activation string }{
		{"kim@searching.example", "Kim", "Berg", "+46812340030", "user", ""},
		{"kia@searching.example", "Kia", "Lund", "+46812340031", "basic", ""},
		{"bo@searching.example", "Bo", "Kimura", "+46812340040", "user", time.Now().Add(72 * time.Hour).Format(time.DateOnly)},
	} {
		body := wizardBody(u.email, u.number)
		body["firstName"], body["lastName"], body["type"] = u.first, u.last, u.kind
		if u.activation != "" {
			body["activationDate"] = u.activation
		}
		var v wizardView
		res := e.do("POST", base, body, bearer(token)...)
		res.decode(t, &v)
		if res.status != http.StatusCreated {
			t.Fatalf("%s: %d %s", u.email, res.status, res.body)
		}
		made[u.first] = v.ID
	}
	names := func(query string) string {
		t.Helper()
		var page struct {
			Items []struct {
				ID        string `json:"id"`
				FirstName string `json:"firstName"`
			}
			Cursor string
		}
		res := e.do("GET", base+"?"+query, nil, bearer(token)...)
		res.decode(t, &page)
		if res.status != http.StatusOK {
			t.Fatalf("?%s: %d %s", query, res.status, res.body)
		}
		var out []string
		for _, it := range page.Items {
			if slices.Contains(slices.Collect(maps.Values(made)), it.ID) { // the account's administrator is listed too
				out = append(out, it.FirstName)
			}
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	for query, want := range map[string]string{
		"q=ki":              "Bo,Kia,Kim", // Bo Kimura by his last name
		"q=KIM":             "Bo,Kim",
		"q=kim+berg":        "Kim",
		"q=kia%40searching": "Kia",
		"q=%2B468123400":    "Bo,Kia,Kim",
		"q=4681234004":      "Bo",
		"q=erg":             "", // a prefix of a word, not any part of it
		"type=basic":        "Kia",
		"type=user&q=ki":    "Bo,Kim",
		"active=false":      "Bo",
		"active=true&q=ki":  "Kia,Kim",
	} {
		if got := names(query); got != want {
			t.Errorf("?%s: %s, want %s", query, got, want)
		}
	}
	// Page by page, each page full, the cursor leading through every match.
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		var page struct {
			Items  []struct{ FirstName string }
			Cursor string
		}
		res := e.do("GET", base+"?q=ki&limit=1&cursor="+url.QueryEscape(cursor), nil, bearer(token)...)
		res.decode(t, &page)
		if res.status != http.StatusOK || len(page.Items) != 1 && page.Cursor != "" || pages > 3 {
			t.Fatalf("page %d: %d %s", pages, res.status, res.body)
		}
		for _, it := range page.Items {
			got = append(got, it.FirstName)
		}
		if cursor = page.Cursor; cursor == "" {
			break
		}
	}
	if slices.Sort(got); strings.Join(got, ",") != "Bo,Kia,Kim" {
		t.Fatalf("paged through %v", got)
	}
	for _, query := range []string{"type=admin", "active=maybe", "q=" + strings.Repeat("k", 65), "cursor=bogus"} {
		if res := e.do("GET", base+"?"+query, nil, bearer(token)...); res.status != http.StatusUnprocessableEntity {
			t.Errorf("?%s: %d %s", query, res.status, res.body)
		}
	}
}

// TestRolesAndTheLastAdministrator: an administrator makes a user an administrator and
// takes the role away again; tokens of the old role stop working; the last administrator
// of an account is never demoted, disabled or deleted; only provider administrators make
// porting operators.
func TestRolesAndTheLastAdministrator(t *testing.T) {
	e := mustStart(t)
	acct, first := wizardTenant(e, "Roles")
	root := e.rootToken()
	base := "/v1/accounts/" + acct.ID + "/users"
	body := wizardBody("kim@roles.example", "+46812340050")
	body["password"] = clearPassword
	var kim wizardView
	res := e.do("POST", base, body, bearer(first)...)
	res.decode(t, &kim)
	if res.status != http.StatusCreated {
		t.Fatalf("kim: %d %s", res.status, res.body)
	}
	kimAsUser := e.login(acct.Realm, "kim", clearPassword)
	role := func(token, userID, r string) response {
		return e.do("PUT", base+"/"+userID+"/role", map[string]string{"role": r}, bearer(token)...)
	}
	if res := role(kimAsUser, kim.ID, "tenant_admin"); res.status != http.StatusForbidden {
		t.Fatalf("a user makes itself an administrator: %d %s", res.status, res.body)
	}
	for r, want := range map[string]int{"reseller_admin": 422, "operator": 422, "switch": 422, "": 422} {
		if res := role(first, kim.ID, r); res.status != want {
			t.Errorf("role %q: %d %s, want %d", r, res.status, res.body, want)
		}
	}
	if res := role(first, kim.ID, "tenant_admin"); res.status != http.StatusOK || !strings.Contains(res.String(), `"role":"tenant_admin"`) {
		t.Fatalf("kim made an administrator: %d %s", res.status, res.body)
	}
	if res := e.do("GET", "/v1/me", nil, bearer(kimAsUser)...); res.status != http.StatusUnauthorized {
		t.Fatalf("a token of kim's old role: %d %s", res.status, res.body)
	}
	kimAsAdmin := e.login(acct.Realm, "kim", clearPassword)
	var staff struct {
		Items []struct{ ID, Role string }
	}
	e.do("GET", base+"?role=tenant_admin", nil, bearer(kimAsAdmin)...).decode(t, &staff)
	if len(staff.Items) != 2 {
		t.Fatalf("the account's administrators: %+v", staff.Items)
	}
	firstID := staff.Items[0].ID
	if firstID == kim.ID {
		firstID = staff.Items[1].ID
	}
	if res := role(kimAsAdmin, kim.ID, "user"); res.status != http.StatusForbidden {
		t.Fatalf("kim changes its own role: %d %s", res.status, res.body)
	}
	// Kim takes the first administrator's role; Kim is the last one now.
	if res := role(kimAsAdmin, firstID, "user"); res.status != http.StatusOK {
		t.Fatalf("the first administrator made a user: %d %s", res.status, res.body)
	}
	for what, res := range map[string]response{
		"demoted":  role(root, kim.ID, "user"),
		"disabled": e.do("POST", base+"/"+kim.ID+"/disable", nil, bearer(root)...),
		"deleted":  e.do("DELETE", base+"/"+kim.ID, nil, bearer(root)...),
	} {
		if res.status != http.StatusConflict || !strings.Contains(res.String(), "last administrator") {
			t.Errorf("the last administrator %s: %d %s", what, res.status, res.body)
		}
	}
	if log := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=user&limit=100", nil, bearer(root)...).String(); strings.Count(log, "user.role_changed") != 2 {
		t.Fatalf("the role changes are not in the audit log: %s", log)
	}
	// The provider's staff: a porting operator made a provider administrator and back.
	staffer := e.newOperator("staff@provisio.example")
	var me struct{ ID string }
	e.do("GET", "/v1/me", nil, bearer(staffer)...).decode(t, &me)
	staffRole := "/v1/accounts/" + account.ProviderRootID + "/users/" + me.ID + "/role"
	if res := e.do("PUT", staffRole, map[string]string{"role": "provider_admin"}, bearer(kimAsAdmin)...); res.status != http.StatusNotFound {
		t.Fatalf("a tenant's administrator reaches the provider's staff: %d %s", res.status, res.body)
	}
	for _, r := range []string{"provider_admin", "operator"} {
		if res := e.do("PUT", staffRole, map[string]string{"role": r}, bearer(root)...); res.status != http.StatusOK || !strings.Contains(res.String(), `"role":"`+r+`"`) {
			t.Fatalf("the staff member made %s: %d %s", r, res.status, res.body)
		}
	}
	var operators struct{ Items []struct{ ID string } }
	e.do("GET", "/v1/accounts/"+account.ProviderRootID+"/users?role=operator", nil, bearer(root)...).decode(t, &operators)
	if !slices.ContainsFunc(operators.Items, func(it struct{ ID string }) bool { return it.ID == me.ID }) {
		t.Fatalf("the provider's operators: %+v", operators.Items)
	}
}

// TestChangeAUsersNumbersEmailTypeAndActivation: a PATCH moves a user's number and email
// claims in one transaction, refusing what is in use with nothing written.
func TestChangeAUsersNumbersEmailTypeAndActivation(t *testing.T) {
	e := mustStart(t)
	acct, token := wizardTenant(e, "Changing")
	base := "/v1/accounts/" + acct.ID + "/users"
	create := func(email, primary string, aliases []string, activation string) wizardView {
		t.Helper()
		body := wizardBody(email, primary)
		body["password"], body["aliases"] = clearPassword, aliases
		if activation != "" {
			body["activationDate"] = activation
		}
		var v wizardView
		res := e.do("POST", base, body, bearer(token)...)
		res.decode(t, &v)
		if res.status != http.StatusCreated {
			t.Fatalf("%s: %d %s", email, res.status, res.body)
		}
		return v
	}
	ana := create("ana@changing.example", "+46812340060", []string{"+46812340061"}, "")
	create("bo@changing.example", "+46812340062", []string{}, "")
	version := 1
	patch := func(id string, body map[string]any) response {
		t.Helper()
		body["version"] = version
		res := e.do("PATCH", base+"/"+id, body, bearer(token)...)
		if res.status == http.StatusOK {
			version++
		}
		return res
	}
	free := func() string {
		return e.do("GET", "/v1/accounts/"+acct.ID+"/numbers/available?kind=fixed&limit=100", nil, bearer(token)...).String()
	}
	before := free()
	for what, c := range map[string]struct {
		body   map[string]any
		status int
	}{
		"a number in use":      {map[string]any{"primaryNumber": "+46812340062"}, 409},
		"an email in use":      {map[string]any{"email": "bo@changing.example"}, 409},
		"a number outside":     {map[string]any{"aliases": []string{"+46812349999"}}, 422},
		"a number twice":       {map[string]any{"primaryNumber": "+46812340063", "aliases": []string{"+46812340063"}}, 422},
		"a type unknown":       {map[string]any{"type": "admin"}, 422},
		"an active user's day": {map[string]any{"activationDate": time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}, 409},
	} {
		if res := patch(ana.ID, c.body); res.status != c.status {
			t.Errorf("%s: %d %s, want %d", what, res.status, res.body, c.status)
		}
	}
	if after := free(); after != before {
		t.Fatalf("refused changes moved claims: %s, then %s", before, after)
	}
	// New numbers and a new email, in one PATCH: the old ones are free again.
	res := patch(ana.ID, map[string]any{"primaryNumber": "+46812340063", "aliases": []string{"+46812340064"}, "email": "ana.new@changing.example"})
	if res.status != http.StatusOK || !strings.Contains(res.String(), `"primaryNumber":"+46812340063"`) || !strings.Contains(res.String(), "ana.new@changing.example") {
		t.Fatalf("the change: %d %s", res.status, res.body)
	}
	if got := free(); !strings.Contains(got, "+46812340060") || !strings.Contains(got, "+46812340061") || strings.Contains(got, "+46812340063") {
		t.Fatalf("the claims did not move: %s", got)
	}
	create("cy@changing.example", "+46812340060", []string{"+46812340061"}, "") // the released numbers serve another user
	e.login(acct.Realm, "ana.new@changing.example", clearPassword)
	if res := e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "ana@changing.example", "password": clearPassword}); res.status != http.StatusUnauthorized {
		t.Fatalf("the old email still signs in: %d %s", res.status, res.body)
	}
	again := wizardBody("ana@changing.example", "+46812340065") // and so is the old email
	again["username"] = "ana2"
	if res := e.do("POST", base, again, bearer(token)...); res.status != http.StatusCreated {
		t.Fatalf("the old email for another user: %d %s", res.status, res.body)
	}
	// Type: a user becomes a basic user and back.
	for _, kind := range []string{"basic", "user"} {
		if res := patch(ana.ID, map[string]any{"type": kind}); res.status != http.StatusOK || !strings.Contains(res.String(), `"type":"`+kind+`"`) {
			t.Fatalf("type %s: %d %s", kind, res.status, res.body)
		}
	}
	// A user waiting for its activation date gets another one.
	later := create("dag@changing.example", "+46812340066", []string{}, time.Now().AddDate(0, 0, 5).Format(time.DateOnly))
	version = 1
	day := time.Now().AddDate(0, 0, 9).Format(time.DateOnly)
	if res := patch(later.ID, map[string]any{"activationDate": day}); res.status != http.StatusOK || !strings.Contains(res.String(), `"activationDate":"`+day+`"`) ||
		!strings.Contains(res.String(), `"active":false`) {
		t.Fatalf("a later activation date: %d %s", res.status, res.body)
	}
	if log := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=user&limit=100", nil, bearer(token)...).String(); !strings.Contains(log, "+46812340063") {
		t.Fatalf("the number change is not in the audit log: %s", log)
	}
}
