package apigw

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// echo reports what a handler sees of the request.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Set-Cookie", "a=1")
	w.Header().Add("Vary", "Accept")
	w.Header().Add("Vary", "Origin")
	w.WriteHeader(http.StatusTeapot)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"method": r.Method, "path": r.URL.Path, "query": r.URL.Query().Get("q"), "id": r.PathValue("id"),
		"body": string(body), "key": r.Header.Get("Idempotency-Key"), "rid": r.Header.Get("X-Request-Id"),
		"since": r.Header.Get("If-Modified-Since"), "accept": r.Header.Get("Accept"), "route": r.Pattern,
	})
})

func TestRoundTripThroughTheEvent(t *testing.T) {
	// net/http request -> event (local server) -> request (Lambda) -> handler -> response.
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/registrations/{id}", func(w http.ResponseWriter, r *http.Request) {
		ev, err := Event(r, "POST /v1/registrations/{id}", "req-9")
		if err != nil {
			t.Fatal(err)
		}
		res, err := Adapt(echo)(r.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		Write(w, res)
	})
	req := httptest.NewRequest("POST", "/v1/registrations/reg-7?q=x", strings.NewReader(`{"a":1}`))
	req.Header.Set("Idempotency-Key", "k1")
	req.Header.Set("If-Modified-Since", "Tue, 01 Dec 2026 10:00:00 GMT")
	req.Header.Add("Accept", "text/csv")
	req.Header.Add("Accept", "application/json")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var got map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"method": "POST", "path": "/v1/registrations/reg-7", "query": "x", "id": "reg-7",
		"body": `{"a":1}`, "key": "k1", "rid": "req-9",
		// A date keeps its comma; a repeated header arrives joined, as API Gateway sends it.
		"since": "Tue, 01 Dec 2026 10:00:00 GMT", "accept": "text/csv,application/json",
		// The route API Gateway matched is the request's Pattern, as a ServeMux sets it.
		"route": "POST /v1/registrations/{id}"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if rec.Code != http.StatusTeapot || rec.Header().Get("Set-Cookie") != "a=1" || rec.Header().Get("Vary") != "Accept,Origin" {
		t.Fatalf("response %d %v", rec.Code, rec.Header())
	}
}

func TestAdaptSampleEventWithBase64Body(t *testing.T) {
	raw, err := os.ReadFile("../../events/get-registration.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	ev.Body, ev.IsBase64Encoded = "aGk=", true // "hi"
	res, err := Adapt(echo)(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Body, `"id":"reg-sample"`) || !strings.Contains(res.Body, `"body":"hi"`) || res.Cookies[0] != "a=1" {
		t.Fatalf("got %+v", res)
	}
	ev.Body = "%%%"
	if res, _ := Adapt(echo)(context.Background(), ev); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad base64: %d", res.StatusCode)
	}
}

// BenchmarkAdaptGet measures a typical authenticated GET through the adapter: the event
// API Gateway sends, a handler that answers a small JSON object, and the response event.
func BenchmarkAdaptGet(b *testing.B) {
	h := Adapt(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", r.Header.Get("X-Request-Id"))
		_ = json.NewEncoder(w).Encode(map[string]string{"id": r.PathValue("accountId"), "name": "ABC Company", "status": "active"})
	}))
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "GET /v1/accounts/{accountId}", RawPath: "/v1/accounts/acc-1",
		Headers: map[string]string{"accept": "application/json", "authorization": "Bearer eyJhbGciOiJFZERTQSJ9.e30.sig",
			"host": "api.example", "user-agent": "curl/8.5", "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https"},
		PathParameters: map[string]string{"accountId": "acc-1"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "req-1", RouteKey: "GET /v1/accounts/{accountId}",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/v1/accounts/acc-1", SourceIP: "198.51.100.7"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := h(context.Background(), ev)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("%d %v", res.StatusCode, err)
		}
	}
}

func TestAResponseWithoutStatusOrTypeReadsAsNetHTTPWouldSendIt(t *testing.T) {
	ev := events.APIGatewayV2HTTPRequest{RawPath: "/x", RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}}}
	for name, c := range map[string]struct {
		h           http.HandlerFunc
		status      int
		contentType string
	}{
		"nothing written": {func(http.ResponseWriter, *http.Request) {}, http.StatusOK, ""},
		"text, no type":   {func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hello")) }, http.StatusOK, "text/plain; charset=utf-8"},
		"status first": {func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusAccepted)
			w.WriteHeader(http.StatusTeapot) // ignored, as net/http does
			_, _ = w.Write([]byte("{}"))
		}, http.StatusAccepted, ""},
	} {
		res, err := Adapt(c.h)(context.Background(), ev)
		if err != nil || res.StatusCode != c.status || res.Headers["Content-Type"] != c.contentType {
			t.Errorf("%s: %d %q %v, want %d %q", name, res.StatusCode, res.Headers["Content-Type"], err, c.status, c.contentType)
		}
	}
}

// Every cookie of the event reaches the handler, in one Cookie header as a browser sends
// it (an adapter that kept only the first would lose a session's second cookie).
func TestEveryCookieReachesTheHandler(t *testing.T) {
	ev := events.APIGatewayV2HTTPRequest{RawPath: "/x", Cookies: []string{"a=1", "b=2"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}}}
	var got []string
	_, err := Adapt(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		for _, c := range r.Cookies() {
			got = append(got, c.String())
		}
	}))(context.Background(), ev)
	if err != nil || strings.Join(got, " ") != "a=1 b=2" {
		t.Fatalf("cookies %v, %v", got, err)
	}
}
