package localserver_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/infra/awscalls"
)

// BenchmarkRegistrationCost counts the AWS calls of one registration against the engine:
// the POST /v1/registrations request (schedule "now") and the provisioning job. Time per
// op includes the local engine and is not the figure to watch; the call counts are.
func BenchmarkRegistrationCost(b *testing.B) {
	cfg := mustEngine(b)
	var calls awscalls.Counter
	calls.Attach(&cfg)
	e := serve(b, cfg, nil, false) // no pollers: their receives would be counted too
	provision := e.srv.App("ProvisionerFunction").Registrations.Provision
	request, job := map[string]int{}, map[string]int{}
	n := 0
	for b.Loop() {
		n++
		calls.Reset()
		reg, res := e.submit(registrationBody(fmt.Sprintf("Bench%d", n), "now"))
		if res.status != http.StatusAccepted {
			b.Fatalf("status %d: %s", res.status, res.body)
		}
		add(request, calls.Counts())
		calls.Reset()
		if err := provision(context.Background(), reg.ID); err != nil {
			b.Fatal(err)
		}
		add(job, calls.Counts())
	}
	report(b, "request", request, n)
	report(b, "job", job, n)
}

func add(into, from map[string]int) {
	for k, v := range from {
		into[k] += v
	}
}

func report(b *testing.B, phase string, counts map[string]int, n int) {
	total, writes := 0, 0
	for op, c := range counts {
		total += c
		if strings.HasPrefix(op, "DynamoDB.") && (strings.Contains(op, "Write") || strings.Contains(op, "Put") || strings.Contains(op, "Update")) {
			writes += c
		}
		b.Logf("%s: %s %.1f/op", phase, op, float64(c)/float64(n))
	}
	b.ReportMetric(float64(total)/float64(n), "aws-calls/"+phase)
	b.ReportMetric(float64(writes)/float64(n), "ddb-writes/"+phase)
}

// BenchmarkAuthorizer measures the Lambda authorizer per request once warm: the keys are
// loaded and the user is cached, so the hot path must make no AWS call at all.
func BenchmarkAuthorizer(b *testing.B) {
	cfg := mustEngine(b)
	var calls awscalls.Counter
	calls.Attach(&cfg)
	e := serve(b, cfg, nil, false)
	token := e.rootToken()
	authorizer := e.srv.App("AuthorizerFunction").Authorizer
	header := "Bearer " + token
	if _, err := authorizer.Authorize(context.Background(), header); err != nil { // cold: keys and user loaded
		b.Fatal(err)
	}
	calls.Reset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := authorizer.Authorize(context.Background(), header); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(calls.Total())/float64(b.N), "aws-calls/op")
}

// BenchmarkAccountCreateCost counts the AWS calls of POST /v1/accounts with an admin,
// through the gateway and the (warm) authorizer.
func BenchmarkAccountCreateCost(b *testing.B) {
	cfg := mustEngine(b)
	var calls awscalls.Counter
	calls.Attach(&cfg)
	e := serve(b, cfg, nil, false)
	token := e.rootToken()
	e.newAccount(token, "", "Warm-up", 0, nil) // loads the authorizer's keys and user
	counts := map[string]int{}
	n := 0
	for b.Loop() {
		n++
		calls.Reset()
		e.newAccount(token, "", fmt.Sprintf("Bench %d", n), 1, adminBody(fmt.Sprintf("a%d@bench.example", n)))
		add(counts, calls.Counts())
	}
	report(b, "create", counts, n)
}

// BenchmarkSIPLifecycleCost counts the AWS calls of each client account step, through
// the gateway with a warm authorizer (docs/performance.md).
func BenchmarkSIPLifecycleCost(b *testing.B) {
	cfg := mustEngine(b)
	var calls awscalls.Counter
	calls.Attach(&cfg)
	e := serve(b, cfg, nil, false)
	acct, token := sipTenant(e, "Bench")
	base := "/v1/accounts/" + acct.ID + "/sip-accounts"
	e.do("GET", base, nil, bearer(token)...) // warms the authorizer
	steps := []string{"create", "installation-sms", "install", "activation-sms", "activation page", "activate", "disable"}
	counts := map[string]map[string]int{}
	for _, s := range steps {
		counts[s] = map[string]int{}
	}
	step := func(name string, do func() response, want int) {
		calls.Reset()
		if res := do(); res.status != want {
			b.Fatalf("%s: %d %s", name, res.status, res.body)
		}
		add(counts[name], calls.Counts())
	}
	n := 0
	for b.Loop() {
		n++
		number := fmt.Sprintf("+4670%07d", n)
		var v sipView
		step("create", func() response {
			res := e.do("POST", base, map[string]string{"displayName": "Bench", "email": "b@bench.example", "primaryNumber": number}, bearer(token)...)
			res.decode(b, &v)
			return res
		}, 201)
		path := base + "/" + v.ID
		step("installation-sms", func() response {
			return e.do("POST", path+"/installation-sms", map[string]bool{"confirm": true}, bearer(token)...)
		}, 200)
		link := e.lastLink(number, 0)
		step("install", func() response { return e.do("GET", link, nil) }, 200)
		step("activation-sms", func() response {
			return e.do("POST", path+"/activation-sms", map[string]bool{"confirm": true}, bearer(token)...)
		}, 200)
		link = e.lastLink(number, 1)
		step("activation page", func() response { return e.do("GET", link, nil) }, 200)
		step("activate", func() response { return e.do("POST", link, nil) }, 200)
		step("disable", func() response { return e.do("POST", path+"/disable", nil, bearer(token)...) }, 200)
	}
	reportSteps(b, steps, counts, n)
}

// BenchmarkWizardAndPortingCost counts the AWS calls of a wizard save with a port-in
// subscription and of each porting transition, through the gateway (docs/performance.md).
func BenchmarkWizardAndPortingCost(b *testing.B) {
	cfg := mustEngine(b)
	var calls awscalls.Counter
	calls.Attach(&cfg)
	e := serve(b, cfg, nil, false)
	acct, admin := wizardTenant(e, "Bench")
	op := e.operator()
	steps := []string{"wizard save", "pending", "scheduled", "completed"}
	counts := map[string]map[string]int{}
	for _, s := range steps {
		counts[s] = map[string]int{}
	}
	n := 0
	for b.Loop() {
		n++
		body := portIn(fmt.Sprintf("b%d@bench.example", n), fmt.Sprintf("+468123400%02d", n%100), fmt.Sprintf("+467055%05d", n), "811218-9876", nextWeekday10())
		delete(body["subscription"].(map[string]any)["porting"].(map[string]string), "temporaryNumber")
		body["password"] = clearPassword
		calls.Reset()
		res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", body, bearer(admin)...)
		add(counts["wizard save"], calls.Counts())
		var made struct {
			Porting struct{ ID string } `json:"porting"`
		}
		res.decode(b, &made)
		for _, st := range []map[string]any{{"status": "pending"}, {"status": "scheduled", "confirmedAt": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)}, {"status": "completed"}} {
			calls.Reset()
			if res := e.do("PATCH", "/v1/porting-requests/"+made.Porting.ID, st, bearer(op)...); res.status != 200 {
				b.Fatalf("%v: %d %s", st, res.status, res.body)
			}
			add(counts[st["status"].(string)], calls.Counts())
		}
	}
	reportSteps(b, steps, counts, n)
}

// reportSteps logs each step's calls by operation and reports their total per step.
func reportSteps(b *testing.B, steps []string, counts map[string]map[string]int, n int) {
	for _, s := range steps {
		total := 0
		for op, c := range counts[s] {
			total += c
			b.Logf("%s: %s %.1f/op", s, op, float64(c)/float64(n))
		}
		b.ReportMetric(float64(total)/float64(n), "calls/"+strings.ReplaceAll(s, " ", "-"))
	}
}
