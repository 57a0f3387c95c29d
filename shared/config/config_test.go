package config

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	full := map[string]string{"TABLE_NAME": "t", "PROVISIONING_QUEUE_URL": "q", "SENDER_EMAIL": "s@x.io",
		"PORTAL_URL": "http://p", "REALM_SUFFIX": "sip.x.io", "STALE_AFTER": "2m",
		"TOKEN_SECRET_ARN": "arn:secret", "CURRENCY": "SEK",
		"PUBLIC_API_URL": "http://api", "SIP_PROXY": "sip.example:5061",
		"PORTING_QUEUE_URL": "q2", "CALL_RECORDS_QUEUE_URL": "q3", "PASSWORD_RESET_QUEUE_URL": "q4", "PORTING_DESK_EMAIL": "desk@x.io", "PORTING_BUCKET": "b"}
	c, err := FromEnv(env(full))
	if err != nil {
		t.Fatal(err)
	}
	if c.StaleAfter != 2*time.Minute || c.TableName != "t" {
		t.Fatalf("got %+v", c)
	}
	_, err = FromEnv(env(map[string]string{"STALE_AFTER": "soon"}))
	if err == nil || !strings.Contains(err.Error(), "TABLE_NAME") || !strings.Contains(err.Error(), "STALE_AFTER") {
		t.Fatalf("want every problem named, got %v", err)
	}
}

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
