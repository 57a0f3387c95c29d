// Command get-account-registration is the GetAccountRegistrationFunction Lambda of template.yaml. Its wiring lives in shared/app,
// which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("GetAccountRegistrationFunction", app.GetAccountRegistrationFunction, app.Clients{})
}
