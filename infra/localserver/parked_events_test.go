package localserver_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/dynamo"
	"github.com/provisio/provisio/shared/ident"
	"github.com/provisio/provisio/shared/queue"
	"github.com/provisio/provisio/shared/queue/sqs"
	"github.com/provisio/provisio/shared/webhook"
)

// An event SQS refuses is parked in the real table and published by the next sweep: the
// endpoint hears it late, once, with the ID it was given when it happened.
func TestAnEventSQSRefusesIsDeliveredAfterTheSweep(t *testing.T) {
	e := mustStart(t)
	acct, admin := e.tenantWithAdmin(e.rootToken(), "Parked Company", "alice@parked.example")
	hook := newReceiver(t)
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/webhooks", map[string]any{"url": hook.endpoint.URL, "events": []string{"invoice.issued"}},
		bearer(admin)...); res.status != http.StatusCreated {
		t.Fatalf("endpoint: %d %s", res.status, res.body)
	}

	// SQS refuses: the queue the publisher names does not exist.
	events, err := e.srv.Stack().Ref("WebhookEventsQueue")
	if err != nil {
		t.Fatal(err)
	}
	refused := &queue.Events{Sender: &queue.Sender{Client: sqs.New(e.aws), QueueURL: events + "-gone"},
		Parking: &dynamo.WebhookStore{Table: e.table("DispatcherFunction")}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: time.Now, NewID: ident.New}
	refused.Publish(context.Background(), acct.ID, webhook.InvoiceIssued, map[string]string{"invoiceId": "inv-parked"})
	parked, err := refused.Parking.Parked(context.Background(), 10)
	if err != nil || len(parked) != 1 || parked[0].Type != webhook.InvoiceIssued {
		t.Fatalf("parked: %v, %v", parked, err)
	}
	if len(hook.requests()) != 0 {
		t.Fatal("a refused event was delivered before the sweep")
	}

	// The sweep publishes it on the real queue and lets it go; the endpoint hears it.
	if run := e.do("POST", "/_local/schedules/StaleSweep", nil); !strings.Contains(run.String(), `"eventsRepublished":1`) {
		t.Fatalf("the sweep: %s", run)
	}
	got := hook.waitFor(t, 1)[0].event(t)
	if got.ID != parked[0].ID || !strings.Contains(string(got.Data), "inv-parked") {
		t.Fatalf("the delivered event: %+v, parked as %s", got, parked[0].ID)
	}
	if left, err := refused.Parking.Parked(context.Background(), 10); err != nil || len(left) != 0 {
		t.Fatalf("still parked after the sweep: %v, %v", left, err)
	}
	if run := e.do("POST", "/_local/schedules/StaleSweep", nil); !strings.Contains(run.String(), `"eventsRepublished":0`) {
		t.Fatalf("a second sweep: %s", run)
	}
}
