// Command ingest-call-records is the IngestCallRecordsFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/ses"
	"github.com/provisio/provisio/shared/queue/sqs"
)

func main() {
	app.Start("IngestCallRecordsFunction", app.IngestCallRecordsFunction, app.Clients{Queues: sqs.New, Email: ses.New})
}
