// Package files is Provisio's S3 adapter for porting documents: presigned upload and
// download URLs, so a document goes from the customer's browser straight to the bucket,
// and from it to the operator's, never through a Lambda.
package files

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/provisio/provisio/shared/fault"
	"github.com/provisio/provisio/shared/porting"
)

// Bucket presigns uploads to and downloads from one bucket.
type Bucket struct {
	Client  *s3.Client
	Presign *s3.PresignClient
	Name    string
}

// New returns the bucket. Against a local engine it addresses the bucket by path, as the
// engines serve it. The S3 client has resolved its endpoint by the time options apply, so
// AWS_ENDPOINT_URL_S3 counts as much as AWS_ENDPOINT_URL.
func New(cfg aws.Config, name string) *Bucket {
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = o.BaseEndpoint != nil })
	return &Bucket{Client: client, Presign: s3.NewPresignClient(client), Name: name}
}

// Files is New as porting.Files, the shape a function's main passes to its wiring.
func Files(cfg aws.Config, name string) porting.Files { return New(cfg, name) }

// UploadURL implements porting.Files.
func (b *Bucket) UploadURL(ctx context.Context, key, contentType string, ttl time.Duration) (string, error) {
	req, err := b.Presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &b.Name, Key: &key, ContentType: &contentType},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not prepare the upload")
	}
	return req.URL, nil
}

// DownloadURL implements porting.Files.
func (b *Bucket) DownloadURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	req, err := b.Presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &b.Name, Key: &key}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fault.Wrap(fault.Internal, err, "could not prepare the download")
	}
	return req.URL, nil
}

// Stat implements porting.Files with one HeadObject.
func (b *Bucket) Stat(ctx context.Context, key string) (int64, time.Time, error) {
	out, err := b.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.Name, Key: &key})
	var missing *types.NotFound
	switch {
	case errors.As(err, &missing):
		return 0, time.Time{}, fault.New(fault.NotFound, "the document has not been uploaded")
	case err != nil:
		return 0, time.Time{}, fault.Wrap(fault.Unavailable, err, "the document store did not answer")
	}
	return aws.ToInt64(out.ContentLength), aws.ToTime(out.LastModified), nil
}
