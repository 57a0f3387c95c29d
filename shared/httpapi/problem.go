// Package httpapi is Provisio's HTTP surface as plain net/http handlers: request models,
// their conversion to domain values, and the one table from fault codes to status codes.
// The same handlers serve API Gateway (through shared/apigw) and the local server.
package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/provisio/provisio/shared/auth"
	"github.com/provisio/provisio/shared/fault"
)

// problemTypeBase prefixes every problem type URI; the suffix is the fault code.
const problemTypeBase = "https://provisio.example/problems/"

var statusOf = map[fault.Code]int{
	fault.Malformed:    http.StatusBadRequest,
	fault.Invalid:      http.StatusUnprocessableEntity,
	fault.Conflict:     http.StatusConflict,
	fault.NotFound:     http.StatusNotFound,
	fault.Unauthorized: http.StatusUnauthorized,
	fault.Forbidden:    http.StatusForbidden,
	fault.TooLarge:     http.StatusRequestEntityTooLarge,
	fault.Throttled:    http.StatusTooManyRequests,
	fault.Unsupported:  http.StatusUnsupportedMediaType,
	fault.Unavailable:  http.StatusServiceUnavailable,
	fault.Internal:     http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"requestId,omitempty"`
	Errors    []fault.FieldReason `json:"errors,omitempty"`
}

// writeError answers with the problem for err. Internal errors are logged with their
// cause and answered without it.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *fault.Error
	if !errors.As(err, &fe) {
		fe = fault.Wrap(fault.Internal, err, "")
	}
	status := statusOf[fe.Code]
	p := Problem{
		Type: problemTypeBase + string(fe.Code), Title: http.StatusText(status), Status: status,
		Detail: fe.Message, Instance: r.URL.Path, RequestID: requestID(r.Context()), Errors: fe.Fields,
	}
	switch fe.Code {
	case fault.Internal:
		logger(r.Context()).ErrorContext(r.Context(), "internal error", "error", err)
		p.Detail = "an unexpected error occurred; quote the request ID when reporting it"
	case fault.Unavailable:
		logger(r.Context()).WarnContext(r.Context(), "dependency unavailable", "error", err)
	}
	if fe.Code == fault.Unavailable || fe.Code == fault.Throttled || fe.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(fe.RetryAfter.Seconds())))))
	}
	// Every 401 carries a challenge (RFC 7235), a failed sign-in's too. A bad token is
	// named as such (RFC 6750), so a client knows to sign in again rather than retry.
	switch {
	case errors.Is(err, auth.ErrInvalidToken):
		w.Header().Set("WWW-Authenticate", `Bearer realm="provisio", error="invalid_token"`)
	case status == http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="provisio"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p) // the client went away: nothing left to do
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Default().Warn("response not written", "error", err)
	}
}
