// Command webhook-events is the WebhookEventsFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/queue/sqs"
)

func main() {
	app.Start("WebhookEventsFunction", app.WebhookEventsFunction, app.Clients{Queues: sqs.New})
}
