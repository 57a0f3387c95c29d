// Command send-installation-sms is the SendInstallationSmsFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/sns"
)

func main() {
	app.Start("SendInstallationSmsFunction", app.SendInstallationSmsFunction, app.Clients{SMS: sns.New})
}
