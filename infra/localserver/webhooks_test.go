package localserver_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a customer's webhook endpoint on this machine: it keeps every request and
// answers 500 to the first failing ones.
type receiver struct {
	mu       sync.Mutex
	got      []received
	failing  int
	endpoint *httptest.Server
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.endpoint = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: body})
		if r.failing > 0 {
			r.failing--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.endpoint.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor waits until the receiver got n requests and returns them.
func (r *receiver) waitFor(t *testing.T, n int) []received {
	t.Helper()
	eventually(t, fmt.Sprintf("%d webhook deliveries", n), func() bool { return len(r.requests()) >= n })
	return r.requests()
}

// signedBy reports whether the request's Provisio-Signature holds a v1 of its body by
// secret.
func (got received) signedBy(secret string) bool {
	var ts string
	var sigs []string
	for _, part := range strings.Split(got.header.Get("Provisio-Signature"), ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(got.body)
	want := hex.EncodeToString(mac.Sum(nil))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return true
		}
	}
	return false
}

type webhookEvent struct {
	ID, Type, AccountID string
	Data                json.RawMessage
}

func (got received) event(t *testing.T) webhookEvent {
	t.Helper()
	var ev webhookEvent
	if err := json.Unmarshal(got.body, &ev); err != nil {
		t.Fatalf("a delivery's body: %v: %s", err, got.body)
	}
	return ev
}

func TestWebhooksAreSignedRetriedLoggedAndKeptToTheirSubtree(t *testing.T) {
	e := mustStart(t)
	root, sw := e.rootToken(), e.switchToken()
	acct, admin := e.tenantWithAdmin(root, "Hooked Company", "alice@hooked.example")
	other, otherAdmin := e.tenantWithAdmin(root, "Quiet Company", "bob@quiet.example")
	ours, theirs := newReceiver(t), newReceiver(t)
	hooks := "/v1/accounts/" + acct.ID + "/webhooks"

	// Bad endpoints are refused and nothing is made.
	for name, body := range map[string]map[string]any{
		"no events":     {"url": ours.endpoint.URL, "events": []string{}},
		"an odd event":  {"url": ours.endpoint.URL, "events": []string{"call.made"}},
		"not http(s)":   {"url": "ftp://files.example/x", "events": []string{"invoice.issued"}},
		"a user inside": {"url": "https://user:pw@erp.example/x", "events": []string{"invoice.issued"}},
		"no url":        {"events": []string{"invoice.issued"}},
	} {
		if res := e.do("POST", hooks, body, bearer(admin)...); res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", name, res.status, res.body)
		}
	}
	if res := e.do("GET", hooks, nil, bearer(admin)...); res.status != http.StatusOK || strings.Contains(res.String(), `"id"`) {
		t.Fatalf("endpoints after refusals: %d %s", res.status, res.body)
	}

	// The tenant's admin registers its endpoint; the other tenant registers its own.
	var hook struct {
		ID, Secret, URL string
		Version         int
	}
	res := e.do("POST", hooks, map[string]any{"url": ours.endpoint.URL, "events": []string{"invoice.issued", "balance.low"}, "description": "ERP"}, bearer(admin)...)
	res.decode(t, &hook)
	if res.status != http.StatusCreated || !strings.HasPrefix(hook.Secret, "whsec_") {
		t.Fatalf("endpoint: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/accounts/"+other.ID+"/webhooks", map[string]any{"url": theirs.endpoint.URL, "events": []string{"invoice.issued"}},
		bearer(otherAdmin)...); res.status != http.StatusCreated {
		t.Fatalf("the other endpoint: %d %s", res.status, res.body)
	}
	if res := e.do("GET", hooks, nil, bearer(otherAdmin)...); res.status != http.StatusNotFound {
		t.Fatalf("another tenant's endpoints: %d %s", res.status, res.body)
	}
	if res := e.do("GET", hooks, nil, bearer(admin)...); strings.Contains(res.String(), hook.Secret) {
		t.Fatalf("the list shows the secret: %s", res.body)
	}

	// An invoice of the tenant reaches its endpoint, signed, and no other.
	invoiceOf := func(id string, day time.Time) string {
		t.Helper()
		d := day.Format(time.DateOnly)
		if res := e.do("POST", "/v1/call-records", map[string]any{"records": []map[string]any{call("wh-"+d, id, d+"T09:00:00Z", 60, 300)}},
			bearer(sw)...); res.status != http.StatusOK {
			t.Fatalf("ingest: %d %s", res.status, res.body)
		}
		var inv struct{ ID string }
		res := e.do("POST", "/v1/accounts/"+id+"/invoices", map[string]any{"summaryIds": []string{"day-" + d}}, bearer(root)...)
		res.decode(t, &inv)
		if res.status != http.StatusCreated {
			t.Fatalf("invoice: %d %s", res.status, res.body)
		}
		return inv.ID
	}
	first := invoiceOf(acct.ID, time.Now().UTC().AddDate(0, 0, -3))
	got := ours.waitFor(t, 1)[0]
	ev := got.event(t)
	if ev.Type != "invoice.issued" || ev.AccountID != acct.ID || !strings.Contains(string(ev.Data), first) ||
		got.header.Get("Provisio-Event-Type") != "invoice.issued" || got.header.Get("Provisio-Event-Id") != ev.ID || !got.signedBy(hook.Secret) {
		t.Fatalf("the delivery: %v %s", got.header, got.body)
	}
	e.queueSettled("WebhookEventsQueue")
	e.queueSettled("WebhookDeliveriesQueue")
	if n := len(theirs.requests()); n != 0 {
		t.Fatalf("the other tenant heard %d of this tenant's events", n)
	}

	// The log has it; a refused attempt is retried after a backoff and logged too.
	type deliveryPage struct {
		Items []struct {
			ID, EventID, Status string
			Attempts            []struct {
				StatusCode int
				Error      string
			}
		}
	}
	deliveries := func() deliveryPage {
		t.Helper()
		var page deliveryPage
		e.do("GET", hooks+"/"+hook.ID+"/deliveries", nil, bearer(admin)...).decode(t, &page)
		return page
	}
	if log := deliveries(); len(log.Items) != 1 || log.Items[0].Status != "succeeded" || log.Items[0].Attempts[0].StatusCode != 204 {
		t.Fatalf("the delivery log: %+v", log)
	}
	ours.mu.Lock()
	ours.failing = 1
	ours.mu.Unlock()
	second := invoiceOf(acct.ID, time.Now().UTC().AddDate(0, 0, -4))
	retried := ours.waitFor(t, 3)
	if retried[1].event(t).ID != retried[2].event(t).ID || !strings.Contains(string(retried[2].event(t).Data), second) {
		t.Fatal("the retry is not the same event")
	}
	eventually(t, "the retried delivery logged", func() bool {
		log := deliveries()
		return len(log.Items) == 2 && log.Items[0].Status == "succeeded" && len(log.Items[0].Attempts) == 2 &&
			log.Items[0].Attempts[0].StatusCode == 500 && log.Items[0].Attempts[1].StatusCode == 204
	})

	// Redeliver the first: the same event again, freshly signed.
	log := deliveries()
	firstDelivery := log.Items[1]
	if res := e.do("POST", hooks+"/"+hook.ID+"/deliveries/"+firstDelivery.ID+"/redeliver", nil, bearer(admin)...); res.status != http.StatusAccepted {
		t.Fatalf("redeliver: %d %s", res.status, res.body)
	}
	if again := ours.waitFor(t, 4)[3]; again.event(t).ID != firstDelivery.EventID || !again.signedBy(hook.Secret) {
		t.Fatalf("the redelivery: %s", again.body)
	}

	// A rolled secret: both sign during the grace, so the receiver can switch.
	var rolled struct{ Secret string }
	res = e.do("POST", hooks+"/"+hook.ID+"/roll-secret", map[string]any{"graceSeconds": 600}, bearer(admin)...)
	res.decode(t, &rolled)
	if res.status != http.StatusOK || rolled.Secret == hook.Secret {
		t.Fatalf("roll: %d %s", res.status, res.body)
	}
	invoiceOf(acct.ID, time.Now().UTC().AddDate(0, 0, -5))
	if last := ours.waitFor(t, 5)[4]; !last.signedBy(rolled.Secret) || !last.signedBy(hook.Secret) {
		t.Fatalf("after the roll: %s", last.header.Get("Provisio-Signature"))
	}

	// Disabled, then deleted: nothing more arrives.
	var current struct{ Version int }
	res = e.do("PATCH", hooks+"/"+hook.ID, map[string]any{"version": 1, "enabled": false}, bearer(admin)...)
	if res.status != http.StatusConflict {
		t.Fatalf("a stale version: %d %s", res.status, res.body)
	}
	res = e.do("PATCH", hooks+"/"+hook.ID, map[string]any{"version": 2, "enabled": false}, bearer(admin)...)
	res.decode(t, &current)
	if res.status != http.StatusOK || current.Version != 3 {
		t.Fatalf("disable: %d %s", res.status, res.body)
	}
	if res := e.do("DELETE", hooks+"/"+hook.ID, nil, bearer(admin)...); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	invoiceOf(acct.ID, time.Now().UTC().AddDate(0, 0, -6))
	e.queueSettled("WebhookEventsQueue")
	e.queueSettled("WebhookDeliveriesQueue")
	if n := len(ours.requests()); n != 5 {
		t.Fatalf("%d deliveries after the endpoint was deleted", n)
	}
	if res := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=webhook", nil, bearer(admin)...); !strings.Contains(res.String(), "webhook.secret_rolled") ||
		strings.Contains(res.String(), rolled.Secret) || strings.Contains(res.String(), hook.Secret) {
		t.Fatalf("audit: %s", res.body)
	}
}
