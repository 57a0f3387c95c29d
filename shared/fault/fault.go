// Package fault is Provisio's one error type. Domain code says what went wrong with a
// code and, for invalid input, a reason per field; the HTTP layer alone turns codes into
// status codes. Messages are safe to show to callers: never put secrets in them.
package fault

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Code classifies an error by what the caller can do about it.
type Code string

// The codes the API maps to status codes (see shared/httpapi).
const (
	Malformed    Code = "malformed"    // the request could not be parsed at all
	Invalid      Code = "invalid"      // well-formed, but fields break rules
	Conflict     Code = "conflict"     // clashes with existing state (uniqueness, state machine, version)
	Unauthorized Code = "unauthorized" // no or bad credentials
	NotFound     Code = "not_found"    // unknown, or not the caller's to see
	Forbidden    Code = "forbidden"    // known caller, not allowed
	Throttled    Code = "throttled"    // too many requests of this kind; retry later
	TooLarge     Code = "too_large"    // the body exceeds the documented limit
	Unavailable  Code = "unavailable"  // a dependency is down; nothing was half-written, retry
	Internal     Code = "internal"     // a bug or an unexpected dependency answer
	Unsupported  Code = "unsupported"  // the body's media type is not JSON
)

// Codes lists every code, so the HTTP mapping can be checked to cover them all.
var Codes = []Code{Malformed, Invalid, Conflict, Unauthorized, NotFound, Forbidden, Throttled, TooLarge, Unavailable, Internal, Unsupported}

// FieldReason says why one field was refused. Field is a JSON path such as "tenant.ani".
type FieldReason struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Error is the error every Provisio layer returns to the one above it.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldReason
	Err     error // the cause, for logs only; never shown to callers
	// RetryAfter is when the caller may try again: always sent for Throttled and
	// Unavailable (zero means soon), and for a Conflict that only waits on another request.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Reason)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a caller-safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with a code and message that keeps cause for the logs.
func Wrap(code Code, cause error, message string) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

// CodeOf returns the code of err, Internal for errors that carry none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Fields collects field reasons; its Err is nil while none were added.
type Fields struct{ list []FieldReason }

// Add records that field breaks a rule.
func (f *Fields) Add(field, reason string) { f.list = append(f.list, FieldReason{field, reason}) }

// Err returns an Invalid error listing every reason, or nil.
func (f *Fields) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "some fields are invalid", Fields: f.list}
}

// List returns the reasons added so far.
func (f *Fields) List() []FieldReason { return f.list }

// Conflict returns a Conflict error with message listing every reason (what clashes with
// existing state), keeping cause for the logs; nil while none were added.
func (f *Fields) Conflict(message string, cause error) error {
	if len(f.list) == 0 {
		return nil
	}
	return &Error{Code: Conflict, Message: message, Fields: f.list, Err: cause}
}
