// Command roll-webhook-secret is the RollWebhookSecretFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("RollWebhookSecretFunction", app.RollWebhookSecretFunction, app.Clients{})
}
