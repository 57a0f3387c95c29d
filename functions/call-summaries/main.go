// Command call-summaries is the CallSummariesFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("CallSummariesFunction", app.CallSummariesFunction, app.Clients{})
}
