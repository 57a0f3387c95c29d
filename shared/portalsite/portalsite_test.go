package portalsite

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-lambda-go/cfn"
)

// memoryHost is a host in memory; failPut makes putting that key fail.
type memoryHost struct {
	files         map[string]File
	invalidations []string
	failPut       string
}

func (h *memoryHost) Name() string { return "portal-bucket" }

func (h *memoryHost) Put(_ context.Context, f File) error {
	if f.Key == h.failPut {
		return errors.New("refused")
	}
	h.files[f.Key] = f
	return nil
}

func (h *memoryHost) Keys(context.Context) ([]string, error) {
	return slices.Sorted(maps.Keys(h.files)), nil
}

func (h *memoryHost) Delete(_ context.Context, key string) error {
	delete(h.files, key)
	return nil
}

func (h *memoryHost) Invalidate(_ context.Context, reference string) error {
	h.invalidations = append(h.invalidations, reference)
	return nil
}

var portal = fstest.MapFS{
	"index.html":      {Data: []byte("<!doctype html>")},
	"app.js":          {Data: []byte("export {}")},
	"styles.css":      {Data: []byte("body{}")},
	"config.json":     {Data: []byte("{}")},
	"logo.svg":        {Data: []byte("<svg/>")},
	"pages/signin.js": {Data: []byte("export {}")},
}

func newPublisher(h *memoryHost) *Publisher {
	return &Publisher{Host: h, Files: portal, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestAPublicationReplacesTheOldPortalAndInvalidatesTheCache(t *testing.T) {
	h := &memoryHost{files: map[string]File{"pages/retired.js": {Key: "pages/retired.js"}, "app.js": {Key: "app.js", Body: []byte("old")}}}
	done, err := newPublisher(h).Publish(context.Background(), "request-1")
	if err != nil {
		t.Fatal(err)
	}
	if done != (Published{Put: 6, Removed: 1}) {
		t.Fatalf("published %+v", done)
	}
	if keys, _ := h.Keys(context.Background()); !slices.Equal(keys, []string{"app.js", "config.json", "index.html", "logo.svg", "pages/signin.js", "styles.css"}) {
		t.Fatalf("the host holds %v", keys)
	}
	for key, want := range map[string]string{"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
		"styles.css": "text/css; charset=utf-8", "config.json": "application/json", "logo.svg": "image/svg+xml"} {
		if got := h.files[key].ContentType; got != want {
			t.Errorf("%s is served as %q, not %q", key, got, want)
		}
		if h.files[key].CacheControl != cacheControl {
			t.Errorf("%s: Cache-Control %q", key, h.files[key].CacheControl)
		}
	}
	if string(h.files["app.js"].Body) != "export {}" {
		t.Fatalf("app.js is still %q", h.files["app.js"].Body)
	}
	if !slices.Equal(h.invalidations, []string{"request-1"}) {
		t.Fatalf("invalidations: %v", h.invalidations)
	}
}

// A file the host refuses fails the deploy, and the cache keeps serving what it had.
func TestAFailedPublicationInvalidatesNothing(t *testing.T) {
	h := &memoryHost{files: map[string]File{}, failPut: "index.html"}
	if _, err := newPublisher(h).Publish(context.Background(), "request-1"); err == nil || len(h.invalidations) != 0 {
		t.Fatalf("err %v, invalidations %v", err, h.invalidations)
	}
}

func TestTheCustomResourcePublishesOnCreateAndUpdateAndWithdrawsOnDelete(t *testing.T) {
	h := &memoryHost{files: map[string]File{}}
	p := newPublisher(h)
	for _, kind := range []cfn.RequestType{cfn.RequestCreate, cfn.RequestUpdate} {
		id, data, err := p.Handle(context.Background(), cfn.Event{RequestType: kind, RequestID: string(kind), PhysicalResourceID: "portal-bucket"})
		if err != nil || id != "portal-bucket" || data["Put"] != 6 {
			t.Fatalf("%s: %q %v %v", kind, id, data, err)
		}
	}
	if len(h.files) != 6 || !slices.Equal(h.invalidations, []string{"Create", "Update"}) {
		t.Fatalf("after an update: %d files, invalidations %v", len(h.files), h.invalidations)
	}
	id, _, err := p.Handle(context.Background(), cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: "portal-bucket"})
	if err != nil || id != "portal-bucket" || len(h.files) != 0 {
		t.Fatalf("delete: %q %v, %d files left", id, err, len(h.files))
	}
}
