package localserver_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
)

// switchToken is the switch's API key for the whole tree, as make run makes it.
func (e *env) switchToken() string { return e.apiKey(account.ProviderRootID, account.Switch) }

// call is a call record as the switch sends it.
func call(id, accountID, start string, seconds, cost int) map[string]any {
	return map[string]any{"id": id, "accountId": accountID, "start": start, "durationSeconds": seconds,
		"from": "+46812340001", "to": "+46701234567", "direction": "outbound", "costMinor": cost, "currency": "SEK"}
}

type ingestReport struct {
	Received, Stored, Queued int
	Duplicates               []string
	Rejected                 []struct {
		Index  int
		ID     string
		Errors []struct{ Field, Reason string }
	}
}

type summaryView struct {
	Period, From, To, Currency string
	Rows                       []struct {
		ID, Period, InvoiceID               string
		Calls, Answered, Seconds, CostMinor int64
	}
	Totals struct {
		Calls, Answered, Seconds, CostMinor int64
		Minutes, AverageOfAveragesSeconds   float64
	}
}

func TestCallRecordsSummariesAndInvoices(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	sw := e.switchToken()
	acct, admin := e.tenantWithAdmin(root, "ABC Company", "alice@abc.example")
	other, _ := e.tenantWithAdmin(root, "Other Company", "bob@other.example")
	now := time.Now().UTC()
	lastMonth := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	A, B := lastMonth.AddDate(0, 0, -1).Format(time.DateOnly), lastMonth.Format(time.DateOnly)
	beforeA, afterB := lastMonth.AddDate(0, 0, -2).Format(time.DateOnly), lastMonth.AddDate(0, 0, 1).Format(time.DateOnly)

	// Two calls on the last day of a month (A, UTC) and three on the first day of the next
	// (B), one unanswered each day; the first starts at 00:30 Stockholm time on B, which is
	// still A in UTC. Both months are over, so their rows can be invoiced.
	batch := []map[string]any{
		call("sw-1", acct.ID, B+"T00:30:00+01:00", 600, 1200),
		call("sw-2", acct.ID, A+"T12:00:00Z", 0, 0),
		call("sw-3", acct.ID, B+"T08:00:00Z", 90, 300),
		call("sw-4", acct.ID, B+"T08:30:00Z", 0, 0),
		call("sw-5", other.ID, B+"T09:00:00Z", 30, 50),
		call("sw-9", acct.ID, B+"T10:00:00Z", 30, 0),
		// Bad ones, each reported on its own.
		call("sw-6", acct.ID, B+"T09:00:00Z", -1, 0),
		call("sw-7", "acc-nobody", B+"T09:00:00Z", 10, 10),
		call("sw-1", acct.ID, B+"T09:00:00Z", 10, 10),
		func() map[string]any {
			c := call("sw-8", acct.ID, B+"T09:00:00Z", 10, 10)
			c["currency"] = "EUR"
			return c
		}(),
		call("sw-10", acct.ID, B+"T25:00:00Z", 10, 10), // not a time: this record alone is refused
	}
	if res := e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(admin)...); res.status != http.StatusForbidden {
		t.Fatalf("an administrator posting records: %d %s", res.status, res.body)
	}
	res := e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(sw)...)
	var rep ingestReport
	res.decode(t, &rep)
	if res.status != http.StatusOK || rep.Received != 11 || rep.Stored != 6 || len(rep.Rejected) != 5 {
		t.Fatalf("ingest: %d %s", res.status, res.body)
	}
	for i, want := range map[int]string{0: "durationSeconds", 1: "accountId", 2: "id", 3: "currency", 4: "start"} {
		if r := rep.Rejected[i]; len(r.Errors) != 1 || r.Errors[0].Field != want || r.Index != i+6 {
			t.Errorf("rejected %d: %+v, want %s", i, r, want)
		}
	}
	// The same batch again stores nothing: every valid record is a duplicate.
	res = e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(sw)...)
	res.decode(t, &rep)
	if res.status != http.StatusOK || rep.Stored != 0 || len(rep.Duplicates) != 6 {
		t.Fatalf("replay: %d %s", res.status, res.body)
	}
	// A batch with no valid record is refused with every reason.
	res = e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{batch[6], batch[7], batch[9]}}, bearer(sw)...)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.String(), "records[0].durationSeconds") {
		t.Fatalf("all bad: %d %s", res.status, res.body)
	}

	summaries := func(query string) summaryView {
		t.Helper()
		var s summaryView
		res := e.do("GET", "/v1/accounts/"+acct.ID+"/summaries?"+query, nil, bearer(admin)...)
		res.decode(t, &s)
		if res.status != http.StatusOK {
			t.Fatalf("summaries %s: %d %s", query, res.status, res.body)
		}
		return s
	}
	daily := summaries("period=daily&from=" + beforeA + "&to=" + afterB)
	if len(daily.Rows) != 2 || daily.Rows[0].ID != "day-"+A || daily.Rows[1].ID != "day-"+B {
		t.Fatalf("daily rows: %+v", daily.Rows)
	}
	oct, nov := daily.Rows[0], daily.Rows[1]
	if oct.Calls != 2 || oct.Answered != 1 || oct.Seconds != 600 || oct.CostMinor != 1200 || nov.Calls != 3 || nov.Answered != 2 || nov.Seconds != 120 || nov.CostMinor != 300 {
		t.Fatalf("daily sums: %+v", daily.Rows)
	}
	// The rows' answered calls average 600 s and 60 s; the combined figure is their
	// average, 330 s, not the true average of 720 s over 3 answered calls (240 s).
	if daily.Totals.Calls != 5 || daily.Totals.Answered != 3 || daily.Totals.CostMinor != 1500 || daily.Totals.AverageOfAveragesSeconds != 330 || daily.Totals.Minutes != 12 {
		t.Fatalf("daily totals: %+v", daily.Totals)
	}
	monthly := summaries("period=monthly&from=" + A[:8] + "01&to=" + B)
	if len(monthly.Rows) != 2 || monthly.Rows[0].ID != "month-"+A[:7] || monthly.Rows[0].Calls != 2 || monthly.Rows[1].Calls != 3 {
		t.Fatalf("monthly: %+v", monthly.Rows)
	}
	live := summaries("period=live&from=" + A + "&to=" + A)
	if len(live.Rows) != 2 || live.Rows[0].ID != "hour-"+A+"T12" || live.Rows[1].ID != "hour-"+A+"T23" {
		t.Fatalf("live (hourly): %+v", live.Rows)
	}
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/summaries?period=weekly", nil, bearer(admin)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown period: %d", res.status)
	}

	// CSV: the same rows with a header line.
	res = e.do("GET", "/v1/accounts/"+acct.ID+"/summaries?period=daily&from="+beforeA+"&to="+afterB, nil, append(bearer(admin), "Accept", "text/csv")...)
	lines, err := csv.NewReader(strings.NewReader(res.String())).ReadAll()
	if err != nil || res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") || len(lines) != 3 {
		t.Fatalf("csv: %d %v %s", res.status, err, res.body)
	}
	if strings.Join(lines[0], ",") != "id,period,start,calls,answered,seconds,minutes,averageSeconds,costMinor,currency,invoiceId" ||
		strings.Join(lines[1], ",") != "day-"+A+",daily,"+A+"T00:00:00Z,2,1,600,10.00,600.00,1200,SEK," {
		t.Fatalf("csv rows:\n%s", res.body)
	}

	// Invoices: made by the parent's administrators, once per row.
	invoices := "/v1/accounts/" + acct.ID + "/invoices"
	if res := e.do("POST", invoices, map[string]any{"summaryIds": []string{"day-" + A}}, bearer(admin)...); res.status != http.StatusForbidden {
		t.Fatalf("the customer invoicing itself: %d %s", res.status, res.body)
	}
	if res := e.do("POST", invoices, map[string]any{"summaryIds": []string{"month-" + A[:7], "day-" + A}}, bearer(root)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a month with one of its days: %d %s", res.status, res.body)
	}
	res = e.do("POST", invoices, map[string]any{"summaryIds": []string{"day-" + B, "day-" + A}}, bearer(root)...)
	var inv struct {
		ID, Total, Currency string
		TotalMinor          int64
		Lines               []struct{ SummaryID string }
	}
	res.decode(t, &inv)
	if res.status != http.StatusCreated || inv.TotalMinor != 1500 || inv.Total != "15.00" || inv.Currency != "SEK" || len(inv.Lines) != 2 || inv.Lines[0].SummaryID != "day-"+A {
		t.Fatalf("invoice: %d %s", res.status, res.body)
	}
	for _, again := range [][]string{{"day-" + A, "day-" + B}, {"day-" + B}, {"month-" + B[:7]}} {
		if res := e.do("POST", invoices, map[string]any{"summaryIds": again}, bearer(root)...); res.status != http.StatusConflict {
			t.Fatalf("invoicing %v again: %d %s", again, res.status, res.body)
		}
	}
	for _, bad := range [][]string{{}, {"hour-" + A + "T12"}, {"day-" + beforeA}, {"month-" + A[:7], "month-" + A[:7]}} {
		if res := e.do("POST", invoices, map[string]any{"summaryIds": bad}, bearer(root)...); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("selection %v: %d %s", bad, res.status, res.body)
		}
	}
	// The billing system reads it back; the rows say which invoice holds them.
	if res := e.do("GET", invoices+"/"+inv.ID, nil, bearer(admin)...); res.status != http.StatusOK || !strings.Contains(res.String(), `"totalMinor":1500`) {
		t.Fatalf("get invoice: %d %s", res.status, res.body)
	}
	if res := e.do("GET", invoices, nil, bearer(root)...); res.status != http.StatusOK || !strings.Contains(res.String(), inv.ID) {
		t.Fatalf("list invoices: %d %s", res.status, res.body)
	}
	// By the time they bill: the invoice bills days A and B.
	first, _ := time.Parse(time.DateOnly, min(A, B))
	for query, want := range map[string]bool{
		"from=" + first.Format(time.RFC3339):                                true,
		"to=" + first.Format(time.RFC3339):                                  true,
		"from=" + first.AddDate(0, 0, 3).Format(time.RFC3339):               false,
		"to=" + first.Add(-time.Second).Format(time.RFC3339):                false,
		"from=" + first.AddDate(0, 0, -9).Format(time.RFC3339) + "&limit=1": true,
	} {
		if res := e.do("GET", invoices+"?"+query, nil, bearer(root)...); res.status != http.StatusOK || strings.Contains(res.String(), inv.ID) != want {
			t.Errorf("invoices ?%s: %d %s, want listed=%v", query, res.status, res.body, want)
		}
	}
	if daily = summaries("period=daily&from=" + beforeA + "&to=" + afterB); daily.Rows[0].InvoiceID != inv.ID || daily.Rows[1].InvoiceID != inv.ID {
		t.Fatalf("rows after invoicing: %+v", daily.Rows)
	}
	if res := e.do("GET", "/v1/accounts/"+other.ID+"/invoices/"+inv.ID, nil, bearer(root)...); res.status != http.StatusNotFound {
		t.Fatalf("another account's invoice: %d %s", res.status, res.body)
	}

	// The audit log has the invoice; summaries of the other account never mix in.
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=invoice", nil, bearer(root)...); !strings.Contains(res.String(), "invoice.create") {
		t.Fatalf("audit: %s", res.body)
	}
	var others summaryView
	e.do("GET", "/v1/accounts/"+other.ID+"/summaries?period=daily&from="+beforeA+"&to="+afterB, nil, bearer(root)...).decode(t, &others)
	if len(others.Rows) != 1 || others.Rows[0].Calls != 1 {
		t.Fatalf("the other account: %+v", others.Rows)
	}

	// An account with calls keeps its billing history: it cannot be deleted.
	leaf := e.newAccount(root, "", "Billed Leaf", 0, nil)
	e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{call("leaf-1", leaf.ID, B+"T09:00:00Z", 10, 10)}}, bearer(sw)...)
	if res := e.do("DELETE", "/v1/accounts/"+leaf.ID, nil, bearer(root)...); res.status != http.StatusConflict || !strings.Contains(res.String(), "call summaries") {
		t.Fatalf("deleting an account with calls: %d %s", res.status, res.body)
	}
}

func TestLargeCallRecordBatchesGoThroughTheQueue(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	sw := e.switchToken()
	acct, admin := e.tenantWithAdmin(root, "ABC Company", "alice@abc.example")
	start := time.Now().UTC().AddDate(0, 0, -3).Truncate(24 * time.Hour).Add(8 * time.Hour)
	day := start.Format(time.DateOnly)
	var batch []map[string]any
	for i := range 250 {
		batch = append(batch, call(fmt.Sprintf("big-%03d", i), acct.ID, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), 60, 10))
	}
	res := e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(sw)...)
	var rep ingestReport
	res.decode(t, &rep)
	if res.status != http.StatusAccepted || rep.Queued != 250 || rep.Stored != 0 {
		t.Fatalf("large batch: %d %s", res.status, res.body)
	}
	var daily summaryView
	eventually(t, "the queued chunks stored", func() bool {
		e.do("GET", "/v1/accounts/"+acct.ID+"/summaries?period=daily&from="+day+"&to="+day, nil, bearer(admin)...).decode(t, &daily)
		return len(daily.Rows) == 1 && daily.Rows[0].Calls == 250
	})
	if daily.Rows[0].CostMinor != 2500 || daily.Rows[0].Seconds != 15000 {
		t.Fatalf("large batch sums: %+v", daily.Rows)
	}
	// Sent again, nothing counts twice: the consumer finds all three chunks stored.
	e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(sw)...)
	eventually(t, "the redelivered chunks reported", func() bool { return strings.Count(e.logs.String(), "call records already stored") == 3 })
	e.do("GET", "/v1/accounts/"+acct.ID+"/summaries?period=daily&from="+day+"&to="+day, nil, bearer(admin)...).decode(t, &daily)
	if daily.Rows[0].Calls != 250 {
		t.Fatalf("counted twice: %+v", daily.Rows)
	}
	e.mustNotRetry()
}

func TestLiveRecordsAreChannelsInUse(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	sw := e.switchToken()
	acct, admin := e.tenantWithAdmin(root, "ABC Company", "alice@abc.example")
	channels := func() int {
		var v struct{ ChannelsInUse *int }
		e.do("GET", "/v1/accounts/"+acct.ID, nil, bearer(admin)...).decode(t, &v)
		if v.ChannelsInUse == nil {
			t.Fatal("the account shows no channels in use")
		}
		return *v.ChannelsInUse
	}
	if n := channels(); n != 0 {
		t.Fatalf("channels before any call: %d", n)
	}
	now := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	live := func(id string) map[string]any { c := call(id, acct.ID, now, 30, 0); c["inProgress"] = true; return c }
	e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{live("c-1"), live("c-2")}}, bearer(sw)...)
	e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{live("c-1")}}, bearer(sw)...) // an update
	if n := channels(); n != 2 {
		t.Fatalf("channels with two calls going: %d", n)
	}
	// The final record ends the call and counts in the summaries once.
	res := e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{call("c-1", acct.ID, now, 95, 40)}}, bearer(sw)...)
	if res.status != http.StatusOK || !strings.Contains(res.String(), `"stored":1`) {
		t.Fatalf("final record: %d %s", res.status, res.body)
	}
	if n := channels(); n != 1 {
		t.Fatalf("channels after one call ended: %d", n)
	}
	// A late live record cannot bring a finished call back.
	res = e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{live("c-1")}}, bearer(sw)...)
	if !strings.Contains(res.String(), `"duplicates":["c-1"]`) || channels() != 1 {
		t.Fatalf("late live record: %s", res.body)
	}
	var daily summaryView
	e.do("GET", "/v1/accounts/"+acct.ID+"/summaries?period=daily", nil, bearer(admin)...).decode(t, &daily)
	if daily.Totals.Calls != 1 || daily.Totals.Seconds != 95 {
		t.Fatalf("summaries count only finished calls: %+v", daily.Totals)
	}
	// Today is not over: its row cannot be invoiced yet.
	today := "day-" + time.Now().UTC().Format(time.DateOnly)
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/invoices", map[string]any{"summaryIds": []string{today}}, bearer(root)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("invoicing today: %d %s", res.status, res.body)
	}
}

func TestConcurrentBatchesAddUpExactly(t *testing.T) {
	e := mustStart(t)
	root := e.rootToken()
	sw := e.switchToken()
	acct, admin := e.tenantWithAdmin(root, "ABC Company", "alice@abc.example")
	// Four senders at once, each with 40 calls of the same day, and each also resending
	// the first sender's calls: every call must count once.
	day := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
	batch := func(sender int) []map[string]any {
		var b []map[string]any
		for i := range 40 {
			b = append(b, call(fmt.Sprintf("par-%d-%d", sender, i), acct.ID, fmt.Sprintf("%sT10:%02d:00Z", day, i), 10, 3))
		}
		return b
	}
	var wg sync.WaitGroup
	for sender := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			records := append(batch(sender), batch(0)[:10]...)
			for {
				res := e.do("POST", "/v1/call-records", map[string]any{"records": records}, bearer(sw)...)
				if res.status == http.StatusOK {
					return
				}
				if res.status != http.StatusServiceUnavailable { // the switch's rule: resend on 503
					t.Errorf("sender %d: %d %s", sender, res.status, res.body)
					return
				}
			}
		}()
	}
	wg.Wait()
	var daily summaryView
	e.do("GET", "/v1/accounts/"+acct.ID+"/summaries?period=daily&from="+day+"&to="+day, nil, bearer(admin)...).decode(t, &daily)
	if len(daily.Rows) != 1 || daily.Rows[0].Calls != 160 || daily.Rows[0].Seconds != 1600 || daily.Rows[0].CostMinor != 480 {
		t.Fatalf("concurrent sums: %+v", daily.Rows)
	}
}
