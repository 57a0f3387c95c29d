package localserver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

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

func portIn(email, primary, number, ownerID, proposedAt string) map[string]any {
	body := wizardBody(email, primary)
	body["subscription"] = map[string]any{"kind": "port-in", "activationDate": time.Now().Format("2006-01-02"), "simDeliveryAddress": invoice,
		"porting": map[string]string{"number": number, "ownerType": "person", "ownerId": ownerID, "proposedAt": proposedAt,
			"temporaryNumber": "+46701230005"}}
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
	h, _ := e.srv.App("PortingFunction").Function("PortingFunction")
	job := events.SQSEvent{Records: []events.SQSMessage{{MessageId: "dup", Body: `{"accountId":"` + acct.ID + `","portingId":"` + made.Porting.ID + `"}`}}}
	if out, err := h.(queue.Handler)(context.Background(), job); err != nil || len(out.BatchItemFailures) != 0 {
		t.Fatalf("duplicate: %v %+v", err, out)
	}
	if n := len(e.outboxTo("porting-desk@provisio.example")); n != 1 {
		t.Fatalf("%d desk mails, want 1", n)
	}
	// The number being ported in cannot be ported twice.
	again := e.do("POST", base, portIn("twice@porting.example", "+46812340072", "+46709876543", "811218-9876", nextWeekday10()), bearer(token)...)
	if again.status != http.StatusUnprocessableEntity || !strings.Contains(again.String(), "in use") {
		t.Fatalf("porting a number twice: %d %s", again.status, again.body)
	}
	e.mustNotRetry()
}
