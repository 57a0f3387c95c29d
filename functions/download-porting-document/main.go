// Command download-porting-document is the DownloadPortingDocumentFunction Lambda of template.yaml. Its wiring lives in
// shared/app, which the local server uses too.
package main

import (
	"github.com/provisio/provisio/shared/app"
	"github.com/provisio/provisio/shared/files"
)

func main() {
	app.Start("DownloadPortingDocumentFunction", app.DownloadPortingDocumentFunction, app.Clients{Files: files.Files})
}
