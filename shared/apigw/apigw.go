// Package apigw adapts API Gateway HTTP API (payload v2) events to net/http, both ways:
// a Lambda turns its event into a request for the shared handlers, and the local server
// turns a real request into the event the Lambda would get.
package apigw

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/provisio/provisio/shared/httpapi"
)

// Handler is what an HTTP Lambda function starts with.
type Handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Adapt returns the Lambda handler that serves h.
func Adapt(h http.Handler) Handler {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		req, err := Request(ctx, ev)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusBadRequest}, nil
		}
		w := &responseWriter{header: http.Header{}}
		h.ServeHTTP(w, req)
		return w.event(), nil
	}
}

// responseWriter keeps what a handler writes, for the response event. It is all a
// handler needs of an http.ResponseWriter, without httptest's copies of every header and
// of the body.
type responseWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

// Write sniffs a Content-Type the handler did not set, as net/http does, when it writes
// before choosing a status.
func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 && w.header.Get("Content-Type") == "" && len(p) > 0 {
		w.header.Set("Content-Type", http.DetectContentType(p))
	}
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

// event is the response API Gateway expects: headers joined, cookies apart, and a body
// that is not UTF-8 in base64.
func (w *responseWriter) event() events.APIGatewayV2HTTPResponse {
	w.WriteHeader(http.StatusOK)
	out := events.APIGatewayV2HTTPResponse{StatusCode: w.status, Headers: make(map[string]string, len(w.header))}
	for k, v := range w.header {
		if k == "Set-Cookie" {
			out.Cookies = append(out.Cookies, v...)
			continue
		}
		out.Headers[k] = strings.Join(v, ",")
	}
	body := w.body.Bytes()
	if utf8.Valid(body) {
		out.Body = string(body)
	} else {
		out.Body, out.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	return out
}

// Request builds the net/http request an event describes, path values included.
func Request(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (*http.Request, error) {
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
			return nil, err
		}
	}
	u := url.URL{Path: ev.RawPath, RawQuery: ev.RawQueryString}
	req, err := http.NewRequestWithContext(ctx, ev.RequestContext.HTTP.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	// API Gateway joins a repeated header's values with commas. They stay one value, as
	// received: splitting on commas would break headers whose value holds one, such as
	// If-Modified-Since, and list headers read the same either way.
	for k, v := range ev.Headers {
		req.Header.Set(k, v)
	}
	if len(ev.Cookies) > 0 {
		req.Header.Set("Cookie", strings.Join(ev.Cookies, "; "))
	}
	// API Gateway's request ID goes where httpapi reads one, so logs and problems quote
	// the ID the gateway logged.
	if req.Header.Get(httpapi.RequestIDHeader) == "" && ev.RequestContext.RequestID != "" {
		req.Header.Set(httpapi.RequestIDHeader, ev.RequestContext.RequestID)
	}
	// The route API Gateway matched ("GET /v1/sip/install/{token}") is the request's
	// Pattern, as net/http's ServeMux sets it, so handlers need nothing of this package.
	req.Pattern = ev.RouteKey
	for k, v := range ev.PathParameters {
		req.SetPathValue(k, v)
	}

	req.RemoteAddr = ev.RequestContext.HTTP.SourceIP
	req.RequestURI = u.RequestURI()
	return req, nil
}

// Event builds the event API Gateway would send for r matched to routeKey
// ("POST /v1/registrations/{id}"), with the route's path parameters taken from r.
func Event(r *http.Request, routeKey, requestID string) (events.APIGatewayV2HTTPRequest, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return events.APIGatewayV2HTTPRequest{}, err
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: routeKey, RawPath: r.URL.Path, RawQueryString: r.URL.RawQuery,
		Headers: map[string]string{}, PathParameters: map[string]string{},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: routeKey, RequestID: requestID, Stage: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: r.Method, Path: r.URL.Path, Protocol: r.Proto, SourceIP: r.RemoteAddr, UserAgent: r.UserAgent(),
			},
		},
	}
	for k, v := range r.Header {
		if k == "Cookie" {
			ev.Cookies = append(ev.Cookies, v...)
			continue
		}
		ev.Headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	for _, name := range pathParams(routeKey) {
		ev.PathParameters[name] = r.PathValue(name)
	}
	if utf8.Valid(body) {
		ev.Body = string(body)
	} else {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	return ev, nil
}

// Write sends a Lambda's response to w.
func Write(w http.ResponseWriter, res events.APIGatewayV2HTTPResponse) {
	for k, v := range res.Headers {
		w.Header().Set(k, v)
	}
	for _, c := range res.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	body := []byte(res.Body)
	if res.IsBase64Encoded {
		if decoded, err := base64.StdEncoding.DecodeString(res.Body); err == nil {
			body = decoded
		}
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(body) // the client went away: nothing left to do
}

// pathParams returns the {names} in a route key's path.
func pathParams(routeKey string) []string {
	var names []string
	for _, seg := range strings.Split(routeKey, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			names = append(names, strings.TrimSuffix(strings.Trim(seg, "{}"), "+"))
		}
	}
	return names
}
