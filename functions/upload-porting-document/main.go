// Command upload-porting-document is the UploadPortingDocumentFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/files"
)

func main() {
	app.Start("UploadPortingDocumentFunction", app.UploadPortingDocumentFunction, app.Clients{Files: files.Files})
}
