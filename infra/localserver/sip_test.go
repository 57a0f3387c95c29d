package localserver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/provisio/provisio/infra/localserver"
	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/dynamo"
)

type sipView struct {
	ID             string    `json:"id"`
	LastStatus     string    `json:"lastStatus"`
	LastStatusDate time.Time `json:"lastStatusDate"`
	Enabled        bool      `json:"enabled"`
	KeyVersion     int       `json:"keyVersion"`
	Version        int       `json:"version"`
	LastSMS        *struct {
		MessageID string `json:"messageId"`
	} `json:"lastSms"`
}

// sipTenant makes a customer account with an admin and signs the admin in.
func sipTenant(e *env, name string) (accountView, string) {
	e.t.Helper()
	acct := e.newAccount(e.rootToken(), "", name, 2, adminBody(strings.ToLower(name)+"@sip.example"))
	return acct, e.login(acct.Realm, strings.ToLower(name)+"@sip.example", clearPassword)
}

func (e *env) sipDo(token, method, path string, body any) (sipView, response) {
	e.t.Helper()
	res := e.do(method, path, body, bearer(token)...)
	var v sipView
	if res.status < 300 && len(res.body) > 0 {
		res.decode(e.t, &v)
	}
	return v, res
}

var smsLink = regexp.MustCompile(`/v1/sip/(install|activate)/([A-Za-z0-9_-]+)`)

// lastLink waits for the newest SMS to number and returns the path of its link, as a
// phone would read it.
func (e *env) lastLink(number string, after int) string {
	e.t.Helper()
	var msgs []localserver.OutboxEntry
	eventually(e.t, "an SMS to "+number, func() bool {
		msgs = e.outboxTo(number)
		return len(msgs) > after
	})
	m := msgs[len(msgs)-1]
	if m.Channel != "sms" {
		e.t.Fatalf("not an SMS: %+v", m)
	}
	link := smsLink.FindString(m.Body)
	if link == "" {
		e.t.Fatalf("no link in %q", m.Body)
	}
	return link
}

func TestSIPLifecycleThroughTheOutbox(t *testing.T) {
	e := mustStart(t)
	acct, token := sipTenant(e, "Softphones")
	base := "/v1/accounts/" + acct.ID + "/sip-accounts"
	created, res := e.sipDo(token, "POST", base, map[string]string{"displayName": "Kim Kenton", "email": "kim@kenton.example",
		"primaryNumber": "+46 70 123 45 67", "secondaryNumber": "+46812345678"})
	if res.status != http.StatusCreated || created.LastStatus != "created" || created.Enabled || strings.Contains(string(res.body), "secret") {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	path := base + "/" + created.ID
	if _, res := e.sipDo(token, "POST", path+"/activation-sms", map[string]bool{"confirm": true}); res.status != http.StatusConflict ||
		!strings.Contains(string(res.body), "installation-sms") {
		t.Fatalf("activation before installation: %d %s", res.status, res.body)
	}
	if _, res := e.sipDo(token, "POST", path+"/installation-sms", map[string]bool{"confirm": false}); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("unconfirmed SMS: %d %s", res.status, res.body)
	}

	sent, res := e.sipDo(token, "POST", path+"/installation-sms", map[string]bool{"confirm": true})
	if res.status != http.StatusOK || sent.LastStatus != "installation_sms_sent" || sent.LastSMS == nil || sent.LastSMS.MessageID == "" ||
		!sent.LastStatusDate.After(created.LastStatusDate) {
		t.Fatalf("installation SMS: %d %s", res.status, res.body)
	}
	install := e.lastLink("+46701234567", 0)
	cfgRes := e.do("GET", install, nil)
	var cfg struct {
		Username, Password, Domain, PrimaryNumber string
		Enabled                                   bool
	}
	cfgRes.decode(t, &cfg)
	if cfgRes.status != http.StatusOK || cfg.Username != created.ID || cfg.Password == "" || cfg.Domain != acct.Realm || cfg.Enabled {
		t.Fatalf("configuration: %d %s", cfgRes.status, cfgRes.body)
	}
	if again := e.do("GET", install, nil); again.status != http.StatusNotFound {
		t.Fatalf("the installation link worked twice: %d", again.status)
	}
	if token := strings.TrimPrefix(install, "/v1/sip/install/"); strings.Contains(e.logs.String(), token) {
		t.Fatal("a link token reached the logs")
	}
	if v, _ := e.sipDo(token, "GET", path, nil); v.LastStatus != "installed" || v.Enabled {
		t.Fatalf("after installation: %+v", v)
	}

	if _, res := e.sipDo(token, "POST", path+"/activation-sms", map[string]bool{"confirm": true}); res.status != http.StatusOK {
		t.Fatalf("activation SMS: %d %s", res.status, res.body)
	}
	activate := e.lastLink("+46701234567", 1)
	page := e.do("GET", activate, nil)
	if page.status != http.StatusOK || !strings.Contains(string(page.body), "<form method=\"post\"") || !strings.Contains(string(page.body), "Kim Kenton") {
		t.Fatalf("activation page: %d %s", page.status, page.body)
	}
	if v, _ := e.sipDo(token, "GET", path, nil); v.LastStatus != "activation_sms_sent" {
		t.Fatalf("opening the page changed the account: %+v", v)
	}
	if done := e.do("POST", activate, nil); done.status != http.StatusOK || !strings.Contains(string(done.body), "Activated") {
		t.Fatalf("activation: %d %s", done.status, done.body)
	}
	active, _ := e.sipDo(token, "GET", path, nil)
	if active.LastStatus != "activated" || !active.Enabled {
		t.Fatalf("after activation: %+v", active)
	}
	if again := e.do("POST", activate, nil); again.status != http.StatusNotFound {
		t.Fatalf("the activation link worked twice: %d", again.status)
	}

	if v, _ := e.sipDo(token, "POST", path+"/disable", nil); v.Enabled || v.LastStatus != "activated" {
		t.Fatalf("disable: %+v", v)
	}
	enabled, _ := e.sipDo(token, "POST", path+"/enable", nil)
	if !enabled.Enabled {
		t.Fatalf("enable: %+v", enabled)
	}
	// Enabling an enabled client changes nothing: no new version, no audit entry.
	auditBefore := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=sip&limit=100", nil, bearer(token)...).String()
	if again, _ := e.sipDo(token, "POST", path+"/enable", nil); !again.Enabled || again.Version != enabled.Version {
		t.Fatalf("enabling again: %+v, want version %d", again, enabled.Version)
	}
	if after := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=sip&limit=100", nil, bearer(token)...).String(); after != auditBefore {
		t.Fatal("enabling an enabled client wrote an audit entry")
	}
	revoked, _ := e.sipDo(token, "POST", path+"/revoke-keys", nil)
	if revoked.LastStatus != "created" || revoked.Enabled || revoked.KeyVersion != active.KeyVersion+1 {
		t.Fatalf("revoke keys: %+v", revoked)
	}

	// The list is searched and filtered in the store: a second client account lies
	// between, and a page of one is full however many the filter skips.
	if _, res := e.sipDo(token, "POST", base, map[string]string{"displayName": "Alva Kent", "email": "alva@kenton.example", "primaryNumber": "+46701239999"}); res.status != http.StatusCreated {
		t.Fatalf("a second client account: %d %s", res.status, res.body)
	}
	for query, want := range map[string]bool{
		"lastStatus=created": true, "lastStatus=activated": false, "q=kim+ken": true, "q=KENTON": true, "q=4681234567": true,
		"q=%2B4670123": true, "q=alva": false, "q=enton": false, "enabled=false&q=kim": true, "enabled=true": false,
		"q=kim&lastStatus=created&limit=1": true,
	} {
		var page struct {
			Items  []struct{ ID string }
			Cursor string
		}
		res := e.do("GET", base+"?"+query, nil, bearer(token)...)
		res.decode(t, &page)
		found := slices.ContainsFunc(page.Items, func(it struct{ ID string }) bool { return it.ID == created.ID })
		if res.status != http.StatusOK || found != want || (len(page.Items) == 0 && page.Cursor != "") {
			t.Errorf("?%s: %d %s, want listed=%v", query, res.status, res.body, want)
		}
	}
	for _, query := range []string{"lastStatus=lost", "enabled=yes"} {
		if res := e.do("GET", base+"?"+query, nil, bearer(token)...); res.status != http.StatusUnprocessableEntity {
			t.Errorf("?%s: %d %s", query, res.status, res.body)
		}
	}
	if _, res := e.sipDo(token, "PATCH", path, map[string]any{"version": revoked.Version, "primaryNumber": "+46709999999"}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(res.body), "delete the client account and create it again") {
		t.Fatalf("editing a number: %d %s", res.status, res.body)
	}
	if _, res := e.sipDo(token, "POST", base, map[string]string{"displayName": "Copy", "email": "c@kenton.example", "primaryNumber": "+46812345678"}); res.status != http.StatusConflict {
		t.Fatalf("a number in use: %d %s", res.status, res.body)
	}
}

func TestSIPLinksAndSendingRules(t *testing.T) {
	e := mustServe(t, mustEngine(t), nil)
	acct, token := sipTenant(e, "Links")
	base := "/v1/accounts/" + acct.ID + "/sip-accounts"
	newSIP := func(number string) string {
		v, res := e.sipDo(token, "POST", base, map[string]string{"displayName": "Pat", "email": "pat@links.example", "primaryNumber": number})
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		return base + "/" + v.ID
	}
	send := func(path string) response {
		return e.do("POST", path+"/installation-sms", map[string]bool{"confirm": true}, bearer(token)...)
	}

	t.Run("a newer link supersedes the older", func(t *testing.T) {
		path := newSIP("+46702000001")
		send(path)
		first := e.lastLink("+46702000001", 0)
		send(path)
		second := e.lastLink("+46702000001", 1)
		if res := e.do("GET", first, nil); res.status != http.StatusNotFound {
			t.Fatalf("superseded link: %d", res.status)
		}
		if res := e.do("GET", second, nil); res.status != http.StatusOK {
			t.Fatalf("newest link: %d %s", res.status, res.body)
		}
	})
	t.Run("revoked keys kill the link", func(t *testing.T) {
		path := newSIP("+46702000002")
		send(path)
		link := e.lastLink("+46702000002", 0)
		if res := e.do("POST", path+"/revoke-keys", nil, bearer(token)...); res.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", res.status, res.body)
		}
		if res := e.do("GET", link, nil); res.status != http.StatusNotFound {
			t.Fatalf("link after revoke: %d", res.status)
		}
	})
	t.Run("a link of one kind does not work as the other", func(t *testing.T) {
		path := newSIP("+46702000003")
		send(path)
		install := e.lastLink("+46702000003", 0)
		as := strings.Replace(install, "/install/", "/activate/", 1)
		if res := e.do("GET", as, nil); res.status != http.StatusNotFound {
			t.Fatalf("install token on the activation page: %d", res.status)
		}
		if res := e.do("GET", "/v1/sip/install/not-a-token", nil); res.status != http.StatusNotFound {
			t.Fatalf("made-up token: %d", res.status)
		}
	})
	t.Run("fixed-line numbers get no SMS", func(t *testing.T) {
		path := newSIP("+46812000004")
		res := send(path)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "not a mobile number") {
			t.Fatalf("fixed line: %d %s", res.status, res.body)
		}
	})
	t.Run("at most three SMS an hour", func(t *testing.T) {
		path := newSIP("+46702000005")
		for i := range 3 {
			if res := send(path); res.status != http.StatusOK {
				t.Fatalf("send %d: %d %s", i+1, res.status, res.body)
			}
		}
		if res := send(path); res.status != http.StatusTooManyRequests {
			t.Fatalf("fourth SMS: %d %s", res.status, res.body)
		}
		if n := len(e.outboxTo("+46702000005")); n != 3 {
			t.Fatalf("%d SMS sent, want 3", n)
		}
	})
}

func TestSIPLinksExpire(t *testing.T) {
	late := func(function string, a *app.Deps) {
		if function == "InstallSipClientFunction" {
			a.API.SIP.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
		}
	}
	e := mustServe(t, mustEngine(t), late)
	acct, token := sipTenant(e, "Expiry")
	v, _ := e.sipDo(token, "POST", "/v1/accounts/"+acct.ID+"/sip-accounts", map[string]string{"displayName": "Lee", "email": "lee@expiry.example", "primaryNumber": "+46703000001"})
	e.do("POST", "/v1/accounts/"+acct.ID+"/sip-accounts/"+v.ID+"/installation-sms", map[string]bool{"confirm": true}, bearer(token)...)
	if res := e.do("GET", e.lastLink("+46703000001", 0), nil); res.status != http.StatusNotFound {
		t.Fatalf("a link 25 hours later: %d %s", res.status, res.body)
	}
}

func TestRegisteredClientsFromTheRegistrar(t *testing.T) {
	e := mustStart(t)
	acct, token := sipTenant(e, "Registrar")
	v, _ := e.sipDo(token, "POST", "/v1/accounts/"+acct.ID+"/sip-accounts", map[string]string{"displayName": "Reg", "email": "reg@registrar.example", "primaryNumber": "+46704000001"})
	queueURL, err := e.srv.Stack().GetAtt("RegistrarEventsQueue", "QueueUrl")
	if err != nil {
		t.Fatal(err)
	}
	client := sqs.NewFromConfig(e.aws)
	report := func(event map[string]any) {
		body, _ := json.Marshal(event)
		if _, err := client.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: &queueURL, MessageBody: aws.String(string(body))}); err != nil {
			t.Fatal(err)
		}
	}
	clients := func() string {
		return e.do("GET", "/v1/accounts/"+acct.ID+"/registered-clients", nil, bearer(token)...).String()
	}
	contact := "sip:" + v.ID + "@203.0.113.7:5061;transport=tls"
	report(map[string]any{"event": "bogus"}) // dropped, never retried
	report(map[string]any{"event": "register", "realm": acct.Realm, "username": v.ID, "contact": contact, "userAgent": "Softphone 1.0",
		"expires": 3600, "at": time.Now().UTC()})
	eventually(t, "the registration listed", func() bool { return strings.Contains(clients(), contact) })
	report(map[string]any{"event": "unregister", "realm": acct.Realm, "username": v.ID, "contact": contact, "expires": 0, "at": time.Now().UTC()})
	eventually(t, "the unregistration applied", func() bool { return !strings.Contains(clients(), contact) })
	e.mustNotRetry()
}

// The registrar's API key reports over HTTPS: its subtree's events are recorded, another
// account's rejected as an unknown realm, and only a registrar's key may report.
func TestTheRegistrarReportsWithItsAPIKey(t *testing.T) {
	e := mustStart(t)
	acct, token := sipTenant(e, "Keyed")
	other, otherToken := sipTenant(e, "Unkeyed")
	v, _ := e.sipDo(token, "POST", "/v1/accounts/"+acct.ID+"/sip-accounts", map[string]string{"displayName": "Reg", "email": "reg@keyed.example", "primaryNumber": "+46704000002"})
	w, _ := e.sipDo(otherToken, "POST", "/v1/accounts/"+other.ID+"/sip-accounts", map[string]string{"displayName": "Reg", "email": "reg@unkeyed.example", "primaryNumber": "+46704000003"})
	key := e.apiKey(acct.ID, account.Registrar)
	event := func(realm, username string) map[string]any {
		return map[string]any{"event": "register", "realm": realm, "username": username, "contact": "sip:" + username + "@203.0.113.7:5061",
			"expires": 3600, "at": time.Now().UTC()}
	}
	res := e.do("POST", "/v1/registrar-events", map[string]any{"events": []map[string]any{event(acct.Realm, v.ID), event(other.Realm, w.ID)}}, bearer(key)...)
	if res.status != http.StatusOK || !strings.Contains(res.String(), `{"index":0,"status":"recorded"}`) ||
		!strings.Contains(res.String(), `{"index":1,"status":"rejected","reason":"no account has realm `+other.Realm+`"}`) {
		t.Fatalf("the report: %d %s", res.status, res.body)
	}
	if got := e.do("GET", "/v1/accounts/"+acct.ID+"/registered-clients", nil, bearer(token)...).String(); !strings.Contains(got, v.ID) {
		t.Fatalf("the key's client is not listed: %s", got)
	}
	if got := e.do("GET", "/v1/accounts/"+other.ID+"/registered-clients", nil, bearer(otherToken)...).String(); strings.Contains(got, w.ID) {
		t.Fatalf("another account's client was recorded: %s", got)
	}
	for _, bad := range []struct {
		token string
		body  any
		want  int
	}{
		{token, map[string]any{"events": []map[string]any{event(acct.Realm, v.ID)}}, http.StatusForbidden},
		{e.apiKey(acct.ID, account.Switch), map[string]any{"events": []map[string]any{event(acct.Realm, v.ID)}}, http.StatusForbidden},
		{key, map[string]any{"events": []map[string]any{}}, http.StatusUnprocessableEntity},
	} {
		if res := e.do("POST", "/v1/registrar-events", bad.body, bearer(bad.token)...); res.status != bad.want {
			t.Errorf("a report: %d %s, want %d", res.status, res.body, bad.want)
		}
	}
}

// TestTheSIPSecretIsKeptOutOfTheAccountsData: the secret is an attribute of the client
// account's item, not part of the data its JSON form comes from; an account stored
// before, with the secret inside the data, still reads with it.
func TestTheSIPSecretIsKeptOutOfTheAccountsData(t *testing.T) {
	e := mustStart(t)
	acct, token := sipTenant(e, "Vault")
	v, res := e.sipDo(token, "POST", "/v1/accounts/"+acct.ID+"/sip-accounts", map[string]string{"displayName": "Kim", "email": "kim@vault.example", "primaryNumber": "+46703000009"})
	if res.status != http.StatusCreated || strings.Contains(string(res.body), `"secret"`) {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	store := &dynamo.SIPStore{Table: e.table("GetSipAccountFunction")}
	db := dynamodb.NewFromConfig(e.aws)
	k := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "ACC#" + acct.ID}, "sk": &types.AttributeValueMemberS{Value: "SIP#" + v.ID}}
	out, err := db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: &store.Name, Key: k})
	if err != nil {
		t.Fatal(err)
	}
	secret, ok := out.Item["secret"].(*types.AttributeValueMemberS)
	data, _ := out.Item["data"].(*types.AttributeValueMemberM)
	if !ok || secret.Value == "" || data == nil || data.Value["secret"] != nil {
		t.Fatalf("the stored client account: %v", out.Item)
	}
	data.Value["secret"] = secret
	delete(out.Item, "secret")
	if _, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: &store.Name, Item: out.Item}); err != nil {
		t.Fatal(err)
	}
	if a, err := store.SIPAccount(context.Background(), acct.ID, v.ID); err != nil || a.Secret != secret.Value {
		t.Fatalf("an account stored the old way reads %+v, %v", a, err)
	}
}
