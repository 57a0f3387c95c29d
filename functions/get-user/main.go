// Command get-user is the GetUserFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("GetUserFunction", app.GetUserFunction, app.Clients{})
}
