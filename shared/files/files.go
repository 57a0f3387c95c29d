// Package files is Provisio's S3 adapter: presigned upload URLs, so documents go from the
// customer's browser straight to the bucket and never through a Lambda.
package files

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/porting"
)

// Bucket presigns uploads to one bucket.
type Bucket struct {
	Presign *s3.PresignClient
	Name    string
}

// New returns the bucket. Against a local engine it addresses the bucket by path, as the
// engines serve it. The S3 client has resolved its endpoint by the time options apply, so
// AWS_ENDPOINT_URL_S3 counts as much as AWS_ENDPOINT_URL.
func New(cfg aws.Config, name string) *Bucket {
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = o.BaseEndpoint != nil })
	return &Bucket{Presign: s3.NewPresignClient(client), Name: name}
}

// Uploads is New as porting.Uploads, the shape a function's main passes to its wiring.
func Uploads(cfg aws.Config, name string) porting.Uploads { return New(cfg, name) }

// UploadURL returns a URL that accepts one PUT of key with contentType until ttl passes.
func (b *Bucket) UploadURL(ctx context.Context, key, contentType string, ttl time.Duration) (string, error) {
	req, err := b.Presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &b.Name, Key: &key, ContentType: &contentType},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not prepare the upload")
	}
	return req.URL, nil
}
