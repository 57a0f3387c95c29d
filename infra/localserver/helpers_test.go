package localserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/provisio/provisio/infra/awsconfig"
	"github.com/provisio/provisio/infra/engine"
	"github.com/provisio/provisio/infra/localserver"
	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/apikey"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/numbering"
)

// env is one test's own copy of every resource in template.yaml, served like make run.
type env struct {
	t    testing.TB
	srv  *localserver.Server
	url  string
	aws  aws.Config
	logs *syncBuffer
	// rootRealm and rootPassword sign the provider's first administrator in.
	rootRealm, rootPassword string
}

// syncBuffer collects the server's logs; pollers write from their own goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// mustNotRetry fails when any job had to be retried: the happy path runs each job once.
func (e *env) mustNotRetry() {
	e.t.Helper()
	if logs := e.logs.String(); strings.Contains(logs, "will be retried") {
		e.t.Fatalf("a job was retried:\n%s", logs)
	}
}

var prefixes atomic.Int64

// mustEngine returns the AWS configuration of the test engine. Integration tests need
// one and fail without it: `make test` starts it and sets AWS_ENDPOINT_URL.
func mustEngine(t testing.TB) aws.Config {
	t.Helper()
	if os.Getenv("AWS_ENDPOINT_URL") == "" {
		t.Fatal("integration tests need an engine: run `make test`, or set AWS_ENDPOINT_URL to one")
	}
	engine.LocalDefaults()
	cfg, err := awsconfig.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// mustServe creates fresh resources and serves them like make run, queue pollers
// included; adjust may rewire functions.
func mustServe(t testing.TB, cfg aws.Config, adjust func(function string, a *app.Deps)) *env {
	t.Helper()
	return serve(t, cfg, adjust, true)
}

func serve(t testing.TB, cfg aws.Config, adjust func(function string, a *app.Deps), poll bool) *env {
	t.Helper()
	return serveTemplate(t, cfg, "../../template.yaml", adjust, poll)
}

// serveTemplate is serve with another template (and the project's Python for its policies).
func serveTemplate(t testing.TB, cfg aws.Config, templatePath string, adjust func(function string, a *app.Deps), poll bool) *env {
	t.Helper()
	prefix := fmt.Sprintf("t%d%d-", time.Now().UnixNano()%1e9, prefixes.Add(1))
	logs := &syncBuffer{}
	var out io.Writer = logs
	if testing.Verbose() {
		out = io.MultiWriter(logs, os.Stderr)
	}
	log := slog.New(slog.NewJSONHandler(out, nil))
	srv, err := localserver.New(context.Background(), localserver.Options{
		AWS: cfg, TemplatePath: templatePath, Prefix: prefix, Log: log, RetryAfter: time.Second, Adjust: adjust, Python: "../../.venv/bin/python",
		PortalDir: "../../portal",
	})
	if err != nil {
		t.Fatal(err)
	}
	root, pw, err := srv.Function("CreateAccountFunction").BootstrapProvider(context.Background(), "admin@provisio.example")
	if err != nil {
		t.Fatal(err)
	}
	// The provider's stock: every account's ranges lie inside their parent's.
	provider := account.Actor{UserID: root.Admin.ID, AccountID: account.ProviderRootID, Role: account.ProviderAdmin}
	for _, r := range providerStock {
		if _, err := srv.Function("AddNumberRangeFunction").API.Numbers.AddRange(context.Background(), provider, account.ProviderRootID, r[0], r[1], numbering.Kind(r[2]), ""); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		if poll {
			srv.Poll(ctx)
		}
		close(done)
	}()
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		cancel()
		<-done
	})
	return &env{t: t, srv: srv, url: hs.URL, aws: cfg, logs: logs, rootRealm: root.Account.Realm, rootPassword: pw}
}

// providerStock is the number stock every test's provider holds: start, end, kind.
var providerStock = [][3]string{
	{"+46812340000", "+46812349999", "fixed"}, {"+46812350000", "+46812359999", "fixed"},
	{"+46812360000", "+46812369999", "fixed"}, {"+46701230000", "+46701239999", "mobile"},
}

func mustStart(t testing.TB) *env { return mustServe(t, mustEngine(t), nil) }

// bearer returns the header pair that sends token.
func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// login signs in and returns the token, failing the test otherwise.
func (e *env) login(domain, username, password string) string {
	e.t.Helper()
	res := e.do("POST", "/v1/auth/login", map[string]string{"domain": domain, "username": username, "password": password})
	var tok struct {
		Token string `json:"token"`
	}
	res.decode(e.t, &tok)
	if res.status != http.StatusOK || tok.Token == "" {
		e.t.Fatalf("login %s@%s: %d %s", username, domain, res.status, res.body)
	}
	return tok.Token
}

// rootToken signs the provider's first administrator in.
func (e *env) rootToken() string {
	return e.login(e.rootRealm, "admin@provisio.example", e.rootPassword)
}

// accountView is the part of an account the tests read.
type accountView struct {
	ID        string `json:"id"`
	ParentID  string `json:"parentId"`
	Name      string `json:"name"`
	Realm     string `json:"realm"`
	Version   int    `json:"version"`
	Available struct {
		InboundTrunks int `json:"inboundTrunks"`
	} `json:"available"`
	Admin *struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"admin"`
}

// newAccount creates an account under parentID as token's user, with inbound and
// outbound trunks and ten users per trunk and ten more, failing on anything but 201.
func (e *env) newAccount(token, parentID, name string, inbound int, admin map[string]any) accountView {
	e.t.Helper()
	body := map[string]any{"name": name, "timezone": "Europe/Stockholm", "parentId": parentID,
		"limits": map[string]int{"inboundTrunks": inbound, "outboundTrunks": inbound, "twowayTrunks": 0, "users": 10*inbound + 10}}
	if admin != nil {
		body["admin"] = admin
	}
	res := e.do("POST", "/v1/accounts", body, bearer(token)...)
	var v accountView
	res.decode(e.t, &v)
	if res.status != http.StatusCreated {
		e.t.Fatalf("create %s: %d %s", name, res.status, res.body)
	}
	return v
}

// adminBody is a valid first administrator with a given password.
func adminBody(email string) map[string]any {
	return map[string]any{"firstName": "Alice", "lastName": "Berg", "email": email, "phone": "+46701234567", "password": "Correct-Horse-42"}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return string(r.body) }

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("status %d, body %s: %v", r.status, r.body, err)
	}
}

func (e *env) do(method, path string, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// todayInStockholm is today's date in the test accounts' time zone. The API reads
// activation dates there, so between 23:00 and midnight UTC the UTC date is yesterday.
func todayInStockholm() string { return dateInStockholm(time.Now()) }

// dateInStockholm is the date of t in the test accounts' time zone.
func dateInStockholm(t time.Time) string {
	zone, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // the accounts' time zones need the same zone database
	}
	return t.In(zone).Format(time.DateOnly)
}

// registrationBody returns a valid request body whose names are unique to n.
func registrationBody(n string, schedule string) map[string]any {
	return map[string]any{
		"templateId": "business-pro", "schedule": schedule,
		"tenant": map[string]any{
			"name": "Kenton" + n, "shortName": "ke" + n, "upnSuffix": "kenton-" + strings.ToLower(n) + ".com",
			"adminUserName": "keAdmin", "password": "Correct-Horse-42", "ani": "+46812345678",
		},
		"contact": map[string]any{"name": "Kim Kenton", "email": "it@kenton-" + strings.ToLower(n) + ".com", "phone": "+46701234567"},
	}
}

type registrationView struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	AccountID string `json:"accountId"`
	History   []struct {
		Status string    `json:"status"`
		At     time.Time `json:"at"`
		Reason string    `json:"reason"`
	} `json:"history"`
}

func (e *env) submit(body any, headers ...string) (registrationView, response) {
	e.t.Helper()
	res := e.do("POST", "/v1/registrations", body, headers...)
	var v registrationView
	if res.status == http.StatusAccepted {
		res.decode(e.t, &v)
	}
	return v, res
}

// settleWithin bounds every wait on a condition. It is long on purpose: a loaded machine
// must never fail a test that would pass, so it only stops a test whose condition never
// comes. Nothing waits a fixed time.
const settleWithin = 2 * time.Minute

// eventually polls ok until it holds, failing the test with what after settleWithin.
func eventually(t testing.TB, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(settleWithin); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, settleWithin)
		}
	}
}

// waitFor polls the registration until it has status.
func (e *env) waitFor(id, status string) registrationView {
	e.t.Helper()
	var v registrationView
	eventually(e.t, "registration "+id+" "+status, func() bool {
		e.do("GET", "/v1/registrations/"+id, nil).decode(e.t, &v)
		return v.Status == status
	})
	return v
}

// queueSettled waits until the queue with logical ID holds no message, visible or in
// flight: every job sent to it has run, or none was sent. A test that checks a job did
// not happen waits on this rather than on a clock.
func (e *env) queueSettled(logicalID string) {
	e.t.Helper()
	url, err := e.srv.Stack().GetAtt(logicalID, "QueueUrl")
	if err != nil {
		e.t.Fatal(err)
	}
	client := sqs.NewFromConfig(e.aws)
	eventually(e.t, logicalID+" empty", func() bool {
		out, err := client.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: &url,
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages,
				sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
		if err != nil {
			e.t.Fatal(err)
		}
		return out.Attributes["ApproximateNumberOfMessages"] == "0" && out.Attributes["ApproximateNumberOfMessagesNotVisible"] == "0"
	})
}

// waitForMail waits until addr got at least one message (the outcome email is sent just
// after the registration's final state is written) and returns what it got.
func (e *env) waitForMail(addr string) []localserver.OutboxEntry {
	e.t.Helper()
	var mails []localserver.OutboxEntry
	eventually(e.t, "a message to "+addr, func() bool {
		mails = e.outboxTo(addr)
		return len(mails) > 0
	})
	return mails
}

func (e *env) outboxTo(addr string) []localserver.OutboxEntry {
	var out []localserver.OutboxEntry
	for _, m := range e.srv.Outbox() {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// table is the table client of a function the local server wired: it acts with that
// function's role, which the engine holds to the function's policies.
func (e *env) table(function string) *dynamo.Table { return e.srv.Function(function).Table }

// accounts reads accounts straight from the table; users writes users straight to it with
// the role of function, around the API.
func (e *env) accounts() *dynamo.AccountStore {
	return &dynamo.AccountStore{Table: e.table("GetAccountFunction")}
}
func (e *env) users(function string) *dynamo.UserStore {
	return &dynamo.UserStore{Table: e.table(function)}
}

// apiKey writes an API key of the job whose role is role, scoped to accountID, straight
// to the store, and returns its secret.
func (e *env) apiKey(accountID string, role account.Role) string {
	e.t.Helper()
	job := map[account.Role]apikey.Job{account.Switch: apikey.SwitchJob, account.Billing: apikey.BillingJob, account.Registrar: apikey.RegistrarJob}[role]
	id := ident.New("key-")
	secret := apikey.Prefix + id + "_testsecret"
	k := apikey.Key{ID: id, AccountID: accountID, Job: job, Name: "test " + string(job), SecretHash: apikey.Hash(secret), CreatedAt: time.Now(), Version: 1}
	store := &dynamo.APIKeyStore{Table: e.table("CreateApiKeyFunction")}
	if err := store.SaveAPIKeys(context.Background(), []apikey.Key{k}, []audit.Entry{audit.New(time.Now(), "test", audit.APIKey, audit.Create, id, nil, k)}); err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// tableItems returns every item of the test's table, raw.
func (e *env) tableItems() []string {
	e.t.Helper()
	out, err := dynamodb.NewFromConfig(e.aws).Scan(context.Background(), &dynamodb.ScanInput{TableName: &e.table("SubmitRegistrationFunction").Name})
	if err != nil {
		e.t.Fatal(err)
	}
	items := make([]string, 0, len(out.Items))
	for _, it := range out.Items {
		var m map[string]any
		if err := attributevalue.UnmarshalMap(it, &m); err != nil {
			e.t.Fatal(err)
		}
		raw, _ := json.Marshal(m)
		items = append(items, string(raw))
	}
	return items
}
