// Command delete-webhook is the DeleteWebhookFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("DeleteWebhookFunction", app.DeleteWebhookFunction, app.Clients{})
}
