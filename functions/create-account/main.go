// Command create-account is the CreateAccountFunction Lambda of template.yaml. Its wiring lives in shared/app,
// which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/ses"
)

func main() {
	app.Start("CreateAccountFunction", app.CreateAccountFunction, app.Clients{Email: ses.New})
}
