package files

import (
	"context"
	"strings"
	"testing"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
)

func TestURLsAddressTheBucketByPathOnAnyLocalEndpoint(t *testing.T) {
	for name, env := range map[string]string{"AWS_ENDPOINT_URL": "http://localhost:4566", "AWS_ENDPOINT_URL_S3": "http://localhost:4577"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("AWS_ACCESS_KEY_ID", "test")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
			t.Setenv("AWS_REGION", "us-east-1")
			t.Setenv(name, env)
			cfg, err := awsconfig.LoadDefaultConfig(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			url, err := New(cfg, "docs").UploadURL(context.Background(), "porting/p/d/a.pdf", "application/pdf", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(url, env+"/docs/porting/p/d/a.pdf?") {
				t.Fatalf("the upload URL is %s, want %s/docs/… (path style)", url, env)
			}
			url, err = New(cfg, "docs").DownloadURL(context.Background(), "porting/p/d/a.pdf", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(url, env+"/docs/porting/p/d/a.pdf?") || !strings.Contains(url, "X-Amz-Expires=60") {
				t.Fatalf("the download URL is %s, want %s/docs/… (path style), for 60 s", url, env)
			}
		})
	}
}
