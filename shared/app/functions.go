// Package app wires Provisio's functions: each function's wiring (a Wiring, one per
// logical ID of template.yaml, kept with its domain's others) asks Deps for the clients
// and services its handler uses, and nothing else is built or linked. Function mains and
// the local server both get their handlers here, so they cannot drift apart.
package app

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

// Wiring builds one function's Lambda handler from the parts it asks d for: an
// apigw.Handler, a queue.Handler, a ScheduleHandler or an AuthorizerHandler. Each
// function's main passes its own, so it links and builds only what that handler uses;
// the local server serves the very same ones (All).
type Wiring func(d *Deps) any

// All is every function's wiring by logical ID, each domain's table merged. Only the local
// server and tests refer to it: a function's main names its one wiring, so the linker
// keeps the others out of its binary.
func All() map[string]Wiring {
	all := map[string]Wiring{}
	for _, domain := range []map[string]Wiring{platformFunctions(), registrationFunctions(), authFunctions(), accountFunctions(),
		userFunctions(), numberFunctions(), sipFunctions(), portingFunctions(), contactFunctions(), billingFunctions()} {
		for name, w := range domain {
			all[name] = w
		}
	}
	return all
}

// NewLogger returns the JSON logger every function and the local server use.
func NewLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: level}))
}

// Start runs the function name, wired by wire with the clients its main links, as a
// Lambda. It is all a function's main does; a configuration error ends the cold start with
// a log line instead of a half-wired handler.
func Start(name string, wire Wiring, clients Clients) {
	var level slog.Level
	if v := os.Getenv("LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			NewLogger(slog.LevelInfo).Error("cold start failed", "function", name, "error", "LOG_LEVEL must be debug, info, warn or error")
			os.Exit(1)
		}
	}
	log := NewLogger(level).With("function", name)
	h, err := NewDeps(nil, os.Getenv, clients, log).Wire(wire)
	if err != nil {
		log.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
