// Command send-user-password-reset is the SendUserPasswordResetFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/ses"
)

func main() {
	app.Start("SendUserPasswordResetFunction", app.SendUserPasswordResetFunction, app.Clients{Email: ses.New})
}
