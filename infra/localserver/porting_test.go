package localserver_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/provisio/provisio/infra/localserver"
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/queue"
)

// nextWeekday10 is 10:00 Stockholm time on the next weekday at least two days ahead: a
// proposal inside the porting desks' business window.
func nextWeekday10() string {
	sthlm, _ := time.LoadLocation("Europe/Stockholm")
	d := time.Now().In(sthlm).AddDate(0, 0, 2)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, sthlm).Format(time.RFC3339)
}

// losingCarrier is the losing carrier's details as scheduling needs them.
var losingCarrier = map[string]string{"name": "Telia", "accountNumber": "7001234", "pin": "4321", "signeeName": "Kim Larsson",
	"signedOn": "2026-11-20"}

// portIn is a wizard body with a port-in subscription, the losing carrier's details given.
func portIn(email, primary, number, ownerID, proposedAt string) map[string]any {
	body := wizardBody(email, primary)
	body["subscription"] = map[string]any{"kind": "port-in", "activationDate": todayInStockholm(), "simDeliveryAddress": invoice,
		"porting": map[string]any{"number": number, "ownerType": "person", "ownerId": ownerID, "proposedAt": proposedAt,
			"temporaryNumber": "+46701230005", "losingCarrier": losingCarrier}}
	return body
}

func TestWizardPortInSubmitsToTheDesk(t *testing.T) {
	e := mustStart(t)
	acct, token := wizardTenant(e, "Porting")
	base := "/v1/accounts/" + acct.ID + "/users"

	bad := []struct {
		name, ownerID, proposed, field string
	}{
		{"wrong check digit", "811218-9875", nextWeekday10(), "subscription.porting.ownerId"},
		{"weekend proposal", "811218-9876", "2030-01-05T10:00:00+01:00", "subscription.porting.proposedAt"},
		{"past proposal", "811218-9876", "2020-01-06T10:00:00+01:00", "subscription.porting.proposedAt"},
	}
	for _, c := range bad {
		res := e.do("POST", base, portIn("bad@porting.example", "+46812340070", "+46709876543", c.ownerID, c.proposed), bearer(token)...)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.String(), c.field) || strings.Contains(res.String(), "811218") {
			t.Fatalf("%s: %d %s", c.name, res.status, res.body)
		}
	}

	res := e.do("POST", base, portIn("port@porting.example", "+46812340071", "+46709876543", "811218-9876", nextWeekday10()), bearer(token)...)
	var made struct {
		Subscription struct {
			Kind, Number, PortingID string
		} `json:"subscription"`
		Porting struct {
			ID, Status, OwnerID string
		} `json:"porting"`
	}
	res.decode(t, &made)
	if res.status != http.StatusCreated || made.Subscription.Kind != "port-in" || made.Subscription.Number != "+46701230005" ||
		made.Porting.Status != "submitted" || made.Porting.OwnerID != "19811218-****" || made.Subscription.PortingID != made.Porting.ID {
		t.Fatalf("port-in: %d %s", res.status, res.body)
	}
	desk := e.waitForMail("porting-desk@provisio.example")
	if !strings.Contains(desk[0].Body, "+46709876543") || strings.Contains(desk[0].Body, "9876\n") {
		t.Fatalf("desk mail: %+v", desk[0])
	}
	for _, item := range e.tableItems() {
		if strings.Contains(item, `"sk":"AUDIT#`) && strings.Contains(item, "19811218-9876") {
			t.Fatalf("an audit entry holds the personal ID number: %s", item)
		}
	}
	// A duplicate delivery of the job changes nothing and mails nobody.
	h := e.srv.Function("PortingFunction").Handler
	job := events.SQSEvent{Records: []events.SQSMessage{{MessageId: "dup", Body: `{"accountId":"` + acct.ID + `","portingId":"` + made.Porting.ID + `"}`}}}
	if out, err := h.(queue.Handler)(context.Background(), job); err != nil || len(out.BatchItemFailures) != 0 {
		t.Fatalf("duplicate: %v %+v", err, out)
	}
	if n := len(e.outboxTo("porting-desk@provisio.example")); n != 1 {
		t.Fatalf("%d desk mails, want 1", n)
	}
	// The number being ported in cannot be ported twice.
	again := e.do("POST", base, portIn("twice@porting.example", "+46812340072", "+46709876543", "811218-9876", nextWeekday10()), bearer(token)...)
	if again.status != http.StatusConflict || !strings.Contains(again.String(), "in use") {
		t.Fatalf("porting a number twice: %d %s", again.status, again.body)
	}
	e.mustNotRetry()
}

// operator makes a porting operator at the provider, as make run does, and signs them in.
func (e *env) operator() string { return e.newOperator("desk@provisio.example") }

// newOperator makes a porting operator with the email at the provider and signs them in.
func (e *env) newOperator(email string) string {
	e.t.Helper()
	m, pw, err := e.srv.Function("CreateAccountFunction").Accounts.AddOperator(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.login(e.rootRealm, m.Username, pw)
}

type portingView struct {
	ID, Status, OwnerID, Number string
	Version                     int
	Timeline                    []struct{ Status, Reason, Comment string }
	LosingCarrier               struct {
		Name, PIN string
		Missing   []string
	}
	Documents []struct{ ID string }
}

func TestOperatorsRunThePortingToCompletion(t *testing.T) {
	e := mustStart(t)
	acct, admin := wizardTenant(e, "Desk")
	op := e.operator()
	res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", portIn("port@desk.example", "+46812340080", "+46709876500", "556036-0793", nextWeekday10()), bearer(admin)...)
	var made struct {
		ID           string              `json:"id"`
		Porting      struct{ ID string } `json:"porting"`
		Subscription struct{ ID string } `json:"subscription"`
	}
	res.decode(t, &made)
	if res.status != http.StatusUnprocessableEntity {
		// ownerType person with an organisation number: refused; retry as an organisation
		t.Fatalf("person with an organisation's number: %d %s", res.status, res.body)
	}
	body := portIn("port@desk.example", "+46812340080", "+46709876500", "811218-9876", nextWeekday10())
	delete(body["subscription"].(map[string]any)["porting"].(map[string]any), "losingCarrier") // filled in later
	res = e.do("POST", "/v1/accounts/"+acct.ID+"/users", body, bearer(admin)...)
	res.decode(t, &made)
	if res.status != http.StatusCreated {
		t.Fatalf("port-in: %d %s", res.status, res.body)
	}
	path := "/v1/porting-requests/" + made.Porting.ID

	// A document goes straight to the bucket through the presigned URL.
	var up struct {
		UploadURL string               `json:"uploadUrl"`
		Document  struct{ Key string } `json:"document"`
	}
	res = e.do("POST", path+"/documents", map[string]string{"fileName": "consent form.pdf", "contentType": "application/pdf"}, bearer(admin)...)
	res.decode(t, &up)
	if res.status != http.StatusCreated || !strings.HasSuffix(up.Document.Key, "/consent_form.pdf") {
		t.Fatalf("document: %d %s", res.status, res.body)
	}
	put, _ := http.NewRequest("PUT", up.UploadURL, strings.NewReader("%PDF-1.4 consent"))
	put.Header.Set("Content-Type", "application/pdf")
	if out, err := http.DefaultClient.Do(put); err != nil || out.StatusCode != http.StatusOK {
		t.Fatalf("upload: %v %v", err, out)
	}
	bucket, _ := e.srv.Stack().Ref("PortingDocumentsBucket")
	if _, err := s3.NewFromConfig(e.aws, func(o *s3.Options) { o.UsePathStyle = true }).HeadObject(context.Background(),
		&s3.HeadObjectInput{Bucket: &bucket, Key: &up.Document.Key}); err != nil {
		t.Fatalf("the document is not in the bucket: %v", err)
	}
	if res := e.do("POST", path+"/documents", map[string]string{"fileName": "x.exe", "contentType": "application/x-msdownload"}, bearer(admin)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an executable: %d", res.status)
	}

	// Operators see the ID number whole, the account masked.
	var seen portingView
	e.do("GET", path, nil, bearer(op)...).decode(t, &seen)
	if seen.OwnerID != "19811218-9876" || seen.Status != "submitted" || len(seen.Documents) != 1 || len(seen.LosingCarrier.Missing) != 5 {
		t.Fatalf("operator view: %+v", seen)
	}
	e.do("GET", path, nil, bearer(admin)...).decode(t, &seen)
	if seen.OwnerID != "19811218-****" {
		t.Fatalf("account view: %+v", seen)
	}

	// The desk lists it among every account's open requests, and in its state and account.
	for _, query := range []string{"", "?status=submitted", "?accountId=" + acct.ID, "?to=" + url.QueryEscape(nextWeekday10())} {
		var desk struct{ Items []portingView }
		res := e.do("GET", "/v1/porting-requests"+query, nil, bearer(op)...)
		res.decode(t, &desk)
		if res.status != http.StatusOK || !slices.ContainsFunc(desk.Items, func(p portingView) bool { return p.ID == made.Porting.ID && p.OwnerID == "19811218-9876" }) {
			t.Fatalf("the desk%s: %d %s", query, res.status, res.body)
		}
	}
	for _, query := range []string{"?status=completed", "?accountId=acc-elsewhere"} {
		if got := e.do("GET", "/v1/porting-requests"+query, nil, bearer(op)...).String(); strings.Contains(got, made.Porting.ID) {
			t.Fatalf("the desk%s lists the request: %s", query, got)
		}
	}
	for query, want := range map[string]bool{"": true, "?status=submitted": true, "?status=pending": false} {
		if got := e.do("GET", "/v1/accounts/"+acct.ID+"/porting-requests"+query, nil, bearer(admin)...).String(); strings.Contains(got, made.Porting.ID) != want {
			t.Errorf("the account's requests%s: %s, want listed=%v", query, got, want)
		}
	}
	if res := e.do("GET", "/v1/porting-requests?status=lost", nil, bearer(op)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown state: %d %s", res.status, res.body)
	}
	if res := e.do("GET", "/v1/porting-requests", nil, bearer(admin)...); res.status != http.StatusForbidden {
		t.Fatalf("a tenant reads the desk: %d %s", res.status, res.body)
	}

	// Operators download the document; each download is in the account's audit log.
	docPath := path + "/documents/" + seen.Documents[0].ID
	if res := e.do("GET", docPath, nil, bearer(admin)...); res.status != http.StatusForbidden {
		t.Fatalf("an administrator downloads: %d %s", res.status, res.body)
	}
	var down struct {
		DownloadURL string `json:"downloadUrl"`
		Size        int64  `json:"size"`
	}
	res = e.do("GET", docPath, nil, bearer(op)...)
	res.decode(t, &down)
	if res.status != http.StatusOK || down.Size != int64(len("%PDF-1.4 consent")) {
		t.Fatalf("download: %d %s", res.status, res.body)
	}
	fetched, err := http.Get(down.DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	file, _ := io.ReadAll(fetched.Body)
	fetched.Body.Close()
	if fetched.StatusCode != http.StatusOK || string(file) != "%PDF-1.4 consent" {
		t.Fatalf("the presigned download: %d %q", fetched.StatusCode, file)
	}
	if res := e.do("GET", path+"/documents/doc-none", nil, bearer(op)...); res.status != http.StatusNotFound {
		t.Fatalf("an unknown document: %d %s", res.status, res.body)
	}
	if log := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=porting&limit=100", nil, bearer(admin)...).String(); strings.Count(log, "porting.download") != 1 {
		t.Fatalf("the download is not in the audit log once: %s", log)
	}

	move := func(token string, b map[string]any) response { return e.do("PATCH", path, b, bearer(token)...) }
	// The losing carrier's details come before scheduling: the account fills them in.
	if res := move(admin, map[string]any{"losingCarrier": map[string]string{"signedOn": "2999-01-01"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.String(), "losingCarrier.signedOn") {
		t.Fatalf("a signature in the future: %d %s", res.status, res.body)
	}
	if res := move(admin, map[string]any{"losingCarrier": losingCarrier}); res.status != http.StatusOK {
		t.Fatalf("the losing carrier's details: %d %s", res.status, res.body)
	}
	seen = portingView{}
	e.do("GET", path, nil, bearer(admin)...).decode(t, &seen)
	if seen.LosingCarrier.Name != "Telia" || seen.LosingCarrier.PIN != "****" || len(seen.LosingCarrier.Missing) != 0 {
		t.Fatalf("the account's view of the carrier: %+v", seen.LosingCarrier)
	}
	e.do("GET", path, nil, bearer(op)...).decode(t, &seen)
	if seen.LosingCarrier.PIN != "4321" {
		t.Fatalf("the operator's view of the carrier: %+v", seen.LosingCarrier)
	}
	if log := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=porting&limit=100", nil, bearer(admin)...).String(); !strings.Contains(log, "porting.update") ||
		strings.Contains(log, "4321") {
		t.Fatalf("the audit log of the carrier's details shows the PIN or nothing: %s", log)
	}
	if res := move(admin, map[string]any{"status": "pending"}); res.status != http.StatusForbidden {
		t.Fatalf("an admin running the desk: %d", res.status)
	}
	if res := move(op, map[string]any{"status": "completed"}); res.status != http.StatusConflict {
		t.Fatalf("submitted straight to completed: %d", res.status)
	}
	steps := []map[string]any{
		{"status": "rejected", "reason": "the owner's signature is missing"},
		{"status": "submitted", "comment": "signed consent uploaded"},
		{"status": "pending", "comment": "asked the donor operator", "private": true},
		{"status": "scheduled", "confirmedAt": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)},
		{"status": "completed"},
	}
	for _, st := range steps {
		token := op
		if st["status"] == "submitted" {
			token = admin // the account sends the corrected request again
		}
		if res := move(token, st); res.status != http.StatusOK {
			t.Fatalf("%v: %d %s", st, res.status, res.body)
		}
	}
	// Comments alone change no state: the account's and the operators' private ones.
	if res := move(admin, map[string]any{"comment": "thanks, all good"}); res.status != http.StatusOK {
		t.Fatalf("a comment: %d %s", res.status, res.body)
	}
	if res := move(op, map[string]any{"comment": "donor operator confirmed by phone", "private": true}); res.status != http.StatusOK {
		t.Fatalf("a private comment: %d %s", res.status, res.body)
	}
	reader := wizardBody("reader@desk.example", "+46812340082")
	reader["password"] = clearPassword
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", reader, bearer(admin)...); res.status != http.StatusCreated {
		t.Fatalf("a user of the account: %d %s", res.status, res.body)
	}
	user := e.login(acct.Realm, "reader", clearPassword)
	if res := move(user, map[string]any{"comment": "the new SIM works"}); res.status != http.StatusOK {
		t.Fatalf("a user's comment: %d %s", res.status, res.body)
	}
	if res := move(user, map[string]any{"losingCarrier": losingCarrier}); res.status != http.StatusForbidden {
		t.Fatalf("a user edits the carrier's details: %d %s", res.status, res.body)
	}
	if !slices.ContainsFunc(e.outboxTo("porting-desk@provisio.example"), func(m localserver.OutboxEntry) bool { return strings.Contains(m.Body, "the new SIM works") }) {
		t.Fatalf("the desk did not hear of the user's comment: %+v", e.outboxTo("porting-desk@provisio.example"))
	}
	if res := move(admin, map[string]any{"comment": "psst", "private": true}); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an admin's private comment: %d %s", res.status, res.body)
	}
	e.do("GET", path, nil, bearer(admin)...).decode(t, &seen)
	timeline := fmt.Sprint(seen.Timeline)
	if seen.Status != "completed" || strings.Contains(timeline, "donor operator") || !strings.Contains(timeline, "pending") ||
		!strings.Contains(timeline, "thanks, all good") {
		t.Fatalf("after completion (private comments hidden, their state changes shown): %+v", seen.Timeline)
	}
	if log := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?limit=100", nil, bearer(admin)...).String(); strings.Contains(log, "donor operator") ||
		!strings.Contains(log, "porting.comment") {
		t.Fatalf("the account's audit log shows operators' private comments: %s", log)
	}
	// The account's subscriptions, and the user's.
	for query, want := range map[string]bool{"": true, "?userId=" + made.ID: true, "?userId=usr-nobody": false} {
		if got := e.do("GET", "/v1/accounts/"+acct.ID+"/subscriptions"+query, nil, bearer(admin)...).String(); strings.Contains(got, made.Subscription.ID) != want {
			t.Errorf("subscriptions%s: %s, want listed=%v", query, got, want)
		}
	}
	// The user shows its subscription and its porting request, as its account may see them.
	detail := e.do("GET", "/v1/accounts/"+acct.ID+"/users/"+made.ID, nil, bearer(admin)...).String()
	for _, want := range []string{`"portingId":"` + made.Porting.ID, `"ownerId":"19811218-****"`, `"pin":"****"`, `"status":"completed"`, `"number":"+46709876500"`} {
		if !strings.Contains(detail, want) {
			t.Fatalf("the user's detail lacks %s: %s", want, detail)
		}
	}
	for _, private := range []string{"asked the donor operator", "donor operator confirmed by phone"} {
		if strings.Contains(detail, private) {
			t.Fatalf("the user's detail shows the account an operator's private comment %q: %s", private, detail)
		}
	}
	// The ported number is the subscription's now; the temporary one is free again.
	avail := e.do("GET", "/v1/accounts/"+acct.ID+"/numbers/available?kind=mobile", nil, bearer(admin)...).String()
	if !strings.Contains(avail, "+46701230005") {
		t.Fatalf("the temporary number was not released: %s", avail)
	}
	mails := e.outboxTo("desk@sip.example")
	var subjects []string
	for _, m := range mails {
		subjects = append(subjects, m.Subject)
	}
	want := "rejected,submitted,pending,scheduled,completed"
	got := ""
	for _, s := range subjects {
		if i := strings.LastIndex(s, ": "); i > 0 && strings.HasPrefix(s, "Porting of") {
			got += s[i+2:] + ","
		}
	}
	if strings.TrimSuffix(got, ",") != want {
		t.Fatalf("the admin's porting emails: %v", subjects)
	}
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", portIn("again@desk.example", "+46812340081", "+46709876500", "811218-9876", nextWeekday10()), bearer(admin)...); res.status != http.StatusConflict {
		t.Fatalf("porting in a number that is ours now: %d", res.status)
	}
}

type brokenPortingJobs struct{}

func (brokenPortingJobs) EnqueuePorting(context.Context, string, string) error {
	return context.DeadlineExceeded
}

// TestALostPortingJobIsQueuedAgainByTheSweep: the wizard's save stands when the queue
// refuses; the sweep finds the unprepared request and the desk hears of it.
func TestALostPortingJobIsQueuedAgainByTheSweep(t *testing.T) {
	e := mustServe(t, mustEngine(t), func(function string, a *app.Deps) {
		switch function {
		case "CreateUserFunction":
			a.API.Users.Jobs = brokenPortingJobs{}
		case "DispatcherFunction":
			a.Desk.StaleAfter = time.Nanosecond
		}
	})
	acct, token := wizardTenant(e, "Lost")
	res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", portIn("lost@lost.example", "+46812340090", "+46709876599", "811218-9876", nextWeekday10()), bearer(token)...)
	if res.status != http.StatusCreated {
		t.Fatalf("port-in: %d %s", res.status, res.body)
	}
	e.queueSettled("PortingQueue")
	if n := len(e.outboxTo("porting-desk@provisio.example")); n != 0 {
		t.Fatalf("the desk heard of a job that was never queued: %d", n)
	}
	if run := e.do("POST", "/_local/schedules/StaleSweep", nil); !strings.Contains(run.String(), `"portingRequeued":1`) {
		t.Fatalf("sweep: %s", run.body)
	}
	e.waitForMail("porting-desk@provisio.example")
	if run := e.do("POST", "/_local/schedules/StaleSweep", nil); !strings.Contains(run.String(), `"portingRequeued":0`) {
		t.Fatalf("a prepared request was queued again: %s", run.body)
	}
}

// TestTheDeskPagesThroughItsFilters: a filtered page of the desk is full, and its cursor
// leads through every match, whatever requests lie between them.
func TestTheDeskPagesThroughItsFilters(t *testing.T) {
	e := mustStart(t)
	op := e.operator()
	acct, admin := wizardTenant(e, "Paging")
	var want []string
	for j := range 5 {
		body := portIn(fmt.Sprintf("p%d@paging.example", j), fmt.Sprintf("+4681234000%d", j), fmt.Sprintf("+46709880%03d", j), "811218-9876", nextWeekday10())
		delete(body["subscription"].(map[string]any)["porting"].(map[string]any), "temporaryNumber")
		var made struct {
			Porting struct{ ID string } `json:"porting"`
		}
		res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", body, bearer(admin)...)
		res.decode(t, &made)
		if res.status != http.StatusCreated {
			t.Fatalf("port-in: %d %s", res.status, res.body)
		}
		if j%2 == 0 { // every other one moves on; the rest stay submitted, between them
			if res := e.do("PATCH", "/v1/porting-requests/"+made.Porting.ID, map[string]string{"status": "pending"}, bearer(op)...); res.status != http.StatusOK {
				t.Fatalf("pending: %d %s", res.status, res.body)
			}
			want = append(want, made.Porting.ID)
		}
	}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		var page struct {
			Items  []portingView
			Cursor string
		}
		res := e.do("GET", "/v1/porting-requests?limit=2&status=pending&accountId="+acct.ID+"&cursor="+url.QueryEscape(cursor), nil, bearer(op)...)
		res.decode(t, &page)
		if res.status != http.StatusOK || (len(page.Items) == 0 && page.Cursor != "") || pages > 2 {
			t.Fatalf("page %d: %d %s", pages, res.status, res.body)
		}
		for _, p := range page.Items {
			got = append(got, p.ID)
		}
		if cursor = page.Cursor; cursor == "" {
			break
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("paged through %v, want %v", got, want)
	}
	if res := e.do("GET", "/v1/porting-requests?cursor=bogus", nil, bearer(op)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bogus cursor: %d %s", res.status, res.body)
	}
}
