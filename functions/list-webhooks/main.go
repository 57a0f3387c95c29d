// Command list-webhooks is the ListWebhooksFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("ListWebhooksFunction", app.ListWebhooksFunction, app.Clients{})
}
