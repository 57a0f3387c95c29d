package queue

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/webhook"
)

// transport keeps the messages sent; err, when set, is every call's answer.
type transport struct {
	sent []string
	err  error
}

func (t *transport) SendMessage(_ context.Context, _, body string) error {
	if t.err != nil {
		return t.err
	}
	t.sent = append(t.sent, body)
	return nil
}

func (t *transport) SendMessageDelayed(ctx context.Context, url, body string, _ time.Duration) error {
	return t.SendMessage(ctx, url, body)
}

func (t *transport) CountMessages(context.Context, string) error { return t.err }

func TestEachJobIsOneMessageTheConsumerReadsBack(t *testing.T) {
	tr := &transport{}
	s := &Sender{Client: tr, QueueURL: "http://queue"}
	ctx := context.Background()
	if err := errors.Join(s.Enqueue(ctx, "reg-1"), s.EnqueuePorting(ctx, "acc-1", "port-1"), s.EnqueueReset(ctx, "kenton.example", "kim"),
		s.EnqueueCallRecords(ctx, []calls.Record{{ID: "c1", AccountID: "acc-1"}}), s.Ping(ctx)); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"registrationId":"reg-1"}`, `{"accountId":"acc-1","portingId":"port-1"}`, `{"domain":"kenton.example","username":"kim"}`}
	if len(tr.sent) != 4 || !slices.Equal(tr.sent[:3], want) {
		t.Fatalf("sent %v", tr.sent)
	}
	var got []string
	for _, process := range []func(context.Context, string) error{
		Jobs(func(_ context.Context, id string) error { got = append(got, id); return nil }),
		PortingJobs(func(_ context.Context, a, p string) error { got = append(got, a+"/"+p); return nil }),
		ResetJobs(func(_ context.Context, d, u string) error { got = append(got, u+"@"+d); return nil }),
		CallRecordsJobs(func(_ context.Context, recs []calls.Record) error { got = append(got, recs[0].ID); return nil }),
	} {
		if err := process(ctx, tr.sent[len(got)]); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got, []string{"reg-1", "acc-1/port-1", "kim@kenton.example", "c1"}) {
		t.Fatalf("read back %v", got)
	}
	tr.err = errors.New("connection refused")
	if err := s.Enqueue(ctx, "reg-2"); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("a queue that refuses: %v", err)
	}
}

func TestTheConsumerRetriesOnlyWhatCanSucceed(t *testing.T) {
	h := Consumer(slog.New(slog.NewTextHandler(io.Discard, nil)), Jobs(func(_ context.Context, id string) error {
		if id == "reg-down" {
			return fault.New(fault.Unavailable, "the table is down")
		}
		return nil
	}))
	res, err := h(context.Background(), events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m1", Body: `{"registrationId":"reg-1"}`},
		{MessageId: "m2", Body: `{"registrationId":"reg-down"}`},
		{MessageId: "m3", Body: `not json`},
		{MessageId: "m4", Body: `{}`},
	}})
	if err != nil || len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "m2" {
		t.Fatalf("failures %+v %v", res.BatchItemFailures, err)
	}
}

func TestJobAdaptersPassWholeJobsAndDropBrokenOnes(t *testing.T) {
	var got []string
	porting := PortingJobs(func(_ context.Context, accountID, portingID string) error {
		got = append(got, accountID+"/"+portingID)
		return nil
	})
	reset := ResetJobs(func(_ context.Context, domain, username string) error {
		got = append(got, username+"@"+domain)
		return nil
	})
	for _, c := range []struct {
		name    string
		consume func(context.Context, string) error
		body    string
		ok      bool
	}{
		{"porting job", porting, `{"accountId":"acc-1","portingId":"port-1"}`, true},
		{"porting job without its request", porting, `{"accountId":"acc-1"}`, false},
		{"not JSON", porting, `acc-1`, false},
		{"reset job", reset, `{"domain":"kenton.example","username":"kim"}`, true},
		{"reset job without a name", reset, `{"domain":"kenton.example"}`, false},
	} {
		err := c.consume(context.Background(), c.body)
		if c.ok && err != nil || !c.ok && !fault.Is(err, fault.Malformed) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if len(got) != 2 || got[0] != "acc-1/port-1" || got[1] != "kim@kenton.example" {
		t.Fatalf("processed %v", got)
	}
}

// A call-records message has a format of its own: every field of a record goes through
// it and back, under the names queued messages have always used.
func TestCallRecordMessagesKeepTheirFormat(t *testing.T) {
	rec := calls.Record{ID: "c1", AccountID: "acc-1", Start: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), DurationSeconds: 61,
		From: "+46701234567", To: "+46812345678", Direction: calls.Outbound, CostMinor: 125, Currency: "SEK", InProgress: true}
	tr := &transport{}
	if err := (&Sender{Client: tr, QueueURL: "http://queue"}).EnqueueCallRecords(context.Background(), []calls.Record{rec}); err != nil {
		t.Fatal(err)
	}
	want := `{"records":[{"id":"c1","accountId":"acc-1","start":"2026-12-01T09:30:00Z","durationSeconds":61,"from":"+46701234567",` +
		`"to":"+46812345678","direction":"outbound","costMinor":125,"currency":"SEK","inProgress":true}]}`
	if len(tr.sent) != 1 || tr.sent[0] != want {
		t.Fatalf("sent %v", tr.sent)
	}
	var got []calls.Record
	if err := CallRecordsJobs(func(_ context.Context, recs []calls.Record) error { got = recs; return nil })(context.Background(), want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]calls.Record{rec}, got); diff != "" {
		t.Errorf("read back (-sent +read):\n%s", diff)
	}
}

// parking keeps parked events in order; err, when set, is every call's answer.
type parking struct {
	kept []webhook.Message
	err  error
}

func (p *parking) Park(_ context.Context, m webhook.Message) error {
	if p.err != nil {
		return p.err
	}
	p.kept = append(p.kept, m)
	return nil
}

func (p *parking) Parked(_ context.Context, limit int) ([]webhook.Message, error) {
	return slices.Clone(p.kept[:min(limit, len(p.kept))]), p.err
}

func (p *parking) Unpark(_ context.Context, m webhook.Message) error {
	p.kept = slices.DeleteFunc(p.kept, func(k webhook.Message) bool { return k.ID == m.ID })
	return nil
}

func newEvents(tr *transport, p *parking, log io.Writer) *Events {
	n := 0
	return &Events{Sender: &Sender{Client: tr, QueueURL: "events"}, Parking: p, Log: slog.New(slog.NewTextHandler(log, nil)),
		Now: func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }, NewID: func(prefix string) string { n++; return fmt.Sprint(prefix, n) }}
}

// An event SQS refuses is parked, not lost; the sweep publishes it, with its own ID, once
// SQS takes it again.
func TestAnEventSQSRefusesIsParkedThenRepublished(t *testing.T) {
	tr, p, log := &transport{err: errors.New("SQS is down")}, &parking{}, &strings.Builder{}
	e := newEvents(tr, p, log)
	e.Publish(context.Background(), "acc-1", webhook.InvoiceIssued, map[string]string{"invoiceId": "inv-1"})
	e.Publish(context.Background(), "acc-1", webhook.InvoiceIssued, map[string]string{"invoiceId": "inv-2"})
	if len(p.kept) != 2 || len(tr.sent) != 0 || !strings.Contains(log.String(), "webhook event parked for the sweep") {
		t.Fatalf("parked %d, sent %d, log:\n%s", len(p.kept), len(tr.sent), log)
	}
	if n, err := e.Republish(context.Background()); n != 0 || err == nil {
		t.Fatalf("a sweep while SQS is still down: %d, %v", n, err)
	}
	tr.err = nil
	if n, err := e.Republish(context.Background()); n != 2 || err != nil {
		t.Fatalf("the sweep: %d, %v", n, err)
	}
	if len(p.kept) != 0 || len(tr.sent) != 2 || !strings.Contains(tr.sent[0], `"id":"evt-1"`) || !strings.Contains(tr.sent[1], `"inv-2"`) {
		t.Fatalf("after the sweep: parked %v, sent %q", p.kept, tr.sent)
	}
}

// Only an event neither SQS nor the table takes is lost, and the log says which.
func TestAnEventNothingTakesIsLoggedAsLost(t *testing.T) {
	tr, p, log := &transport{err: errors.New("SQS is down")}, &parking{err: errors.New("DynamoDB is down")}, &strings.Builder{}
	newEvents(tr, p, log).Publish(context.Background(), "acc-1", webhook.InvoiceIssued, nil)
	if got := log.String(); !strings.Contains(got, "webhook event not published") || !strings.Contains(got, "event=evt-1") || !strings.Contains(got, "DynamoDB is down") {
		t.Fatalf("the log:\n%s", got)
	}
	tr.err, p.err = nil, nil
	newEvents(tr, p, log).Publish(context.Background(), "acc-1", webhook.InvoiceIssued, nil)
	if len(tr.sent) != 1 || len(p.kept) != 0 {
		t.Fatalf("a published event: sent %d, parked %d", len(tr.sent), len(p.kept))
	}
}
