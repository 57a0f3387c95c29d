package calls_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/calls"
	"github.com/provisio/provisio/shared/calls/callstest"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/testclock"
)

var now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func newService(t *testing.T) (*calls.Service, *callstest.Store, *callstest.Queue) {
	t.Helper()
	store := callstest.New(account.Account{ID: "acc-t", Path: []string{"provider", "acc-t"}, Credit: account.Credit{Currency: "SEK"}})
	queue := &callstest.Queue{}
	return &calls.Service{Store: store, Queue: queue, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: testclock.At(now).Now}, store, queue
}

var switchActor = account.Actor{UserID: "usr-switch", AccountID: "provider", Role: account.Switch}

func record(id, accountID, currency string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"id":%q,"accountId":%q,"start":"2026-11-30T10:00:00Z","durationSeconds":60,"from":"+46812340001","to":"+46701234567","direction":"outbound","costMinor":120,"currency":%q}`,
		id, accountID, currency))
}

func TestABatchIsCheckedRecordByRecord(t *testing.T) {
	svc, store, _ := newService(t)
	ctx := context.Background()
	rep, err := svc.Ingest(ctx, switchActor, []json.RawMessage{record("c1", "acc-t", "SEK"), record("c2", "acc-nobody", "SEK"),
		record("c3", "acc-t", "EUR"), record("c1", "acc-t", "SEK"), json.RawMessage(`{"id":7}`)})
	if err != nil || rep.Received != 5 || rep.Stored != 1 || len(rep.Rejected) != 4 {
		t.Fatalf("report %+v %v", rep, err)
	}
	again, err := svc.Ingest(ctx, switchActor, []json.RawMessage{record("c1", "acc-t", "SEK")})
	if err != nil || again.Stored != 0 || len(again.Duplicates) != 1 || len(store.Records) != 1 {
		t.Fatalf("a resent record: %+v %v", again, err)
	}
	if _, err := svc.Ingest(ctx, switchActor, []json.RawMessage{record("c9", "acc-nobody", "SEK")}); !fault.Is(err, fault.Invalid) {
		t.Fatalf("a batch of nothing valid: %v", err)
	}
	if _, err := svc.Ingest(ctx, account.Actor{UserID: "u", AccountID: "acc-t", Role: account.TenantAdmin}, []json.RawMessage{record("c8", "acc-t", "SEK")}); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("records from someone else than the switch: %v", err)
	}
	if _, err := svc.Ingest(ctx, switchActor, nil); !fault.Is(err, fault.Invalid) {
		t.Fatalf("an empty batch: %v", err)
	}
}

func TestALargeBatchGoesThroughTheQueueInChunks(t *testing.T) {
	svc, store, queue := newService(t)
	ctx := context.Background()
	raws := make([]json.RawMessage, calls.InlineBatch+1)
	for i := range raws {
		raws[i] = record(fmt.Sprintf("big-%d", i), "acc-t", "SEK")
	}
	rep, err := svc.Ingest(ctx, switchActor, raws)
	if err != nil || rep.Queued != len(raws) || len(queue.Chunks) != 2 || len(store.Records) != 0 {
		t.Fatalf("report %+v %v, %d chunks", rep, err, len(queue.Chunks))
	}
	for _, c := range queue.Chunks {
		if err := svc.StoreChunk(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.StoreChunk(ctx, queue.Chunks[0]); err != nil || len(store.Records) != len(raws) {
		t.Fatalf("a chunk delivered twice: %v, %d records", err, len(store.Records))
	}
	queue.Err = fault.New(fault.Unavailable, "the queue is down")
	if _, err := svc.Ingest(ctx, switchActor, raws); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("with the queue down: %v", err)
	}
}

func TestSummariesOfAPeriod(t *testing.T) {
	svc, store, _ := newService(t)
	ctx := context.Background()
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	store.RowsOf["acc-t"] = map[string]calls.Row{calls.RowID(calls.Daily, day): {ID: calls.RowID(calls.Daily, day), AccountID: "acc-t", Period: calls.Daily,
		Start: day, Totals: calls.Totals{Calls: 4, Answered: 2, Seconds: 240, CostMinor: 480}}}
	admin := account.Actor{UserID: "u", AccountID: "acc-t", Role: account.TenantAdmin}
	sum, err := svc.Summaries(ctx, admin, "acc-t", "", "2026-11-01", "2026-11-30")
	if err != nil || sum.Period != calls.Daily || len(sum.Rows) != 1 || sum.Currency != "SEK" || sum.Totals.Calls != 4 {
		t.Fatalf("summary %+v %v", sum, err)
	}
	if _, err := svc.Summaries(ctx, admin, "acc-t", "weekly", "", ""); !fault.Is(err, fault.Invalid) {
		t.Fatalf("an unknown period: %v", err)
	}
	if _, err := svc.Summaries(ctx, account.Actor{UserID: "x", AccountID: "acc-x", Role: account.TenantAdmin}, "acc-t", "", "", ""); !fault.Is(err, fault.NotFound) {
		t.Fatalf("another tenant's summaries: %v", err)
	}
	if n, err := svc.ChannelsInUse(ctx, "acc-t"); err != nil || n != 0 {
		t.Fatalf("channels %d %v", n, err)
	}
}
