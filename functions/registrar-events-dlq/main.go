// Command registrar-events-dlq is the RegistrarEventsDLQFunction Lambda of template.yaml. It calls no AWS service, so its
// wiring lives in shared/function, which links no AWS SDK; the local server uses it too.
package main

import "github.com/provisio/provisio/shared/function"

func main() {
	function.Start("RegistrarEventsDLQFunction", function.RegistrarEventsDLQFunction)
}
