package localserver_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
)

// TestWalkthrough is the README's: a registered tenant's admin signs in, creates a child
// account with an admin and trunks, and that admin sees only its own account.
func TestWalkthrough(t *testing.T) {
	e := mustStart(t)
	reg, _ := e.submit(registrationBody("Walk", "now"))
	done := e.waitFor(reg.ID, "completed")
	tenant := e.login("kenton-walk.com", "keAdmin", clearPassword)

	child := e.newAccount(tenant, "", "ABC Company", 5, adminBody("alice@abc.example"))
	if child.ParentID != done.AccountID || child.Admin == nil || child.Admin.Username != "alice@abc.example" {
		t.Fatalf("child %+v", child)
	}
	sibling := e.newAccount(tenant, "", "DEF Company", 1, nil)
	welcome := e.waitForMail("alice@abc.example")
	if !strings.Contains(welcome[0].Body, child.Realm) || strings.Contains(welcome[0].Body, clearPassword) {
		t.Fatalf("welcome mail %+v", welcome[0])
	}

	alice := e.login(child.Realm, "alice@abc.example", clearPassword)
	if res := e.do("GET", "/v1/accounts/"+child.ID, nil, bearer(alice)...); res.status != http.StatusOK {
		t.Fatalf("own account: %d %s", res.status, res.body)
	}
	for name, id := range map[string]string{"parent": done.AccountID, "sibling": sibling.ID, "provider": "provider"} {
		res := e.do("GET", "/v1/accounts/"+id, nil, bearer(alice)...)
		if res.status != http.StatusNotFound || strings.Contains(string(res.body), "Kenton") || strings.Contains(string(res.body), "DEF") {
			t.Errorf("%s: %d %s", name, res.status, res.body)
		}
	}
	var parent accountView
	e.do("GET", "/v1/accounts/"+done.AccountID, nil, bearer(tenant)...).decode(t, &parent)
	if parent.Available.InboundTrunks != 20-5-1 {
		t.Fatalf("the parent has %d inbound trunks left, want 14", parent.Available.InboundTrunks)
	}
}

func TestTwoChildrenRacingForTheLastTrunksOneWins(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	parent := e.newAccount(root, "", "Reseller", 3, adminBody("res@reseller.example"))
	token := e.login(parent.Realm, "res@reseller.example", clearPassword)
	statuses := make(chan response, 2)
	var wg sync.WaitGroup
	for _, name := range []string{"Left", "Right"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- e.do("POST", "/v1/accounts", map[string]any{"name": name, "timezone": "Europe/Stockholm",
				"limits": map[string]int{"inboundTrunks": 2}}, bearer(token)...)
		}()
	}
	wg.Wait()
	close(statuses)
	won, lost := 0, 0
	for res := range statuses {
		switch res.status {
		case http.StatusCreated:
			won++
		case http.StatusConflict:
			lost++
			if !strings.Contains(string(res.body), "inboundTrunks: asked 2, the parent has 3 of which 2 are given to other accounts, so 1 are left") {
				t.Errorf("the refusal does not show the arithmetic: %s", res.body)
			}
		default:
			t.Errorf("unexpected %d %s", res.status, res.body)
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("won %d, lost %d", won, lost)
	}
	var after accountView
	e.do("GET", "/v1/accounts/"+parent.ID, nil, bearer(token)...).decode(t, &after)
	if after.Available.InboundTrunks != 1 {
		t.Fatalf("%d inbound trunks left, want 1", after.Available.InboundTrunks)
	}
}

func TestAccountChangesAndRefusals(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	parent := e.newAccount(root, "", "Reseller", 10, adminBody("res@reseller.example"))
	token := e.login(parent.Realm, "res@reseller.example", clearPassword)
	child := e.newAccount(token, "", "Child", 4, nil)
	path := "/v1/accounts/" + child.ID

	cases := []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"realm suffix", map[string]any{"version": child.Version, "realm": "x.evil.example"}, http.StatusUnprocessableEntity, "realm"},
		{"parent", map[string]any{"version": child.Version, "parentId": "provider"}, http.StatusUnprocessableEntity, "parentId"},
		{"balance", map[string]any{"version": child.Version, "credit": map[string]any{"balanceMinor": 1000000}}, http.StatusUnprocessableEntity, "credit"},
		{"role escalation", map[string]any{"version": child.Version, "admin": map[string]any{"role": "provider_admin"}}, http.StatusUnprocessableEntity, "admin"},
		{"unknown field", map[string]any{"version": child.Version, "owner": "me"}, http.StatusUnprocessableEntity, "owner"},
		{"no version", map[string]any{"name": "New"}, http.StatusUnprocessableEntity, "version"},
		{"stale version", map[string]any{"version": child.Version + 5, "name": "New"}, http.StatusConflict, ""},
		{"emergency denied", map[string]any{"version": child.Version, "restrictions": map[string]string{"emergency": "deny"}}, http.StatusUnprocessableEntity, "restrictions.emergency"},
		{"unknown call class", map[string]any{"version": child.Version, "restrictions": map[string]string{"space": "deny"}}, http.StatusUnprocessableEntity, "restrictions.space"},
		{"permission the parent lacks", map[string]any{"version": child.Version, "permissions": []string{"root.everything"}}, http.StatusUnprocessableEntity, "permissions"},
		{"more trunks than the parent has", map[string]any{"version": child.Version, "limits": map[string]int{"inboundTrunks": 11}}, http.StatusConflict, "limits"},
		{"bad time zone", map[string]any{"version": child.Version, "timezone": "Mars/Olympus"}, http.StatusUnprocessableEntity, "timezone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.do("PATCH", path, c.body, bearer(token)...)
			var p struct{ Errors []struct{ Field string } }
			res.decode(t, &p)
			if res.status != c.status || (c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field)) {
				t.Fatalf("got %d %s, want %d on %s", res.status, res.body, c.status, c.field)
			}
		})
	}
	var unchanged accountView
	e.do("GET", path, nil, bearer(token)...).decode(t, &unchanged)
	if unchanged.Version != child.Version || unchanged.Name != "Child" || unchanged.Realm != child.Realm {
		t.Fatalf("refused changes changed the account: %+v", unchanged)
	}

	res := e.do("PATCH", path, map[string]any{"name": "Child AB", "limits": map[string]int{"inboundTrunks": 6, "outboundTrunks": 4}},
		append(bearer(token), "If-Match", `"1"`)...)
	var changed accountView
	res.decode(t, &changed)
	if res.status != http.StatusOK || changed.Name != "Child AB" || changed.Version != 2 || res.header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %s", res.status, res.body)
	}
	var p accountView
	e.do("GET", "/v1/accounts/"+parent.ID, nil, bearer(token)...).decode(t, &p)
	if p.Available.InboundTrunks != 10-6 {
		t.Fatalf("parent has %d inbound left, want 4", p.Available.InboundTrunks)
	}

	// The child's own admin may rename it, not raise its own limits.
	grand := e.newAccount(token, child.ID, "Grandchild", 1, adminBody("g@grand.example"))
	gTok := e.login(grand.Realm, "g@grand.example", clearPassword)
	if res := e.do("PATCH", "/v1/accounts/"+grand.ID, map[string]any{"version": 1, "limits": map[string]int{"inboundTrunks": 9}}, bearer(gTok)...); res.status != http.StatusForbidden {
		t.Fatalf("own limits: %d %s", res.status, res.body)
	}
	if res := e.do("DELETE", "/v1/accounts/"+child.ID, nil, bearer(token)...); res.status != http.StatusConflict {
		t.Fatalf("delete with children: %d %s", res.status, res.body)
	}
	if res := e.do("DELETE", "/v1/accounts/"+grand.ID, nil, bearer(token)...); res.status != http.StatusConflict {
		t.Fatalf("delete with users: %d %s", res.status, res.body)
	}
	root = e.rootToken()
	ranged := e.newAccount(root, "", "Ranged", 0, nil)
	if res := e.do("POST", "/v1/accounts/"+ranged.ID+"/number-ranges", map[string]string{"start": "+46812340000", "end": "+46812340009", "kind": "fixed"}, bearer(root)...); res.status != http.StatusCreated {
		t.Fatalf("range: %d %s", res.status, res.body)
	}
	if res := e.do("DELETE", "/v1/accounts/"+ranged.ID, nil, bearer(root)...); res.status != http.StatusConflict || !strings.Contains(res.String(), "number ranges") {
		t.Fatalf("delete with a number range: %d %s", res.status, res.body)
	}
	leaf := e.newAccount(token, child.ID, "Leaf", 1, nil)
	if res := e.do("DELETE", "/v1/accounts/"+leaf.ID, nil, bearer(token)...); res.status != http.StatusNoContent {
		t.Fatalf("delete leaf: %d %s", res.status, res.body)
	}
	if res := e.do("GET", "/v1/accounts/"+leaf.ID, nil, bearer(token)...); res.status != http.StatusNotFound {
		t.Fatalf("deleted leaf: %d", res.status)
	}
}

func TestAuditLogIsPagedAndHoldsNoSecrets(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct := e.newAccount(root, "", "Audited", 1, adminBody("a@audited.example"))
	for i, name := range []string{"Audited 2", "Audited 3"} {
		if res := e.do("PATCH", "/v1/accounts/"+acct.ID, map[string]any{"version": i + 1, "name": name}, bearer(root)...); res.status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
	}
	var actions []string
	cursor := ""
	for pages := 0; ; pages++ {
		res := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?limit=1&cursor="+cursor, nil, bearer(root)...)
		var page struct {
			Items []struct {
				Action string         `json:"action"`
				Diff   map[string]any `json:"diff"`
			} `json:"items"`
			Cursor string `json:"cursor"`
		}
		res.decode(t, &page)
		if res.status != http.StatusOK || pages > 10 {
			t.Fatalf("page %d: %d %s", pages, res.status, res.body)
		}
		if strings.Contains(string(res.body), "$2a$") || strings.Contains(string(res.body), clearPassword) {
			t.Fatalf("the audit log shows a secret: %s", res.body)
		}
		for _, it := range page.Items {
			actions = append(actions, it.Action)
		}
		if page.Cursor == "" {
			break
		}
		cursor = page.Cursor
	}
	if got := strings.Join(actions, ","); got != "account.update,account.update,user.create,account.create" &&
		got != "account.update,account.update,account.create,user.create" {
		t.Fatalf("actions newest first: %s", got)
	}
	users := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=user", nil, bearer(root)...).String()
	if !strings.Contains(users, `"user.create"`) || strings.Contains(users, `"account.`) {
		t.Fatalf("filtered by entity: %s", users)
	}
	later := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if got := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?from="+later, nil, bearer(root)...).String(); !strings.Contains(got, `"items":[]`) {
		t.Fatalf("from the future: %s", got)
	}
	if got := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?to="+later, nil, bearer(root)...).String(); !strings.Contains(got, `"account.create"`) {
		t.Fatalf("up to an hour from now: %s", got)
	}
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?from=yesterday", nil, bearer(root)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad time: %d", res.status)
	}
	forged := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?cursor=eyJwayI6IkFDQyNwcm92aWRlciJ9", nil, bearer(root)...)
	if forged.status != http.StatusUnprocessableEntity {
		t.Fatalf("a cursor for another account: %d %s", forged.status, forged.body)
	}
}

var generatedPassword = regexp.MustCompile(`Password:\s+(\S{20})\n`)

func TestGeneratedPasswordIsEmailedOnceAndNeverReturned(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	admin := adminBody("gen@generated.example")
	delete(admin, "password")
	res := e.do("POST", "/v1/accounts", map[string]any{"name": "Generated", "timezone": "Europe/Stockholm", "admin": admin}, bearer(root)...)
	var acct accountView
	res.decode(t, &acct)
	if res.status != http.StatusCreated || strings.Contains(strings.ToLower(string(res.body)), "password") {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	mails := e.waitForMail("gen@generated.example")
	got := generatedPassword.FindStringSubmatch(mails[0].Body)
	if len(mails) != 1 || got == nil {
		t.Fatalf("mail %+v", mails)
	}
	e.login(acct.Realm, "gen@generated.example", got[1])
	for _, item := range e.tableItems() {
		if strings.Contains(item, got[1]) {
			t.Fatalf("the generated password is stored: %s", item)
		}
	}
}

func TestAccountCreateIsIdempotentPerCaller(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	reseller := e.newAccount(root, "", "Reseller", 10, adminBody("res@reseller.example"))
	token := e.login(reseller.Realm, "res@reseller.example", clearPassword)
	body := map[string]any{"name": "Once", "timezone": "Europe/Stockholm", "limits": map[string]int{"inboundTrunks": 2}, "admin": adminBody("once@once.example")}
	var first, again accountView
	res1 := e.do("POST", "/v1/accounts", body, append(bearer(token), "Idempotency-Key", "k-1")...)
	res2 := e.do("POST", "/v1/accounts", body, append(bearer(token), "Idempotency-Key", "k-1")...)
	res1.decode(t, &first)
	res2.decode(t, &again)
	if res1.status != http.StatusCreated || res2.status != http.StatusCreated || first.ID != again.ID || again.Admin == nil {
		t.Fatalf("replay: %d %s / %d %s", res1.status, res1.body, res2.status, res2.body)
	}
	other := map[string]any{"name": "Twice", "timezone": "Europe/Stockholm"}
	if res := e.do("POST", "/v1/accounts", other, append(bearer(token), "Idempotency-Key", "k-1")...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other body: %d %s", res.status, res.body)
	}
	// The provider's admin using the same key gets its own account, not the reseller's.
	var mine accountView
	res := e.do("POST", "/v1/accounts", map[string]any{"name": "Once", "timezone": "Europe/Stockholm"}, append(bearer(root), "Idempotency-Key", "k-1")...)
	res.decode(t, &mine)
	if res.status != http.StatusCreated || mine.ID == first.ID {
		t.Fatalf("another caller's key: %d %s", res.status, res.body)
	}
	var after accountView
	e.do("GET", "/v1/accounts/"+reseller.ID, nil, bearer(token)...).decode(t, &after)
	if after.Available.InboundTrunks != 8 {
		t.Fatalf("the replay took trunks again: %d left", after.Available.InboundTrunks)
	}
}

func TestCreditAdditionsAndSuspension(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	acct := e.newAccount(root, "", "Credit", 0, adminBody("c@credit.example"))
	own := e.login(acct.Realm, "c@credit.example", clearPassword)
	add := func(token string, amount int64, version int) response {
		return e.do("POST", "/v1/accounts/"+acct.ID+"/credit-additions", map[string]any{"amountMinor": amount, "reason": "Invoice 42 paid", "version": version}, bearer(token)...)
	}
	if res := add(own, 1000, 1); res.status != http.StatusForbidden {
		t.Fatalf("topping up one's own account: %d %s", res.status, res.body)
	}
	if res := add(root, -5, 1); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("negative addition: %d %s", res.status, res.body)
	}
	res := add(root, 1000, 1)
	var after struct {
		Credit struct {
			BalanceMinor int64 `json:"balanceMinor"`
		} `json:"credit"`
		Version int `json:"version"`
	}
	res.decode(t, &after)
	if res.status != http.StatusOK || after.Credit.BalanceMinor != 1000 || after.Version != 2 {
		t.Fatalf("addition: %d %s", res.status, res.body)
	}
	if res := add(root, 1000, 1); res.status != http.StatusConflict {
		t.Fatalf("stale version: %d %s", res.status, res.body)
	}
	log := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?limit=1", nil, bearer(root)...)
	if !strings.Contains(string(log.body), `"account.credit_added"`) || !strings.Contains(string(log.body), "Invoice 42 paid") {
		t.Fatalf("audit: %s", log.body)
	}

	if res := e.do("PATCH", "/v1/accounts/"+acct.ID, map[string]any{"version": 2, "status": "suspended"}, bearer(root)...); res.status != http.StatusOK {
		t.Fatalf("suspend: %d %s", res.status, res.body)
	}
	res = e.do("POST", "/v1/auth/login", map[string]string{"domain": acct.Realm, "username": "c@credit.example", "password": clearPassword})
	if res.status != http.StatusForbidden || !strings.Contains(string(res.body), "suspended") {
		t.Fatalf("sign-in to a suspended account: %d %s", res.status, res.body)
	}
}

// TestTheAccountsTreeIsSearchedInTheStore: the children list and the whole subtree are
// searched by a prefix of the name or realm and filtered by status; the subtree comes in
// tree order, and a rename, a suspension and a delete move its rows at once.
func TestTheAccountsTreeIsSearchedInTheStore(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	reseller := e.newAccount(root, "", "Nordic Reseller", 10, nil)
	kenton := e.newAccount(root, reseller.ID, "Kenton Electronics", 3, nil)
	abc := e.newAccount(root, reseller.ID, "ABC Company", 2, nil)
	sub := e.newAccount(root, kenton.ID, "Kenton Service Desk", 1, nil)
	type node struct {
		ID, ParentID, Name, Status string
		Path                       []string
	}
	list := func(query string) []node {
		t.Helper()
		var page struct {
			Items  []node
			Cursor string
		}
		res := e.do("GET", "/v1/accounts?parentId="+reseller.ID+"&"+query, nil, bearer(root)...)
		res.decode(t, &page)
		if res.status != http.StatusOK || (len(page.Items) == 0 && page.Cursor != "") {
			t.Fatalf("?%s: %d %s", query, res.status, res.body)
		}
		return page.Items
	}
	names := func(nodes []node) string {
		var out []string
		for _, n := range nodes {
			out = append(out, n.Name)
		}
		return strings.Join(out, ",")
	}
	tree := list("subtree=true")
	if len(tree) != 3 || !slices.ContainsFunc(tree, func(n node) bool { return n.ID == sub.ID && n.ParentID == kenton.ID && len(n.Path) == 4 }) {
		t.Fatalf("the subtree: %+v", tree)
	}
	if i, j := slices.IndexFunc(tree, func(n node) bool { return n.ID == kenton.ID }), slices.IndexFunc(tree, func(n node) bool { return n.ID == sub.ID }); j != i+1 {
		t.Fatalf("not in tree order (each account before its descendants): %+v", tree)
	}
	for query, want := range map[string][]string{
		"q=kent":                               {"Kenton Electronics"},
		"q=kent&subtree=true":                  {"Kenton Electronics", "Kenton Service Desk"},
		"q=service+desk&subtree=true":          {"Kenton Service Desk"},
		"q=" + sub.Realm[:5] + "&subtree=true": {"Kenton Service Desk"},
		"q=abc":                                {"ABC Company"},
		"q=tronics&subtree=true":               nil,
		"status=active":                        {"ABC Company", "Kenton Electronics"},
	} {
		got := names(list(query))
		sorted := strings.Split(got, ",")
		slices.Sort(sorted)
		if got == "" {
			sorted = nil
		}
		if !slices.Equal(sorted, want) {
			t.Errorf("?%s: %s, want %v", query, got, want)
		}
	}
	// A suspension and a rename reach the tree rows in the same write.
	if res := e.do("PATCH", "/v1/accounts/"+sub.ID, map[string]any{"version": 1, "status": "suspended", "name": "Kenton Helpdesk"}, bearer(root)...); res.status != http.StatusOK {
		t.Fatalf("suspend and rename: %d %s", res.status, res.body)
	}
	if got := names(list("subtree=true&status=suspended")); got != "Kenton Helpdesk" {
		t.Fatalf("suspended in the subtree: %s", got)
	}
	if got := names(list("subtree=true&q=service")); got != "" {
		t.Fatalf("the old name is still found: %s", got)
	}
	// Paged one at a time, each page full.
	var paged []string
	cursor := ""
	for pages := 0; ; pages++ {
		var page struct {
			Items  []node
			Cursor string
		}
		res := e.do("GET", "/v1/accounts?subtree=true&limit=1&q=kent&parentId="+reseller.ID+"&cursor="+url.QueryEscape(cursor), nil, bearer(root)...)
		res.decode(t, &page)
		if res.status != http.StatusOK || len(page.Items) != 1 && page.Cursor != "" || pages > 3 {
			t.Fatalf("page %d: %d %s", pages, res.status, res.body)
		}
		paged = append(paged, names(page.Items))
		if cursor = page.Cursor; cursor == "" {
			break
		}
	}
	if got := strings.Trim(strings.Join(paged, ","), ","); got != "Kenton Electronics,Kenton Helpdesk" {
		t.Fatalf("paged: %s", got)
	}
	// A deleted account leaves the tree of every ancestor.
	if res := e.do("DELETE", "/v1/accounts/"+sub.ID, nil, append(bearer(root), "If-Match", `"2"`)...); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	for _, ancestor := range []string{reseller.ID, kenton.ID, "provider"} {
		if got := e.do("GET", "/v1/accounts?subtree=true&parentId="+ancestor, nil, bearer(root)...).String(); strings.Contains(got, sub.ID) {
			t.Fatalf("the deleted account is in %s's tree: %s", ancestor, got)
		}
	}
	if !strings.Contains(e.do("GET", "/v1/accounts?subtree=true&parentId=provider", nil, bearer(root)...).String(), abc.ID) {
		t.Fatal("the provider's tree lacks a grandchild")
	}
	for _, query := range []string{"subtree=maybe", "status=closed", "q=" + strings.Repeat("k", 65)} {
		if res := e.do("GET", "/v1/accounts?"+query, nil, bearer(root)...); res.status != http.StatusUnprocessableEntity {
			t.Errorf("?%s: %d %s", query, res.status, res.body)
		}
	}
}

// TestTheProvidersStaff: provider administrators add administrators and porting
// operators to the provider's account, who sign in with the password mailed once; a
// tenant's administrator adds its own account's administrators only.
func TestTheProvidersStaff(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	staff := "/v1/accounts/" + account.ProviderRootID + "/staff"
	member := func(email, role string) map[string]string {
		return map[string]string{"firstName": "Ola", "lastName": "Desk", "email": email, "phone": "+46701234567", "role": role}
	}
	var op struct{ ID, Role, Username string }
	res := e.do("POST", staff, member("Ola@Provisio.example", "operator"), append(bearer(root), "Idempotency-Key", "staff-1")...)
	res.decode(t, &op)
	if res.status != http.StatusCreated || op.Role != "operator" || op.Username != "ola@provisio.example" || res.header.Get("Location") == "" {
		t.Fatalf("an operator: %d %s", res.status, res.body)
	}
	if again := e.do("POST", staff, member("Ola@Provisio.example", "operator"), append(bearer(root), "Idempotency-Key", "staff-1")...); again.status != http.StatusCreated ||
		!strings.Contains(again.String(), op.ID) {
		t.Fatalf("a retry: %d %s", again.status, again.body)
	}
	mail := e.waitForMail("ola@provisio.example")
	pw := generatedPassword.FindStringSubmatch(mail[0].Body)
	if len(pw) != 2 {
		t.Fatalf("the welcome mail: %+v", mail[0])
	}
	desk := e.login(e.rootRealm, "ola@provisio.example", pw[1])
	if res := e.do("GET", "/v1/porting-requests", nil, bearer(desk)...); res.status != http.StatusOK {
		t.Fatalf("the new operator reads the desk: %d %s", res.status, res.body)
	}
	for what, c := range map[string]struct {
		body   map[string]string
		status int
	}{
		"an email in use":  {member("ola@provisio.example", "provider_admin"), 409},
		"a tenant's role":  {member("x@provisio.example", "tenant_admin"), 422},
		"a bad phone":      {map[string]string{"firstName": "A", "lastName": "B", "email": "y@provisio.example", "phone": "12", "role": "operator"}, 422},
		"no role":          {member("z@provisio.example", ""), 422},
		"an unknown field": {map[string]string{"firstName": "A", "lastName": "B", "email": "w@provisio.example", "phone": "+46701234567", "role": "operator", "extra": "x"}, 422},
	} {
		if res := e.do("POST", staff, c.body, bearer(root)...); res.status != c.status {
			t.Errorf("%s: %d %s, want %d", what, res.status, res.body, c.status)
		}
	}
	tenant, admin := sipTenant(e, "Staffed")
	if res := e.do("POST", staff, member("t@staffed.example", "operator"), bearer(admin)...); res.status != http.StatusNotFound {
		t.Fatalf("a tenant adds to the provider's staff: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/accounts/"+tenant.ID+"/staff", member("second@staffed.example", "operator"), bearer(admin)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an operator in a tenant: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/accounts/"+tenant.ID+"/staff", member("second@staffed.example", "tenant_admin"), bearer(admin)...); res.status != http.StatusCreated {
		t.Fatalf("a second administrator: %d %s", res.status, res.body)
	}
	var admins struct{ Items []struct{ ID string } }
	e.do("GET", "/v1/accounts/"+tenant.ID+"/users?role=tenant_admin", nil, bearer(admin)...).decode(t, &admins)
	if len(admins.Items) != 2 {
		t.Fatalf("the tenant's administrators: %+v", admins.Items)
	}
}
