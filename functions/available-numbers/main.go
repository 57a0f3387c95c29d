// Command available-numbers is the AvailableNumbersFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("AvailableNumbersFunction", app.AvailableNumbersFunction, app.Clients{})
}
