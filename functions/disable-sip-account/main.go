// Command disable-sip-account is the DisableSipAccountFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/queue/sqs"
)

func main() {
	app.Start("DisableSipAccountFunction", app.DisableSipAccountFunction, app.Clients{Queues: sqs.New})
}
