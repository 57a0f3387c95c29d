package localserver_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

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
