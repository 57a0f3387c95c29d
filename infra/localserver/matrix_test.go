package localserver_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/user"
	"github.com/provisio/provisio/shared/webhook"
)

var allRoles = account.Roles

// relation is where the target account stands from the caller's own account.
type relation string

const (
	own       relation = "own"
	child     relation = "child"
	sibling   relation = "sibling"
	unrelated relation = "unrelated"
)

// matrixTree is the accounts the matrix acts on: the caller's own account (a reseller
// under the provider) with a child, a sibling reseller and a tenant under that sibling.
type matrixTree struct {
	e                              *env
	numbers                        int         // client accounts made so far, for unique numbers
	ranges                         int         // number ranges the matrix added, for unique ranges
	users                          int         // users the matrix made, for unique emails and numbers
	current                        accountView // the target of the row being called
	root                           string      // provider admin token
	own, child, sibling, unrelated accountView
	tokens                         map[account.Role]string
}

// nextNumber returns a Swedish mobile number no other client account has.
func (m *matrixTree) nextNumber() string {
	m.numbers++
	return fmt.Sprintf("+4670%07d", m.numbers)
}

// rangeNumber returns a free number of the current target's range (set up in the matrix).
func (m *matrixTree) rangeNumber() string {
	prefix := map[string]string{m.own.ID: "1", m.child.ID: "2", m.sibling.ID: "3", m.unrelated.ID: "4"}[m.current.ID]
	return fmt.Sprintf("+4681234%s%03d", prefix, m.users)
}

// member writes a user of accountID straight to the store.
func (m *matrixTree) member(accountID string) string {
	m.e.t.Helper()
	m.users++
	acct, err := m.e.accounts().Account(context.Background(), accountID)
	if err != nil {
		m.e.t.Fatal(err)
	}
	u := account.Member{ID: fmt.Sprintf("usr-matrix-%d", m.users), AccountID: accountID, Username: fmt.Sprintf("m%d@matrix.example", m.users),
		Email: fmt.Sprintf("m%d@matrix.example", m.users), Role: account.User, CreatedAt: time.Now(), Version: 1}
	if err := m.e.users("CreateUserFunction").CreateMember(context.Background(), acct, u, audit.New(time.Now(), "test", audit.User, audit.Create, u.ID, nil, u), nil); err != nil {
		m.e.t.Fatal(err)
	}
	return u.ID
}

// subscription writes a user of accountID with a new subscription, ordered for next
// year, straight to the store, and returns the subscription's ID.
func (m *matrixTree) subscription(accountID string) string {
	m.e.t.Helper()
	m.users++
	acct, err := m.e.accounts().Account(context.Background(), accountID)
	if err != nil {
		m.e.t.Fatal(err)
	}
	now := time.Now().UTC()
	u := account.Member{ID: fmt.Sprintf("usr-matrix-%d", m.users), AccountID: accountID, Username: fmt.Sprintf("m%d@matrix.example", m.users),
		Email: fmt.Sprintf("m%d@matrix.example", m.users), Role: account.User, CreatedAt: now, Version: 1}
	sub := user.Subscription{ID: fmt.Sprintf("sub-matrix-%d", m.users), AccountID: accountID, UserID: u.ID, Kind: user.NewSubscription,
		Status: user.Ordered, ActivationDate: now.AddDate(1, 0, 0).Format("2006-01-02"), ActivatesAt: now.AddDate(1, 0, 0),
		SIMDeliveryAddress: account.Address{Name: "Matrix", Street: "Storgatan 1", PostalCode: "111 22", City: "Stockholm", Country: "SE"},
		CreatedAt:          now, Version: 1}
	if err := m.e.users("CreateUserFunction").CreateUser(context.Background(), acct, u, &sub, nil,
		[]audit.Entry{audit.New(now, "test", audit.User, audit.Create, u.ID, nil, u)}, nil); err != nil {
		m.e.t.Fatal(err)
	}
	return sub.ID
}

var keyManagers = func(r account.Role) bool { return r == account.ProviderAdmin || r == account.ResellerAdmin }

// apiKeyRoute is a row for a route on one API key.
func apiKeyRoute(method, suffix string, ok int, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}/api-keys/{keyId}" + suffix, allowed: keyManagers, apiKey: true,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do(method, "/v1/accounts/"+t.ID+"/api-keys/"+id+suffix, body, bearer(tok)...)
		}}
}

// subscriptionRoute is a row for a route on one subscription.
func subscriptionRoute(method, suffix string, allowed func(account.Role) bool, ok int, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}/subscriptions/{subscriptionId}" + suffix, allowed: allowed, subscription: true,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do(method, "/v1/accounts/"+t.ID+"/subscriptions/"+id+suffix, body, bearer(tok)...)
		}}
}

// webhook writes a webhook endpoint of accountID straight to the store, with a failed
// delivery "dlv-<its ID>", and returns the endpoint's ID. Its URL refuses connections.
func (m *matrixTree) webhook(accountID string) string {
	m.e.t.Helper()
	m.users++
	now := time.Now().UTC()
	e := webhook.Endpoint{ID: fmt.Sprintf("whk-matrix-%d", m.users), AccountID: accountID, URL: "http://127.0.0.1:9/matrix",
		Events: []webhook.Event{webhook.InvoiceIssued}, Enabled: true, Secret: "whsec_matrix", CreatedAt: now, UpdatedAt: now, Version: 1}
	store := &dynamo.WebhookStore{Table: m.e.table("CreateWebhookFunction")}
	if err := store.CreateEndpoint(context.Background(), e, audit.New(now, "test", audit.Webhook, audit.Create, e.ID, nil, e)); err != nil {
		m.e.t.Fatal(err)
	}
	d := webhook.Delivery{ID: "dlv-" + e.ID, EndpointID: e.ID, AccountID: accountID, EventID: "evt-matrix", Type: webhook.InvoiceIssued,
		Status: webhook.Failed, Attempts: []webhook.Attempt{{At: now, StatusCode: 500}}, Body: []byte(`{}`), CreatedAt: now, UpdatedAt: now}
	if err := store.CreateDelivery(context.Background(), d); err != nil {
		m.e.t.Fatal(err)
	}
	return e.ID
}

// webhookRoute is a row for a route on one webhook endpoint.
func webhookRoute(method, suffix string, ok int, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}/webhooks/{webhookId}" + suffix, allowed: admins, webhook: true,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do(method, "/v1/accounts/"+t.ID+"/webhooks/"+id+strings.ReplaceAll(suffix, "{deliveryId}", "dlv-"+id), body, bearer(tok)...)
		}}
}

// invoice makes an invoice of accountID as the provider's administrator, of a fresh day
// of calls, and returns its ID.
func (m *matrixTree) invoice(accountID string) string {
	m.e.t.Helper()
	res := m.e.do("POST", "/v1/accounts/"+accountID+"/invoices", map[string]any{"summaryIds": []string{m.callDay(accountID)}}, bearer(m.root)...)
	var inv struct{ ID string }
	res.decode(m.e.t, &inv)
	if res.status != http.StatusCreated {
		m.e.t.Fatalf("invoice for the matrix: %d %s", res.status, res.body)
	}
	return inv.ID
}

// contact writes two contacts of accountID straight to the store and returns the first:
// a contact administers its account, and the second keeps the account administered
// when a row deletes the first.
func (m *matrixTree) contact(accountID string) string {
	m.e.t.Helper()
	acct, err := m.e.accounts().Account(context.Background(), accountID)
	if err != nil {
		m.e.t.Fatal(err)
	}
	var ids []string
	for range 2 {
		m.users++
		email := fmt.Sprintf("c%d@matrix.example", m.users)
		c := account.Member{ID: fmt.Sprintf("con-matrix-%d", m.users), AccountID: accountID, Username: email, Email: email,
			Role: account.AdminRole(acct.Kind), CreatedAt: time.Now(), Version: 1, Contact: &account.Contact{Name: "Matrix", Mobile: "+46701112233"}}
		if err := m.e.users("CreateContactFunction").CreateMember(context.Background(), acct, c, audit.New(time.Now(), "test", audit.Contact, audit.Create, c.ID, nil, c), nil); err != nil {
			m.e.t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids[0]
}

// callDay stores one call of the target account on a day no other call of the matrix
// uses, and returns that day's summary row ID.
func (m *matrixTree) callDay(accountID string) string {
	m.e.t.Helper()
	m.users++
	start := time.Now().UTC().AddDate(0, 0, -m.users)
	rec := calls.Record{ID: fmt.Sprintf("matrix-%d", m.users), AccountID: accountID, Start: start, DurationSeconds: 60,
		From: "+46812340001", To: "+46701234567", Direction: calls.Outbound, CostMinor: 100, Currency: "SEK"}
	if _, err := (&dynamo.CallStore{Table: m.e.table("IngestCallRecordsFunction")}).Ingest(context.Background(), []calls.Record{rec}); err != nil {
		m.e.t.Fatal(err)
	}
	return calls.RowID(calls.Daily, start)
}

// portingRequest submits a port-in through the wizard, as the provider's admin, in the
// target account, and returns the request's ID.
func (m *matrixTree) portingRequest(target accountView) string {
	m.e.t.Helper()
	m.users++
	prefix := map[string]string{m.own.ID: "1", m.child.ID: "2", m.sibling.ID: "3", m.unrelated.ID: "4"}[target.ID]
	body := portIn(fmt.Sprintf("p%d@matrix.example", m.users), fmt.Sprintf("+4681234%s%03d", prefix, m.users),
		fmt.Sprintf("+467055%05d", m.users), "811218-9876", nextWeekday10())
	delete(body["subscription"].(map[string]any)["porting"].(map[string]any), "temporaryNumber")
	body["password"] = clearPassword
	var made struct {
		Porting struct{ ID string } `json:"porting"`
	}
	res := m.e.do("POST", "/v1/accounts/"+target.ID+"/users", body, bearer(m.root)...)
	res.decode(m.e.t, &made)
	if res.status != http.StatusCreated {
		m.e.t.Fatalf("port-in for the matrix: %d %s", res.status, res.body)
	}
	return made.Porting.ID
}

// nextRange is a range no account has yet, inside target's parent's ranges: the
// provider's stock for own and sibling, their spare ranges (+468123600xx–4999,
// +46812365000–9999) for their children.
func (m *matrixTree) nextRange(target accountView) map[string]string {
	m.ranges++
	hundred := map[string]string{m.own.ID: "5%02d", m.sibling.ID: "5%02d", m.child.ID: "6%02d", m.unrelated.ID: "6%02d"}[target.ID]
	n := m.ranges
	if target.ID == m.unrelated.ID {
		n += 50
	}
	prefix := "+468123" + fmt.Sprintf(hundred, n)
	return map[string]string{"start": prefix + "00", "end": prefix + "99", "kind": "fixed"}
}

// freshRange adds an unused range to target, as the provider's admin, and returns its ID.
func (m *matrixTree) freshRange(target accountView) string {
	m.e.t.Helper()
	res := m.e.do("POST", "/v1/accounts/"+target.ID+"/number-ranges", m.nextRange(target), bearer(m.root)...)
	var r struct{ ID string }
	res.decode(m.e.t, &r)
	if res.status != http.StatusCreated {
		m.e.t.Fatalf("range for the matrix: %d %s", res.status, res.body)
	}
	return r.ID
}

// sipAccount writes a client account in status straight to the store, so a route can be
// called on an account already that far along.
func (m *matrixTree) sipAccount(accountID string, status sip.Status) string {
	m.e.t.Helper()
	now := time.Now().UTC()
	id := fmt.Sprintf("sip-matrix-%d", m.numbers+1)
	a := sip.Account{ID: id, AccountID: accountID, DisplayName: "Matrix", Email: "m@matrix.example", PrimaryNumber: m.nextNumber(),
		Username: id, Secret: "s", Enabled: status == sip.Activated, DisabledAnnouncement: sip.DefaultAnnouncement,
		LastStatus: status, LastStatusDate: now, KeyVersion: 1, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := (&dynamo.SIPStore{Table: m.e.table("CreateSipAccountFunction")}).CreateSIPAccount(context.Background(), a,
		audit.New(now, "test", audit.SIP, audit.Create, id, nil, a), nil); err != nil {
		m.e.t.Fatal(err)
	}
	return id
}

// target returns the ID of the account in relation r; a fresh leaf under the caller's
// account when the call destroys it.
func (m *matrixTree) target(r relation, fresh bool) accountView {
	switch r {
	case own:
		return m.own
	case child:
		if fresh {
			return m.e.newAccount(m.root, m.own.ID, "Leaf", 0, nil)
		}
		return m.child
	case sibling:
		return m.sibling
	}
	return m.unrelated
}

// matrixRoute is one protected route: who may call it and what each relation answers.
type matrixRoute struct {
	route   string // as template.yaml has it
	allowed func(account.Role) bool
	status  map[relation]int // for allowed roles
	fresh   bool             // the call destroys its target
	// sip, when set, gives the call a client account in that status in the target
	// account, made for the call.
	sip sip.Status
	// user, when set, gives the call a user of the target account, made for the call
	// (its ID is passed as sipID's sibling: the last argument).
	user bool
	// porting, when set, gives the call a submitted porting request of the target account.
	porting bool
	// contact, when set, gives the call a contact of the target account.
	contact bool
	// numberRange, when set, gives the call an unused number range of the target account.
	numberRange bool
	// subscription, when set, gives the call an ordered subscription of the target account.
	subscription bool
	// apiKey, when set, gives the call a billing key of the target account.
	apiKey bool
	// webhook, when set, gives the call a webhook endpoint of the target account, with a
	// failed delivery "dlv-<endpoint ID>".
	webhook bool
	// want, when set, gives the expected status itself (for rows whose refusals depend
	// on more than the role).
	want func(account.Role, relation) int
	call func(m *matrixTree, token string, target accountView, id string) response
}

// userRoute is a row for a route on one user.
func userRoute(method, suffix string, allowed func(account.Role) bool, ok int, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}/users/{userId}" + suffix, allowed: allowed, user: true,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do(method, "/v1/accounts/"+t.ID+"/users/"+id+suffix, body, bearer(tok)...)
		}}
}

var (
	admins        = func(r account.Role) bool { return r.Admin() }
	adminsOrUsers = func(r account.Role) bool { return r.Admin() || r == account.User }
	readStatuses  = map[relation]int{own: 200, child: 200, sibling: 404, unrelated: 404}
	// invoiceReaders read an account's invoices: its people, and the billing system's key.
	invoiceReaders = func(r account.Role) bool { return r.Admin() || r == account.User || r == account.Billing }
)

// sipRoute is a row for a route on one client account.
func sipRoute(method, suffix string, allowed func(account.Role) bool, ok int, status sip.Status, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}/sip-accounts/{sipId}" + suffix, allowed: allowed, sip: status,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do(method, "/v1/accounts/"+t.ID+"/sip-accounts/"+id+suffix, body, bearer(tok)...)
		}}
}

// accountRoute is a row for a route on an account's records, which callers may read
// (adminsOrUsers) or change (admins), answering ok on their own and their child account.
func accountRoute(method, suffix string, allowed func(account.Role) bool, ok int, body func(m *matrixTree) any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}" + suffix, allowed: allowed,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			var b any
			if body != nil {
				b = body(m)
			}
			return m.e.do(method, "/v1/accounts/"+t.ID+suffix, b, bearer(tok)...)
		}}
}

var registrationStaff = func(r account.Role) bool { return r == account.ProviderAdmin || r == account.ResellerAdmin }

// registrationRoute is a row for a route on one registration of the target account. It
// asks for one the account does not own: 404 wherever the role may look.
func registrationRoute(method, suffix string, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}/registrations/{registrationId}" + suffix, allowed: registrationStaff,
		status: map[relation]int{own: 404, child: 404, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do(method, "/v1/accounts/"+t.ID+"/registrations/reg-none"+suffix, body, bearer(tok)...)
		}}
}

var (
	portingReaders = func(r account.Role) bool { return r.Admin() || r == account.User || r == account.Operator }
	deskWork       = func(r account.Role) bool { return r.Admin() || r == account.Operator }
)

// portingRoute is a row for a route on one porting request.
func portingRoute(method, suffix string, allowed func(account.Role) bool, ok int, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/porting-requests/{id}" + suffix, allowed: allowed, porting: true,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, _ accountView, id string) response {
			return m.e.do(method, "/v1/porting-requests/"+id+suffix, body, bearer(tok)...)
		}}
}

// operatorsOnly is r as only operators may take it, answering ok: readers of a request
// outside their scope get 404 as everywhere, every other caller 403.
func operatorsOnly(r matrixRoute, ok int) matrixRoute {
	r.want = func(role account.Role, rel relation) int {
		switch {
		case rel == sibling || rel == unrelated:
			if portingReaders(role) {
				return 404
			}
			return 403
		case role == account.Operator:
			return ok
		}
		return 403
	}
	return r
}

// contactRoute is a row for a route on one contact.
func contactRoute(method, suffix string, allowed func(account.Role) bool, ok int, body any) matrixRoute {
	return matrixRoute{route: method + " /v1/accounts/{accountId}/contacts/{contactId}" + suffix, allowed: allowed, contact: true,
		status: map[relation]int{own: ok, child: ok, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do(method, "/v1/accounts/"+t.ID+"/contacts/"+id+suffix, body, bearer(tok)...)
		}}
}

var matrix = []matrixRoute{
	accountRoute("POST", "/contacts", admins, 201, func(m *matrixTree) any {
		m.users++
		return map[string]string{"name": "Matrix Contact", "email": fmt.Sprintf("mc%d@matrix.example", m.users)}
	}),
	accountRoute("GET", "/contacts", adminsOrUsers, 200, nil),
	accountRoute("POST", "/staff", admins, 201, func(m *matrixTree) any {
		m.users++
		target, err := m.e.accounts().Account(context.Background(), m.current.ID)
		if err != nil {
			m.e.t.Fatal(err)
		}
		return map[string]string{"firstName": "Staff", "lastName": "Member", "email": fmt.Sprintf("s%d@matrix.example", m.users),
			"phone": "+46701234567", "role": string(account.AdminRole(target.Kind))}
	}),
	contactRoute("GET", "", adminsOrUsers, 200, nil),
	contactRoute("PATCH", "", admins, 200, map[string]any{"version": 1, "publicNotes": "Prefers email"}),
	contactRoute("DELETE", "", admins, 204, nil),
	contactRoute("POST", "/password", admins, 200, map[string]bool{"generate": true}),
	contactRoute("POST", "/verify-email", admins, 202, nil),
	contactRoute("POST", "/verify-mobile", admins, 202, nil),
	// No code is pending, so the callers who get that far are told so (422).
	contactRoute("POST", "/confirm", admins, 422, map[string]string{"channel": "email", "code": "123456"}),
	// Records of accounts outside the key's subtree are rejected as unknown accounts: a
	// batch of only those is 422.
	{route: "POST /v1/call-records", allowed: func(r account.Role) bool { return r == account.Switch },
		status: map[relation]int{own: 200, child: 200, sibling: 422, unrelated: 422},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			m.users++
			return m.e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{{"id": fmt.Sprintf("mx-%d", m.users),
				"accountId": t.ID, "start": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), "durationSeconds": 30,
				"from": "+46812340001", "to": "+46701234567", "direction": "outbound", "costMinor": 50, "currency": "SEK"}}}, bearer(tok)...)
		}},
	// The realm is nobody's, so the registrar's events are each rejected, in a 200.
	{route: "POST /v1/registrar-events", allowed: func(r account.Role) bool { return r == account.Registrar },
		status: map[relation]int{own: 200, child: 200, sibling: 200, unrelated: 200},
		call: func(m *matrixTree, tok string, _ accountView, _ string) response {
			return m.e.do("POST", "/v1/registrar-events", map[string]any{"events": []map[string]any{{"event": "register",
				"realm": "nobody.sip.example", "username": "sip-x", "contact": "sip:x@203.0.113.7", "expires": 60,
				"at": time.Now().UTC().Format(time.RFC3339)}}}, bearer(tok)...)
		}},
	accountRoute("GET", "/summaries", adminsOrUsers, 200, nil),
	{route: "POST /v1/accounts/{accountId}/invoices", allowed: admins, status: map[relation]int{own: 403, child: 201, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("POST", "/v1/accounts/"+t.ID+"/invoices", map[string]any{"summaryIds": []string{m.callDay(t.ID)}}, bearer(tok)...)
		}},
	accountRoute("GET", "/invoices", invoiceReaders, 200, nil),
	{route: "GET /v1/accounts/{accountId}/invoices/{invoiceId}", allowed: invoiceReaders, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts/"+t.ID+"/invoices/"+m.invoice(t.ID), nil, bearer(tok)...)
		}},
	{route: "POST /v1/accounts/{accountId}/invoices/{invoiceId}/acknowledge", allowed: func(r account.Role) bool { return r == account.Billing },
		status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("POST", "/v1/accounts/"+t.ID+"/invoices/"+m.invoice(t.ID)+"/acknowledge", map[string]string{"reference": "ERP-1"}, bearer(tok)...)
		}},
	accountRoute("POST", "/webhooks", admins, 201, func(*matrixTree) any {
		return map[string]any{"url": "https://erp.example.com/hooks", "events": []string{"invoice.issued"}}
	}),
	accountRoute("GET", "/webhooks", admins, 200, nil),
	webhookRoute("PATCH", "", 200, map[string]any{"version": 1, "enabled": false}),
	webhookRoute("DELETE", "", 204, nil),
	webhookRoute("POST", "/roll-secret", 200, map[string]any{}),
	webhookRoute("GET", "/deliveries", 200, nil),
	webhookRoute("POST", "/deliveries/{deliveryId}/redeliver", 202, nil),
	// The work list is of the caller's own subtree, whichever account the row targets.
	{route: "GET /v1/invoices", allowed: func(r account.Role) bool { return r.Admin() || r == account.Billing },
		status: map[relation]int{own: 200, child: 200, sibling: 200, unrelated: 200},
		call: func(m *matrixTree, tok string, _ accountView, _ string) response {
			return m.e.do("GET", "/v1/invoices?status=issued", nil, bearer(tok)...)
		}},
	portingRoute("GET", "", portingReaders, 200, nil),
	portingRoute("POST", "/documents", deskWork, 201, map[string]string{"fileName": "consent.pdf", "contentType": "application/pdf"}),
	// Administrators reach the request but may only cancel or resubmit it.
	operatorsOnly(portingRoute("PATCH", "", deskWork, 200, map[string]string{"status": "pending"}), 200),
	// The request has no such document: 404 for operators, who alone may download.
	func() matrixRoute {
		r := operatorsOnly(portingRoute("GET", "/documents/doc-none", deskWork, 404, nil), 404)
		r.route = "GET /v1/porting-requests/{id}/documents/{documentId}"
		return r
	}(),
	// The desk is the provider's: its operators and administrators, in its own account.
	// The matrix's callers sit in a reseller's account, so each is refused.
	{route: "GET /v1/porting-requests", allowed: func(account.Role) bool { return false },
		call: func(m *matrixTree, tok string, _ accountView, _ string) response {
			return m.e.do("GET", "/v1/porting-requests", nil, bearer(tok)...)
		}},
	{route: "GET /v1/accounts/{accountId}/porting-requests", allowed: portingReaders, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts/"+t.ID+"/porting-requests", nil, bearer(tok)...)
		}},
	accountRoute("POST", "/users", admins, 201, func(m *matrixTree) any {
		m.users++
		addr := map[string]string{"name": "Matrix AB", "street": "Gatan 1", "postalCode": "111 22", "city": "Stockholm", "country": "SE"}
		return map[string]any{"type": "user", "firstName": "Max", "lastName": "Trix", "invoiceAddress": addr,
			"email": fmt.Sprintf("u%d@matrix.example", m.users), "password": clearPassword, "primaryNumber": m.rangeNumber()}
	}),
	accountRoute("GET", "/users", adminsOrUsers, 200, nil),
	accountRoute("GET", "/subscriptions", adminsOrUsers, 200, nil),
	subscriptionRoute("GET", "", adminsOrUsers, 200, nil),
	accountRoute("POST", "/api-keys", keyManagers, 201, func(*matrixTree) any { return map[string]string{"job": "switch", "name": "Matrix switch"} }),
	accountRoute("GET", "/api-keys", keyManagers, 200, nil),
	apiKeyRoute("POST", "/rotate", 201, map[string]int{"graceSeconds": 60}),
	apiKeyRoute("POST", "/revoke", 200, nil),
	subscriptionRoute("PATCH", "", admins, 200, map[string]any{"version": 1, "simDeliveryAddress": map[string]string{
		"name": "Matrix", "street": "Drottninggatan 2", "postalCode": "111 51", "city": "Stockholm", "country": "SE"}}),
	subscriptionRoute("POST", "/activate", admins, 200, nil),
	subscriptionRoute("POST", "/terminate", admins, 200, map[string]string{"reason": "the matrix is done with it"}),
	userRoute("GET", "", adminsOrUsers, 200, nil),
	userRoute("PATCH", "", admins, 200, map[string]any{"version": 1, "lastName": "Renamed"}),
	userRoute("DELETE", "", admins, 204, nil),
	userRoute("POST", "/password-reset", admins, 202, nil),
	userRoute("POST", "/disable", admins, 200, nil),
	userRoute("POST", "/enable", admins, 200, nil),
	userRoute("PUT", "/role", admins, 200, map[string]string{"role": "user"}),
	accountRoute("POST", "/number-ranges", admins, 201, func(m *matrixTree) any { return m.nextRange(m.current) }),
	{route: "DELETE /v1/accounts/{accountId}/number-ranges/{rangeId}", allowed: admins, numberRange: true,
		status: map[relation]int{own: 204, child: 204, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do("DELETE", "/v1/accounts/"+t.ID+"/number-ranges/"+id, nil, bearer(tok)...)
		}},
	accountRoute("GET", "/number-ranges", adminsOrUsers, 200, nil),
	accountRoute("GET", "/numbers/available", adminsOrUsers, 200, nil),
	accountRoute("POST", "/internal-number-blocks", admins, 201, nil),
	accountRoute("GET", "/internal-number-blocks", adminsOrUsers, 200, nil),
	{route: "POST /v1/accounts/{accountId}/sip-accounts", allowed: admins, status: map[relation]int{own: 201, child: 201, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("POST", "/v1/accounts/"+t.ID+"/sip-accounts", map[string]any{"displayName": "Matrix", "email": "m@matrix.example",
				"primaryNumber": m.nextNumber()}, bearer(tok)...)
		}},
	{route: "GET /v1/accounts/{accountId}/sip-accounts", allowed: adminsOrUsers, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts/"+t.ID+"/sip-accounts", nil, bearer(tok)...)
		}},
	{route: "GET /v1/accounts/{accountId}/registered-clients", allowed: adminsOrUsers, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts/"+t.ID+"/registered-clients", nil, bearer(tok)...)
		}},
	sipRoute("GET", "", adminsOrUsers, 200, sip.Created, nil),
	{route: "PATCH /v1/accounts/{accountId}/sip-accounts/{sipId}", allowed: admins, sip: sip.Created,
		status: map[relation]int{own: 200, child: 200, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, id string) response {
			return m.e.do("PATCH", "/v1/accounts/"+t.ID+"/sip-accounts/"+id, map[string]any{"version": 1, "displayName": "Renamed"}, bearer(tok)...)
		}},
	sipRoute("DELETE", "", admins, 204, sip.Created, nil),
	sipRoute("POST", "/installation-sms", admins, 200, sip.Created, map[string]bool{"confirm": true}),
	sipRoute("POST", "/activation-sms", admins, 200, sip.Installed, map[string]bool{"confirm": true}),
	sipRoute("POST", "/disable", admins, 200, sip.Activated, nil),
	sipRoute("POST", "/enable", admins, 200, sip.Activated, nil),
	sipRoute("POST", "/revoke-keys", admins, 200, sip.Activated, nil),
	{route: "GET /v1/me", allowed: func(r account.Role) bool { return !r.Machine() }, status: map[relation]int{own: 200, child: 200, sibling: 200, unrelated: 200},
		call: func(m *matrixTree, tok string, _ accountView, _ string) response {
			return m.e.do("GET", "/v1/me", nil, bearer(tok)...)
		}},
	{route: "GET /v1/accounts/{accountId}", allowed: adminsOrUsers, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts/"+t.ID, nil, bearer(tok)...)
		}},
	{route: "GET /v1/accounts", allowed: adminsOrUsers, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts?parentId="+t.ID, nil, bearer(tok)...)
		}},
	{route: "POST /v1/accounts", allowed: admins, status: map[relation]int{own: 201, child: 201, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("POST", "/v1/accounts", map[string]any{"name": "New", "timezone": "UTC", "parentId": t.ID}, bearer(tok)...)
		}},
	{route: "PATCH /v1/accounts/{accountId}", allowed: admins, status: map[relation]int{own: 200, child: 200, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			current, err := m.e.accounts().Account(context.Background(), t.ID)
			if err != nil {
				m.e.t.Fatal(err)
			}
			return m.e.do("PATCH", "/v1/accounts/"+t.ID, map[string]any{"version": current.Version, "name": current.Name}, bearer(tok)...)
		}},
	{route: "POST /v1/accounts/{accountId}/credit-additions", allowed: admins, status: map[relation]int{own: 403, child: 200, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			current, err := m.e.accounts().Account(context.Background(), t.ID)
			if err != nil {
				m.e.t.Fatal(err)
			}
			return m.e.do("POST", "/v1/accounts/"+t.ID+"/credit-additions", map[string]any{"amountMinor": 100, "reason": "test", "version": current.Version}, bearer(tok)...)
		}},
	{route: "DELETE /v1/accounts/{accountId}", allowed: admins, fresh: true, status: map[relation]int{own: 403, child: 204, sibling: 404, unrelated: 404},
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("DELETE", "/v1/accounts/"+t.ID, nil, bearer(tok)...)
		}},
	{route: "GET /v1/accounts/{accountId}/audit-log", allowed: admins, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts/"+t.ID+"/audit-log", nil, bearer(tok)...)
		}},
	// Tenant Creation Management: the provider's and resellers' administrators only
	// (TestTenantCreationManagement acts on real registrations).
	{route: "GET /v1/accounts/{accountId}/registrations", allowed: registrationStaff, status: readStatuses,
		call: func(m *matrixTree, tok string, t accountView, _ string) response {
			return m.e.do("GET", "/v1/accounts/"+t.ID+"/registrations?status=failed", nil, bearer(tok)...)
		}},
	registrationRoute("GET", "", nil),
	registrationRoute("POST", "/cancel", map[string]any{}),
	registrationRoute("POST", "/provision-now", nil),
	registrationRoute("POST", "/retry", nil),
}

// publicRoutes are the routes anyone may call: sign-in and password reset, the public
// self-registration and its status page, the links sent by SMS, and health. Every other
// route verifies a token (docs/auth.md).
var publicRoutes = []string{
	"GET /v1/health", "GET /v1/health/ready", "GET /v1/templates",
	"POST /v1/registrations", "GET /v1/registrations/{id}",
	"POST /v1/auth/login", "POST /v1/auth/password-reset", "POST /v1/auth/password-reset/confirm",
	"GET /v1/sip/install/{token}", "GET /v1/sip/activate/{token}", "POST /v1/sip/activate/{token}",
}

// TestEveryRouteButThePublicOnesChecksTokens calls every route without a token. A
// protected one answers RFC 6750's 401 problem before it reads anything, a public one
// never asks for a token, every protected route has a row in the matrix, and
// docs/openapi.yaml asks a bearer token of exactly the protected ones.
func TestEveryRouteButThePublicOnesChecksTokens(t *testing.T) {
	e := mustStart(t)
	var public, rows, protected []string
	for _, r := range matrix {
		rows = append(rows, r.route)
	}
	for key, checks := range e.srv.Routes() {
		method, path, _ := strings.Cut(key, " ")
		res := e.do(method, strings.NewReplacer("{", "x-", "}", "").Replace(path), nil)
		challenged := res.status == http.StatusUnauthorized && res.header.Get("WWW-Authenticate") == `Bearer realm="provisio"` &&
			res.header.Get("Content-Type") == "application/problem+json"
		if checks != challenged {
			t.Errorf("%s without a token: %d %q %s", key, res.status, res.header.Get("WWW-Authenticate"), res.body)
		}
		if checks {
			protected = append(protected, key)
		} else {
			public = append(public, key)
		}
	}
	for _, list := range [][]string{public, rows, protected, publicRoutes} {
		sort.Strings(list)
	}
	if !slices.Equal(public, publicRoutes) {
		t.Errorf("public routes:\n%s\nwant:\n%s", strings.Join(public, "\n"), strings.Join(publicRoutes, "\n"))
	}
	if !slices.Equal(protected, rows) {
		t.Errorf("protected routes:\n%s\nmatrix rows:\n%s", strings.Join(protected, "\n"), strings.Join(rows, "\n"))
	}
	if documented := bearerRoutes(t); !slices.Equal(protected, documented) {
		t.Errorf("protected routes:\n%s\ndocs/openapi.yaml's bearer routes:\n%s", strings.Join(protected, "\n"), strings.Join(documented, "\n"))
	}
}

// bearerRoutes are the operations of docs/openapi.yaml that ask for a bearer token, as
// sorted route keys.
func bearerRoutes(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	var out []string
	for path, ops := range spec.Paths {
		for method, op := range ops {
			if op, ok := op.(map[string]any); ok && op["security"] != nil {
				out = append(out, strings.ToUpper(method)+" "+path)
			}
		}
	}
	sort.Strings(out)
	return out
}

// newMatrixTree builds the accounts the matrix acts on, in an engine of its own (moto
// copies the whole table in every transaction, so small tables keep the matrix fast), and
// signs a user of every role in to the caller's own account.
func newMatrixTree(t *testing.T) *matrixTree {
	t.Helper()
	e := mustStart(t)
	m := &matrixTree{e: e, root: e.rootToken(), tokens: map[account.Role]string{}}
	m.own = e.newAccount(m.root, "", "Own Reseller", 100, nil)
	m.child = e.newAccount(m.root, m.own.ID, "Own Child", 1, nil)
	m.sibling = e.newAccount(m.root, "", "Sibling Reseller", 1, nil)
	m.unrelated = e.newAccount(m.root, m.sibling.ID, "Unrelated Tenant", 0, nil)
	// Blocks and users take numbers from these: +46812341xxx for own, 2xxx for its child,
	// 3xxx for the sibling and 4xxx for its child; each child's range inside its parent's.
	for _, r := range []struct {
		a          accountView
		start, end string
	}{{m.own, "+46812341000", "+46812342999"}, {m.own, "+46812360000", "+46812364999"}, {m.child, "+46812342000", "+46812342999"},
		{m.sibling, "+46812343000", "+46812344999"}, {m.sibling, "+46812365000", "+46812369999"}, {m.unrelated, "+46812344000", "+46812344999"}} {
		res := e.do("POST", "/v1/accounts/"+r.a.ID+"/number-ranges", map[string]string{"start": r.start, "end": r.end, "kind": "fixed"}, bearer(m.root)...)
		if res.status != http.StatusCreated {
			t.Fatalf("range: %d %s", res.status, res.body)
		}
	}
	ownAcct, err := e.accounts().Account(context.Background(), m.own.ID)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := password.Hash(clearPassword)
	for _, role := range allRoles {
		if role.Machine() { // a machine's key, scoped to the caller's own account
			m.tokens[role] = e.apiKey(m.own.ID, role)
			continue
		}
		u := account.Member{ID: "usr-" + string(role), AccountID: m.own.ID, Username: string(role) + "@own.example",
			Email: string(role) + "@own.example", Role: role, PasswordHash: hash, CreatedAt: time.Now(), Version: 1}
		if err := e.users("CreateAccountFunction").CreateMember(context.Background(), ownAcct, u, audit.New(time.Now(), "test", audit.User, audit.Create, u.ID, nil, u), nil); err != nil {
			t.Fatal(err)
		}
		m.tokens[role] = e.login(m.own.Realm, u.Username, clearPassword)
	}
	return m
}

// TestAuthorizationMatrix calls every protected route as every role on the caller's own
// account, a child, a sibling and an unrelated account, and checks the exact status and
// that refusals carry nothing of the account they refuse.
func TestAuthorizationMatrix(t *testing.T) {
	for _, r := range matrix {
		t.Run(r.route, func(t *testing.T) {
			m, route := newMatrixTree(t), t
			for _, role := range allRoles {
				for _, rel := range []relation{own, child, sibling, unrelated} {
					t.Run(fmt.Sprintf("%s/%s", role, rel), func(t *testing.T) {
						// The tree's helpers fail the subtest that calls them, never the
						// route's test from the subtest's goroutine.
						m.e.t = t
						defer func() { m.e.t = route }()
						target := m.target(rel, r.fresh)
						want := http.StatusForbidden
						if r.allowed(role) {
							want = r.status[rel]
						}
						if r.want != nil {
							want = r.want(role, rel)
						}
						id := ""
						switch {
						case r.sip != "":
							id = m.sipAccount(target.ID, r.sip)
						case r.user:
							id = m.member(target.ID)
						case r.porting:
							id = m.portingRequest(target)
						case r.contact:
							id = m.contact(target.ID)
						case r.numberRange:
							id = m.freshRange(target)
						case r.subscription:
							id = m.subscription(target.ID)
						case r.apiKey:
							secret := m.e.apiKey(target.ID, account.Billing)
							id, _ = apikey.Parse(secret)
						case r.webhook:
							id = m.webhook(target.ID)
						}
						m.current = target
						res := r.call(m, m.tokens[role], target, id)
						if res.status != want {
							t.Fatalf("got %d, want %d: %s", res.status, want, res.body)
						}
						if res.status >= 400 && (strings.Contains(string(res.body), target.Realm) || strings.Contains(string(res.body), target.Name)) {
							t.Fatalf("the refusal shows the account: %s", res.body)
						}
					})
				}
			}
		})
	}
}
