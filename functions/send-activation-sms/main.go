// Command send-activation-sms is the SendActivationSmsFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/sns"
)

func main() {
	app.Start("SendActivationSmsFunction", app.SendActivationSmsFunction, app.Clients{SMS: sns.New})
}
