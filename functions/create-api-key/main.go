// Command create-api-key is the CreateApiKeyFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("CreateApiKeyFunction", app.CreateApiKeyFunction, app.Clients{})
}
