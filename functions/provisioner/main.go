// Command provisioner is the ProvisionerFunction Lambda of template.yaml. Its wiring lives in shared/app,
// which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/ses"
	"github.com/provisio/provisio/shared/queue/sqs"
)

func main() {
	app.Start("ProvisionerFunction", app.ProvisionerFunction, app.Clients{Email: ses.New, Queues: sqs.New})
}
