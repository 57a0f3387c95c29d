package localserver_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provisio/provisio/infra/localserver"
	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/app"
)

func TestBadRegistrationsAreRefusedAndWriteNothing(t *testing.T) {
	e := mustStart(t)
	withTenant := func(field string, value any) map[string]any {
		b := registrationBody("Bad", "now")
		b["tenant"].(map[string]any)[field] = value
		return b
	}
	cases := []struct {
		name    string
		body    any
		headers []string
		status  int
		field   string
	}{
		{"malformed json", `{"templateId":`, nil, http.StatusBadRequest, ""},
		{"empty body", ``, nil, http.StatusBadRequest, ""},
		{"two objects", `{} {}`, nil, http.StatusBadRequest, ""},
		{"unknown field", `{"templateId":"business-pro","admin":true}`, nil, http.StatusUnprocessableEntity, "admin"},
		{"wrong type", `{"tenant":{"name":5}}`, nil, http.StatusUnprocessableEntity, "tenant.name"},
		{"too large", `{"templateId":"` + strings.Repeat("x", 20000) + `"}`, nil, http.StatusRequestEntityTooLarge, ""},
		{"not json", `a=b`, []string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType, ""},
		{"name with space", withTenant("name", "Kenton Electronics"), nil, http.StatusUnprocessableEntity, "tenant.name"},
		{"short name with underscore", withTenant("shortName", "k_e"), nil, http.StatusUnprocessableEntity, "tenant.shortName"},
		{"upn suffix not a domain", withTenant("upnSuffix", "kenton"), nil, http.StatusUnprocessableEntity, "tenant.upnSuffix"},
		{"weak password", withTenant("password", "password"), nil, http.StatusUnprocessableEntity, "tenant.password"},
		{"ani not e164", withTenant("ani", "08-123 456 78"), nil, http.StatusUnprocessableEntity, "tenant.ani"},
		{"unknown template", func() any { b := registrationBody("Bad", "now"); b["templateId"] = "gold"; return b }(), nil, http.StatusUnprocessableEntity, "templateId"},
		{"bad schedule", func() any { b := registrationBody("Bad", "tomorrow"); return b }(), nil, http.StatusUnprocessableEntity, "schedule"},
		{"bad idempotency key", registrationBody("Bad", "now"), []string{"Idempotency-Key", "has space"}, http.StatusUnprocessableEntity, "Idempotency-Key"},
	}
	before := len(e.tableItems()) // the provider's root account and its administrator
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.do("POST", "/v1/registrations", c.body, c.headers...)
			var p struct {
				Type   string `json:"type"`
				Status int    `json:"status"`
				Errors []struct{ Field, Reason string }
			}
			res.decode(t, &p)
			if res.status != c.status || p.Status != c.status || res.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("got %d (%s), want %d: %s", res.status, res.header.Get("Content-Type"), c.status, res.body)
			}
			if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
				t.Fatalf("errors %+v, want field %s", p.Errors, c.field)
			}
			if strings.Contains(string(res.body), "Correct-Horse-42") {
				t.Fatal("the problem echoes the password")
			}
		})
	}
	if items := e.tableItems(); len(items) != before {
		t.Fatalf("refused requests wrote %d items: %v", len(items)-before, items)
	}
	if res := e.do("GET", "/v1/registrations/reg-unknown", nil); res.status != http.StatusNotFound {
		t.Fatalf("unknown registration: %d", res.status)
	}
}

func TestUnreachableEngineAnswers503(t *testing.T) {
	cfg := mustEngine(t)
	dead := cfg.Copy()
	dead.BaseEndpoint = aws.String("http://127.0.0.1:1") // nothing listens on port 1
	dead.RetryMaxAttempts = 1
	vars := map[string]string{"TABLE_NAME": "provisio", "PROVISIONING_QUEUE_URL": "http://127.0.0.1:1/q", "REALM_SUFFIX": "sip.example"}
	h, err := app.NewDeps(func() (aws.Config, error) { return dead, nil }, func(k string) string { return vars[k] }, localserver.AllClients,
		slog.New(slog.NewJSONHandler(io.Discard, nil))).Wire(app.SubmitRegistrationFunction)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := apigw.Event(r, "POST /v1/registrations", "req-1")
		res, _ := h.(apigw.Handler)(r.Context(), ev)
		apigw.Write(w, res)
	}))
	defer srv.Close()
	e := &env{t: t, url: srv.URL, logs: &syncBuffer{}}
	_, res := e.submit(registrationBody("Down", "now"))
	if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" ||
		res.header.Get("Content-Type") != "application/problem+json" || strings.Contains(string(res.body), "127.0.0.1") {
		t.Fatalf("got %d %v: %s", res.status, res.header, res.body)
	}
}
