package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/provisio/provisio/shared/account"
	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/registration"
	"github.com/provisio/provisio/shared/registration/registrationtest"
)

const validBody = `{"templateId":"business-pro","schedule":"now","tenant":{"name":"KentonElectronics","shortName":"ke",
"upnSuffix":"kenton-electronics.com","adminUserName":"keAdmin","password":"Correct-Horse-42","ani":"+46812345678"},
"contact":{"name":"Kim","email":"it@kenton-electronics.com","phone":"+46701234567"}}`

func newAPI(t testing.TB, log *slog.Logger) *API {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := &registration.Service{Catalog: cat, Store: &registrationtest.Store{}, Jobs: &registrationtest.Jobs{}, Log: log,
		Now: time.Now, NewID: func() string { return "reg-1" }}
	return &API{Catalog: cat, Registrations: svc, Log: log}
}

func TestSubmitRegistrationAnswers(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	api := newAPI(t, log)
	h := Observe(log, http.HandlerFunc(api.SubmitRegistration))
	cases := []struct {
		name, body, contentType string
		status                  int
	}{
		{"accepted", validBody, "application/json", http.StatusAccepted},
		{"accepted with charset", validBody, "application/json; charset=utf-8", http.StatusAccepted},
		{"malformed", `{"templateId"`, "application/json", http.StatusBadRequest},
		{"array", `[]`, "application/json", http.StatusBadRequest},
		{"trailing data", validBody + `x`, "application/json", http.StatusBadRequest},
		{"unknown field", `{"x":1}`, "application/json", http.StatusUnprocessableEntity},
		{"text body", validBody, "text/plain", http.StatusUnsupportedMediaType},
		{"too large", `{"templateId":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, "application/json", http.StatusRequestEntityTooLarge},
		{"invalid fields", `{"templateId":"business-pro","schedule":"now"}`, "application/json", http.StatusUnprocessableEntity},
		{"latin-1", validBody, "application/json; charset=iso-8859-1", http.StatusUnsupportedMediaType},
		{"invalid UTF-8", strings.Replace(validBody, "Kim", "K\xffm", 1), "application/json", http.StatusBadRequest},
		{"key twice", strings.Replace(validBody, `"schedule":"now"`, `"schedule":"now","schedule":"off-peak"`, 1), "application/json", http.StatusBadRequest},
		{"key in upper case", strings.Replace(validBody, `"schedule"`, `"SCHEDULE"`, 1), "application/json", http.StatusUnprocessableEntity},
		{"unknown nested field", strings.Replace(validBody, `"ani"`, `"confirmPassword":"x","ani"`, 1), "application/json", http.StatusUnprocessableEntity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/v1/registrations", strings.NewReader(c.body))
			req.Header.Set("Content-Type", c.contentType)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.status {
				t.Fatalf("got %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			if rec.Header().Get(RequestIDHeader) == "" {
				t.Fatal("no request ID")
			}
			if c.status >= 400 {
				var p Problem
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != c.status || p.RequestID == "" ||
					!strings.HasPrefix(p.Type, problemTypeBase) {
					t.Fatalf("problem %s (%v)", rec.Body, err)
				}
			}
		})
	}
	if strings.Contains(logs.String(), "Correct-Horse-42") {
		t.Fatal("a password reached the logs")
	}
}

func TestObserveRecoversPanics(t *testing.T) {
	var logs bytes.Buffer
	h := Observe(slog.New(slog.NewJSONHandler(&logs, nil)), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	req := httptest.NewRequest("GET", "/v1/health", nil)
	req.Header.Set(RequestIDHeader, "req-given")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "boom") || rec.Header().Get(RequestIDHeader) != "req-given" {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), `"requestId":"req-given"`) {
		t.Fatalf("logs lack the request ID: %s", logs.String())
	}
}

// FuzzSubmitRegistration feeds arbitrary bodies to the parser and validators: they must
// never panic, never answer 5xx, and never echo the password.
func FuzzSubmitRegistration(f *testing.F) {
	f.Add(validBody)
	f.Add(`{"tenant":{"name":"a b","ani":"+4"},"contact":{"email":"@"}}`)
	f.Add(`{"templateId":"business-pro","schedule":"off-peak","tenant":{"upnSuffix":"-.-"}}`)
	f.Add(`{"tenant":null,"contact":[]}`)
	api := newAPI(f, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	h := Observe(api.Log, http.HandlerFunc(api.SubmitRegistration))
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/v1/registrations", strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for %q: %s", rec.Code, body, rec.Body)
		}
		var parsed registrationBody
		if json.Unmarshal([]byte(body), &parsed) == nil && len(parsed.Tenant.Password) >= 8 &&
			rec.Code != http.StatusAccepted && strings.Contains(rec.Body.String(), parsed.Tenant.Password) {
			t.Fatalf("the answer echoes the password: %s", rec.Body)
		}
	})
}

// BenchmarkSubmitRegistrationInProcess measures the handler with the engine left out
// (fakes stand in for the store and queue): parsing, validation, bcrypt, encoding.
func BenchmarkSubmitRegistrationInProcess(b *testing.B) {
	api := newAPI(b, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	h := Observe(api.Log, http.HandlerFunc(api.SubmitRegistration))
	submit := func() {
		req := httptest.NewRequest("POST", "/v1/registrations", strings.NewReader(validBody))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted {
			b.Fatalf("got %d", rec.Code)
		}
	}
	submit() // a warm function: the ANI's numbering plan is compiled on the first request
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		submit()
	}
}

// TestProtectedHandlersRefuseRequestsWithoutACaller: a route reached without
// Authenticated (a wiring mistake) must answer 401, not act for nobody.
func TestProtectedHandlersRefuseRequestsWithoutACaller(t *testing.T) {
	api := newAPI(t, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	for name, h := range map[string]http.HandlerFunc{"me": api.Me, "create": api.CreateAccount, "list": api.ListAccounts,
		"get": api.GetAccount, "update": api.UpdateAccount, "delete": api.DeleteAccount, "audit": api.AccountAuditLog} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/v1/accounts/x", strings.NewReader(`{}`))
		req.Header.Set(RequestIDHeader, "req-1")
		h(rec, req)
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") != `Bearer realm="provisio"` {
			t.Errorf("%s: got %d %v %s", name, rec.Code, rec.Header(), rec.Body)
		}
	}
}

// tokens answers Authenticate with a fixed caller or error.
type tokens struct {
	who account.Actor
	err error
}

func (t tokens) Authenticate(context.Context, string) (account.Actor, error) { return t.who, t.err }

func TestAuthenticatedAnswersRFC6750(t *testing.T) {
	who := account.Actor{UserID: "usr-1", AccountID: "acc-1", Role: account.TenantAdmin}
	invalid := fault.Wrap(fault.Unauthorized, auth.ErrInvalidToken, "the token is not valid")
	for name, c := range map[string]struct {
		tokens    tokens
		status    int
		challenge string
	}{
		"no token":    {tokens{err: auth.ErrNoToken}, http.StatusUnauthorized, `Bearer realm="provisio"`},
		"bad token":   {tokens{err: invalid}, http.StatusUnauthorized, `Bearer realm="provisio", error="invalid_token"`},
		"store down":  {tokens{err: fault.New(fault.Unavailable, "the data store is unavailable")}, http.StatusServiceUnavailable, ""},
		"valid token": {tokens{who: who}, http.StatusOK, ""},
	} {
		t.Run(name, func(t *testing.T) {
			api := &API{Tokens: c.tokens}
			var seen account.Actor
			h := api.Authenticated(func(w http.ResponseWriter, r *http.Request) {
				seen, _ = auth.CallerFrom(r.Context())
				w.WriteHeader(http.StatusOK)
			})
			rec := httptest.NewRecorder()
			h(rec, httptest.NewRequest("GET", "/v1/me", nil))
			if rec.Code != c.status || rec.Header().Get("WWW-Authenticate") != c.challenge {
				t.Fatalf("got %d %q %s", rec.Code, rec.Header().Get("WWW-Authenticate"), rec.Body)
			}
			if c.status == http.StatusOK && seen != who {
				t.Fatalf("the handler saw caller %+v", seen)
			}
			if c.status != http.StatusOK && rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("a refusal of type %q", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestEveryFaultCodeHasAStatus(t *testing.T) {
	for _, c := range fault.Codes {
		if statusOf[c] == 0 {
			t.Errorf("fault code %s has no HTTP status", c)
		}
	}
}

// TestEveryPageIsFilled renders each SIP page with what its handler passes: nothing is
// left unfilled, and a value is HTML-escaped.
func TestEveryPageIsFilled(t *testing.T) {
	for name, fields := range map[string]map[string]string{
		"activate.html":     {"DisplayName": `Kim <script>alert("x")</script>`, "Action": "/v1/sip/activate/tok"},
		"activated.html":    {"DisplayName": "Kim & Co"},
		"link-invalid.html": nil,
	} {
		rec := httptest.NewRecorder()
		writePage(rec, http.StatusOK, name, fields)
		body := rec.Body.String()
		if strings.Contains(body, "{{") || strings.Contains(body, "<script>") || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %s", name, body)
		}
		for _, v := range fields {
			if want := html.EscapeString(v); !strings.Contains(body, want) {
				t.Errorf("%s does not show %q", name, want)
			}
		}
	}
}
