package queue

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/fault"
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
