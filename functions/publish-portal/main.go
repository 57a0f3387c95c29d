// Command publish-portal is the PublishPortalFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/portalsite/awshost"
)

func main() {
	app.Start("PublishPortalFunction", app.PublishPortalFunction, app.Clients{Portal: awshost.New})
}
