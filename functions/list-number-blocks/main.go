// Command list-number-blocks is the ListNumberBlocksFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import "github.com/provisio/provisio/shared/app"

func main() {
	app.Start("ListNumberBlocksFunction", app.ListNumberBlocksFunction, app.Clients{})
}
