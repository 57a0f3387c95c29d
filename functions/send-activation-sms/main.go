// Command send-activation-sms is the SendActivationSmsFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/sns"
	_ "github.com/provisio/provisio/shared/phone/libphone" // it checks telephone numbers
)

func main() {
	app.Start("SendActivationSmsFunction", app.SendActivationSmsFunction, app.Clients{SMS: sns.New})
}
