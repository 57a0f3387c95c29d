package localserver_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
)

type invoiceView struct {
	ID, AccountID, Adjusts, Status, Reference, Total string
	TotalMinor                                       int64
	ExportedAt, AcknowledgedAt                       time.Time
	Lines                                            []struct {
		SummaryID        string
		Calls, CostMinor int64
	}
}

type invoicePage struct {
	Items  []invoiceView
	Cursor string
}

// listed reports whether the page holds the invoice id.
func (p invoicePage) listed(id string) bool {
	for _, inv := range p.Items {
		if inv.ID == id {
			return true
		}
	}
	return false
}

func TestTheBillingSystemFetchesAcknowledgesAndIsBilledForLateCalls(t *testing.T) {
	e := mustStart(t)
	root, sw := e.rootToken(), e.switchToken()
	acct, admin := e.tenantWithAdmin(root, "Billed Company", "alice@billed.example")
	other, _ := e.tenantWithAdmin(root, "Elsewhere Company", "bob@elsewhere.example")
	billing := e.apiKey(account.ProviderRootID, account.Billing)
	elsewhere := e.apiKey(other.ID, account.Billing)
	now := time.Now().UTC()
	monthStart := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	day, month := monthStart.AddDate(0, 0, 4).Format(time.DateOnly), monthStart.Format("2006-01")
	ingest := func(records ...map[string]any) {
		t.Helper()
		if res := e.do("POST", "/v1/call-records", map[string]any{"records": records}, bearer(sw)...); res.status != http.StatusOK {
			t.Fatalf("ingest: %d %s", res.status, res.body)
		}
	}
	list := func(path, token string) invoicePage {
		t.Helper()
		var page invoicePage
		res := e.do("GET", path, nil, bearer(token)...)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.status, res.body)
		}
		res.decode(t, &page)
		return page
	}

	// The tenant's day and the other tenant's month are invoiced.
	ingest(call("b-1", acct.ID, day+"T09:00:00Z", 60, 500), call("b-2", other.ID, day+"T10:00:00Z", 60, 700))
	res := e.do("POST", "/v1/accounts/"+acct.ID+"/invoices", map[string]any{"summaryIds": []string{"day-" + day}}, bearer(root)...)
	var inv invoiceView
	res.decode(t, &inv)
	if res.status != http.StatusCreated || inv.Status != "issued" {
		t.Fatalf("invoice: %d %s", res.status, res.body)
	}
	res = e.do("POST", "/v1/accounts/"+other.ID+"/invoices", map[string]any{"summaryIds": []string{"month-" + month}}, bearer(root)...)
	var monthly invoiceView
	res.decode(t, &monthly)
	if res.status != http.StatusCreated {
		t.Fatalf("monthly invoice: %d %s", res.status, res.body)
	}

	// The billing key's work list holds what is issued in its subtree, and only that.
	if issued := list("/v1/invoices", billing); !issued.listed(inv.ID) || !issued.listed(monthly.ID) {
		t.Fatalf("the provider's billing key lists %+v", issued.Items)
	}
	if theirs := list("/v1/invoices?status=issued", elsewhere); theirs.listed(inv.ID) || !theirs.listed(monthly.ID) {
		t.Fatalf("the other tenant's billing key lists %+v", theirs.Items)
	}
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/invoices/"+inv.ID, nil, bearer(elsewhere)...); res.status != http.StatusNotFound {
		t.Fatalf("a billing key outside the subtree reads: %d %s", res.status, res.body)
	}
	for _, bad := range []string{"status=paid", "from=yesterday", "limit=0"} {
		if res := e.do("GET", "/v1/invoices?"+bad, nil, bearer(billing)...); res.status != http.StatusUnprocessableEntity {
			t.Errorf("?%s: %d %s", bad, res.status, res.body)
		}
	}
	if res := e.do("GET", "/v1/invoices", nil, bearer(sw)...); res.status != http.StatusForbidden {
		t.Fatalf("the switch's key lists invoices: %d %s", res.status, res.body)
	}

	// As CSV: a header, then a line per invoice line.
	res = e.do("GET", "/v1/invoices?limit=1", nil, append(bearer(billing), "Accept", "text/csv")...)
	lines, err := csv.NewReader(strings.NewReader(res.String())).ReadAll()
	if err != nil || res.status != http.StatusOK || len(lines) != 2 || lines[0][0] != "invoiceId" || lines[1][3] != "issued" {
		t.Fatalf("csv: %d %v %s", res.status, err, res.body)
	}
	if link := res.header.Get("Link"); !strings.Contains(link, "cursor=") || !strings.HasSuffix(link, `rel="next"`) {
		t.Fatalf("the CSV page's next link: %q", link)
	}
	res = e.do("GET", "/v1/accounts/"+acct.ID+"/invoices/"+inv.ID, nil, append(bearer(admin), "Accept", "text/csv")...)
	if want := inv.ID + "," + acct.ID + ",,issued,"; res.status != http.StatusOK || !strings.Contains(res.String(), want) ||
		!strings.HasSuffix(strings.TrimSpace(res.String()), ",day-"+day+",daily,"+day+"T00:00:00Z,1,1,60,500") {
		t.Fatalf("an invoice as CSV: %d %s", res.status, res.body)
	}

	// The key's read exports it; people's reads do not.
	var got invoiceView
	e.do("GET", "/v1/accounts/"+acct.ID+"/invoices/"+inv.ID, nil, bearer(billing)...).decode(t, &got)
	if got.Status != "exported" || got.ExportedAt.IsZero() {
		t.Fatalf("after the key's read: %+v", got)
	}
	if list("/v1/invoices", billing).listed(inv.ID) || !list("/v1/invoices?status=exported", billing).listed(inv.ID) {
		t.Fatal("the exported invoice is still listed as issued")
	}

	// Only the key acknowledges, once, with its reference.
	ack := "/v1/accounts/" + acct.ID + "/invoices/" + inv.ID + "/acknowledge"
	if res := e.do("POST", ack, map[string]string{"reference": "ERP-1"}, bearer(admin)...); res.status != http.StatusForbidden {
		t.Fatalf("the customer acknowledges: %d %s", res.status, res.body)
	}
	if res := e.do("POST", ack, map[string]string{"reference": strings.Repeat("x", 101)}, bearer(billing)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a long reference: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/invoices/inv-none/acknowledge", map[string]string{}, bearer(billing)...); res.status != http.StatusNotFound {
		t.Fatalf("an unknown invoice: %d %s", res.status, res.body)
	}
	e.do("POST", ack, map[string]string{"reference": "ERP-1"}, bearer(billing)...).decode(t, &got)
	if got.Status != "acknowledged" || got.Reference != "ERP-1" || got.AcknowledgedAt.IsZero() {
		t.Fatalf("acknowledged: %+v", got)
	}
	if res := e.do("POST", ack, map[string]string{"reference": "ERP-1"}, bearer(billing)...); res.status != http.StatusOK {
		t.Fatalf("acknowledged again: %d %s", res.status, res.body)
	}
	if res := e.do("POST", ack, map[string]string{"reference": "ERP-2"}, bearer(billing)...); res.status != http.StatusConflict {
		t.Fatalf("acknowledged under another reference: %d %s", res.status, res.body)
	}
	if !list("/v1/accounts/"+acct.ID+"/invoices?status=acknowledged", admin).listed(inv.ID) ||
		list("/v1/accounts/"+acct.ID+"/invoices?status=issued", admin).listed(inv.ID) {
		t.Fatal("the account's list by status")
	}
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=invoice", nil, bearer(root)...); !strings.Contains(res.String(), "invoice.exported") ||
		!strings.Contains(res.String(), "invoice.acknowledged") {
		t.Fatalf("audit: %s", res.body)
	}

	// Calls that arrive for the invoiced day and month are billed by adjustments.
	ingest(call("b-3", acct.ID, day+"T11:00:00Z", 30, 120), call("b-4", acct.ID, day+"T12:00:00Z", 0, 0),
		call("b-5", other.ID, monthStart.AddDate(0, 0, 9).Format(time.DateOnly)+"T08:00:00Z", 60, 80))
	run := e.do("POST", "/_local/schedules/LateCallBilling", nil)
	if !strings.Contains(run.String(), `"invoices":2`) {
		t.Fatalf("the late-call sweep: %s", run.body)
	}
	adjustments := map[string]invoiceView{}
	for _, a := range list("/v1/invoices", billing).Items {
		if a.Adjusts != "" {
			adjustments[a.Adjusts] = a
		}
	}
	if a := adjustments[inv.ID]; a.AccountID != acct.ID || a.TotalMinor != 120 || len(a.Lines) != 1 || a.Lines[0].SummaryID != "day-"+day || a.Lines[0].Calls != 2 {
		t.Fatalf("the day's adjustment: %+v", a)
	}
	if a := adjustments[monthly.ID]; a.TotalMinor != 80 || len(a.Lines) != 1 || a.Lines[0].SummaryID != "month-"+month {
		t.Fatalf("the month's adjustment: %+v", a)
	}
	if run := e.do("POST", "/_local/schedules/LateCallBilling", nil); !strings.Contains(run.String(), `"invoices":0`) {
		t.Fatalf("a second run: %s", run.body)
	}
	// A record sent again is no late call.
	ingest(call("b-3", acct.ID, day+"T11:00:00Z", 30, 120))
	if run := e.do("POST", "/_local/schedules/LateCallBilling", nil); !strings.Contains(run.String(), `"invoices":0`) {
		t.Fatalf("after a duplicate: %s", run.body)
	}
}

func TestCallsSpendTheCreditAndALowBalanceIsAlertedOncePerCrossing(t *testing.T) {
	e := mustStart(t)
	root, sw := e.rootToken(), e.switchToken()
	acct, admin := e.tenantWithAdmin(root, "Prepaid Company", "alice@prepaid.example")
	type accountView struct {
		Version                  int
		LowBalanceThresholdMinor int64
		LowBalanceSince          time.Time
		Credit                   struct{ BalanceMinor, AddedMinor, SpentMinor int64 }
	}
	read := func() accountView {
		t.Helper()
		var v accountView
		e.do("GET", "/v1/accounts/"+acct.ID, nil, bearer(admin)...).decode(t, &v)
		return v
	}
	v := read()
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/credit-additions", map[string]any{"amountMinor": 1000, "reason": "prepaid", "version": v.Version},
		bearer(root)...); res.status != http.StatusOK {
		t.Fatalf("credit: %d %s", res.status, res.body)
	}
	// The account's own administrator sets the threshold; a negative one is refused.
	v = read()
	if res := e.do("PATCH", "/v1/accounts/"+acct.ID, map[string]any{"version": v.Version, "lowBalanceThresholdMinor": -1}, bearer(admin)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a negative threshold: %d %s", res.status, res.body)
	}
	if res := e.do("PATCH", "/v1/accounts/"+acct.ID, map[string]any{"version": v.Version, "lowBalanceThresholdMinor": 500}, bearer(admin)...); res.status != http.StatusOK {
		t.Fatalf("the threshold: %d %s", res.status, res.body)
	}
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	n := 0
	spend := func(costs ...int) {
		t.Helper()
		var batch []map[string]any
		for _, c := range costs {
			n++
			batch = append(batch, call(fmt.Sprintf("lb-%d", n), acct.ID, fmt.Sprintf("%sT%02d:%02d:00Z", yesterday, n/60, n%60), 60, c))
		}
		if res := e.do("POST", "/v1/call-records", map[string]any{"records": batch}, bearer(sw)...); res.status != http.StatusOK {
			t.Fatalf("ingest: %d %s", res.status, res.body)
		}
	}
	alerts := func() int {
		count := 0
		for _, m := range e.outboxTo("alice@prepaid.example") {
			if strings.HasPrefix(m.Subject, "Low balance") {
				count++
			}
		}
		return count
	}

	spend(200, 200) // 1000 → 600
	if v = read(); v.Credit.BalanceMinor != 600 || v.Credit.SpentMinor != 400 || v.Credit.AddedMinor != 1000 || alerts() != 0 {
		t.Fatalf("after 400 of calls: %+v, %d alerts", v.Credit, alerts())
	}
	// A change of the account keeps what the calls spent.
	if res := e.do("PATCH", "/v1/accounts/"+acct.ID, map[string]any{"version": v.Version, "name": "Prepaid Company AB"}, bearer(admin)...); res.status != http.StatusOK {
		t.Fatalf("rename: %d %s", res.status, res.body)
	}
	spend(150) // → 450: the crossing
	spend(50)  // → 400: still below
	if v = read(); v.Credit.BalanceMinor != 400 || alerts() != 1 || v.LowBalanceSince.IsZero() {
		t.Fatalf("after the crossing: %+v since %s, %d alerts", v.Credit, v.LowBalanceSince, alerts())
	}
	if mail := e.outboxTo("alice@prepaid.example"); !strings.Contains(mail[len(mail)-1].Body, "4.50") {
		t.Fatalf("the alert names the balance: %s", mail[len(mail)-1].Body)
	}
	// Above the threshold again after a credit addition, then below: a second alert.
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/credit-additions", map[string]any{"amountMinor": 500, "reason": "top-up", "version": v.Version},
		bearer(root)...); res.status != http.StatusOK {
		t.Fatalf("top-up: %d %s", res.status, res.body)
	}
	spend(100, 100, 100) // 900 → 600
	spend(200)           // → 400
	if v = read(); v.Credit.BalanceMinor != 400 || alerts() != 2 {
		t.Fatalf("after the second crossing: %+v, %d alerts", v.Credit, alerts())
	}
	// Records sent again cost nothing more.
	n -= 2
	spend(100, 100)
	if v = read(); v.Credit.BalanceMinor != 400 {
		t.Fatalf("resent records were charged: %+v", v.Credit)
	}
}
