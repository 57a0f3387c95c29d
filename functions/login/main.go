// Command login is the LoginFunction Lambda of template.yaml. Its wiring lives in shared/app,
// which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/secrets"
)

func main() {
	app.Start("LoginFunction", app.LoginFunction, app.Clients{Secrets: secrets.Signer})
}
