package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/billing"
	"github.com/provisio/provisio/shared/billing/billingtest"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/calls/callstest"
	"github.com/provisio/provisio/shared/contact"
	"github.com/provisio/provisio/shared/contact/contacttest"
	"github.com/provisio/provisio/shared/notify/notifytest"
	"github.com/provisio/provisio/shared/numbering"
	"github.com/provisio/provisio/shared/numbering/numberingtest"
	"github.com/provisio/provisio/shared/porting"
	"github.com/provisio/provisio/shared/porting/portingtest"
	"github.com/provisio/provisio/shared/sip"
	"github.com/provisio/provisio/shared/sip/siptest"
	"github.com/provisio/provisio/shared/testclock"
	"github.com/provisio/provisio/shared/user"
	"github.com/provisio/provisio/shared/user/usertest"
)

// bearers stands in for the token check: "Bearer <name>" is the caller of that name.
type bearers map[string]account.Actor

func (b bearers) Authenticate(_ context.Context, header string) (account.Actor, error) {
	who, ok := b[strings.TrimPrefix(header, "Bearer ")]
	if !ok {
		return account.Actor{}, auth.ErrNoToken
	}
	return who, nil
}

// resetLinks stands in for the reset mailer: every link goes out.
type resetLinks struct{}

func (resetLinks) SendReset(context.Context, account.Member) error { return nil }

// world is every handler over services on the in-memory fakes: a reseller "acc-r" and its
// tenant "acc-t" (with every permission, ranges, a porting request and a summary row).
func world(t *testing.T) http.Handler {
	t.Helper()
	all := []string{string(account.UsersManage), string(account.NumbersView), string(account.NumbersManage), string(account.SIPManage),
		string(account.SubscriptionsManage), string(account.PortingRequest)}
	accounts := []account.Account{
		{ID: account.ProviderRootID, Path: []string{account.ProviderRootID}, Kind: account.Provider, Permissions: all, Version: 1,
			Limits: account.Limits{InboundTrunks: 50, Users: 500}, Available: account.Limits{InboundTrunks: 40, Users: 400}},
		{ID: "acc-r", ParentID: account.ProviderRootID, Path: []string{account.ProviderRootID, "acc-r"}, Kind: account.Reseller, Permissions: all,
			Timezone: "Europe/Stockholm", Version: 1, Limits: account.Limits{InboundTrunks: 10, Users: 100}, Available: account.Limits{InboundTrunks: 9, Users: 90}},
		{ID: "acc-t", ParentID: "acc-r", Path: []string{account.ProviderRootID, "acc-r", "acc-t"}, Kind: account.Tenant, Permissions: all,
			Name: "Kenton", Timezone: "Europe/Stockholm", Realm: "t.sip.example", Credit: account.Credit{Currency: "SEK"}, Version: 1,
			Limits: account.Limits{InboundTrunks: 1, Users: 10}, Available: account.Limits{InboundTrunks: 1, Users: 10}},
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := testclock.At(now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n := 0
	newID := func(prefix string) string { n++; return prefix + strconv.Itoa(n) }
	mail, sms := &notifytest.Mailer{}, &notifytest.SMS{}

	acctStore, contactStore := accounttest.New(accounts...), contacttest.New(accounts...)
	users := usertest.New(accounts...)
	nums := numberingtest.New(accounts...)
	for _, s := range []*numberingtest.Store{users.Store, nums} {
		rg, err := numbering.NewRange("acc-t", "+46812340000", "+46812340199", numbering.Fixed, now)
		if err != nil {
			t.Fatal(err)
		}
		s.RangesOf["acc-t"] = []numbering.Range{rg}
	}
	ports := portingtest.New(acctStore, porting.Request{ID: "port-1", AccountID: "acc-t", Number: "+46709876543", Status: porting.Submitted,
		ProposedAt: now.Add(48 * time.Hour), CreatedAt: now, UpdatedAt: now, Version: 1})
	bills := billingtest.New(accounts...)
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	bills.Rows["acc-t/day-2026-11-30"] = calls.Row{ID: "day-2026-11-30", AccountID: "acc-t", Period: calls.Daily, Start: day, Totals: calls.Totals{Calls: 1, CostMinor: 100}}
	callStore := callstest.New(accounts...)

	api := &API{Log: log, Permissions: acctStore,
		Accounts: &account.Service{Store: acctStore, Mailer: mail, Log: log, Now: clock.Now, NewID: newID, RealmSuffix: "sip.example", Currency: "SEK",
			Channels: &calls.Service{Store: callStore, Now: clock.Now}},
		Users:    &user.Service{Store: users, Mailer: mail, Jobs: &portingtest.Jobs{}, Log: log, Now: clock.Now, NewID: newID, Resets: resetLinks{}},
		Numbers:  &numbering.Service{Store: nums, Now: clock.Now},
		SIP:      &sip.Service{Store: siptest.NewStore(accounts...), SMS: sms, Log: log, Now: clock.Now, NewID: newID, BaseURL: "https://api.example"},
		Contacts: &contact.Service{Store: contactStore, Mailer: mail, SMS: sms, Log: log, Now: clock.Now, NewID: newID},
		Porting:  &porting.Service{Store: ports, Accounts: acctStore, Files: &portingtest.Files{}, Mailer: mail, Log: log, Now: clock.Now, NewID: newID},
		Billing:  &billing.Service{Store: bills, Now: clock.Now},
		Calls:    &calls.Service{Store: callStore, Queue: &callstest.Queue{}, Log: log, Now: clock.Now},
		Tokens: bearers{
			"tenant":   {UserID: "usr-t", AccountID: "acc-t", Role: account.TenantAdmin},
			"reseller": {UserID: "usr-r", AccountID: "acc-r", Role: account.ResellerAdmin},
			"operator": {UserID: "usr-o", AccountID: account.ProviderRootID, Role: account.Operator},
			"switch":   {UserID: "usr-s", AccountID: account.ProviderRootID, Role: account.Switch},
			"basic":    {UserID: "usr-b", AccountID: "acc-t", Role: account.BasicUser},
		}}
	acctStore.Users["acc-t/usr-t"] = account.Member{ID: "usr-t", AccountID: "acc-t", Email: "t@kenton.example", Role: account.TenantAdmin, Version: 1}
	contactStore.Users["acc-t/usr-t"] = acctStore.Users["acc-t/usr-t"] // another administrator, so contacts may go
	mux := http.NewServeMux()
	for pattern, h := range map[string]http.HandlerFunc{
		"GET /v1/me": api.Me, "POST /v1/accounts": api.CreateAccount, "GET /v1/accounts": api.ListAccounts,
		"GET /v1/accounts/{accountId}": api.GetAccount, "PATCH /v1/accounts/{accountId}": api.UpdateAccount,
		"POST /v1/accounts/{accountId}/credit-additions": api.AddCredit, "DELETE /v1/accounts/{accountId}": api.DeleteAccount,
		"GET /v1/accounts/{accountId}/audit-log": api.AccountAuditLog,
		"POST /v1/accounts/{accountId}/users":    api.CreateUser, "GET /v1/accounts/{accountId}/users": api.ListUsers,
		"POST /v1/accounts/{accountId}/number-ranges": api.AddNumberRange, "GET /v1/accounts/{accountId}/number-ranges": api.ListNumberRanges,
		"GET /v1/accounts/{accountId}/numbers/available":       api.AvailableNumbers,
		"POST /v1/accounts/{accountId}/internal-number-blocks": api.AssignNumberBlock, "GET /v1/accounts/{accountId}/internal-number-blocks": api.ListNumberBlocks,
		"POST /v1/accounts/{accountId}/sip-accounts": api.CreateSIPAccount, "GET /v1/accounts/{accountId}/sip-accounts": api.ListSIPAccounts,
		"POST /v1/accounts/{accountId}/contacts": api.CreateContact, "GET /v1/accounts/{accountId}/contacts": api.ListContacts,
		"GET /v1/porting-requests/{id}": api.GetPorting, "PATCH /v1/porting-requests/{id}": api.MovePorting,
		"POST /v1/porting-requests/{id}/documents": api.UploadPortingDocument, "GET /v1/accounts/{accountId}/porting-requests": api.ListPortings,
		"POST /v1/accounts/{accountId}/invoices": api.CreateInvoice, "GET /v1/accounts/{accountId}/invoices": api.ListInvoices,
		"GET /v1/accounts/{accountId}/summaries": api.CallSummaries, "POST /v1/call-records": api.IngestCallRecords,
		"GET /v1/accounts/{accountId}/users/{userId}": api.GetUser, "PATCH /v1/accounts/{accountId}/users/{userId}": api.UpdateUser,
		"DELETE /v1/accounts/{accountId}/users/{userId}":              api.DeleteUser,
		"POST /v1/accounts/{accountId}/users/{userId}/password-reset": api.SendUserPasswordReset,
		"GET /v1/accounts/{accountId}/sip-accounts/{sipId}":           api.GetSIPAccount, "PATCH /v1/accounts/{accountId}/sip-accounts/{sipId}": api.UpdateSIPAccount,
		"DELETE /v1/accounts/{accountId}/sip-accounts/{sipId}":                api.DeleteSIPAccount,
		"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/installation-sms": api.SendInstallationSMS,
		"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/activation-sms":   api.SendActivationSMS,
		"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/disable":          api.DisableSIPAccount,
		"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/enable":           api.EnableSIPAccount,
		"POST /v1/accounts/{accountId}/sip-accounts/{sipId}/revoke-keys":      api.RevokeSIPKeys,
		"GET /v1/accounts/{accountId}/registered-clients":                     api.RegisteredClients,
		"GET /v1/accounts/{accountId}/contacts/{contactId}":                   api.GetContact,
		"PATCH /v1/accounts/{accountId}/contacts/{contactId}":                 api.UpdateContact,
		"DELETE /v1/accounts/{accountId}/contacts/{contactId}":                api.DeleteContact,
		"POST /v1/accounts/{accountId}/contacts/{contactId}/password":         api.SetContactPassword,
		"POST /v1/accounts/{accountId}/contacts/{contactId}/verify-email":     api.VerifyContactEmail,
		"POST /v1/accounts/{accountId}/contacts/{contactId}/confirm":          api.ConfirmContact,
		"GET /v1/accounts/{accountId}/invoices/{invoiceId}":                   api.GetInvoice,
		"DELETE /v1/accounts/{accountId}/number-ranges/{rangeId}":             api.ReleaseNumberRange,
	} {
		mux.Handle(pattern, Observe(log, api.Authenticated(api.Permitted(h))))
	}
	return mux
}

func TestHandlersAnswerWithTheirStatus(t *testing.T) {
	h := world(t)
	account := `{"name":"Acme","timezone":"Europe/Stockholm","limits":{"inboundTrunks":1,"outboundTrunks":0,"twowayTrunks":0,"users":1}}`
	user := `{"type":"user","firstName":"Kim","lastName":"Berg","invoiceAddress":{"name":"Kenton AB","street":"Storgatan 1","postalCode":"111 22","city":"Stockholm","country":"SE"},"email":"kim@kenton.example","primaryNumber":"+46812340005"}`
	record := `{"records":[{"id":"c1","accountId":"acc-t","start":"2026-11-30T10:00:00Z","durationSeconds":60,"from":"+46812340001","to":"+46701234567","direction":"outbound","costMinor":120,"currency":"SEK"}]}`
	cases := []struct {
		method, path, who, body string
		status                  int
	}{
		// 2xx
		{"GET", "/v1/me", "tenant", "", 200},
		{"POST", "/v1/accounts", "reseller", account, 201},
		{"GET", "/v1/accounts", "reseller", "", 200},
		{"GET", "/v1/accounts/acc-t", "tenant", "", 200},
		{"PATCH", "/v1/accounts/acc-t", "tenant", `{"version":1,"name":"Kenton AB"}`, 200},
		{"POST", "/v1/accounts/acc-t/credit-additions", "reseller", `{"amountMinor":100,"reason":"paid","version":2}`, 200},
		{"GET", "/v1/accounts/acc-t/audit-log", "reseller", "", 200},
		{"POST", "/v1/accounts/acc-t/users?dryRun=true", "tenant", user, 200},
		{"POST", "/v1/accounts/acc-t/users", "tenant", user, 201},
		{"GET", "/v1/accounts/acc-t/users", "tenant", "", 200},
		{"POST", "/v1/accounts/acc-t/number-ranges", "tenant", `{"start":"+46812345000","end":"+46812345099","kind":"fixed"}`, 409},
		{"GET", "/v1/accounts/acc-t/number-ranges", "tenant", "", 200},
		{"GET", "/v1/accounts/acc-t/numbers/available?limit=2", "tenant", "", 200},
		{"POST", "/v1/accounts/acc-t/internal-number-blocks", "tenant", "", 201},
		{"GET", "/v1/accounts/acc-t/internal-number-blocks", "tenant", "", 200},
		{"POST", "/v1/accounts/acc-t/sip-accounts", "tenant", `{"displayName":"Kim","email":"kim@kenton.example","primaryNumber":"+46701234567"}`, 201},
		{"GET", "/v1/accounts/acc-t/sip-accounts", "tenant", "", 200},
		{"POST", "/v1/accounts/acc-t/contacts", "reseller", `{"name":"Lee","email":"lee@kenton.example"}`, 201},
		{"GET", "/v1/accounts/acc-t/contacts", "tenant", "", 200},
		{"GET", "/v1/porting-requests/port-1", "operator", "", 200},
		{"GET", "/v1/accounts/acc-t/porting-requests", "tenant", "", 200},
		{"PATCH", "/v1/porting-requests/port-1", "operator", `{"status":"pending"}`, 200},
		{"POST", "/v1/porting-requests/port-1/documents", "tenant", `{"fileName":"consent.pdf","contentType":"application/pdf"}`, 201},
		{"POST", "/v1/accounts/acc-t/invoices", "reseller", `{"summaryIds":["day-2026-11-30"]}`, 201},
		{"GET", "/v1/accounts/acc-t/invoices", "tenant", "", 200},
		{"GET", "/v1/accounts/acc-t/summaries?period=daily&from=2026-11-01&to=2026-11-30", "tenant", "", 200},
		{"POST", "/v1/call-records", "switch", record, 200},
		// 4xx
		{"GET", "/v1/accounts/acc-t", "", "", 401},
		{"GET", "/v1/accounts/acc-t", "basic", "", 403},
		{"GET", "/v1/accounts/acc-r", "tenant", "", 404},
		{"PATCH", "/v1/accounts/acc-t", "tenant", `{"version":1,"limits":{"inboundTrunks":5}}`, 403},
		{"POST", "/v1/accounts", "reseller", `{"name":"Acme",`, 400},
		{"POST", "/v1/accounts", "reseller", `{"name":"Acme","nickname":"x"}`, 422},
		{"POST", "/v1/accounts/acc-t/users", "tenant", `{"type":"robot"}`, 422},
		{"PATCH", "/v1/porting-requests/port-1", "tenant", `{"status":"completed"}`, 403},
		{"POST", "/v1/call-records", "tenant", record, 403},
		{"DELETE", "/v1/accounts/acc-t", "tenant", "", 403},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path+" as "+c.who, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if c.who != "" {
				req.Header.Set("Authorization", "Bearer "+c.who)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.status {
				t.Fatalf("got %d %s, want %d", rec.Code, rec.Body, c.status)
			}
			wantType := "application/json"
			if c.status >= 400 {
				wantType = "application/problem+json"
			}
			if got := rec.Header().Get("Content-Type"); got != wantType || !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("a %d of type %q: %s", rec.Code, got, rec.Body)
			}
			if rec.Header().Get(RequestIDHeader) == "" {
				t.Fatal("no request ID")
			}
		})
	}
}

// call sends a request through the world's handlers and decodes the answer's object.
func call(t *testing.T, h http.Handler, method, path, who, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+who)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var v map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &v)
	return rec.Code, v
}

func TestEachResourceThroughItsHandlers(t *testing.T) {
	h := world(t)
	steps := func(t *testing.T, base string, steps []struct {
		method, suffix, who, body string
		status                    int
	}) {
		t.Helper()
		for _, s := range steps {
			if got, v := call(t, h, s.method, base+s.suffix, s.who, s.body); got != s.status {
				t.Fatalf("%s %s%s: %d %v, want %d", s.method, base, s.suffix, got, v, s.status)
			}
		}
	}
	type step = struct {
		method, suffix, who, body string
		status                    int
	}
	t.Run("a client account", func(t *testing.T) {
		_, v := call(t, h, "POST", "/v1/accounts/acc-t/sip-accounts", "tenant", `{"displayName":"Kim","email":"kim@kenton.example","primaryNumber":"+46701234567"}`)
		steps(t, "/v1/accounts/acc-t/sip-accounts/"+v["id"].(string), []step{
			{"GET", "", "tenant", "", 200},
			{"PATCH", "", "tenant", `{"version":1,"displayName":"Kim Berg"}`, 200},
			{"PATCH", "", "tenant", `{"version":2,"primaryNumber":"+46709999999"}`, 422},
			{"POST", "/installation-sms", "tenant", `{"confirm":true}`, 200},
			{"POST", "/activation-sms", "tenant", `{"confirm":true}`, 409},
			{"POST", "/revoke-keys", "tenant", "", 200},
			{"POST", "/disable", "tenant", "", 409},
			{"POST", "/enable", "tenant", "", 409},
			{"DELETE", "", "tenant", "", 204},
			{"GET", "", "tenant", "", 404},
		})
		if got, _ := call(t, h, "GET", "/v1/accounts/acc-t/registered-clients", "tenant", ""); got != 200 {
			t.Fatalf("registered clients: %d", got)
		}
	})
	t.Run("a contact", func(t *testing.T) {
		_, v := call(t, h, "POST", "/v1/accounts/acc-t/contacts", "reseller", `{"name":"Lee","email":"lee.k@kenton.example","mobile":"+46701112233"}`)
		steps(t, "/v1/accounts/acc-t/contacts/"+v["id"].(string), []step{
			{"GET", "", "tenant", "", 200},
			{"PATCH", "", "tenant", `{"version":1,"name":"Lee K"}`, 200},
			{"POST", "/password", "reseller", `{"generate":true}`, 200},
			{"POST", "/verify-email", "tenant", "", 202},
			{"POST", "/confirm", "tenant", `{"channel":"email","code":"12"}`, 422},
			{"DELETE", "", "reseller", "", 204},
		})
	})
	t.Run("a user", func(t *testing.T) {
		_, v := call(t, h, "POST", "/v1/accounts/acc-t/users", "tenant", `{"type":"user","firstName":"Sam","lastName":"Ek","invoiceAddress":{"name":"Kenton AB","street":"Storgatan 1","postalCode":"111 22","city":"Stockholm","country":"SE"},"email":"sam@kenton.example","primaryNumber":"+46812340050"}`)
		steps(t, "/v1/accounts/acc-t/users/"+v["id"].(string), []step{
			{"GET", "", "tenant", "", 200},
			{"PATCH", "", "tenant", `{"version":1,"firstName":"Samuel"}`, 200},
			{"POST", "/password-reset", "tenant", "", 202},
			{"DELETE", "", "tenant", "", 204},
		})
	})
	t.Run("an invoice and a range", func(t *testing.T) {
		_, v := call(t, h, "POST", "/v1/accounts/acc-t/invoices", "reseller", `{"summaryIds":["day-2026-11-30"]}`)
		steps(t, "/v1/accounts/acc-t", []step{
			{"GET", "/invoices/" + v["id"].(string), "tenant", "", 200},
			{"GET", "/invoices/inv-nothing", "tenant", "", 404},
			{"DELETE", "/number-ranges/rng-46812340000", "tenant", "", 204},
		})
	})
}
