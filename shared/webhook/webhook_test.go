package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/account/accounttest"
	"github.com/provisio/provisio/shared/audit"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/testclock"
	"github.com/provisio/provisio/shared/webhook"
)

// store is an in-memory webhook.Store on accounttest's accounts.
type store struct {
	*accounttest.Store
	mu         sync.Mutex
	endpoints  map[string]webhook.Endpoint // by ID
	deliveries map[string]webhook.Delivery // by ID
}

func newStore(accounts ...account.Account) *store {
	return &store{Store: accounttest.New(accounts...), endpoints: map[string]webhook.Endpoint{}, deliveries: map[string]webhook.Delivery{}}
}

func (s *store) CreateEndpoint(_ context.Context, e webhook.Endpoint, _ audit.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endpoints[e.ID] = e
	return nil
}

func (s *store) SaveEndpoint(_ context.Context, e webhook.Endpoint, _ audit.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.endpoints[e.ID].Version != e.Version-1 {
		return fault.New(fault.Conflict, "changed")
	}
	s.endpoints[e.ID] = e
	return nil
}

func (s *store) DeleteEndpoint(_ context.Context, e webhook.Endpoint, _ audit.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.endpoints, e.ID)
	return nil
}

func (s *store) Endpoint(_ context.Context, accountID, id string) (webhook.Endpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.endpoints[id]
	if !ok || e.AccountID != accountID {
		return webhook.Endpoint{}, fault.New(fault.NotFound, "no such endpoint")
	}
	return e, nil
}

func (s *store) Endpoints(_ context.Context, accountID string) ([]webhook.Endpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []webhook.Endpoint
	for _, e := range s.endpoints {
		if e.AccountID == accountID {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *store) CreateDelivery(_ context.Context, d webhook.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deliveries[d.ID]; ok {
		return fault.New(fault.Conflict, "exists")
	}
	s.deliveries[d.ID] = d
	return nil
}

func (s *store) SaveDelivery(_ context.Context, d webhook.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliveries[d.ID] = d
	return nil
}

func (s *store) Delivery(_ context.Context, accountID, _, id string) (webhook.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deliveries[id]
	if !ok || d.AccountID != accountID {
		return webhook.Delivery{}, fault.New(fault.NotFound, "no such delivery")
	}
	return d, nil
}

func (s *store) Deliveries(_ context.Context, accountID, endpointID, _ string, _ int) ([]webhook.Delivery, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []webhook.Delivery
	for _, d := range s.deliveries {
		if d.AccountID == accountID && d.EndpointID == endpointID {
			out = append(out, d)
		}
	}
	return out, "", nil
}

// queue keeps what it is sent.
type queue struct {
	jobs   []webhook.DeliveryJob
	delays []time.Duration
	dead   []webhook.DeliveryJob
}

func (q *queue) EnqueueDelivery(_ context.Context, job webhook.DeliveryJob, delay time.Duration) error {
	q.jobs, q.delays = append(q.jobs, job), append(q.delays, delay)
	return nil
}

func (q *queue) DeadLetter(_ context.Context, job webhook.DeliveryJob) error {
	q.dead = append(q.dead, job)
	return nil
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// tree is a reseller with two tenants.
func tree() *store {
	return newStore(
		account.Account{ID: "acc-r", Path: []string{"provider", "acc-r"}},
		account.Account{ID: "acc-a", Path: []string{"provider", "acc-r", "acc-a"}},
		account.Account{ID: "acc-b", Path: []string{"provider", "acc-r", "acc-b"}})
}

func endpoint(id, accountID, url string, events ...webhook.Event) webhook.Endpoint {
	return webhook.Endpoint{ID: id, AccountID: accountID, URL: url, Events: events, Enabled: true, Secret: "whsec_" + id, Version: 1}
}

func TestAnEventReachesTheEndpointsOfItsAccountAndItsAncestorsOnly(t *testing.T) {
	s := tree()
	for _, e := range []webhook.Endpoint{
		endpoint("whk-r", "acc-r", "https://r.example", webhook.InvoiceIssued),
		endpoint("whk-a", "acc-a", "https://a.example", webhook.InvoiceIssued),
		endpoint("whk-a2", "acc-a", "https://a2.example", webhook.BalanceLow),
		endpoint("whk-b", "acc-b", "https://b.example", webhook.InvoiceIssued),
	} {
		s.endpoints[e.ID] = e
	}
	q := &queue{}
	f := &webhook.Fanout{Store: s, Queue: q, Log: quiet, Now: time.Now}
	msg := webhook.Message{ID: "evt-1", Type: webhook.InvoiceIssued, AccountID: "acc-a", Data: json.RawMessage(`{"id":"inv-1"}`)}
	if err := f.Handle(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, j := range q.jobs {
		to = append(to, j.EndpointID)
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"whk-a", "whk-r"}) {
		t.Fatalf("delivered to %v, want the tenant's and its reseller's", to)
	}
	// The same message again (a retry of the queue's) makes no second delivery.
	if err := f.Handle(context.Background(), msg); err != nil || len(q.jobs) != 4 || len(s.deliveries) != 2 {
		t.Fatalf("handled twice: %d jobs, %d deliveries, %v", len(q.jobs), len(s.deliveries), err)
	}
}

func TestADeliveryIsSignedRetriedWithBackoffAndEndsOnTheDeadLetterQueue(t *testing.T) {
	var mu sync.Mutex
	var sigs []string
	answer := http.StatusInternalServerError
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		sigs = append(sigs, r.Header.Get(webhook.SignatureHeader))
		w.WriteHeader(answer)
	}))
	defer srv.Close()
	s := tree()
	s.endpoints["whk-a"] = endpoint("whk-a", "acc-a", srv.URL, webhook.InvoiceIssued)
	body := []byte(`{"id":"evt-1"}`)
	s.deliveries["dlv-1"] = webhook.Delivery{ID: "dlv-1", EndpointID: "whk-a", AccountID: "acc-a", EventID: "evt-1", Status: webhook.Pending, Body: body}
	q := &queue{}
	clock := testclock.At(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	d := &webhook.Deliverer{Store: s, Queue: q, Client: webhook.NewClient(&webhook.Guard{AllowPrivate: true}), Log: quiet, Now: clock.Now,
		RetryBase: 30 * time.Second, MaxAttempts: 4}
	job := webhook.DeliveryJob{AccountID: "acc-a", EndpointID: "whk-a", DeliveryID: "dlv-1", Attempt: 1}
	for range 4 {
		if err := d.Deliver(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		if len(q.jobs) > 0 {
			job = q.jobs[len(q.jobs)-1]
		}
	}
	if got := s.deliveries["dlv-1"]; got.Status != webhook.Failed || len(got.Attempts) != 4 || got.Attempts[0].StatusCode != 500 {
		t.Fatalf("after 4 refusals: %+v", got)
	}
	if !slices.Equal(q.delays, []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute}) || len(q.dead) != 1 {
		t.Fatalf("waits %v, dead letters %d", q.delays, len(q.dead))
	}
	want := webhook.Sign([]string{"whsec_whk-a"}, clock.Now(), body)
	if sigs[0] != want || !strings.HasPrefix(want, "t=") {
		t.Fatalf("signature %q, want %q", sigs[0], want)
	}
	// The same message again (SQS delivers at least once) sends nothing.
	if err := d.Deliver(context.Background(), job); err != nil || len(sigs) != 4 {
		t.Fatalf("a duplicate message: %d sent, %v", len(sigs), err)
	}

	// Redelivered: a new round, which succeeds.
	answer = http.StatusOK
	svc := &webhook.Service{Store: s, Queue: q, Guard: &webhook.Guard{AllowPrivate: true}, Now: clock.Now}
	admin := account.Actor{UserID: "usr-a", AccountID: "acc-a", Role: account.TenantAdmin}
	if _, err := svc.Redeliver(context.Background(), admin, "acc-a", "whk-a", "dlv-1"); err != nil {
		t.Fatal(err)
	}
	if err := d.Deliver(context.Background(), q.jobs[len(q.jobs)-1]); err != nil {
		t.Fatal(err)
	}
	if got := s.deliveries["dlv-1"]; got.Status != webhook.Succeeded || len(got.Attempts) != 5 {
		t.Fatalf("after the redelivery: %+v", got)
	}
	if _, err := svc.Redeliver(context.Background(), account.Actor{AccountID: "acc-b", Role: account.TenantAdmin}, "acc-a", "whk-a", "dlv-1"); !fault.Is(err, fault.NotFound) {
		t.Fatalf("another tenant redelivers: %v", err)
	}
}

func TestARolledSecretSignsBesideTheOldOneForItsGrace(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := webhook.Endpoint{Secret: "new", PreviousSecret: "old", PreviousUntil: now.Add(time.Hour)}
	if got := e.Secrets(now); !slices.Equal(got, []string{"new", "old"}) {
		t.Fatalf("during the grace: %v", got)
	}
	if got := e.Secrets(now.Add(time.Hour)); !slices.Equal(got, []string{"new"}) {
		t.Fatalf("after it: %v", got)
	}
	if sig := webhook.Sign(e.Secrets(now), now, []byte("{}")); strings.Count(sig, "v1=") != 2 {
		t.Fatalf("signature %s", sig)
	}
}

// resolver answers every name with its addresses.
type resolver map[string][]netip.Addr

func (r resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, errors.New("no such host")
}

func TestTheGuardKeepsDeliveriesOnThePublicInternet(t *testing.T) {
	g := &webhook.Guard{Resolver: resolver{
		"erp.example.com":   {netip.MustParseAddr("93.184.216.34")},
		"internal.example":  {netip.MustParseAddr("10.0.0.7")},
		"mixed.example":     {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("127.0.0.1")},
		"metadata.example":  {netip.MustParseAddr("169.254.169.254")},
		"v6private.example": {netip.MustParseAddr("fd00::1")},
		"cgnat.example":     {netip.MustParseAddr("100.64.1.1")},
		"v4mapped.example":  {netip.MustParseAddr("::ffff:192.168.1.1")},
	}}
	ctx := context.Background()
	if err := g.CheckURL(ctx, "https://erp.example.com/provisio?token=x"); err != nil {
		t.Fatalf("a public host: %v", err)
	}
	for _, bad := range []string{"http://erp.example.com/x", "https://internal.example/x", "https://mixed.example/x", "https://metadata.example/",
		"https://v6private.example/", "https://cgnat.example/", "https://v4mapped.example/", "https://127.0.0.1/", "https://[::1]/",
		"https://nowhere.example/", "https://user:pw@erp.example.com/", "erp.example.com/x", "https://erp.example.com/#frag"} {
		if err := g.CheckURL(ctx, bad); err == nil {
			t.Errorf("%s was allowed", bad)
		}
	}
	// At delivery, a connection to a loopback address is refused whatever name led to it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer srv.Close()
	_, err := webhook.NewClient(g).Get(srv.URL)
	var opErr *net.OpError
	if err == nil || !errors.As(err, &opErr) || !strings.Contains(err.Error(), "not public") && !strings.Contains(err.Error(), "private") {
		t.Fatalf("a loopback connection: %v", err)
	}
	if res, err := webhook.NewClient(&webhook.Guard{AllowPrivate: true}).Get(srv.URL); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the local server's receivers: %v", err)
	}
}

func TestEndpointsAreTheAccountsAdministratorsOwn(t *testing.T) {
	s := tree()
	svc := &webhook.Service{Store: s, Guard: &webhook.Guard{AllowPrivate: true}, Now: time.Now, NewID: func(p string) string { return p + "1" }}
	ctx := context.Background()
	url, events := "https://a.example/hooks", []webhook.Event{webhook.BalanceLow, webhook.InvoiceIssued, webhook.BalanceLow}
	reseller := account.Actor{UserID: "usr-r", AccountID: "acc-r", Role: account.ResellerAdmin}
	e, secret, err := svc.Create(ctx, reseller, "acc-a", webhook.Draft{URL: &url, Events: &events})
	if err != nil || !strings.HasPrefix(secret, webhook.SecretPrefix) || len(secret) < 40 || len(e.Events) != 2 || e.Secret != secret {
		t.Fatalf("created %+v %q %v", e, secret, err)
	}
	for name, who := range map[string]account.Actor{
		"a user":           {UserID: "usr-u", AccountID: "acc-a", Role: account.User},
		"the other tenant": {UserID: "usr-b", AccountID: "acc-b", Role: account.TenantAdmin},
		"a billing key":    {UserID: "key-1", AccountID: "acc-r", Role: account.Billing},
	} {
		if _, _, err := svc.Create(ctx, who, "acc-a", webhook.Draft{URL: &url, Events: &events}); err == nil {
			t.Errorf("%s made an endpoint", name)
		}
		if _, err := svc.List(ctx, who, "acc-a"); err == nil {
			t.Errorf("%s listed the endpoints", name)
		}
	}
	if _, err := svc.Update(ctx, reseller, "acc-a", e.ID, 1, webhook.Draft{Events: &[]webhook.Event{"call.made"}}); !fault.Is(err, fault.Invalid) {
		t.Fatalf("an unknown event: %v", err)
	}
	rolled, fresh, err := svc.RollSecret(ctx, reseller, "acc-a", e.ID, 0)
	if err != nil || fresh == secret || rolled.PreviousSecret != secret || rolled.PreviousUntil.IsZero() {
		t.Fatalf("rolled %+v %v", rolled, err)
	}
	if _, _, err := svc.RollSecret(ctx, reseller, "acc-a", e.ID, 8*24*time.Hour); !fault.Is(err, fault.Invalid) {
		t.Fatalf("a grace past a week: %v", err)
	}
}
