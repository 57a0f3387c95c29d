package localserver_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/app"
)

type subscriptionView struct {
	ID           string    `json:"id"`
	Number       string    `json:"number"`
	Status       string    `json:"status"`
	Version      int       `json:"version"`
	NumberFreeAt time.Time `json:"numberFreeAt"`
	SIM          *struct {
		ICCID string `json:"iccid"`
	} `json:"sim"`
	SIMDeliveryAddress map[string]string `json:"simDeliveryAddress"`
}

// A subscription after the wizard: its SIM readdressed then dispatched, activated by the
// dispatcher on its date (or by an administrator at once), terminated, and its number
// free again only when the aging is over. Bad input and stale versions write nothing;
// another tenant finds nothing.
func TestASubscriptionsLifeAfterTheWizard(t *testing.T) {
	var ahead atomic.Int64 // how far ahead the dispatcher's clock runs
	e := mustServe(t, mustEngine(t), func(function string, a *app.Deps) {
		if function == "DispatcherFunction" {
			a.Users.Now = func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
		}
	})
	acct, token := wizardTenant(e, "Subs")
	in2days := dateInStockholm(time.Now().Add(48 * time.Hour))
	wizard := func(email, primary string) subscriptionView {
		t.Helper()
		body := wizardBody(email, primary)
		body["subscription"] = map[string]any{"kind": "new", "activationDate": in2days, "simDeliveryAddress": invoice}
		var made struct{ Subscription subscriptionView }
		res := e.do("POST", "/v1/accounts/"+acct.ID+"/users", body, bearer(token)...)
		res.decode(t, &made)
		if res.status != http.StatusCreated || made.Subscription.Status != "ordered" || made.Subscription.Version != 1 {
			t.Fatalf("the wizard: %d %s", res.status, res.body)
		}
		return made.Subscription
	}
	sub := wizard("sim@subs.example", "+46812340070")
	path := "/v1/accounts/" + acct.ID + "/subscriptions/" + sub.ID
	read := func() subscriptionView {
		t.Helper()
		var v subscriptionView
		e.do("GET", path, nil, bearer(token)...).decode(t, &v)
		return v
	}

	moved := map[string]string{"name": "Kim Kenton", "street": "Drottninggatan 2", "postalCode": "111 51", "city": "Stockholm", "country": "SE"}
	for _, c := range []struct {
		body any
		want int
	}{
		{map[string]any{"version": 1, "sim": map[string]string{"iccid": "8946080000000000008", "dispatchedOn": todayInStockholm()}}, 422},
		{map[string]any{"version": 1, "simDeliveryAddress": map[string]string{"name": "Kim"}}, 422},
		{map[string]any{"version": 1, "sim": map[string]string{"iccid": "8946080000000000009", "dispatchedOn": in2days}}, 422},
		{map[string]any{"simDeliveryAddress": moved}, 422},
		{map[string]any{"version": 1, "iccid": "8946080000000000009"}, 422},
		{map[string]any{"version": 4, "simDeliveryAddress": moved}, 409},
	} {
		if res := e.do("PATCH", path, c.body, bearer(token)...); res.status != c.want {
			t.Errorf("PATCH %v: %d %s, want %d", c.body, res.status, res.body, c.want)
		}
	}
	if v := read(); v.Version != 1 {
		t.Fatalf("a refused change wrote: %+v", v)
	}
	var v subscriptionView
	if res := e.do("PATCH", path, map[string]any{"version": 1, "simDeliveryAddress": moved}, bearer(token)...); res.status != http.StatusOK {
		t.Fatalf("a new delivery address: %d %s", res.status, res.body)
	}
	res := e.do("PATCH", path, map[string]any{"version": 2, "sim": map[string]string{"iccid": "8946080000000000009", "dispatchedOn": todayInStockholm()}}, bearer(token)...)
	res.decode(t, &v)
	if res.status != http.StatusOK || v.SIM == nil || v.SIM.ICCID != "8946080000000000009" || v.SIMDeliveryAddress["street"] != "Drottninggatan 2" {
		t.Fatalf("the dispatch: %d %s", res.status, res.body)
	}
	if res := e.do("PATCH", path, map[string]any{"version": 3, "simDeliveryAddress": invoice}, bearer(token)...); res.status != http.StatusConflict {
		t.Fatalf("readdressed after the SIM left: %d %s", res.status, res.body)
	}

	// The dispatcher activates it on its date, not before.
	if run := e.do("POST", "/_local/schedules/UserActivations", nil); !strings.Contains(run.String(), `"subscriptionsActivated":0`) {
		t.Fatalf("activated early: %s", run.body)
	}
	ahead.Store(int64(72 * time.Hour))
	if run := e.do("POST", "/_local/schedules/UserActivations", nil); !strings.Contains(run.String(), `"subscriptionsActivated":1`) {
		t.Fatalf("the dispatcher: %s", run.body)
	}
	if v := read(); v.Status != "active" {
		t.Fatalf("after its date: %+v", v)
	}

	// Another one is activated at once by an administrator; its SIM cannot be the first's.
	now := wizard("now@subs.example", "+46812340071")
	if res := e.do("PATCH", "/v1/accounts/"+acct.ID+"/subscriptions/"+now.ID, map[string]any{"version": 1,
		"sim": map[string]string{"iccid": "8946080000000000009", "dispatchedOn": todayInStockholm()}}, bearer(token)...); res.status != http.StatusConflict ||
		!strings.Contains(res.String(), "sim.iccid") {
		t.Fatalf("a SIM dispatched twice: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/subscriptions/"+now.ID+"/activate", nil, bearer(token)...); res.status != http.StatusOK ||
		!strings.Contains(res.String(), `"status":"active"`) || !strings.Contains(res.String(), `"activationDate":"`+todayInStockholm()+`"`) {
		t.Fatalf("activate now: %d %s", res.status, res.body)
	}
	if res := e.do("POST", "/v1/accounts/"+acct.ID+"/subscriptions/"+now.ID+"/activate", nil, bearer(token)...); res.status != http.StatusConflict {
		t.Fatalf("activated twice: %d %s", res.status, res.body)
	}

	// Terminated: the number stays taken while it ages, then is free in its range.
	available := func() string {
		return e.do("GET", "/v1/accounts/"+acct.ID+"/numbers/available?kind=mobile", nil, bearer(token)...).String()
	}
	if res := e.do("POST", path+"/terminate", map[string]string{"reason": " "}, bearer(token)...); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a termination without a reason: %d %s", res.status, res.body)
	}
	res = e.do("POST", path+"/terminate", map[string]string{"reason": "the subscriber moved abroad"}, bearer(token)...)
	res.decode(t, &v)
	if res.status != http.StatusOK || v.Status != "terminated" || v.NumberFreeAt.Before(time.Now().Add(89*24*time.Hour)) {
		t.Fatalf("terminated: %d %s", res.status, res.body)
	}
	if strings.Contains(available(), `"`+sub.Number+`"`) {
		t.Fatalf("the number is free while it ages: %s", available())
	}
	if res := e.do("POST", path+"/terminate", map[string]string{"reason": "again"}, bearer(token)...); res.status != http.StatusConflict {
		t.Fatalf("terminated twice: %d %s", res.status, res.body)
	}
	ahead.Store(int64(91 * 24 * time.Hour))
	if run := e.do("POST", "/_local/schedules/UserActivations", nil); !strings.Contains(run.String(), `"numbersReleased":1`) {
		t.Fatalf("the aging's end: %s", run.body)
	}
	if !strings.Contains(available(), `"`+sub.Number+`"`) {
		t.Fatalf("the number is not free after its aging: %s", available())
	}
	if run := e.do("POST", "/_local/schedules/UserActivations", nil); !strings.Contains(run.String(), `"numbersReleased":0`) {
		t.Fatalf("released twice: %s", run.body)
	}

	// The audit log has each step; another tenant finds nothing.
	log := e.do("GET", "/v1/accounts/"+acct.ID+"/audit-log?entity=subscription&limit=100", nil, bearer(token)...).String()
	for _, action := range []string{"subscription.update", "subscription.activate", "subscription.terminated"} {
		if !strings.Contains(log, `"`+action+`"`) {
			t.Errorf("the audit log lacks %s: %s", action, log)
		}
	}
	_, other := sipTenant(e, "Other")
	for _, call := range [][2]string{{"GET", ""}, {"POST", "/activate"}} {
		if res := e.do(call[0], path+call[1], nil, bearer(other)...); res.status != http.StatusNotFound {
			t.Errorf("another tenant's %s %s: %d %s", call[0], call[1], res.status, res.body)
		}
	}
}
