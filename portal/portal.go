// Package portal is the web portal's files (docs/portal.md). They need no build step, so
// the files here are what a browser loads: the local server serves this directory, and
// the function that publishes the portal on each deploy carries them built in.
package portal

import "embed"

// Files are the portal's files as they are published: everything but the test tooling
// (node_modules, package.json) and this Go source.
//
//go:embed index.html app.js config.json logo.svg styles.css pages
var Files embed.FS
