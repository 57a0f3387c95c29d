package localserver_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/infra/awscalls"
	"github.com/provisio/provisio/shared/fault"
)

// BenchmarkRegistrationCost counts the AWS calls of one registration against the engine:
// the POST /v1/registrations request (schedule "now") and the provisioning job. Time per
// op includes the local engine and is not the figure to watch; the call counts are.
func BenchmarkRegistrationCost(b *testing.B) {
	e, calls := countedEnv(b)
	provision := e.srv.Function("ProvisionerFunction").Registrations.Provision
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

// countedEnv serves the application with every AWS call counted, and no pollers: their
// receives would be counted too.
func countedEnv(b *testing.B) (*env, *awscalls.Counter) {
	cfg := mustEngine(b)
	calls := &awscalls.Counter{}
	calls.Attach(&cfg)
	return serve(b, cfg, nil, false), calls
}

// stepCounts makes an empty count of AWS calls for each step.
func stepCounts(steps []string) map[string]map[string]int {
	counts := map[string]map[string]int{}
	for _, s := range steps {
		counts[s] = map[string]int{}
	}
	return counts
}

// dayOfCalls is n calls of an account, the first at day and one every spacing after.
func dayOfCalls(prefix, accountID string, day time.Time, n int, spacing time.Duration) []map[string]any {
	batch := make([]map[string]any, 0, n)
	for i := range n {
		batch = append(batch, call(fmt.Sprintf("%s-%d", prefix, i), accountID, day.Add(time.Duration(i)*spacing).Format(time.RFC3339), 60+i, 10))
	}
	return batch
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

// BenchmarkAuthenticate measures a protected function's token check per request once
// warm: the keys and the user are cached, so the hot path must make no AWS call at all.
func BenchmarkAuthenticate(b *testing.B) {
	e, calls := countedEnv(b)
	token := e.rootToken()
	authenticator := e.srv.Function("GetAccountFunction").Authenticator
	header := "Bearer " + token
	if _, err := authenticator.Authenticate(context.Background(), header); err != nil { // cold: keys and user read
		b.Fatal(err)
	}
	calls.Reset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := authenticator.Authenticate(context.Background(), header); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(calls.Total())/float64(b.N), "aws-calls/op")
}

// BenchmarkAccountCreateCost counts the AWS calls of POST /v1/accounts with an admin,
// through the gateway, its function's token check warm.
func BenchmarkAccountCreateCost(b *testing.B) {
	e, calls := countedEnv(b)
	token := e.rootToken()
	e.newAccount(token, "", "Warm-up", 0, nil) // warms the token check: keys and user read
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
// the gateway, each function's token check warm (docs/performance.md).
func BenchmarkSIPLifecycleCost(b *testing.B) {
	e, calls := countedEnv(b)
	acct, token := sipTenant(e, "Bench")
	base := "/v1/accounts/" + acct.ID + "/sip-accounts"
	e.do("GET", base, nil, bearer(token)...) // warms the token check
	steps := []string{"create", "installation-sms", "install", "activation-sms", "activation page", "activate", "disable"}
	counts := stepCounts(steps)
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
	e, calls := countedEnv(b)
	acct, admin := wizardTenant(e, "Bench")
	op := e.operator()
	steps := []string{"wizard save", "pending", "scheduled", "completed"}
	counts := stepCounts(steps)
	n := 0
	for b.Loop() {
		n++
		body := portIn(fmt.Sprintf("b%d@bench.example", n), fmt.Sprintf("+468123400%02d", n%100), fmt.Sprintf("+467055%05d", n), "811218-9876", nextWeekday10())
		delete(body["subscription"].(map[string]any)["porting"].(map[string]any), "temporaryNumber")
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

// BenchmarkCallRecordIngest posts batches of 100 call records (one account, spread over
// ten hours of one day) through the gateway as the switch, and reports records per
// second and the AWS calls and DynamoDB writes per batch (docs/performance.md).
func BenchmarkCallRecordIngest(b *testing.B) {
	e, calls := countedEnv(b)
	acct, _ := e.tenantWithAdmin(e.rootToken(), "Bench", "alice@bench.example")
	sw := e.switchToken()
	e.do("GET", "/v1/me", nil, bearer(sw)...) // warms the token check
	day := time.Now().UTC().AddDate(0, 0, -1).Truncate(24 * time.Hour)
	counts := map[string]int{}
	n := 0
	calls.Reset()
	for b.Loop() {
		n++
		batch := dayOfCalls(fmt.Sprintf("bench-%d", n), acct.ID, day, 100, 6*time.Minute)
		calls.Reset()
		res := e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(sw)...)
		if res.status != http.StatusOK || !strings.Contains(res.String(), `"stored":100`) {
			b.Fatalf("%d %s", res.status, res.body)
		}
		add(counts, calls.Counts())
	}
	b.ReportMetric(float64(100*n)/b.Elapsed().Seconds(), "records/s")
	report(b, "batch", counts, n)
}

// BenchmarkSummaryQueryCost reads a month of daily rows (31 rows, 310 calls) and
// reports the AWS calls and rows read per query: the rows are kept up to date on ingest,
// so a query never reads the records.
func BenchmarkSummaryQueryCost(b *testing.B) {
	e, calls := countedEnv(b)
	acct, admin := e.tenantWithAdmin(e.rootToken(), "Bench", "alice@bench.example")
	sw := e.switchToken()
	end := time.Now().UTC().AddDate(0, 0, -1).Truncate(24 * time.Hour)
	start := end.AddDate(0, 0, -30)
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		batch := dayOfCalls("q-"+d.Format(time.DateOnly), acct.ID, d, 10, time.Minute)
		if res := e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(sw)...); res.status != http.StatusOK {
			b.Fatalf("%d %s", res.status, res.body)
		}
	}
	query := "/v1/accounts/" + acct.ID + "/summaries?period=daily&from=" + start.Format(time.DateOnly) + "&to=" + end.Format(time.DateOnly)
	e.do("GET", query, nil, bearer(admin)...) // warms the token check
	counts := map[string]int{}
	rows, n := 0, 0
	for b.Loop() {
		n++
		calls.Reset()
		var s summaryView
		res := e.do("GET", query, nil, bearer(admin)...)
		res.decode(b, &s)
		if res.status != http.StatusOK || s.Totals.Calls != 310 {
			b.Fatalf("%d %s", res.status, res.body)
		}
		rows += len(s.Rows)
		add(counts, calls.Counts())
	}
	b.ReportMetric(float64(rows)/float64(n), "rows-read/query")
	report(b, "query", counts, n)
}

// BenchmarkContactCost counts the AWS calls of adding a contact and verifying its email.
func BenchmarkContactCost(b *testing.B) {
	e, calls := countedEnv(b)
	acct, admin := e.tenantWithAdmin(e.rootToken(), "Bench", "alice@bench.example")
	base := "/v1/accounts/" + acct.ID + "/contacts"
	e.do("GET", base, nil, bearer(admin)...) // warms the token check
	steps := []string{"create", "verify-email", "confirm"}
	counts := stepCounts(steps)
	n := 0
	for b.Loop() {
		n++
		email := fmt.Sprintf("c%d@bench.example", n)
		calls.Reset()
		var c contactView
		res := e.do("POST", base, map[string]string{"name": "Bench", "email": email, "password": "Correct-Horse-45"}, bearer(admin)...)
		res.decode(b, &c)
		add(counts["create"], calls.Counts())
		calls.Reset()
		if res := e.do("POST", base+"/"+c.ID+"/verify-email", nil, bearer(admin)...); res.status != http.StatusAccepted {
			b.Fatalf("%d %s", res.status, res.body)
		}
		add(counts["verify-email"], calls.Counts())
		mails := e.outboxTo(email)
		code := codeIn(b, mails[len(mails)-1].Body)
		calls.Reset()
		if res := e.do("POST", base+"/"+c.ID+"/confirm", map[string]string{"channel": "email", "code": code}, bearer(admin)...); res.status != http.StatusOK {
			b.Fatalf("%d %s", res.status, res.body)
		}
		add(counts["confirm"], calls.Counts())
	}
	reportSteps(b, steps, counts, n)
}

// BenchmarkLoginTiming compares a wrong password for an existing user with an unknown
// user: the median time of each, as a ratio (target ≤ 1.2, docs/performance.md), and the
// AWS calls of each, which must be the same. Each round signs in as a fresh name from a
// new source, so no throttle engages.
func BenchmarkLoginTiming(b *testing.B) {
	e, calls := countedEnv(b)
	acct := e.newAccount(e.rootToken(), "", "Timing", 0, adminBody("timing@timing.example"))
	svc := e.srv.Function("LoginFunction").Auth
	compareTimings(b, calls, func(i int, known bool) {
		source := fmt.Sprintf("198.51.100.%d", i%250) // a new source each round: no throttle
		user := "timing@timing.example"
		if !known {
			user = fmt.Sprintf("nobody-%d@timing.example", i)
		}
		if _, err := svc.Login(context.Background(), source, acct.Realm, user, "Wrong-Horse-99"); !fault.Is(err, fault.Unauthorized) {
			b.Fatalf("%s: %v", user, err)
		}
	})
}

// BenchmarkResetTiming compares a "forgot password" request for an existing user with
// one for an unknown name: both only queue the request, so neither answer nor its timing
// tells whether the user exists. Target: a ratio of medians at most 1.2, equal calls.
func BenchmarkResetTiming(b *testing.B) {
	e, calls := countedEnv(b)
	acct := e.newAccount(e.rootToken(), "", "Resets", 0, adminBody("reset@timing.example"))
	svc := e.srv.Function("PasswordResetFunction").Auth
	compareTimings(b, calls, func(i int, known bool) {
		user := "reset@timing.example"
		if !known {
			user = fmt.Sprintf("nobody-%d@timing.example", i)
		}
		if err := svc.RequestReset(context.Background(), acct.Realm, user); err != nil {
			b.Fatalf("%s: %v", user, err)
		}
	})
}

// compareTimings runs try for a known and then an unknown name each round, and reports
// the ratio of their median durations and the AWS calls each made.
func compareTimings(b *testing.B, calls *awscalls.Counter, try func(round int, known bool)) {
	var known, unknown []time.Duration
	knownCalls, unknownCalls := 0, 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		for _, isKnown := range []bool{true, false} {
			calls.Reset()
			start := time.Now()
			try(i, isKnown)
			took := time.Since(start)
			if isKnown {
				known, knownCalls = append(known, took), knownCalls+calls.Total()
			} else {
				unknown, unknownCalls = append(unknown, took), unknownCalls+calls.Total()
			}
		}
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2])
	}
	b.ReportMetric(median(known)/median(unknown), "known/unknown-median")
	b.ReportMetric(float64(knownCalls)/float64(len(known)), "aws-calls/known")
	b.ReportMetric(float64(unknownCalls)/float64(len(unknown)), "aws-calls/unknown")
}
