// Package awshost is the portal's host on AWS: the S3 bucket its files live in and the
// CloudFront distribution that serves and caches them.
package awshost

import (
	"bytes"
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/provisio/provisio/shared/portalsite"
)

// Host is a bucket behind a distribution.
type Host struct {
	S3             *s3.Client
	CloudFront     *cloudfront.Client
	Bucket         string
	DistributionID string
}

// New returns the host. Against a local engine it addresses the bucket by path, as the
// engines serve it.
func New(cfg aws.Config, bucket, distributionID string) portalsite.Host {
	return &Host{
		S3:         s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = o.BaseEndpoint != nil }),
		CloudFront: cloudfront.NewFromConfig(cfg), Bucket: bucket, DistributionID: distributionID,
	}
}

// Name implements portalsite.Host.
func (h *Host) Name() string { return h.Bucket }

// Put implements portalsite.Host with one PutObject.
func (h *Host) Put(ctx context.Context, f portalsite.File) error {
	_, err := h.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: &h.Bucket, Key: &f.Key, Body: bytes.NewReader(f.Body),
		ContentType: &f.ContentType, CacheControl: &f.CacheControl})
	return err
}

// Keys implements portalsite.Host, a ListObjectsV2 per thousand files.
func (h *Host) Keys(ctx context.Context) ([]string, error) {
	var keys []string
	pages := s3.NewListObjectsV2Paginator(h.S3, &s3.ListObjectsV2Input{Bucket: &h.Bucket})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys, nil
}

// Delete implements portalsite.Host with one DeleteObject.
func (h *Host) Delete(ctx context.Context, key string) error {
	_, err := h.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &h.Bucket, Key: &key})
	return err
}

// Invalidate implements portalsite.Host: one invalidation of every path, which
// CloudFront counts as one path however many files it drops.
func (h *Host) Invalidate(ctx context.Context, reference string) error {
	_, err := h.CloudFront.CreateInvalidation(ctx, &cloudfront.CreateInvalidationInput{DistributionId: &h.DistributionID,
		InvalidationBatch: &cftypes.InvalidationBatch{CallerReference: &reference,
			Paths: &cftypes.Paths{Quantity: aws.Int32(1), Items: []string{"/*"}}}})
	return err
}
