// Command list-porting-desk is the ListPortingDeskFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("ListPortingDeskFunction", app.ListPortingDeskFunction, app.Clients{})
}
