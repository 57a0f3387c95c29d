// Command add-staff is the AddStaffFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/notify/ses"
)

func main() {
	app.Start("AddStaffFunction", app.AddStaffFunction, app.Clients{Email: ses.New})
}
