// Package function holds what every function's wiring shares and nothing that calls AWS:
// its log, its environment (a missing variable is recorded, not fatal at once), the
// configuration problems found while wiring, the handler it built, and Start, which runs
// it as a Lambda. The functions that call no AWS service (health, the template list, the
// registrar's dead letters) are wired here alone, so their binaries link no AWS SDK at
// all; shared/app builds on a Base for every other function.
package function

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/provisio/provisio/shared/apigw"
	"github.com/provisio/provisio/shared/catalog"
	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/queue"
)

// Base is what a function's wiring reads and builds before any AWS client.
type Base struct {
	Log *slog.Logger
	// Handler is the function's Lambda handler, once wired.
	Handler any
	// API is the HTTP API the handler serves, when it serves routes.
	API *httpapi.API

	getenv   func(string) string
	problems []string
	catalog  *catalog.Catalog
}

// New returns the base of a function whose environment getenv reads.
func New(getenv func(string) string, log *slog.Logger) *Base {
	return &Base{Log: log, getenv: getenv}
}

// Env returns a required variable; a missing one is recorded for Err.
func (b *Base) Env(name string) string {
	v := b.getenv(name)
	if v == "" {
		b.Problem(name + " is not set")
	}
	return v
}

// Problem records what is wrong with the function's configuration.
func (b *Base) Problem(problem string) { b.problems = append(b.problems, problem) }

// Err names every variable that was missing or malformed while wiring, and any part that
// could not be built.
func (b *Base) Err() error {
	if len(b.problems) == 0 {
		return nil
	}
	return errors.New("configuration: " + strings.Join(b.problems, "; "))
}

// Catalogue is the service templates shipped in the binary.
func (b *Base) Catalogue() *catalog.Catalog {
	if b.catalog == nil {
		cat, err := catalog.Load()
		if err != nil {
			b.Problem(err.Error())
		}
		b.catalog = cat
	}
	return b.catalog
}

// Public wraps a handler of api that anyone may call (sign-in, self-registration, the
// links sent by SMS, health) as a Lambda handler behind API Gateway: logged, and nothing
// else.
func (b *Base) Public(api *httpapi.API, h http.HandlerFunc) any {
	api.Log = b.Log
	b.API = api
	return apigw.Adapt(httpapi.Observe(b.Log, h))
}

// Wiring builds one function's Lambda handler from what b has.
type Wiring func(b *Base) any

// Wire builds the handler with wire and keeps it in b.Handler; the error names every
// problem the wiring found.
func (b *Base) Wire(wire Wiring) (any, error) {
	b.Handler = wire(b)
	return b.Handler, b.Err()
}

// All is the wiring of every function that calls no AWS service, by logical ID.
func All() map[string]Wiring {
	return map[string]Wiring{
		"HealthFunction":             HealthFunction,
		"ListTemplatesFunction":      ListTemplatesFunction,
		"RegistrarEventsDLQFunction": RegistrarEventsDLQFunction,
	}
}

// HealthFunction answers GET /v1/health; it touches nothing downstream.
func HealthFunction(b *Base) any {
	api := &httpapi.API{}
	return b.Public(api, api.Health)
}

// ListTemplatesFunction answers GET /v1/templates from the embedded catalog.
func ListTemplatesFunction(b *Base) any {
	api := &httpapi.API{Catalog: b.Catalogue()}
	return b.Public(api, api.ListTemplates)
}

// RegistrarEventsDLQFunction drops an event the registrar-events queue gave up on.
// Registrations are refreshed by the next REGISTER, so nothing is lost for long; the log
// line (and the DLQ's CloudWatch metrics) tell operators the registrar and Provisio
// disagree.
func RegistrarEventsDLQFunction(b *Base) any {
	log := b.Log
	return queue.Consumer(log, func(ctx context.Context, body string) error {
		log.ErrorContext(ctx, "registrar event dead-lettered and dropped", "bytes", len(body))
		return nil
	})
}

// NewLogger returns the JSON logger every function and the local server use.
func NewLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: level}))
}

// Start runs the function name, wired by wire, as a Lambda: all the main of a function
// that calls no AWS service does.
func Start(name string, wire Wiring) {
	Run(name, func(b *Base) (any, error) { return b.Wire(wire) })
}

// Run runs the function name as a Lambda with the handler build makes from its base. A
// configuration error ends the cold start with a log line instead of a half-wired
// handler.
func Run(name string, build func(b *Base) (any, error)) {
	var level slog.Level
	if v := os.Getenv("LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			NewLogger(slog.LevelInfo).Error("cold start failed", "function", name, "error", "LOG_LEVEL must be debug, info, warn or error")
			os.Exit(1)
		}
	}
	log := NewLogger(level).With("function", name)
	h, err := build(New(os.Getenv, log))
	if err != nil {
		log.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
