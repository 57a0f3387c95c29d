// Command deliver-webhook is the DeliverWebhookFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/queue/sqs"
)

func main() {
	app.Start("DeliverWebhookFunction", app.DeliverWebhookFunction, app.Clients{Queues: sqs.New})
}
