package portal

import (
	"io/fs"
	"os"
	"slices"
	"testing"
)

// A file added to the portal is published with it: the embed list names every file but
// the test tooling and Go's.
func TestEveryPortalFileIsPublished(t *testing.T) {
	var onDisk, embedded []string
	err := fs.WalkDir(os.DirFS("."), ".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path == "node_modules":
			return fs.SkipDir
		case d.IsDir() || slices.Contains([]string{"package.json", "package-lock.json", "portal.go", "portal_test.go"}, path):
			return nil
		}
		onDisk = append(onDisk, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			embedded = append(embedded, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(onDisk, embedded) {
		t.Fatalf("portal files on disk:\n%v\nbuilt into the publisher:\n%v", onDisk, embedded)
	}
	if !slices.Contains(embedded, "index.html") || !slices.Contains(embedded, "pages/signin.js") {
		t.Fatalf("the pages are missing: %v", embedded)
	}
}
