// Package app wires Provisio's functions: each function's wiring (a Wiring, one per
// logical ID of template.yaml, kept with its domain's others) asks Deps for the clients
// and services its handler uses, and nothing else is built or linked. Function mains and
// the local server both get their handlers here, so they cannot drift apart.
package app

import "github.com/provisio/provisio/shared/function"

// Wiring builds one function's Lambda handler from the parts it asks d for: an
// apigw.Handler, a queue.Handler or a ScheduleHandler. Each
// function's main passes its own, so it links and builds only what that handler uses;
// the local server serves the very same ones (All).
type Wiring func(d *Deps) any

// All is every function's wiring by logical ID, each domain's table merged, and the
// functions that call no AWS service (package function). Only the local server and tests
// refer to it: a function's main names its one wiring, so the linker keeps the others out
// of its binary.
func All() map[string]Wiring {
	all := map[string]Wiring{}
	for name, w := range function.All() {
		all[name] = func(d *Deps) any { return w(d.Base) }
	}
	for _, domain := range []map[string]Wiring{platformFunctions(), registrationFunctions(), authFunctions(), accountFunctions(),
		userFunctions(), numberFunctions(), sipFunctions(), portingFunctions(), contactFunctions(), billingFunctions(), apiKeyFunctions(), webhookFunctions()} {
		for name, w := range domain {
			all[name] = w
		}
	}
	return all
}

// Start runs the function name, wired by wire with the clients its main links, as a
// Lambda. It is all a function's main does (function.Run).
func Start(name string, wire Wiring, clients Clients) {
	function.Run(name, func(b *function.Base) (any, error) {
		d := &Deps{Base: b, Clients: clients}
		return d.Wire(wire)
	})
}
