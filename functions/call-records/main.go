// Command call-records is the CallRecordsFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/ses"
	"github.com/provisio/provisio/shared/queue/sqs"
)

func main() {
	app.Start("CallRecordsFunction", app.CallRecordsFunction, app.Clients{Email: ses.New, Queues: sqs.New})
}
