package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/ident"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	loggerKey
)

// RequestIDHeader carries the request ID in and out; shared/apigw puts API Gateway's own
// ID there.
const RequestIDHeader = "X-Request-Id"

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Observe wraps h with what every route needs: a request ID (taken from the request or
// made), a logger carrying it, one structured access log line (method, path, status,
// duration; never bodies, so never passwords) and recovery from panics as a 500 problem.
func Observe(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if id == "" || len(id) > 128 {
			id = ident.New("req-")
		}
		reqLog := log.With("requestId", id)
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), loggerKey, reqLog)
		r = r.WithContext(ctx)
		w.Header().Set(RequestIDHeader, id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				reqLog.ErrorContext(ctx, "panic", "panic", p, "stack", string(debug.Stack()))
				writeError(rec, r, fault.New(fault.Internal, "panic"))
			}
			// The route, not the path: paths can carry link tokens.
			reqLog.InfoContext(ctx, "request", "route", r.Pattern, "status", rec.status,
				"durationMs", time.Since(start).Milliseconds())
		}()
		h.ServeHTTP(rec, r)
	})
}
