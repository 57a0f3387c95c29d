// Command verify-contact-mobile is the VerifyContactMobileFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/sns"
)

func main() {
	app.Start("VerifyContactMobileFunction", app.VerifyContactMobileFunction, app.Clients{SMS: sns.New})
}
