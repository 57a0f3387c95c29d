// Package portalsite publishes the portal's files to the host that serves them (on AWS an
// S3 bucket behind CloudFront, package awshost). A CloudFormation custom resource calls it
// on each deploy, so `sam deploy` alone puts a new portal online (docs/portal.md).
package portalsite

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"mime"
	"path"

	"github.com/aws/aws-lambda-go/cfn"
)

// File is one file as the host stores it.
type File struct {
	Key          string
	ContentType  string
	CacheControl string
	Body         []byte
}

// Host stores the portal's files and serves them through a cache.
type Host interface {
	// Name names the host (its bucket): the custom resource's physical ID.
	Name() string
	Put(ctx context.Context, f File) error
	Keys(ctx context.Context) ([]string, error)
	Delete(ctx context.Context, key string) error
	// Invalidate has the cache drop every file; reference tells one request from another,
	// so a retried request is not a second invalidation.
	Invalidate(ctx context.Context, reference string) error
}

// cacheControl lets the cache keep a file until the next deploy invalidates it, while a
// browser asks again on every load (a 304 when unchanged): the names carry no content
// hash, so a browser must never run an old app.js against a newer API.
const cacheControl = "public, max-age=0, s-maxage=31536000"

// Publisher puts Files on Host.
type Publisher struct {
	Host  Host
	Files fs.FS
	Log   *slog.Logger
}

// Published counts what a publication did.
type Published struct {
	Put, Removed int
}

// Publish puts every file, removes what an earlier portal had and this one has not, then
// invalidates the cache.
func (p *Publisher) Publish(ctx context.Context, reference string) (Published, error) {
	var done Published
	before, err := p.Host.Keys(ctx)
	if err != nil {
		return done, fmt.Errorf("listing the published files: %w", err)
	}
	current := map[string]bool{}
	err = fs.WalkDir(p.Files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(p.Files, name)
		if err != nil {
			return err
		}
		if err := p.Host.Put(ctx, File{Key: name, ContentType: contentType(name), CacheControl: cacheControl, Body: body}); err != nil {
			return fmt.Errorf("publishing %s: %w", name, err)
		}
		current[name] = true
		done.Put++
		return nil
	})
	if err != nil {
		return done, err
	}
	for _, key := range before {
		if current[key] {
			continue
		}
		if err := p.Host.Delete(ctx, key); err != nil {
			return done, fmt.Errorf("removing %s: %w", key, err)
		}
		done.Removed++
	}
	if err := p.Host.Invalidate(ctx, reference); err != nil {
		return done, fmt.Errorf("invalidating the cache: %w", err)
	}
	return done, nil
}

// Withdraw removes every file, so the stack's deletion can delete the bucket.
func (p *Publisher) Withdraw(ctx context.Context) (int, error) {
	keys, err := p.Host.Keys(ctx)
	if err != nil {
		return 0, fmt.Errorf("listing the published files: %w", err)
	}
	for i, key := range keys {
		if err := p.Host.Delete(ctx, key); err != nil {
			return i, fmt.Errorf("removing %s: %w", key, err)
		}
	}
	return len(keys), nil
}

// Handle is the custom resource: a Create or an Update publishes, a Delete withdraws.
// The physical ID is the host's name whatever happens, so CloudFormation never replaces
// the resource, and a Delete comes only when the stack (and the bucket) goes, or when a
// failed first deploy rolls back.
func (p *Publisher) Handle(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
	id := p.Host.Name()
	if ev.RequestType == cfn.RequestDelete {
		n, err := p.Withdraw(ctx)
		p.Log.InfoContext(ctx, "portal withdrawn", "host", id, "removed", n)
		return id, nil, err
	}
	done, err := p.Publish(ctx, ev.RequestID)
	p.Log.InfoContext(ctx, "portal published", "host", id, "put", done.Put, "removed", done.Removed)
	return id, map[string]any{"Put": done.Put, "Removed": done.Removed}, err
}

// contentType is the file's media type by its extension (Go's own table, as Lambda's
// image has no mime.types).
func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
