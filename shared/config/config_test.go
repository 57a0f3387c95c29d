package config

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The SDK closes a request body once the response headers are in; net/http may still be
// draining it then. The drain must end cleanly, or the transport drops the connection
// under the response.
func TestARequestBodyClosedByTheSDKDrainsCleanly(t *testing.T) {
	drainAfterClose := func(apiOptions ...func(*middleware.Stack) error) error {
		stack := middleware.NewStack("drain", smithyhttp.NewStackRequest)
		if err := stack.Serialize.Add(middleware.SerializeMiddlewareFunc("body",
			func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
				req, err := in.Request.(*smithyhttp.Request).SetStream(bytes.NewReader([]byte(`{"TableName":"t"}`)))
				if err != nil {
					return middleware.SerializeOutput{}, middleware.Metadata{}, err
				}
				in.Request = req
				return next.HandleSerialize(ctx, in)
			}), middleware.After); err != nil {
			return err
		}
		for _, option := range apiOptions {
			if err := option(stack); err != nil {
				return err
			}
		}
		var drained error
		send := middleware.HandlerFunc(func(ctx context.Context, in any) (any, middleware.Metadata, error) {
			body := in.(*smithyhttp.Request).Build(ctx).Body
			if _, err := io.Copy(io.Discard, io.LimitReader(body, 5)); err != nil {
				return nil, middleware.Metadata{}, err
			}
			body.Close() // what smithy-go does when the response has arrived
			_, drained = io.Copy(io.Discard, body)
			return nil, middleware.Metadata{}, nil
		})
		if _, _, err := stack.HandleMiddleware(context.Background(), struct{}{}, send); err != nil {
			return err
		}
		return drained
	}
	if err := drainAfterClose(); err == nil {
		t.Fatal("without withBodyReadOnly the drain should fail as net/http sees it; the test no longer shows the race")
	}
	if err := drainAfterClose(withBodyReadOnly); err != nil {
		t.Fatalf("draining a closed body: %v", err)
	}
}

func TestLambdaTakesWhatLambdaPutsInTheEnvironment(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-north-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "session")
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
	t.Setenv(CallTimeoutVariable, "")
	cfg := Lambda()
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "AKIDEXAMPLE" || creds.SessionToken != "session" {
		t.Fatalf("credentials %+v, %v", creds, err)
	}
	if cfg.Region != "eu-north-1" || cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != "http://127.0.0.1:4566" {
		t.Fatalf("region %q, endpoint %v", cfg.Region, cfg.BaseEndpoint)
	}
	if got := cfg.Retryer().MaxAttempts(); got != CallAttempts {
		t.Fatalf("%d attempts", got)
	}
}

func TestLambdaWithoutCredentialsFailsTheCallNotTheColdStart(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	if _, err := Lambda().Credentials.Retrieve(context.Background()); err == nil {
		t.Fatal("credentials without any in the environment")
	}
}
