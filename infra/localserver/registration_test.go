package localserver_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/password"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/registration"
)

const clearPassword = "Correct-Horse-42"

func TestRegistrationNowIsProvisionedAndMailed(t *testing.T) {
	e := mustStart(t)
	reg, res := e.submit(registrationBody("Now", "now"))
	if res.status != http.StatusAccepted {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if res.header.Get("Location") != "/v1/registrations/"+reg.ID || reg.Status != "queued" {
		t.Fatalf("location %q, status %q", res.header.Get("Location"), reg.Status)
	}
	done := e.waitFor(reg.ID, "completed")
	var steps []string
	for _, h := range done.History {
		steps = append(steps, h.Status)
		if h.At.IsZero() || h.Reason == "" {
			t.Errorf("step %s lacks time or reason", h.Status)
		}
	}
	if got := strings.Join(steps, ">"); got != "requested>queued>provisioning>completed" {
		t.Fatalf("history %s", got)
	}

	mails := e.waitForMail("it@kenton-now.com")
	e.mustNotRetry()
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "KentonNow is ready") ||
		!strings.Contains(mails[0].Body, "kenton-now.com") || !strings.Contains(mails[0].Body, "keAdmin") {
		t.Fatalf("outbox %+v", mails)
	}

	acct, err := e.accounts().Account(context.Background(), done.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(acct.Realm, ".sip.provisio.example") || acct.Timezone != "Europe/Stockholm" ||
		acct.Limits.InboundTrunks != 20 || len(acct.Permissions) == 0 || acct.Domain != "kenton-now.com" {
		t.Fatalf("account %+v", acct)
	}
	members, err := e.users("ProvisionerFunction").Members(context.Background(), acct.ID)
	if err != nil || len(members) != 1 {
		t.Fatalf("members %v, %v", members, err)
	}
	admin := members[0]
	if admin.PersonnelID != "prpkeAdmin" || admin.Role != account.TenantAdmin || !password.Matches(admin.PasswordHash, clearPassword) {
		t.Fatalf("admin %+v", admin)
	}
	audits := map[string]int{}
	for _, item := range e.tableItems() {
		if strings.Contains(item, `"sk":"AUDIT#`) && !strings.Contains(item, `"pk":"ACC#provider"`) { // not the bootstrap's
			for _, action := range []string{"registration.create", "registration.queued", "registration.provisioning",
				"registration.completed", "registration.notified", "account.create", "user.create"} {
				if strings.Contains(item, `"action":"`+action+`"`) {
					audits[action]++
				}
			}
		}
		if strings.Contains(item, clearPassword) {
			t.Fatalf("the clear password is stored: %s", item)
		}
		if strings.Contains(item, `"entity":`) && strings.Contains(item, "$2a$") {
			t.Fatalf("an audit entry holds the password hash: %s", item)
		}
	}
	if len(audits) != 7 {
		t.Fatalf("audit entries by action: %v, want one of each of 7", audits)
	}
	for action, n := range audits {
		if n != 1 {
			t.Errorf("%d audit entries for %s", n, action)
		}
	}
}

func TestWithdrawnTemplateFailsAtOnceWithEmail(t *testing.T) {
	e := mustServe(t, mustEngine(t), func(function string, a *app.Deps) {
		if function == "ProvisionerFunction" {
			a.Registrations.Catalog = &catalog.Catalog{} // the template was withdrawn after submission
		}
	})
	reg, _ := e.submit(registrationBody("Gone", "now"))
	failed := e.waitFor(reg.ID, "failed")
	if last := failed.History[len(failed.History)-1]; !strings.Contains(last.Reason, "business-pro is no longer offered") {
		t.Fatalf("reason %q", last.Reason)
	}
	mails := e.waitForMail("it@kenton-gone.com")
	if !strings.Contains(mails[0].Subject, "could not be completed") || !strings.Contains(mails[0].Body, "no longer offered") {
		t.Fatalf("mail %+v", mails[0])
	}
}

func TestOffPeakRegistrationWaitsForTheWindow(t *testing.T) {
	e := mustStart(t)
	reg, res := e.submit(registrationBody("Late", "off-peak"))
	if res.status != http.StatusAccepted || reg.Status != "scheduled" {
		t.Fatalf("status %d %q: %s", res.status, reg.Status, res.body)
	}
	e.queueSettled("ProvisioningQueue") // a stray job would have run by now
	if v := e.waitFor(reg.ID, "scheduled"); len(v.History) != 2 {
		t.Fatalf("history %+v", v.History)
	}
	run := e.do("POST", "/_local/schedules/OffPeakWindow", nil)
	if run.status != http.StatusOK || !strings.Contains(string(run.body), `"queued":1`) {
		t.Fatalf("schedule run: %d %s", run.status, run.body)
	}
	done := e.waitFor(reg.ID, "completed")
	// The dispatcher records the hand-off after the send; a quick consumer may record it
	// first ("picked up from the queue"). Either way the step is there, once.
	if done.History[2].Status != "queued" || done.History[3].Status != "provisioning" {
		t.Fatalf("history %+v", done.History)
	}
	e.mustNotRetry()
	if mails := e.waitForMail("it@kenton-late.com"); len(mails) != 1 || !strings.Contains(mails[0].Subject, "is ready") {
		t.Fatalf("outbox %+v", mails)
	}
	if res := e.do("POST", "/_local/schedules/NoSuchSchedule", nil); res.status != http.StatusNotFound {
		t.Fatalf("unknown schedule: %d", res.status)
	}
}

func TestDuplicateDeliveryChangesNothing(t *testing.T) {
	e := mustStart(t)
	reg, _ := e.submit(registrationBody("Dup", "now"))
	e.waitFor(reg.ID, "completed")
	e.waitForMail("it@kenton-dup.com")
	e.mustNotRetry()
	store := &dynamo.RegistrationStore{Table: e.table("ProvisionerFunction")}
	var before registration.Registration
	eventually(t, "the outcome email recorded", func() bool {
		var err error
		if before, err = store.Get(context.Background(), reg.ID); err != nil {
			t.Fatal(err)
		}
		return before.Notification != nil
	})
	h := e.srv.Function("ProvisionerFunction").Handler
	job := events.SQSEvent{Records: []events.SQSMessage{{MessageId: "m1", Body: `{"registrationId":"` + reg.ID + `"}`}}}
	for range 2 {
		res, err := h.(queue.Handler)(context.Background(), job)
		if err != nil || len(res.BatchItemFailures) != 0 {
			t.Fatalf("duplicate delivery: %v %+v", err, res)
		}
	}
	after, _ := store.Get(context.Background(), reg.ID)
	if after.Version != before.Version || len(after.History) != len(before.History) {
		t.Fatalf("duplicate changed the registration: v%d -> v%d", before.Version, after.Version)
	}
	if n := len(e.outboxTo("it@kenton-dup.com")); n != 1 {
		t.Fatalf("%d emails, want 1", n)
	}
}

func TestConcurrentRegistrationsOfOneNameLetOneWin(t *testing.T) {
	e := mustStart(t)
	const racers = 5
	statuses := make(chan int, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := registrationBody("Race", "off-peak")
			if i%2 == 1 { // the same names in other letter case collide too
				body["tenant"].(map[string]any)["name"] = "KENTONRACE"
			}
			_, res := e.submit(body)
			statuses <- res.status
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts[http.StatusAccepted] != 1 || counts[http.StatusConflict] != racers-1 {
		t.Fatalf("statuses %v, want one 202 and %d 409", counts, racers-1)
	}
	_, res := e.submit(func() map[string]any {
		b := registrationBody("Other", "now")
		b["tenant"].(map[string]any)["upnSuffix"] = "kenton-race.com"
		return b
	}())
	var p struct {
		Type   string `json:"type"`
		Errors []struct{ Field, Reason string }
	}
	res.decode(t, &p)
	if res.status != http.StatusConflict || len(p.Errors) != 1 || p.Errors[0].Field != "tenant.upnSuffix" {
		t.Fatalf("taken UPN suffix: %d %s", res.status, res.body)
	}
}

func TestPoisonJobEndsInTheDLQAsFailedWithEmail(t *testing.T) {
	e := mustServe(t, mustEngine(t), func(function string, a *app.Deps) {
		if function == "ProvisionerFunction" {
			a.Table.Name = "no-such-table" // every attempt fails as if DynamoDB were down
		}
	})
	reg, res := e.submit(registrationBody("Poison", "now"))
	if res.status != http.StatusAccepted {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	failed := e.waitFor(reg.ID, "failed")
	if last := failed.History[len(failed.History)-1]; !strings.Contains(last.Reason, "several attempts") {
		t.Fatalf("reason %q", last.Reason)
	}
	mails := e.waitForMail("it@kenton-poison.com")
	if len(mails) != 1 || !strings.Contains(mails[0].Body, "What to do next") || !strings.Contains(mails[0].Body, reg.ID) {
		t.Fatalf("outbox %+v", mails)
	}
	// The names were released: the prospect can register again.
	if _, res := e.submit(registrationBody("Poison", "off-peak")); res.status != http.StatusAccepted {
		t.Fatalf("re-registering after failure: %d %s", res.status, res.body)
	}
}

func TestEnqueueFailureLeavesRequestedUntilTheSweep(t *testing.T) {
	e := mustServe(t, mustEngine(t), func(function string, a *app.Deps) {
		switch function {
		case "SubmitRegistrationFunction":
			a.Registrations.Jobs = brokenJobs{}
		case "DispatcherFunction":
			a.Registrations.StaleAfter = time.Nanosecond
		}
	})
	reg, res := e.submit(registrationBody("Lost", "now"))
	if res.status != http.StatusAccepted || reg.Status != "requested" {
		t.Fatalf("status %d %q: %s", res.status, reg.Status, res.body)
	}
	e.queueSettled("ProvisioningQueue")
	e.waitFor(reg.ID, "requested")
	run := e.do("POST", "/_local/schedules/StaleSweep", nil)
	if !strings.Contains(string(run.body), `"requeued":1`) {
		t.Fatalf("sweep: %s", run.body)
	}
	e.waitFor(reg.ID, "completed")
	e.waitForMail("it@kenton-lost.com")
}

func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	e := mustStart(t)
	body := registrationBody("Idem", "off-peak")
	first, res1 := e.submit(body, "Idempotency-Key", "key-1")
	second, res2 := e.submit(body, "Idempotency-Key", "key-1")
	if res1.status != http.StatusAccepted || res2.status != http.StatusAccepted || first.ID != second.ID {
		t.Fatalf("replay: %d %s / %d %s", res1.status, first.ID, res2.status, second.ID)
	}
	other := registrationBody("Idem", "now")
	if _, res := e.submit(other, "Idempotency-Key", "key-1"); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other body: %d %s", res.status, res.body)
	}
	changedPassword := registrationBody("Idem", "off-peak")
	changedPassword["tenant"].(map[string]any)["password"] = "Another-Horse-43"
	if _, res := e.submit(changedPassword, "Idempotency-Key", "key-1"); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other password: %d %s", res.status, res.body)
	}
	regs := 0
	for _, item := range e.tableItems() {
		if strings.Contains(item, `"sk":"REG"`) {
			regs++
		}
	}
	if regs != 1 {
		t.Fatalf("%d registrations stored, want 1", regs)
	}
}

func TestUnknownRouteAnswersLikeAPIGateway(t *testing.T) {
	e := mustStart(t)
	res := e.do("GET", "/v1/nothing-here", nil)
	if res.status != http.StatusNotFound || !strings.Contains(string(res.body), "Not Found") {
		t.Fatalf("%d %s", res.status, res.body)
	}
}

type brokenJobs struct{}

func (brokenJobs) Enqueue(context.Context, string) error { return context.DeadlineExceeded }
