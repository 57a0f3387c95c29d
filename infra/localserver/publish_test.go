package localserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// cloudFormation stands in for CloudFormation's response URL: it keeps what the custom
// resource answered.
type cloudFormation struct {
	*httptest.Server
	answers chan map[string]any
}

func newCloudFormation(t *testing.T) *cloudFormation {
	cf := &cloudFormation{answers: make(chan map[string]any, 4)}
	cf.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var answer map[string]any
		if r.Method != http.MethodPut || json.NewDecoder(r.Body).Decode(&answer) != nil {
			http.Error(w, "a custom resource answers with a PUT of JSON", http.StatusBadRequest)
			return
		}
		cf.answers <- answer
	}))
	t.Cleanup(cf.Close)
	return cf
}

// A deploy calls the PortalFiles custom resource: with only what its template grants, the
// function puts the portal's files in the bucket with their media types, removes one an
// earlier portal had, invalidates the distribution and answers SUCCESS; when the stack
// goes, it empties the bucket so the bucket can go too.
func TestADeployPublishesThePortal(t *testing.T) {
	e := mustStart(t)
	ctx := context.Background()
	bucket, err := e.srv.Stack().Ref("PortalBucket")
	if err != nil {
		t.Fatal(err)
	}
	distribution, err := e.srv.Stack().Ref("PortalDistribution")
	if err != nil {
		t.Fatal(err)
	}
	// The tools' configuration bounds each operation with a deadline that ends when the
	// operation returns, which would cut off a GetObject body read after it: this reader
	// goes without.
	reader := e.aws.Copy()
	reader.APIOptions = nil
	files := s3.NewFromConfig(reader, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := files.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("pages/retired.js"), Body: strings.NewReader("old")}); err != nil {
		t.Fatal(err)
	}
	cf := newCloudFormation(t)
	publish := e.srv.CustomResource("PublishPortalFunction")
	call := func(kind cfn.RequestType) map[string]any {
		t.Helper()
		ev := cfn.Event{RequestType: kind, RequestID: "deploy-" + string(kind), ResponseURL: cf.URL, ResourceType: "Custom::PortalFiles",
			LogicalResourceID: "PortalFiles", StackID: "arn:aws:cloudformation:eu-north-1:123456789012:stack/provisio-test/1", PhysicalResourceID: bucket}
		if reason, err := publish(ctx, ev); err != nil {
			t.Fatalf("%s: %s %v", kind, reason, err)
		}
		answer := <-cf.answers
		if answer["Status"] != "SUCCESS" || answer["PhysicalResourceId"] != bucket {
			t.Fatalf("%s answered %v", kind, answer)
		}
		return answer
	}

	answer := call(cfn.RequestCreate)
	if data, _ := answer["Data"].(map[string]any); data["Removed"] != 1.0 {
		t.Fatalf("what the publication did: %v", answer["Data"])
	}
	for key, media := range map[string]string{"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
		"pages/accounts.js": "text/javascript; charset=utf-8", "styles.css": "text/css; charset=utf-8", "config.json": "application/json"} {
		out, err := files.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String(key)})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		body, _ := io.ReadAll(out.Body)
		out.Body.Close()
		want, _ := os.ReadFile("../../portal/" + key)
		if string(body) != string(want) || aws.ToString(out.ContentType) != media || !strings.Contains(aws.ToString(out.CacheControl), "max-age=0") {
			t.Errorf("%s: %d bytes of %q, Cache-Control %q", key, len(body), aws.ToString(out.ContentType), aws.ToString(out.CacheControl))
		}
	}
	var missing *s3types.NoSuchKey
	if _, err := files.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("pages/retired.js")}); !errors.As(err, &missing) {
		t.Fatalf("the retired file: %v", err)
	}
	invalidations, err := cloudfront.NewFromConfig(e.aws).ListInvalidations(ctx, &cloudfront.ListInvalidationsInput{DistributionId: &distribution})
	if err != nil || invalidations.InvalidationList == nil || aws.ToInt32(invalidations.InvalidationList.Quantity) != 1 {
		t.Fatalf("the distribution's invalidations: %+v %v", invalidations, err)
	}

	call(cfn.RequestDelete)
	left, err := files.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket})
	if err != nil || len(left.Contents) != 0 {
		t.Fatalf("after the stack's deletion the bucket holds %d files (%v)", len(left.Contents), err)
	}
}
